package main

import (
	"fmt"
	"io"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// Someone else's post a version carries (archive.Shared), as the terminal
// shows it: marked as another account's words, never run into the
// account's own text.

// sharedAuthor names the author of a shared post as well as it is known.
func sharedAuthor(sh *archive.Shared) string {
	switch {
	case sh.AuthorName != "" && sh.Author != "":
		return sh.AuthorName + " (" + sh.Author + ")"
	case sh.Author != "":
		return sh.Author
	case sh.AuthorName != "":
		return sh.AuthorName
	}
	return "an unnamed account"
}

// rowText is a post's text for a one-line table: its own text, and what
// it shares marked as such; a repost without text of its own shows the
// reposted text first (the row is cut at its width), or its link when none
// was kept.
func rowText(p *archive.Post) string {
	sh := p.Shared
	switch {
	case sh == nil && p.Text == "" && p.RepostOf != "":
		return "↻ " + p.RepostOf
	case sh == nil:
		return p.Text
	case sh.Kind == archive.Forward:
		return "[forwarded from " + sharedAuthor(sh) + "] " + p.Text
	case sh.Kind == archive.Quote:
		return p.Text + " [quoting " + sharedAuthor(sh) + ": " + sh.Text + "]"
	}
	text := sh.Text
	if text == "" {
		text = sh.URL
	}
	return "↻ " + text + " [repost of " + sharedAuthor(sh) + "]"
}

// writeShared writes, for vigia show, the post a version carries.
func writeShared(p printer, w io.Writer, sh *archive.Shared, loc *time.Location) {
	if sh == nil {
		return
	}
	var what string
	switch sh.Kind {
	case archive.Repost:
		what = p.text("repost of")
	case archive.Quote:
		what = p.text("quoting")
	case archive.Forward:
		what = p.text("forwarded from")
	default:
		what = string(sh.Kind) + " of"
	}
	fmt.Fprintf(w, "  %s %s", what, sharedAuthor(sh))
	if !sh.PublishedAt.IsZero() {
		p.Fprintf(w, ", published %s", when(sh.PublishedAt, loc))
	}
	if sh.URL != "" {
		fmt.Fprintf(w, ", %s", sh.URL)
	}
	fmt.Fprintln(w)
	if sh.Kind == archive.Forward {
		p.Fprintf(w, "  (the text below is the forwarded message's: another account wrote it)\n")
		return
	}
	if sh.Text != "" {
		p.Fprintf(w, "  their words:\n")
		fmt.Fprintln(w, "  "+indent(sh.Text))
	}
	for _, m := range sh.Media {
		p.Fprintf(w, "    their %s %s %s\n", m.Kind, m.URL, m.Alt)
	}
}
