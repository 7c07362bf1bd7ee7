package rss

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

var _ crawler.URLConfirmer = (*Adapter)(nil)

// ConfirmsByURL marks the adapter as one that asks about a post by its own
// page: a feed holds its latest items only, so the loop asks about the
// items a feed no longer shows only in a deep sweep.
func (*Adapter) ConfirmsByURL() {}

// pageAccept is the Accept header of a request for an item's page.
const pageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"

// maxServerErrors is how many item pages in a row may answer 5xx before
// the site is taken to be down and nothing is decided.
const maxServerErrors = 5

// Gone asks for each item's own page (its link, as archived; the loop's
// Fetcher gives it): 404 Not Found or 410 Gone means the item was taken
// down. A page that answers, even through a redirect, is still there; any
// other status (403, 429, 5xx) tells nothing, and the item is left out. An
// item with no http(s) link is left out. A request that gets no answer at
// all, or several 5xx in a row, means the site cannot be asked now: an
// error, and nothing is decided.
func (a *Adapter) Gone(ctx context.Context, f crawler.Fetcher, acct *directory.Account, ids []string) (map[string]string, error) {
	urls, _ := f.(crawler.PostURLs)
	gone := map[string]string{}
	serverErrors := 0
	for _, id := range ids {
		link := ""
		if urls != nil {
			link = urls.PostURL(id)
		}
		if link == "" {
			link = id // a guid that is a permalink
		}
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		_, err := f.Get(ctx, link, pageAccept)
		var se *crawler.StatusError
		switch {
		case err == nil:
			serverErrors = 0
		case errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status == http.StatusGone):
			serverErrors = 0
			gone[id] = fmt.Sprintf("GET %s answered %d %s", link, se.Status, http.StatusText(se.Status))
		case errors.As(err, &se) && se.Status >= 500:
			if serverErrors++; serverErrors >= maxServerErrors {
				return nil, fmt.Errorf("confirm items of feed %s: %d item pages in a row answered 5xx, the last %w", acct.Handle, serverErrors, err)
			}
		case errors.As(err, &se): // 401, 403, 429…: tells nothing about the item
		default:
			return nil, fmt.Errorf("confirm item %s of feed %s: %w", id, acct.Handle, err)
		}
	}
	return gone, nil
}
