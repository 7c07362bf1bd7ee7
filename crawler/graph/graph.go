package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/credential"
	"github.com/vigia-mx/vigia/directory"
)

// Errors List reports; match them with errors.Is.
var (
	ErrTokenExpired  = errors.New("the office's token was refused: expired or revoked")
	ErrPermission    = errors.New("the office's token lacks a permission")
	ErrRateLimited   = errors.New("the Graph API rate limit is reached")
	ErrWrongAccount  = errors.New("the token is for another account")
	ErrNotFound      = errors.New("account not found")
	ErrNotAuthorized = errors.New("the crawl's fetcher cannot send a token")
	ErrMalformed     = errors.New("malformed Graph API answer")
)

const (
	// DefaultBase is graph.facebook.com; an account's endpoint: replaces it.
	DefaultBase = "https://graph.facebook.com"
	// Version is the Graph API version vigia asks for.
	Version = "v23.0"
	accept  = "application/json"

	// nearLimit is the share (percent) of a rate-limit window used past
	// which the adapter waits SlowDown before its next request.
	nearLimit = 90
)

// Options are what the Graph adapters share; the zero value takes the
// defaults.
type Options struct {
	// Token returns the office's token for an account; nil reads it with
	// credential.Token from the environment or the account's token file.
	Token func(*directory.Account) (string, error)
	// Sleep waits d or until ctx ends; nil sleeps.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxWait is the longest the adapter waits for the API to give access
	// again; past it, the listing stops with ErrRateLimited (what was
	// listed is kept). 0 for 2 minutes.
	MaxWait time.Duration
	// SlowDown is the pause before the next request when a usage header
	// says a limit is near (90 %). 0 for 20 seconds.
	SlowDown time.Duration
}

func (o Options) token(acct *directory.Account) (string, error) {
	if o.Token != nil {
		return o.Token(acct)
	}
	return credential.Token(acct, os.Getenv)
}

func (o Options) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// session is one account's listing: its fetcher, token and base URL.
type session struct {
	opts Options
	f    crawler.AuthorizedFetcher
	acct *directory.Account
	auth string // "Bearer …"
	base *url.URL
}

func newSession(opts Options, f crawler.Fetcher, acct *directory.Account) (*session, error) {
	af, ok := f.(crawler.AuthorizedFetcher)
	if !ok {
		return nil, ErrNotAuthorized
	}
	if acct.Capture != directory.CaptureAPI {
		return nil, fmt.Errorf("account %q is captured with %q: the Graph API is read only for capture: api", acct.ID, acct.Capture)
	}
	u, err := credential.Endpoint(acct, DefaultBase)
	if err != nil {
		return nil, err
	}
	tok, err := opts.token(acct)
	if err != nil {
		return nil, err
	}
	return &session{opts: opts, f: af, acct: acct, auth: "Bearer " + tok, base: u}, nil
}

// url is the URL of a Graph API path (without the version) and query.
func (s *session) url(path string, q url.Values) string {
	u := *s.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + Version + path
	u.RawQuery = q.Encode()
	return u.String()
}

// get asks the Graph API for u with the token, and reads a refusal's error
// object. what names the request in messages.
func (s *session) get(ctx context.Context, what, u string) (*crawler.Response, error) {
	resp, err := s.f.GetAuthorized(ctx, u, accept, s.auth)
	if err != nil {
		return resp, refused(fmt.Sprintf("%s of %q at %s", what, s.acct.Handle, u), err)
	}
	return resp, nil
}

// next returns the paging.next of a page, to be followed with the token:
// "" at the end. A link to another host than the API's is refused, so that
// the token goes nowhere else; an access_token in it is dropped (the token
// goes in the Authorization header).
func (s *session) next(link, page string) (string, error) {
	if link == "" {
		return "", nil
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("%w: paging.next of %s is not a URL", ErrMalformed, page)
	}
	if !strings.EqualFold(u.Host, s.base.Host) {
		return "", fmt.Errorf("%w: paging.next of %s leads to %s, not %s: not followed (the office's token goes to the API's host only)", ErrMalformed, page, u.Host, s.base.Host)
	}
	u.Scheme = s.base.Scheme
	q := u.Query()
	q.Del("access_token")
	u.RawQuery = q.Encode()
	if u.String() == page {
		return "", nil
	}
	return u.String(), nil
}

// apiError is the error object of a refused request.
type apiError struct {
	Message   string `json:"message"`
	Type      string `json:"type"`
	Code      int    `json:"code"`
	Subcode   int    `json:"error_subcode"`
	FBTraceID string `json:"fbtrace_id"`
}

func (e *apiError) String() string {
	s := fmt.Sprintf("Graph API error %d", e.Code)
	if e.Subcode != 0 {
		s += fmt.Sprintf("/%d", e.Subcode)
	}
	if e.Type != "" {
		s += " " + e.Type
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.FBTraceID != "" {
		s += "; fbtrace_id " + e.FBTraceID
	}
	return s
}

func parseError(body []byte) *apiError {
	var v struct {
		Error *apiError `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil || v.Error == nil {
		return nil
	}
	return v.Error
}

// refused says in plain words why a request failed.
func refused(what string, err error) error {
	var se *crawler.StatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("%s: %w", what, err)
	}
	e := parseError(se.Body)
	if e == nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	var reason error
	switch {
	case e.Code == 190 || e.Code == 102:
		reason = ErrTokenExpired
	case e.Code == 4 || e.Code == 17 || e.Code == 32 || e.Code == 613 || (e.Code >= 80001 && e.Code <= 80014):
		reason = ErrRateLimited
	case e.Code == 10 || (e.Code >= 200 && e.Code <= 299):
		reason = ErrPermission
	case e.Code == 100 && e.Subcode == 33, se.Status == http.StatusNotFound:
		reason = ErrNotFound
	default:
		return fmt.Errorf("%s: %w (%s)", what, err, e)
	}
	return &crawler.RefusedError{Msg: fmt.Sprintf("%s: %v (%d: %s)", what, reason, se.Status, e), Reason: reason, Status: se}
}

// usage is the most of any rate-limit window a response's headers say is
// used (percent), what says so, and how long until access is regained.
type usage struct {
	percent int
	what    string
	regain  time.Duration
}

// readUsage reads X-App-Usage ({"call_count":28,"total_time":25,
// "total_cputime":25}) and X-Business-Use-Case-Usage ({"ID":[{"type":
// "pages","call_count":100,…,"estimated_time_to_regain_access":19}]},
// minutes). A header it cannot read is ignored.
func readUsage(h http.Header) usage {
	var u usage
	take := func(header, kind string, m map[string]json.Number) {
		for _, k := range []string{"call_count", "total_time", "total_cputime"} {
			n, err := m[k].Int64()
			if err == nil && int(n) > u.percent {
				u.percent, u.what = int(n), fmt.Sprintf("%s %s%s %d%%", header, kind, k, n)
			}
		}
		if n, err := m["estimated_time_to_regain_access"].Int64(); err == nil && time.Duration(n)*time.Minute > u.regain {
			u.regain = time.Duration(n) * time.Minute
		}
	}
	if v := h.Get("X-App-Usage"); v != "" {
		var m map[string]json.Number
		if json.Unmarshal([]byte(v), &m) == nil {
			take("X-App-Usage", "", m)
		}
	}
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" {
		var m map[string][]map[string]json.RawMessage
		if json.Unmarshal([]byte(v), &m) == nil {
			for _, entries := range m {
				for _, e := range entries {
					nums := map[string]json.Number{}
					for k, raw := range e {
						var n json.Number
						if json.Unmarshal(raw, &n) == nil {
							nums[k] = n
						}
					}
					var kind string
					_ = json.Unmarshal(e["type"], &kind)
					if kind != "" {
						kind += " "
					}
					take("X-Business-Use-Case-Usage", kind, nums)
				}
			}
		}
	}
	return u
}

// pace waits, before the next request, as the usage headers of the last
// response ask: until access is regained when a limit is reached (an
// error past MaxWait), SlowDown when one is near.
func (s *session) pace(ctx context.Context, h http.Header) error {
	u := readUsage(h)
	maxWait := s.opts.MaxWait
	if maxWait <= 0 {
		maxWait = 2 * time.Minute
	}
	slow := s.opts.SlowDown
	if slow <= 0 {
		slow = 20 * time.Second
	}
	switch {
	case u.percent >= 100 || u.regain > 0:
		wait := max(u.regain, slow)
		if wait > maxWait {
			return fmt.Errorf("%w for %q (%s): access comes back in about %s, more than the %s a crawl waits; the next crawl goes on", ErrRateLimited, s.acct.ID, u.what, wait, maxWait)
		}
		return s.opts.sleep(ctx, wait)
	case u.percent >= nearLimit:
		return s.opts.sleep(ctx, slow)
	}
	return nil
}

// timeLayout is how the Graph API writes times: 2021-07-04T19:50:58+0000.
const timeLayout = "2006-01-02T15:04:05-0700"

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339, s)
	}
	return t.UTC(), err
}

// page is a Graph API list: data and paging.
type page struct {
	Data   []json.RawMessage `json:"data"`
	Paging struct {
		Next string `json:"next"`
	} `json:"paging"`
	Error *apiError `json:"error"`
}

func parsePage(body []byte, from string) (*page, error) {
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("%w from %s: %v", ErrMalformed, from, err)
	}
	if p.Error != nil {
		return nil, fmt.Errorf("%w from %s: %s", ErrMalformed, from, p.Error)
	}
	if p.Data == nil {
		return nil, fmt.Errorf("%w from %s: no data list", ErrMalformed, from)
	}
	return &p, nil
}
