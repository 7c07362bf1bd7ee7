package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

// DefaultBase is where channel previews are served when an account sets no
// endpoint.
const DefaultBase = "https://t.me"

// Errors the adapter reports; match them with errors.Is.
var (
	ErrNoPreview      = errors.New("channel has no public preview")
	ErrNotChannelPage = errors.New("not a Telegram channel page")
)

// Adapter lists public channels through their web preview.
type Adapter struct{}

var _ crawler.Adapter = (*Adapter)(nil)

// New returns a Telegram adapter.
func New() *Adapter { return &Adapter{} }

// List fetches the channel's preview pages, newest first, and hands each to
// yield until yield returns false or the channel's first message is reached.
func (a *Adapter) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	channel := strings.TrimPrefix(strings.TrimSpace(acct.Handle), "@")
	if channel == "" {
		return fmt.Errorf("list account %q: no channel name", acct.ID)
	}
	base := DefaultBase
	if acct.Endpoint != "" {
		base = strings.TrimRight(acct.Endpoint, "/")
	}
	b, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("list channel %q: parse endpoint %q: %w", channel, base, err)
	}
	listing := base + "/s/" + url.PathEscape(channel)
	previewPrefix := strings.TrimRight(b.Path, "/") + "/s/"

	pageURL, cursor := listing, ""
	for {
		resp, err := f.Get(ctx, pageURL, "text/html")
		if err != nil {
			return err // the fetcher's errors name the URL
		}
		final, err := url.Parse(resp.URL)
		if err != nil || !strings.HasPrefix(final.Path, previewPrefix) {
			return fmt.Errorf("get %s: redirected to %s: %w", pageURL, resp.URL, ErrNoPreview)
		}
		posts, before, err := ParsePage(resp.Body, base)
		if err != nil {
			return fmt.Errorf("parse %s: %w", resp.URL, err)
		}
		if before != "" && cursor != "" && !olderThan(before, cursor) {
			return fmt.Errorf("parse %s: older-page cursor %q does not go back from %q", resp.URL, before, cursor)
		}
		if !yield(crawler.Page{URL: resp.URL, Posts: posts}) || before == "" {
			return nil
		}
		cursor = before
		pageURL = listing + "?before=" + before
	}
}

// olderThan reports whether message number a comes before b; both are
// decimal strings, as ParsePage returns them.
func olderThan(a, b string) bool {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	return errA == nil && errB == nil && x < y
}
