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
//	             when the status has a content warning
//	Language     language
//	ReplyTo      {base}/api/v1/statuses/{in_reply_to_id}
//	Media        media_attachments (ID is the attachment id)
//	Metrics      replies_count, reblogs_count, favourites_count and, from
//	             Mastodon 4.4, quotes_count, as replies, reposts, likes, quotes
//	Raw          the status object exactly as received
//
// A boost is recorded as a repost, not as the account's own words: its Text
// is empty, it has no media and RepostOf is the boosted status's url (or
// uri). Instances that refuse their API to anonymous clients
// (DISALLOW_UNAUTHENTICATED_API_ACCESS) answer 401, reported as
// ErrLoginRequired.
package mastodon
