package crawler

import (
	"net/http"
	"net/url"
)

// mirrorTransport sends every request to one base URL instead of the host
// it names, keeping the path and query: for a local mirror of the networks
// (vigia demo's sample network, a replay of recorded captures). The evidence
// names the mirror's URL, which is what was fetched.
type mirrorTransport struct {
	base http.RoundTripper
	to   *url.URL
}

func (t *mirrorTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.to.Scheme, t.to.Host, ""
	if t.to.Path != "" && t.to.Path != "/" {
		r.URL.Path = t.to.Path + r.URL.Path
		r.URL.RawPath = ""
	}
	return t.base.RoundTrip(r)
}
