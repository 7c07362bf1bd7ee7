// Package rss archives the items of any RSS 2.0, RSS 1.0 (RDF) or Atom
// feed: a government site's bulletins, a Mastodon account's /@user.rss, a
// blog. The directory account's Handle is the feed's URL.
//
// A crawl makes one GET of the feed and yields one page: feeds have no
// pagination. Each item becomes a post:
//
//   - PostID: the guid (Atom id); else the link; else the SHA-256 of the raw
//     item, which changes whenever the item does. A guid that several items
//     share identifies none of them: they fall back to link, then hash.
//   - URL: the link (Atom rel="alternate"), or a guid that is a URL.
//   - Author: the item's author, else the feed's author, else its title.
//   - PublishedAt: the publication date, else the update date.
//   - EditedAt: Atom's updated, when later than published. RSS has no edit
//     time; an edited RSS item shows as a new content hash.
//   - Text: the title, a blank line and the plain text of the content (else
//     the description, Atom's summary); a body that starts with the title
//     stands alone. HTML keeps its words and line breaks; link targets and
//     inline images stay in Raw. An item of an enclosure alone has an empty
//     Text and the file in Media. A Media RSS media:description describes
//     its file (Media's Alt), not the item.
//   - Raw: the <item> or <entry> element exactly as received; RawType is
//     application/rss+xml or application/atom+xml.
//   - Language: the feed's language, two letters. Media: enclosures and Media
//     RSS content and thumbnails, identified by URL. No metrics: feeds have
//     none.
//
// The feed is fetched and read with the feed package (gofeed for the
// meaning of a feed, a structural scan with encoding/xml for the raw bytes
// of each item), which the youtube adapter shares.
//
// Feeds have no reposts or quotes: Shared stays nil.
//
// A feed is a window over the most recent items, often 10 to 50. An item
// that falls out of the window has not been deleted, so a plain crawl
// judges no deletion. In a deep sweep (vigia crawl --sweep) the loop asks
// Gone (confirm.go) about every archived item the feed no longer shows: its
// own link answering 404 or 410 is a deletion, anything else tells nothing.
package rss
