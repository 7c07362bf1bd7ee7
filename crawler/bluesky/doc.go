// Package bluesky lists the public posts and reposts of a Bluesky account
// through the AppView's XRPC API, without logging in.
//
// List asks GET /xrpc/app.bsky.feed.getAuthorFeed for the handle or DID, 100
// items at a time, replies included and pinned posts left out, newest first,
// passing the cursor back until there is none or a page comes back empty.
// It talks to the directory entry's endpoint, or to
// https://public.api.bsky.app when it has none.
//
// Each feed item (a feedViewPost) becomes an archive.Post:
//
//	PostID       the record key, the last segment of post.uri
//	URL          https://bsky.app/profile/{author.handle}/post/{rkey}
//	Author       post.author.handle (the DID while the handle does not verify)
//	PublishedAt  post.record.createdAt (post.indexedAt when unreadable)
//	Text         post.record.text
//	Language     post.record.langs[0]
//	ReplyTo      post.record.reply.parent.uri
//	Media        post.embed: images (ID is the blob CID), video (the HLS
//	             playlist), an external link card (kind "link"), and the
//	             media of a quote with media. MimeType is the type of the
//	             blob as uploaded, which the CDN may serve converted.
//	Shared       the quoted post of a quote (below)
//	Metrics      replyCount, repostCount, likeCount, quoteCount as replies,
//	             reposts, likes, quotes
//	Raw          the feed item exactly as received
//
// A repost (reason app.bsky.feed.defs#reasonRepost) is recorded as the
// account's repost, not as its own words: PostID is the record key of the
// repost record (reason.uri), or "repost-" and the reposted post's record
// key when the AppView does not give it; Author is reason.by.handle,
// PublishedAt reason.indexedAt, Text is empty, and RepostOf and URL are the
// reposted post's bsky.app URL. Shared (kind repost) carries the reposted
// post: that URL, post.author.handle and displayName, its createdAt
// (indexedAt when unreadable), record.text and its media read as above.
//
// A quote (post.embed app.bsky.embed.record#view, or recordWithMedia#view
// whose record is one) keeps the account's own words in Text and its own
// media in Media; Shared (kind quote) carries the quoted post when the
// AppView shows it (a viewRecord of an app.bsky.feed.post): its bsky.app
// URL, author handle and displayName, value.createdAt, value.text and the
// media of its embeds. A quoted post the AppView does not show (viewNotFound:
// deleted; viewBlocked: a block between the authors; viewDetached: its
// author detached the quote) gives a Shared with only its link,
// https://bsky.app/profile/{did}/post/{rkey}, and no text: the AppView
// sends nothing else. An embedded feed, list, labeler or starter pack is not
// a post and stays in Raw. A repost of a quote, or a quote of a quote, keeps
// only the first level; the rest stays in Raw.
//
// Bluesky has no edits, so EditedAt stays zero. An actor the AppView does
// not know, or has taken down, is reported as ErrAccountNotFound.
package bluesky
