// Package samplenet serves a built-in sample of the five networks vigia
// crawls — Mastodon, Bluesky, Telegram, YouTube and RSS/Atom — over HTTP on
// loopback, so that `vigia demo`, end-to-end tests and benchmarks run
// offline with the real crawler adapters, unchanged.
//
// The sample is the "Ayuntamiento de Guadalajara (muestra)": official
// accounts and registered personal accounts of servants, written for the
// project in content/*.yaml and embedded in the binary (the schema is
// documented in content.go). People, parties and handles are invented.
//
// Responses follow each network's real formats (see the formats notes):
// Mastodon REST entities with Link pagination, Bluesky getAuthorFeed
// feedViewPosts with cursors, t.me/s preview pages with ?before= paging,
// YouTube channel Atom feeds (and each channel's page by its @handle, which
// is its account's id: /@cabildo-gdl names the channel id, as youtube.com's
// does) and RSS 2.0/Atom feeds. Pages are kept small
// (5 statuses, 5 feed items, 8 messages) so that every account takes more
// than one page. The Mastodon and Bluesky accounts boost, repost and quote
// one another: a quote is Mastodon 4.4's quote (with the "RE:" paragraph
// its server prepends) or Bluesky's app.bsky.embed.record, and shows its
// quoted post as deleted once that post is.
//
// URLs inside response bodies name fixed public hosts, as the real networks
// name their public sites rather than the API host a client reached:
// https://social.guadalajara.example (the Mastodon instance of the sample
// handles), https://cdn.bsky.app, https://t.me and
// https://cdn4.telegram-cdn.org, https://www.youtube.com and
// https://i1.ytimg.com, and each feed's site (https://guadalajara.example,
// https://cultura-gdl.example). So every body is the same byte for byte
// whatever address the server listens on, and a second crawl of the
// sample on another port finds nothing new. Only what a client must follow
// back to the server points at the request's host: Mastodon's Link header
// and the relative ?before= links of t.me pages. Media URLs lead to
// placeholder images and PDFs the server draws on first use; it serves
// their paths (/system/, /headers/, /img/, /file/, /vi/, /media/) on any
// host, so they can be fetched by mapping those public hosts to it.
//
// Tests can change the sample while it serves, to exercise a crawler's
// change detection. Edit, Delete, Restore and Publish act on a post named
// by its account's directory id (the id: of its content file) and its key:
// in that file; SetUnreachable makes every request for an account answer
// 503, as a failing service does, while the others keep answering. Each
// network then shows what it really shows: Mastodon's edited_at, its
// status history (GET /api/v1/statuses/:id/history) and a 404
// {"error":"Record not found"} for a deleted status, whose boosts go too
// and whose quotes show it as deleted;
// Bluesky's new cid for a rewritten record, app.bsky.feed.getPosts leaving
// deleted posts out, notFoundPost for a deleted reply parent or root and
// viewNotFound for a deleted quoted post;
// t.me's "edited" marker, a gap in the message numbers and "Post not
// found"; YouTube's and Atom's <updated>, and entries gone from the feeds.
// Each post has its own page too (pages.go): a feed item's link, 404 once
// deleted, and a video's watch page, whose player response says ERROR
// "Video unavailable" once deleted, as YouTube's does; Unlist drops a post
// from the listings while its page still serves it, and SetPageStatus
// makes its page answer a status, for deep sweeps to ask about.
// Requests hold a read lock for their whole response and mutations a write
// lock, so a response never mixes two states. Without mutations, every
// body is what it always was.
//
// A Server starts nothing until Start, which owns one goroutine that Close
// stops and waits for. Directory and DirectoryAt return the matching
// directory YAML for directory.
//
// NewMastodonFarm builds a synthetic Mastodon instance of any size for
// benchmarks, with every page's bytes rendered at construction.
package samplenet
