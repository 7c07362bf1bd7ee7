package samplenet

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadSampleRejects(t *testing.T) {
	body := "subject: Muestra\ntimezone: America/Mexico_City\nmastodon_domain: social.example\n"
	account := func(posts string) string {
		return "id: cuenta\nnetwork: mastodon\ntype: official\narea: Área\nprofile:\n  handle: cuenta\n  name: Cuenta\n  since: 2024-01-01\nposts:\n" + posts
	}
	tests := []struct {
		name, file, want string
	}{
		{"unknown key", account("  - at: 2026-06-01T10:00:00-06:00\n    topic: funcion\n    texto: hola\n"), "field texto not found"},
		{"outside window", account("  - at: 2026-12-01T10:00:00-06:00\n    topic: funcion\n    text: hola\n"), "outside 2026-06-01..2026-11-20"},
		{"bad topic", account("  - at: 2026-06-01T10:00:00-06:00\n    topic: chisme\n    text: hola\n"), `topic "chisme"`},
		{"no text", account("  - at: 2026-06-01T10:00:00-06:00\n    topic: funcion\n"), "text is required"},
		{"edit before post", account("  - at: 2026-06-02T10:00:00-06:00\n    edited: 2026-06-01T10:00:00-06:00\n    topic: funcion\n    text: hola\n"), "want an RFC 3339 time after at"},
		{"dangling reply", account("  - at: 2026-06-01T10:00:00-06:00\n    topic: funcion\n    text: hola\n    reply_to: otra/clave\n"), `reply_to "otra/clave": no post`},
		{"repeated key", account("  - key: a\n    at: 2026-06-01T10:00:00-06:00\n    topic: funcion\n    text: uno\n  - key: a\n    at: 2026-06-02T10:00:00-06:00\n    topic: funcion\n    text: dos\n"), `repeated key "a"`},
	}
	feed := func(site string) string {
		return "id: feed\nnetwork: rss\ntype: official\narea: Área\nprofile:\n  handle: /f/rss.xml\n" + site +
			"  name: Feed\n  since: 2024-01-01\nposts:\n  - key: a\n    at: 2026-06-01T10:00:00-06:00\n    topic: funcion\n    text: hola\n"
	}
	tests = append(tests, []struct{ name, file, want string }{
		{"feed without site", feed(""), "profile.site is required for rss accounts"},
		{"feed site with path", feed("  site: https://example.org/blog\n"), "want https://host, no path"},
		{"feed site on http", feed("  site: http://example.org\n"), "want https://host, no path"},
		{"site outside feeds", strings.Replace(account("  - at: 2026-06-01T10:00:00-06:00\n    topic: funcion\n    text: hola\n"), "  name:", "  site: https://example.org\n  name:", 1), "profile.site is only for rss accounts"},
	}...)
	for _, tt := range tests {
		fsys := fstest.MapFS{
			"content/body.yaml":      {Data: []byte(body)},
			"content/01-cuenta.yaml": {Data: []byte(tt.file)},
		}
		_, err := loadSample(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
	ok := fstest.MapFS{
		"content/body.yaml":      {Data: []byte(body)},
		"content/01-cuenta.yaml": {Data: []byte(account("  - at: 2026-06-01T10:00:00-06:00\n    topic: funcion\n    text: hola\n"))},
	}
	if s, err := loadSample(ok); err != nil || len(s.accounts) != 1 || s.accounts[0].posts[0].id == "" {
		t.Errorf("valid content: %v", err)
	}
}
