package render

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segment is a piece of a post's text: a link when URL is set.
type segment struct {
	Text string
	URL  string
}

// linkify splits plain text into text and links. Only http and https URLs
// with a host become links (safeURL); everything else stays text, for the
// template to escape. It runs in time linear in the text.
func linkify(s string) []segment {
	var out []segment
	plain := 0 // start of the text not yet emitted
	for i := 0; i < len(s); {
		j := schemeAt(s, i)
		if j == 0 {
			i++
			continue
		}
		end := urlEnd(s, i+j)
		if end == i+j { // a scheme and nothing after it
			i += j
			continue
		}
		raw := s[i:end]
		if u := safeURL(raw); u != "" {
			if plain < i {
				out = append(out, segment{Text: s[plain:i]})
			}
			out = append(out, segment{Text: raw, URL: u})
			plain = end
		}
		i = end
	}
	if plain < len(s) {
		out = append(out, segment{Text: s[plain:]})
	}
	return out
}

// schemeAt returns the length of "http://" or "https://" (any case) at s[i:],
// or 0, when it does not follow a letter or digit (so "xhttp://" is text).
func schemeAt(s string, i int) int {
	if s[i] != 'h' && s[i] != 'H' {
		return 0
	}
	if i > 0 && isWordByte(s[i-1]) {
		return 0
	}
	for _, p := range []string{"https://", "http://"} {
		if len(s)-i >= len(p) && strings.EqualFold(s[i:i+len(p)], p) {
			return len(p)
		}
	}
	return 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// urlEnd returns where a URL that continues at s[i:] ends: at a space, a
// control or format character, a quote or angle bracket; trailing
// punctuation is left out, and so is a closing parenthesis the URL does not
// open.
func urlEnd(s string, i int) int {
	end := i
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if r == utf8.RuneError || r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '`' ||
			isSpaceOrFormat(r) {
			break
		}
		end += n
	}
	for end > i {
		c := s[end-1]
		switch {
		case strings.IndexByte(".,;:!?'*", c) >= 0:
			end--
			continue
		case c == ')' && strings.Count(s[i:end], "(") < strings.Count(s[i:end], ")"):
			end--
			continue
		}
		break
	}
	return end
}

// isSpaceOrFormat reports the runes no URL holds: Unicode spaces, and the
// invisible format characters (bidirectional controls, zero-width ones)
// that would make a link read as something else.
func isSpaceOrFormat(r rune) bool {
	switch {
	case r == 0x85, r == 0xa0, r == 0x1680, r >= 0x2000 && r <= 0x200f, r >= 0x2028 && r <= 0x202f,
		r >= 0x205f && r <= 0x206f, r == 0x3000, r == 0xfeff, r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}

// safeURL returns s when it is an absolute http or https URL with a host
// and no user information, and "" otherwise: the only URLs a rendering
// links to.
func safeURL(s string) string {
	if s == "" || len(s) > 8192 || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || isSpaceOrFormat(r) }) {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return ""
	}
	if strings.ContainsFunc(u.Host, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-._:[]", r)
	}) {
		return ""
	}
	out := u.String()
	if _, err := url.Parse(out); err != nil {
		return ""
	}
	return out
}

// safeRelative returns p when it is a relative path of plain names
// (letters, digits, '.', '_', '-' and '/'), with no ".." element and no
// leading '/': a file of the package beside the page. Anything else is "".
func safeRelative(p string) string {
	if p == "" || p[0] == '/' || len(p) > 1024 {
		return ""
	}
	for _, c := range []byte(p) {
		if !isWordByte(c) && c != '.' && c != '_' && c != '-' && c != '/' {
			return ""
		}
	}
	for _, el := range strings.Split(p, "/") {
		if el == "" || el == "." || el == ".." {
			return ""
		}
	}
	return p
}
