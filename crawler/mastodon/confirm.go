package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

var _ crawler.Confirmer = (*Adapter)(nil)

// Gone asks the instance for each status (GET /api/v1/statuses/:id): 404 or
// 410 means it is no longer published (deleted, or no longer public, which
// for the public record is the same). A status that answers is still there.
func (a *Adapter) Gone(ctx context.Context, f crawler.Fetcher, acct *directory.Account, ids []string) (map[string]string, error) {
	_, _, base, err := instance(acct)
	if err != nil {
		return nil, err
	}
	gone := map[string]string{}
	for _, id := range ids {
		u := base + "/api/v1/statuses/" + url.PathEscape(id)
		_, err := f.Get(ctx, u, accept)
		var se *crawler.StatusError
		switch {
		case err == nil:
		case errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status == http.StatusGone):
			gone[id] = fmt.Sprintf("GET %s answered %d %s", u, se.Status, http.StatusText(se.Status))
		default:
			return nil, fmt.Errorf("confirm status %s: %w", id, err)
		}
	}
	return gone, nil
}

var _ crawler.Historian = (*Adapter)(nil)

// History fetches a status's edit history (GET /api/v1/statuses/:id/history),
// which the instance keeps whole: every version, the original first.
func (a *Adapter) History(ctx context.Context, f crawler.Fetcher, acct *directory.Account, id string) (string, error) {
	_, _, base, err := instance(acct)
	if err != nil {
		return "", err
	}
	u := base + "/api/v1/statuses/" + url.PathEscape(id) + "/history"
	resp, err := f.Get(ctx, u, accept)
	if err != nil {
		return "", refused("get edit history at "+u, err)
	}
	var versions []json.RawMessage
	if err := json.Unmarshal(resp.Body, &versions); err != nil {
		return "", fmt.Errorf("parse edit history from %s: %w", resp.URL, err)
	}
	return fmt.Sprintf("edit history of %d versions kept from %s", len(versions), resp.URL), nil
}
