package mastodon

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

// Errors List reports; match them with errors.Is. Their chain also holds
// the *crawler.StatusError of the response.
var (
	ErrAccountNotFound = errors.New("account not found")
	ErrLoginRequired   = errors.New("the instance requires login for its API")
)

const (
	pageSize = 40 // the most Mastodon gives per page
	accept   = "application/json"
)

// Adapter lists Mastodon statuses. The zero value is ready to use.
type Adapter struct{}

// New returns a Mastodon adapter.
func New() *Adapter { return &Adapter{} }

var _ crawler.Adapter = (*Adapter)(nil)

// List pages through an account's statuses, newest first. It stops when
// yield returns false, when the instance gives no next page or an empty
// one, or at the first error. Empty pages are not yielded.
func (a *Adapter) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	user, domain, base, err := instance(acct)
	if err != nil {
		return err
	}
	lookup := lookupURL(base, user, domain)
	resp, err := f.Get(ctx, lookup, accept)
	if err != nil {
		return refused(fmt.Sprintf("look up account %q at %s", acct.Handle, lookup), err)
	}
	id, err := ParseAccountID(resp.Body)
	if err != nil {
		return fmt.Errorf("parse account from %s: %w", lookup, err)
	}

	next := fmt.Sprintf("%s/api/v1/accounts/%s/statuses?limit=%d", base, url.PathEscape(id), pageSize)
	for next != "" {
		resp, err := f.Get(ctx, next, accept)
		if err != nil {
			return refused(fmt.Sprintf("list statuses of %q at %s", acct.Handle, next), err)
		}
		page := resp.URL
		if page == "" {
			page = next
		}
		posts, err := ParseStatuses(resp.Body, domain)
		if err != nil {
			return fmt.Errorf("parse statuses from %s: %w", page, err)
		}
		if len(posts) == 0 {
			return nil
		}
		if !yield(crawler.Page{URL: page, Posts: posts}) {
			return nil
		}
		after := NextLink(resp.Header.Values("Link"), page)
		if after == next || after == page {
			return nil // a server pointing at the page it just served
		}
		next = after
	}
	return nil
}

// instance returns the account's user and domain, and the base URL of the
// instance to ask (its endpoint, or the handle's domain).
func instance(acct *directory.Account) (user, domain, base string, err error) {
	user, domain, err = splitHandle(acct.Handle)
	if err != nil {
		return "", "", "", err
	}
	base = strings.TrimRight(acct.Endpoint, "/")
	if base == "" {
		base = "https://" + domain
	}
	return user, domain, base, nil
}

// splitHandle reads @user@instance: the user and the instance's domain.
func splitHandle(handle string) (user, domain string, err error) {
	user, domain, ok := strings.Cut(strings.TrimPrefix(handle, "@"), "@")
	if !ok || user == "" || domain == "" || strings.ContainsAny(user+domain, "@/?# ") {
		return "", "", fmt.Errorf("parse handle %q: want @user@instance", handle)
	}
	return user, domain, nil
}

// lookupURL asks for the bare user when base is the account's own instance,
// and for user@instance when the endpoint is another host, so that an
// endpoint never resolves to a local namesake.
func lookupURL(base, user, domain string) string {
	acct := user
	if u, err := url.Parse(base); err != nil || !strings.EqualFold(u.Host, domain) {
		acct = user + "@" + domain
	}
	return base + "/api/v1/accounts/lookup?acct=" + url.QueryEscape(acct)
}

// refused says in plain words why a request failed: what names the request.
func refused(what string, err error) error {
	var se *crawler.StatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("%s: %w", what, err)
	}
	said := serverError(se.Body)
	switch se.Status {
	case http.StatusNotFound, http.StatusGone:
		msg := fmt.Sprintf("%s: %v (%d)", what, ErrAccountNotFound, se.Status)
		return &crawler.RefusedError{Msg: msg, Reason: ErrAccountNotFound, Status: se}
	case http.StatusUnauthorized:
		msg := fmt.Sprintf("%s: %v (%d)", what, ErrLoginRequired, se.Status)
		if said != "" {
			msg = fmt.Sprintf("%s: %v (%d: %s)", what, ErrLoginRequired, se.Status, said)
		}
		return &crawler.RefusedError{Msg: msg, Reason: ErrLoginRequired, Status: se}
	}
	if said != "" {
		return fmt.Errorf("%s: %w: %s", what, err, said)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// serverError returns the message of a Mastodon error body, {"error": "…"}.
func serverError(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Error
}
