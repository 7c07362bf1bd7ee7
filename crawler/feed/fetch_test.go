package feed_test

import (
	"errors"
	"testing"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/feed"
)

func TestFetchErrorMessage(t *testing.T) {
	const u = "https://ejemplo.gob.mx/rss.xml"
	tests := []struct {
		name string
		err  *feed.FetchError
		want string
	}{
		{"status", &feed.FetchError{URL: u, Err: &crawler.StatusError{URL: u, Status: 404}},
			"fetch feed " + u + ": 404 Not Found"},
		{"status with a note", &feed.FetchError{URL: u, Err: &crawler.StatusError{URL: u, Status: 500}, Note: "retried next crawl"},
			"fetch feed " + u + ": 500 Internal Server Error (retried next crawl)"},
		{"error naming the URL", &feed.FetchError{URL: u, Err: errors.New("GET " + u + ": connection refused")},
			"fetch feed: GET " + u + ": connection refused"},
		{"other error", &feed.FetchError{URL: u, Err: errors.New("robots.txt disallows it")},
			"fetch feed " + u + ": robots.txt disallows it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.err.Error(), tt.want; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if got, want := errors.Unwrap(tt.err), tt.err.Err; got != want {
				t.Errorf("unwrap %v, want %v", got, want)
			}
		})
	}
}
