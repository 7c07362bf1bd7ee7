package crawler

import (
	"strings"
	"testing"
)

func TestRedactHead(t *testing.T) {
	head := "GET /v23.0/1/published_posts?access_token=EAAGsecret&limit=3 HTTP/1.1\r\nHost: graph.facebook.com\r\nauthorization: Bearer EAAGsecret\r\nAccept: application/json\r\n\r\n"
	got := string(redactHead([]byte(head)))
	want := "GET /v23.0/1/published_posts?access_token=" + Redacted + "&limit=3 HTTP/1.1\r\nHost: graph.facebook.com\r\nauthorization: " + Redacted + "\r\nAccept: application/json\r\n\r\n"
	if got != want {
		t.Errorf("redactHead:\n got  %q\n want %q", got, want)
	}
	if plain := "GET / HTTP/1.1\r\nHost: a\r\n\r\n"; string(redactHead([]byte(plain))) != plain {
		t.Error("a head without credentials changed")
	}
	if u := RedactURL("https://graph.facebook.com/v23.0/me?access_token=EAAGsecret&fields=id"); strings.Contains(u, "EAAG") {
		t.Errorf("RedactURL kept the token: %s", u)
	}
}
