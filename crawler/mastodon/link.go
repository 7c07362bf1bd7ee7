package mastodon

import (
	"net/url"
	"strings"
)

// NextLink returns the target of the rel="next" link in the values of a
// Link header (RFC 8288), resolved against page, the URL that was fetched;
// "" when there is none. Malformed link-values are skipped.
func NextLink(values []string, page string) string {
	for _, v := range values {
		for v != "" {
			var target, rel string
			var ok bool
			target, rel, v, ok = linkValue(v)
			if !ok {
				break
			}
			for _, r := range strings.Fields(rel) {
				if strings.EqualFold(r, "next") {
					if next := resolve(page, target); next != "" {
						return next
					}
				}
			}
		}
	}
	return ""
}

// linkValue reads one link-value, `<target>; param=value; rel="next"`, and
// returns its target, its first rel parameter and what follows it.
func linkValue(s string) (target, rel, rest string, ok bool) {
	s = strings.TrimLeft(s, " \t,")
	if s == "" || s[0] != '<' {
		return "", "", "", false
	}
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return "", "", "", false
	}
	target, s = s[1:end], s[end+1:]
	relSeen := false
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" || s[0] == ',' {
			return target, rel, s, true
		}
		if s[0] != ';' {
			return "", "", "", false
		}
		var name, value string
		name, value, s = param(s[1:])
		if strings.EqualFold(name, "rel") && !relSeen { // later rel params are ignored (RFC 8288 §3.3)
			rel, relSeen = value, true
		}
	}
}

// param reads `name=value` or `name="quoted value"` up to the next ';' or
// ',' outside quotes.
func param(s string) (name, value, rest string) {
	i := strings.IndexAny(s, "=;,")
	if i < 0 {
		return strings.TrimSpace(s), "", ""
	}
	name, s = strings.TrimSpace(s[:i]), s[i:]
	if s[0] != '=' {
		return name, "", s
	}
	s = strings.TrimLeft(s[1:], " \t")
	if s == "" || s[0] != '"' {
		j := strings.IndexAny(s, ";,")
		if j < 0 {
			return name, strings.TrimSpace(s), ""
		}
		return name, strings.TrimSpace(s[:j]), s[j:]
	}
	var b strings.Builder
	for j := 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '\\' && j+1 < len(s):
			j++
			b.WriteByte(s[j])
		case c == '"':
			return name, b.String(), s[j+1:]
		default:
			b.WriteByte(c)
		}
	}
	return name, b.String(), "" // unterminated quote: take the rest
}

// resolve returns target as an absolute http(s) URL, relative to page.
func resolve(page, target string) string {
	ref, err := url.Parse(strings.TrimSpace(target))
	if err != nil {
		return ""
	}
	if base, err := url.Parse(page); err == nil {
		ref = base.ResolveReference(ref)
	}
	if (ref.Scheme != "http" && ref.Scheme != "https") || ref.Host == "" {
		return ""
	}
	return ref.String()
}
