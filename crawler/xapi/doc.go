// Package xapi lists an X account's posts through the X API v2 user
// timeline, with the office's bearer token, for official accounts
// registered with capture: api. It fetches and parses only.
//
// The token comes from the environment or a file of mode 600 that the
// directory names (package credential); it is sent in the Authorization
// header to the account's endpoint (or https://api.x.com) only, and the
// evidence keeps each request with that header redacted.
//
// List asks GET /2/users/by/username/:handle, then pages through
// GET /2/users/:id/tweets?max_results=100 with tweet.fields TweetFields,
// expansions Expansions (media, referenced posts and their authors),
// following meta.next_token as pagination_token until there is none.
//
// Each post becomes an archive.Post. An edited post has a new id for each
// version: PostID is the first of edit_history_tweet_ids, so that an edit
// is a new version of the same post, PublishedAt the time that id was made
// (X's ids are snowflakes), EditedAt the version's created_at. Text is the
// long text of note_tweet when there is one, else text with its t.co links
// written out (entities.urls) and the links to its own media left out;
// Media the attachments' media (photo, video, animated_gif as gifv, by
// media_key); a retweet has no text of its own: RepostOf and Shared carry
// the retweeted post (includes.tweets, includes.users); a quote keeps its
// text and Shared the quoted post; a reply names ReplyTo. Metrics are
// public_metrics (replies, reposts, likes, quotes, views).
//
// Rate limits: when a page says x-rate-limit-remaining: 0, the adapter
// waits until x-rate-limit-reset before the next page, or, past
// Adapter.MaxWait, stops with ErrRateLimited (what was listed is kept). A
// 429 is retried by the crawl's client at x-rate-limit-reset, or given up
// (crawler.ErrWaitTooLong) when that is too far. 401 is ErrTokenRefused,
// 403 ErrForbidden, each in the account's error.
package xapi
