package samplenet

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// newTestServer serves a fresh sample with httptest.
func newTestServer(t testing.TB) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// get fetches a URL without following redirects.
func get(t testing.TB, rawURL string) response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(rawURL)
	if err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", rawURL, err)
	}
	return response{resp.StatusCode, resp.Header, body}
}

// getOK fetches a URL and fails the test unless it answers 200.
func getOK(t testing.TB, rawURL string) response {
	t.Helper()
	r := get(t, rawURL)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %.200s", rawURL, r.status, r.body)
	}
	return r
}

// publicHosts are the hosts URLs in the sample's bodies may name.
var publicHosts = map[string]bool{
	"social.guadalajara.example": true, "cdn.bsky.app": true, "t.me": true, "cdn4.telegram-cdn.org": true,
	"www.youtube.com": true, "i1.ytimg.com": true, "guadalajara.example": true, "cultura-gdl.example": true,
}

// onServer maps a public https URL from a response body to the test server,
// which answers the same path: how a client fetches the sample's media.
func onServer(t testing.TB, ts *httptest.Server, public string) string {
	t.Helper()
	u, err := url.Parse(public)
	if err != nil || u.Scheme != "https" || !publicHosts[u.Host] {
		t.Fatalf("URL %q: want https on one of the sample's public hosts", public)
	}
	return ts.URL + u.RequestURI()
}

// HTML helpers over golang.org/x/net/html.

func parseHTML(t testing.TB, body []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// findAll returns the elements under n with the class, in document order.
func findAll(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && hasClass(n, class) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func find(n *html.Node, class string) *html.Node {
	if all := findAll(n, class); len(all) > 0 {
		return all[0]
	}
	return nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "br":
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
