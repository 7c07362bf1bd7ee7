package directory

import (
	"net/url"
	"strings"
	"unicode"
)

// TrimWritten takes away what a spreadsheet or a copy from a browser adds
// around an account as a person wrote it: spaces (also non-breaking ones),
// invisible format characters, the apostrophe Excel needs before a cell that
// begins with @.
func TrimWritten(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) { // zero-width spaces, BOM, direction marks
			return -1
		}
		return r
	}, s)
	s = strings.TrimFunc(s, unicode.IsSpace)
	s = strings.TrimPrefix(s, "'")
	s = strings.TrimPrefix(s, "’")
	return strings.TrimFunc(s, unicode.IsSpace)
}

// ProfileHandle reads an account written @usuario, or as its profile's
// address on one of hosts (with or without https://), whose first path
// segment is the username (@ allowed before it, as tiktok.com/@usuario):
// the username. An address on hosts with no path is returned as written,
// for the handle check to refuse.
func ProfileHandle(s string, hosts ...string) string {
	if path, _, ok := ProfileURL(s, hosts...); ok {
		if len(path) == 0 {
			return s
		}
		s = path[0]
	}
	return strings.TrimPrefix(s, "@")
}

// ProfileURL reads s as the address of a page on one of hosts (compared
// without "www." or "m."), written with or without http(s)://, and returns
// the parts of its path and its query; ok is false when s is not such an
// address.
func ProfileURL(s string, hosts ...string) (path []string, query url.Values, ok bool) {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return nil, nil, false
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(strings.TrimPrefix(host, "www."), "m.")
	known := false
	for _, h := range hosts {
		if host == h {
			known = true
		}
	}
	if !known {
		return nil, nil, false
	}
	for _, p := range strings.Split(u.Path, "/") {
		if p != "" {
			path = append(path, p)
		}
	}
	return path, u.Query(), true
}
