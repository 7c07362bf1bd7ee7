// Package render shows one captured post version as a person reads it: the
// author and handle, the network, the date and time in the office's time
// zone, the text with its links, the images the crawler kept, the link
// card, and the post it carries (a repost, a quote, a forward) in a block
// marked as someone else's words, with a footer that says where and when
// vigia captured it and the version's SHA-256.
//
// Everything in a post comes from the network, so everything is text to
// the page: html/template escapes it in its context, only http and https
// URLs become links or image sources, text is isolated from its
// surroundings (bdi, dir="auto") so that a right-to-left override in an
// author name cannot reorder the footer, and no part of a post reaches a
// style attribute, a script or an event handler.
//
// Page is a standalone HTML document (inline CSS, no scripts, no external
// fonts) for access packages and WACZ pages; Fragment is the same rendering
// for a page of the web application, styled by CSS (served from the
// application's own origin).
package render
