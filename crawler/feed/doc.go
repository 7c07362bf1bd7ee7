// Package feed fetches and parses RSS 2.0, RSS 1.0 (RDF) and Atom feeds for
// the adapters of networks that serve them: rss (any feed) and youtube (a
// channel's Atom feed). It holds what those adapters share; how an item
// becomes a post is each adapter's own.
//
//   - Fetch makes one GET with the feed Accept header; a failure is a
//     *FetchError, whose Note an adapter may set to say what the failure
//     means on its network.
//   - Parse reads a feed: gofeed for the meaning of each item (dates,
//     authors, links, extensions such as Media RSS and yt:), and a
//     structural scan with encoding/xml for each item's bytes exactly as
//     received (Item.Raw), matched by order. When the scan cannot locate the
//     items, they are kept without Raw and Feed.RawErr says why.
//   - AuthorName is the name by which an item is signed: its author, else
//     the feed's, else the feed's title.
//
// The package does not judge deletions: a feed is a window over its latest
// items.
package feed
