// Package mastodon lists the public statuses of a Mastodon account through
// the instance's REST API, without logging in.
//
// List reads the handle as @user@instance and talks to the directory
// entry's endpoint, or to https://instance when it has none. It looks the
// account up with GET /api/v1/accounts/lookup, then pages through
// GET /api/v1/accounts/:id/statuses?limit=40, newest first, following the
// Link header's rel="next" until the instance gives none.
//
// Each status becomes an archive.Post:
//
//	PostID       id
//	URL          url, or uri when url is null
//	Author       account.acct, with @instance added to local accounts
//	PublishedAt  created_at
//	EditedAt     edited_at (and Edited), when the status was edited
//	Text         content as plain text, after spoiler_text and a blank line
//	             when the status has a content warning, and, when it has a
//	             poll, the poll's options after a blank line, one a line
//	             as "- option" (what the post asks is part of what it says;
//	             the votes are counters and stay in Raw)
//	Language     language
//	ReplyTo      {base}/api/v1/statuses/{in_reply_to_id}
//	Media        media_attachments (ID is the attachment id), then the link
//	             card, when the status has one, as kind "link": URL the
//	             card's url, Alt its title, PreviewURL its image. The
//	             instance fetches a card in the background after the status
//	             is posted: a status listed in the first seconds has none,
//	             and gains it, as a new version, at the next crawl
//	Shared       the quoted post of a quote (Mastodon 4.4 and later)
//	Metrics      replies_count, reblogs_count, favourites_count and, from
//	             Mastodon 4.4, quotes_count, as replies, reposts, likes, quotes
//	Raw          the status object exactly as received
//
// A boost is recorded as a repost, not as the account's own words: its Text
// is empty, it has no media, RepostOf is the boosted status's url (or uri),
// and Shared (kind repost) carries the boosted status as the instance
// served it: its url (or uri), account.acct (with @instance when local),
// account.display_name, created_at, text (read as the Text above) and media
// (attachments and card). A quote (quote.quoted_status) keeps the account's
// own words in Text, without the "RE: link" paragraph (class quote-inline)
// that servers add for clients without quotes, and Shared (kind quote)
// carries the quoted status read the same way. A quote the instance does
// not show (state pending, rejected, revoked, deleted or unauthorized:
// quoted_status is null) has a Shared with only the link of that "RE:"
// paragraph and no text. A boost of a quote, or a quote of a quote, keeps
// only the first level; the rest stays in Raw.
//
// Instances that refuse their API to anonymous clients
// (DISALLOW_UNAUTHENTICATED_API_ACCESS) answer 401, reported as
// ErrLoginRequired.
package mastodon
