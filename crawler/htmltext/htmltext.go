// Package htmltext turns the HTML that networks serve for a post (Mastodon
// content, Telegram message bodies, feed descriptions) into the plain text
// that is archived, searched and classified.
package htmltext

import (
	"strings"

	nethtml "golang.org/x/net/html"
)

// Plain returns the text of an HTML fragment: tags dropped, entities decoded,
// <br> as a line break, paragraphs and block elements separated by a blank
// line, runs of spaces collapsed. Link text is kept as written, including
// the parts Mastodon hides with CSS, so shortened links read in full.
// Scripts and styles are dropped with their content.
func Plain(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return collapse(fragment)
	}
	z := nethtml.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return collapse(b.String())
		case nethtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br":
				b.WriteByte('\n')
			case "script", "style":
				skip++
			case "p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr":
				b.WriteString("\n\n")
			}
		case nethtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if skip > 0 {
					skip--
				}
			case "p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr":
				b.WriteString("\n\n")
			}
		}
	}
}

// collapse trims each line, collapses runs of spaces, and keeps at most one
// blank line between paragraphs.
func collapse(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			if len(out) > 0 && !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
