// Package graph lists the posts of a Facebook Page (Pages) and of an
// Instagram professional account (Instagram) through the Meta Graph API,
// with the office's page token, for official accounts registered with
// capture: api. It fetches and parses only; the crawl loop does the rest.
//
// The token comes from the environment or a file of mode 600 that the
// directory names (package credential), never from the directory itself.
// It is sent in the Authorization header to the API's host only (the
// account's endpoint, or https://graph.facebook.com), never in the URL;
// the evidence keeps each request with that header redacted.
//
// Pages asks GET /v23.0/me?fields=id,name,username (a page token's "me" is
// its Page) and refuses a token of another Page than the handle names, then
// pages through GET /v23.0/{page-id}/published_posts?fields=PostFields.
// Instagram asks GET /v23.0/me?fields=instagram_business_account{id,username},
// checks the username, then pages through GET /v23.0/{ig-user-id}/media.
// Both follow paging.next (cursor pagination) while it leads to the API's
// host; one leading elsewhere ends the listing with ErrMalformed, so the
// token goes nowhere else.
//
// Each post becomes an archive.Post: PostID id, URL permalink_url or
// permalink, PublishedAt created_time or timestamp, Text message or
// caption, Media the attachments (a photo's image, a video, a link, an
// album's subattachments; an Instagram carousel's children), with the
// photo's or media's id as Media.ID (image addresses are signed anew at
// each answer), Metrics like_count and comments_count (Instagram), Raw
// the object as received.
//
// Rate limits: after each page, X-App-Usage and X-Business-Use-Case-Usage
// are read; at 90 % of a window the adapter pauses (Options.SlowDown)
// before the next page, at 100 % (or with estimated_time_to_regain_access)
// it waits for access to come back, and past Options.MaxWait it stops
// with ErrRateLimited: what was listed is archived, the next crawl goes on.
// Error objects ({"error": {"message", "type", "code", "error_subcode",
// "fbtrace_id"}}) are told in the account's error: code 190 (and 102) as
// ErrTokenExpired, 4, 17, 32, 613 and 80001–80014 as ErrRateLimited, 10
// and 200–299 as ErrPermission.
//
// Graph API does not say that a post was deleted or edited: the adapters
// are no crawler.Confirmer and no crawler.Historian.
package graph
