// Package youtube archives the latest videos of YouTube channels from their
// public Atom feed, GET {endpoint}/feeds/videos.xml?channel_id=UC…, without
// an API key. The directory account's Handle is the channel id (UC and 22
// characters) or the channel's @handle, whose page the crawl asks once for
// the id it names (handle.go); its Endpoint replaces https://www.youtube.com.
//
// The feed is fetched and read with the feed package (gofeed for meaning,
// the raw <entry> bytes as received), which the rss adapter shares. Each entry becomes a post:
//
//   - PostID: yt:videoId. URL: the alternate link, /watch?v=ID or, for
//     Shorts, /shorts/ID. Author: the entry's author name.
//   - PublishedAt: published. EditedAt stays zero: YouTube moves <updated>
//     when the view and like counts change, so it is no edit time; an edited
//     title or description shows as a new content hash instead.
//   - Text: media:title, a blank line and media:description (plain text).
//   - Raw: the <entry> element; RawType application/atom+xml.
//   - Media: the thumbnail (an image, identified by its URL on i.ytimg.com
//     whichever numbered host served it) and the video (its watch URL).
//   - Metrics: views (media:statistics@views) and likes
//     (media:starRating@count).
//
// A video with an empty description keeps its title alone. YouTube has no
// reposts or quotes in the feed (community posts are not in it): Shared
// stays nil.
//
// The feed's own yt:channelId leaves out the "UC" that its entries keep
// (seen in 2026); Parse restores it, and List refuses a feed of another
// channel than the one asked for.
//
// Limits: the feed is a window of the latest 15 uploads; a video that falls
// out of it has not been deleted. In a deep sweep (vigia crawl --sweep) the
// loop asks Gone (confirm.go) about every archived video the feed no longer
// shows, by its watch page's player response. YouTube's feeds fail intermittently with
// 404 and 500 for channels that exist (reported in January 2024 and March
// and April 2026), so such a failure is reported as one to retry at the next
// crawl, never as a deleted channel or video. youtube.com/robots.txt is
// reported to disallow /feeds/videos.xml; see docs/crawling.md.
package youtube
