package xapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/credential"
	"github.com/vigia-mx/vigia/directory"
)

// Errors List reports; match them with errors.Is.
var (
	ErrTokenRefused  = errors.New("the office's bearer token was refused")
	ErrForbidden     = errors.New("the office's X app may not read this")
	ErrRateLimited   = errors.New("the X API rate limit is reached")
	ErrNotFound      = errors.New("account not found")
	ErrNotAuthorized = errors.New("the crawl's fetcher cannot send a token")
	ErrMalformed     = errors.New("malformed X API answer")
)

const (
	// DefaultBase is api.x.com; an account's endpoint: replaces it.
	DefaultBase = "https://api.x.com"
	accept      = "application/json"
	// TweetFields, Expansions, MediaFields and UserFields are what the
	// timeline is asked for.
	TweetFields = "created_at,edit_history_tweet_ids,entities,attachments,referenced_tweets,note_tweet,public_metrics,lang,author_id"
	Expansions  = "attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id"
	MediaFields = "media_key,type,url,preview_image_url,alt_text"
	UserFields  = "id,name,username"
	pageSize    = "100"
)

// Adapter lists an X account's posts through the X API v2 user timeline.
// The zero value is ready.
type Adapter struct {
	// Token returns the office's bearer token for an account; nil reads
	// it with credential.Token.
	Token func(*directory.Account) (string, error)
	// Sleep waits d or until ctx ends; Now is the clock the rate-limit
	// reset is read against. nil for the real ones.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
	// MaxWait is the longest the adapter waits for an exhausted window to
	// reset before its next page; past it the listing stops with
	// ErrRateLimited (what was listed is kept). 0 for 2 minutes.
	MaxWait time.Duration
}

// New returns an X API v2 adapter.
func New() *Adapter { return &Adapter{} }

var _ crawler.Adapter = (*Adapter)(nil)

// List looks the account's username up (GET /2/users/by/username/:name),
// then pages through GET /2/users/:id/tweets, newest first, following
// meta.next_token.
func (a *Adapter) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	af, ok := f.(crawler.AuthorizedFetcher)
	if !ok {
		return ErrNotAuthorized
	}
	if acct.Capture != directory.CaptureAPI {
		return fmt.Errorf("account %q is captured with %q: the X API is read only for capture: api", acct.ID, acct.Capture)
	}
	u, err := credential.Endpoint(acct, DefaultBase, "api.twitter.com")
	if err != nil {
		return err
	}
	base := strings.TrimRight(u.String(), "/")
	token, err := a.token(acct)
	if err != nil {
		return err
	}
	auth := "Bearer " + token
	handle := strings.TrimPrefix(acct.Handle, "@")

	lookup := base + "/2/users/by/username/" + url.PathEscape(handle) + "?" + url.Values{"user.fields": {UserFields}}.Encode()
	resp, err := af.GetAuthorized(ctx, lookup, accept, auth)
	if err != nil {
		return refused(fmt.Sprintf("look up account %q at %s", handle, lookup), err)
	}
	var user struct {
		Data struct {
			ID       string `json:"id"`
			Username string `json:"username"`
		} `json:"data"`
		Errors []problem `json:"errors"`
	}
	if err := json.Unmarshal(resp.Body, &user); err != nil {
		return fmt.Errorf("%w from %s: %v", ErrMalformed, lookup, err)
	}
	if user.Data.ID == "" {
		if len(user.Errors) > 0 {
			return fmt.Errorf("look up account %q at %s: %w (%s)", handle, lookup, ErrNotFound, user.Errors[0])
		}
		return fmt.Errorf("%w from %s: no user id", ErrMalformed, lookup)
	}

	q := url.Values{"max_results": {pageSize}, "tweet.fields": {TweetFields}, "expansions": {Expansions}, "media.fields": {MediaFields}, "user.fields": {UserFields}}
	first := base + "/2/users/" + url.PathEscape(user.Data.ID) + "/tweets"
	next := first + "?" + q.Encode()
	for seen := map[string]bool{}; next != ""; {
		resp, err := af.GetAuthorized(ctx, next, accept, auth)
		if err != nil {
			return refused(fmt.Sprintf("list posts of %q at %s", handle, next), err)
		}
		tl, posts, err := ParseTimeline(resp.Body, user.Data.Username)
		if err != nil {
			return fmt.Errorf("parse posts from %s: %w", next, err)
		}
		if len(posts) == 0 {
			return nil
		}
		if !yield(crawler.Page{URL: next, Posts: posts}) {
			return nil
		}
		token := tl.Meta.NextToken
		if token == "" || seen[token] {
			return nil // the end, or a server handing out the same token again
		}
		seen[token] = true
		if err := a.pace(ctx, resp.Header, acct.ID); err != nil {
			return err
		}
		q.Set("pagination_token", token)
		next = first + "?" + q.Encode()
	}
	return nil
}

func (a *Adapter) token(acct *directory.Account) (string, error) {
	if a.Token != nil {
		return a.Token(acct)
	}
	return credential.Token(acct, os.Getenv)
}

// pace waits for the rate-limit window to reset when the last response
// says none is left (x-rate-limit-remaining: 0), until x-rate-limit-reset
// (Unix seconds); an error when that is further than MaxWait.
func (a *Adapter) pace(ctx context.Context, h http.Header, id string) error {
	if strings.TrimSpace(h.Get("x-rate-limit-remaining")) != "0" {
		return nil
	}
	now := time.Now()
	if a.Now != nil {
		now = a.Now()
	}
	reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("x-rate-limit-reset")), 10, 64)
	wait := time.Minute // a window of unknown end: a minute, then ask
	if err == nil {
		wait = max(time.Unix(reset, 0).Sub(now), 0) + time.Second
	}
	maxWait := a.MaxWait
	if maxWait <= 0 {
		maxWait = 2 * time.Minute
	}
	if wait > maxWait {
		return fmt.Errorf("%w for %q (x-rate-limit-remaining: 0; the window resets at %s, in %s, more than the %s a crawl waits); the next crawl goes on", ErrRateLimited, id, time.Unix(reset, 0).UTC().Format(time.RFC3339), wait.Round(time.Second), maxWait)
	}
	if a.Sleep != nil {
		return a.Sleep(ctx, wait)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// problem is an X API v2 error object (RFC 7807 problem details).
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Status int    `json:"status"`
}

func (p problem) String() string {
	switch {
	case p.Detail != "" && p.Title != "" && p.Detail != p.Title:
		return p.Title + ": " + p.Detail
	case p.Detail != "":
		return p.Detail
	}
	return p.Title
}

// refused says in plain words why a request failed.
func refused(what string, err error) error {
	var se *crawler.StatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var p problem
	said := ""
	if json.Unmarshal(se.Body, &p) == nil {
		said = p.String()
	}
	var reason error
	switch se.Status {
	case http.StatusUnauthorized:
		reason = ErrTokenRefused
	case http.StatusForbidden:
		reason = ErrForbidden
	case http.StatusNotFound:
		reason = ErrNotFound
	case http.StatusTooManyRequests:
		reason = ErrRateLimited
	default:
		if said != "" {
			return fmt.Errorf("%s: %w: %s", what, err, said)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	msg := fmt.Sprintf("%s: %v (%d)", what, reason, se.Status)
	if said != "" {
		msg = fmt.Sprintf("%s: %v (%d: %s)", what, reason, se.Status, said)
	}
	if errors.Is(err, crawler.ErrWaitTooLong) {
		msg += "; " + strings.TrimPrefix(err.Error(), se.Error()+"; ")
	}
	return &crawler.RefusedError{Msg: msg, Reason: reason, Status: se}
}
