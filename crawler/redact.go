package crawler

import (
	"bytes"
	"net/url"
	"strings"
)

// Redacted is what replaces a credential in the evidence and the fetch
// log: the value of an Authorization header, of an access_token query
// parameter.
const Redacted = "REDACTED-BY-VIGIA"

// credentialParams are the query parameters that carry a token: Graph
// API's access_token (its paging links repeat the one a request sent).
var credentialParams = []string{"access_token"}

// RedactURL returns rawURL with the value of each credential query
// parameter replaced by Redacted; rawURL itself when it has none.
func RedactURL(rawURL string) string {
	if !strings.Contains(rawURL, "access_token") {
		return rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return Redacted // a URL we cannot read may hide a token anywhere
	}
	q := u.Query()
	changed := false
	for _, p := range credentialParams {
		if q.Has(p) {
			q.Set(p, Redacted)
			changed = true
		}
	}
	if !changed {
		return rawURL
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// redactHead returns an HTTP/1.x request head with the value of each
// Authorization and Proxy-Authorization header replaced by Redacted and
// the request target's credential parameters redacted (RedactURL). The
// evidence keeps the request as sent but for these values: a WARC file
// travels in access packages, and must never carry the office's token.
func redactHead(head []byte) []byte {
	if !bytes.Contains(head, []byte("uthorization")) && !bytes.Contains(head, []byte("access_token")) {
		return head
	}
	out := make([]byte, 0, len(head))
	for i, rest := 0, head; len(rest) > 0; i++ {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		rest = after
		if found {
			line = append(line, '\n')
		}
		switch {
		case i == 0: // GET /path?query HTTP/1.1
			if parts := strings.SplitN(string(line), " ", 3); len(parts) == 3 {
				line = []byte(parts[0] + " " + RedactURL(parts[1]) + " " + parts[2])
			}
		default:
			name, _, ok := bytes.Cut(line, []byte(":"))
			n := strings.TrimSpace(string(name))
			if ok && (strings.EqualFold(n, "Authorization") || strings.EqualFold(n, "Proxy-Authorization")) {
				eol := "\n"
				if bytes.HasSuffix(line, []byte("\r\n")) {
					eol = "\r\n"
				}
				line = []byte(string(name) + ": " + Redacted + eol)
			}
		}
		out = append(out, line...)
	}
	return out
}
