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
// YouTube channel Atom feeds and RSS 2.0/Atom feeds. Pages are kept small
// (5 statuses, 5 feed items, 8 messages) so that every account takes more
// than one page. URLs in responses are built from the request's host, so
// the sample works the same behind Start and behind httptest. Media links
// lead to placeholder images and PDFs the server draws on first use.
//
// A Server starts nothing until Start, which owns one goroutine that Close
// stops and waits for. Directory and DirectoryAt return the matching
// directory YAML for crawler/directory.
//
// NewMastodonFarm builds a synthetic Mastodon instance of any size for
// benchmarks, with every page's bytes rendered at construction.
package samplenet
