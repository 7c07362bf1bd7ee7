package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

// ErrAccountNotFound is reported, with errors.Is, when the AppView knows no
// such actor. The error's chain also holds the *crawler.StatusError.
var ErrAccountNotFound = errors.New("account not found")

const (
	// DefaultEndpoint is the public, cached AppView.
	DefaultEndpoint = "https://public.api.bsky.app"
	pageSize        = 100 // the most getAuthorFeed gives per page
	accept          = "application/json"
)

// Adapter lists Bluesky posts. The zero value is ready to use.
type Adapter struct{}

// New returns a Bluesky adapter.
func New() *Adapter { return &Adapter{} }

var _ crawler.Adapter = (*Adapter)(nil)

// List pages through an account's author feed, newest first. It stops when
// yield returns false, when the AppView gives no cursor or an empty page,
// or at the first error. Empty pages are not yielded.
func (a *Adapter) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	if acct.Handle == "" {
		return errors.New("list posts: the account has no handle")
	}
	base := strings.TrimRight(acct.Endpoint, "/")
	if base == "" {
		base = DefaultEndpoint
	}
	cursor := ""
	for {
		feed := feedURL(base, acct.Handle, cursor)
		resp, err := f.Get(ctx, feed, accept)
		if err != nil {
			return refused(fmt.Sprintf("list posts of %q at %s", acct.Handle, feed), err)
		}
		page := resp.URL
		if page == "" {
			page = feed
		}
		posts, next, err := ParseAuthorFeed(resp.Body)
		if err != nil {
			return fmt.Errorf("parse author feed from %s: %w", page, err)
		}
		if len(posts) == 0 {
			return nil
		}
		if !yield(crawler.Page{URL: page, Posts: posts}) {
			return nil
		}
		if next == "" || next == cursor {
			return nil
		}
		cursor = next
	}
}

// feedURL returns the getAuthorFeed request for one page.
func feedURL(base, actor, cursor string) string {
	u := fmt.Sprintf("%s/xrpc/app.bsky.feed.getAuthorFeed?actor=%s&limit=%d&filter=posts_with_replies&includePins=false",
		base, url.QueryEscape(actor), pageSize)
	if cursor != "" {
		u += "&cursor=" + url.QueryEscape(cursor)
	}
	return u
}

// refused says in plain words why a request failed: what names the request.
func refused(what string, err error) error {
	var se *crawler.StatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var x struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(se.Body, &x)
	if se.Status == http.StatusBadRequest && strings.EqualFold(x.Message, "Profile not found") {
		msg := fmt.Sprintf("%s: %v (%d: %s)", what, ErrAccountNotFound, se.Status, x.Message)
		return &crawler.RefusedError{Msg: msg, Reason: ErrAccountNotFound, Status: se}
	}
	switch {
	case x.Error != "" && x.Message != "":
		return fmt.Errorf("%s: %w: %s: %s", what, err, x.Error, x.Message)
	case x.Error != "" || x.Message != "":
		return fmt.Errorf("%s: %w: %s", what, err, x.Error+x.Message)
	}
	return fmt.Errorf("%s: %w", what, err)
}
