package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/vigia-mx/vigia/crawler"
)

// Accept is the Accept header of every feed request.
const Accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"

// Fetch gets a feed with the feed Accept header. A failure is a *FetchError.
func Fetch(ctx context.Context, f crawler.Fetcher, url string) ([]byte, error) {
	resp, err := f.Get(ctx, url, Accept)
	if err != nil {
		return nil, &FetchError{URL: url, Err: err}
	}
	return resp.Body, nil
}

// FetchError is a feed that could not be fetched.
type FetchError struct {
	URL  string
	Err  error  // the Fetcher's; a *crawler.StatusError for a status other than 2xx
	Note string // said after the error, in parentheses: what the failure means
}

func (e *FetchError) Error() string {
	var msg string
	var se *crawler.StatusError
	switch {
	case errors.As(e.Err, &se):
		msg = fmt.Sprintf("fetch feed %s: %d %s", e.URL, se.Status, http.StatusText(se.Status))
	case strings.Contains(e.Err.Error(), e.URL):
		msg = "fetch feed: " + e.Err.Error() // the client's errors name the URL already
	default:
		msg = fmt.Sprintf("fetch feed %s: %v", e.URL, e.Err)
	}
	if e.Note != "" {
		msg += " (" + e.Note + ")"
	}
	return msg
}

func (e *FetchError) Unwrap() error { return e.Err }
