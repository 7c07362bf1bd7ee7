// Package htmltext turns the HTML that networks serve for a post (Mastodon
// content, Telegram message bodies, feed descriptions) into the plain text
// that is archived, searched and classified.
package htmltext

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plain returns the text of an HTML fragment: tags dropped, entities decoded
// once, <br> as a line break, paragraphs and block elements separated by a
// blank line, runs of spaces collapsed. Link text is kept as written,
// including the parts Mastodon hides with CSS, so shortened links read in
// full. Comments, scripts and styles are dropped with their content.
//
// It is a single pass over the fragment, written for the sanitised HTML
// networks serve; a '<' that does not open a tag is text, as in HTML.
func Plain(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return collapse(fragment)
	}
	var b strings.Builder
	b.Grow(len(fragment))
	skipping := "" // the element whose content is being dropped: script or style
	for i := 0; i < len(fragment); {
		if fragment[i] != '<' || !opensMarkup(fragment, i) {
			j := i + 1 + strings.IndexByte(fragment[i+1:], '<')
			if j <= i {
				j = len(fragment)
			}
			if skipping == "" {
				b.WriteString(html.UnescapeString(fragment[i:j]))
			}
			i = j
			continue
		}
		if strings.HasPrefix(fragment[i:], "<!--") {
			end := strings.Index(fragment[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := tagEnd(fragment, i+1)
		name, closing := tagName(fragment[i+1 : end])
		i = end + 1
		if skipping != "" {
			if closing && name == skipping {
				skipping = ""
			}
			continue
		}
		switch name {
		case "br":
			b.WriteByte('\n')
		case "script", "style":
			if !closing {
				skipping = name
			}
		case "p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr":
			b.WriteString("\n\n")
		}
	}
	return collapse(b.String())
}

// opensMarkup reports whether the '<' at s[i] starts a tag, an end tag, a
// comment or a declaration.
func opensMarkup(s string, i int) bool {
	if i+1 >= len(s) {
		return false
	}
	c := s[i+1]
	return c == '/' || c == '!' || c == '?' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// tagEnd returns the index of the '>' closing the tag whose name starts at
// i, skipping quoted attribute values; len(s) when there is none.
func tagEnd(s string, i int) int {
	var quote byte
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return len(s)
}

// tagName returns the lower-case name of a tag's inside ("a href=…",
// "/p", "br/") and whether it is an end tag.
func tagName(inside string) (name string, closing bool) {
	if strings.HasPrefix(inside, "/") {
		closing, inside = true, inside[1:]
	}
	n := 0
	for n < len(inside) {
		c := inside[n]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' {
			break
		}
		n++
	}
	return strings.ToLower(inside[:n]), closing
}

// collapse trims each line, collapses runs of spaces (no-break spaces
// included), and keeps at most one blank line between paragraphs.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	newlines, space := 0, false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\n':
			newlines++
			space = false
		case unicode.IsSpace(r):
			space = newlines == 0
		default:
			if b.Len() > 0 {
				switch {
				case newlines >= 2:
					b.WriteString("\n\n")
				case newlines == 1:
					b.WriteByte('\n')
				case space:
					b.WriteByte(' ')
				}
			}
			newlines, space = 0, false
			b.WriteString(s[i-size : i]) // as written, invalid bytes included
		}
	}
	return b.String()
}
