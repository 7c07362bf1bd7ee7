// Package crawler fetches the public posts of the directory's accounts.
//
// One shared loop (Crawler) owns what every network needs: a bounded number
// of accounts at a time, per-account timeouts, change detection against the
// archive's heads, judging each new version, batching records into the
// archive, progress, metrics and logs. One shared Client, built on colly,
// owns the politeness and safety of every request: a token bucket per host,
// robots.txt, a descriptive User-Agent, retries with capped exponential
// backoff and jitter that honour Retry-After, a body size cap applied after
// decompression, and a guard refusing private and loopback addresses,
// redirects included.
//
// Each network has a sub-package with an Adapter that only fetches and
// parses: mastodon, bluesky, telegram, youtube and rss. Adding a network
// touches one folder and the wiring switch in cmd/vigia.
package crawler
