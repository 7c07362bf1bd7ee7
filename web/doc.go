// Package web is vigia's application for archivists and transparency
// officers: server-rendered pages in Spanish (html/template, no JavaScript
// needed) and a JSON API under /api/v1/ with the same capabilities.
//
// Access is denied by default: every route is registered with the
// capability it needs (need), checked before its handler runs, and the
// handlers that read posts restrict the query to what the user's role may
// see (restrict) rather than filtering results afterwards. A public user
// sees only function-related posts (public information), of each only the
// versions decided function, every text masked as a versión pública masks
// it, never a raw capture (public.go); personal content and the review
// queue answer 404 or 403, never with their content. Every
// search, post view, export and decision is written to the audit log before
// the response is sent; when the log cannot be written the request fails.
package web
