package crawler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"golang.org/x/time/rate"

	"github.com/vigia-mx/vigia/archive"
)

// Errors the client reports; match them with errors.Is.
var (
	ErrPrivateAddress = errors.New("private or loopback address refused")
	ErrBodyTooLarge   = errors.New("response body too large")
	ErrRobots         = errors.New("disallowed by robots.txt")
	ErrTooManyHops    = errors.New("too many redirects")
	ErrEvidence       = errors.New("evidence not kept")
	ErrWaitTooLong    = errors.New("given up until the next crawl")
)

// ClientOptions configures the shared HTTP client. Zero fields take the
// defaults of DefaultClientOptions.
type ClientOptions struct {
	UserAgent            string
	HostRate             float64       // requests per second to each host; 0 means unlimited
	Timeout              time.Duration // one request, headers and body
	MaxBodyBytes         int64         // after decompression
	Retries              int           // further attempts after the first, for retryable failures
	BackoffBase          time.Duration
	BackoffCap           time.Duration
	MaxRetryAfter        time.Duration // longest Retry-After honoured; longer gives up
	MaxRedirects         int
	AllowPrivateNetworks bool
	// RobotsExempt lists networks whose robots.txt is not consulted (see
	// docs/crawling.md for when an office may decide so). Empty by default.
	RobotsExempt []archive.Network
	// Mirror, when set, is a base URL every request is sent to instead of
	// the host it names (a local mirror of the networks, or a test network).
	Mirror *url.URL
	// Evidence, when set, keeps every HTTP exchange (robots.txt, redirects
	// and media included) as received.
	Evidence Recorder
}

// DefaultClientOptions are polite defaults for crawling the public networks.
func DefaultClientOptions() ClientOptions {
	return ClientOptions{
		UserAgent:     "vigia (public-records archiver; +https://github.com/vigia-mx/vigia)",
		HostRate:      1,
		Timeout:       30 * time.Second,
		MaxBodyBytes:  16 << 20,
		Retries:       3,
		BackoffBase:   500 * time.Millisecond,
		BackoffCap:    30 * time.Second,
		MaxRetryAfter: 2 * time.Minute,
		MaxRedirects:  5,
	}
}

// Response is what a fetch returns to an adapter.
type Response struct {
	URL    string // final URL, after redirects
	Status int
	Header http.Header
	Body   []byte
	WARC   archive.WARCRef // the evidence of the final exchange; empty without a recorder
}

// StatusError reports a response whose status is not a success.
type StatusError struct {
	URL    string
	Status int
	Body   []byte // the body as received, for adapters to read error details
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// RefusedError is a refused request told in plain words by an adapter
// ("look up account … at URL: account not found (404)"). It unwraps to the
// adapter's reason (a sentinel such as ErrAccountNotFound) and to the
// response's *StatusError.
type RefusedError struct {
	Msg    string
	Reason error
	Status *StatusError
}

func (e *RefusedError) Error() string   { return e.Msg }
func (e *RefusedError) Unwrap() []error { return []error{e.Reason, e.Status} }

// Attempt describes one HTTP exchange, for the fetch log and metrics.
type Attempt struct {
	Network  archive.Network
	URL      string
	Status   int
	Bytes    int64
	Duration time.Duration
	Number   int // 1 for the first try
	Err      error
	At       time.Time
	WARC     archive.WARCRef
}

// Client fetches URLs with the crawl's politeness and limits: a token bucket
// per host, robots.txt, a descriptive User-Agent, retries with capped
// exponential backoff and jitter, Retry-After, a body size cap and a guard
// against private addresses. It is safe for concurrent use.
//
// colly and vigia. colly (v2.3.0) makes each request: the User-Agent and
// default Accept, the redirect policy (SetRedirectHandler), the request
// timeout, cookies off, revisits allowed, error statuses parsed, the body
// read with MaxBodySize as a backstop, and the response handed over in an
// OnResponse callback; the private-address guard, the body cap and the WARC
// capture sit in the transport colly is given (WithTransport). vigia keeps
// its own code where colly's would change what vigia does:
//
//   - Rate per host (Client.wait): a LimitRule has one slot for every host
//     it matches (a "*" rule queues all hosts behind each other; one rule
//     per host would be added for ever, colly cannot remove one, and is
//     matched by a linear scan on every request); its Delay is a sleep
//     after each response, inside the request, so a caller waits it even
//     when its next request goes to another host; neither the slot nor the
//     sleep heeds a context, so a stopping crawl waits for every queued
//     request; and a delay is not the requests/s that --host-rate promises.
//   - robots.txt (robotsCache): colly reads it once per host for the life
//     of the collector, with a request no context can cancel, outside the
//     rate, the retries, the fetch log and the per-account private-network
//     allowance, and a failed read fails the request instead of disallowing
//     the host for a while (RFC 9309, 2.3.1).
//   - Body cap (boundedTransport): MaxBodySize cuts a body short without an
//     error, so the fetch would look complete; it counts bytes before colly
//     decompresses them, not after, and is one value for every request
//     (media have a smaller cap).
//   - Retries, backoff and Retry-After (Client.get): colly has none
//     (Request.Retry sends the request again at once).
//   - Decompression (boundedTransport) and charsets (hideCharset): the
//     evidence and the adapters get the bytes received; colly would gunzip
//     past the cap and re-encode to UTF-8.
//   - Per-request state (inFlight: what the request may reach, its body
//     cap, its evidence) in the request's context: the transports below
//     colly see only the http.Request, and colly gives it the collector's
//     Context (hence a clone per request, in Client.once). Above colly, a
//     fetch's allowances are parameters (scope), not context values.
type Client struct {
	opts      ClientOptions
	collector *colly.Collector
	guard     *guardTransport
	metrics   *Metrics
	robots    *robotsCache

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	used     map[string]time.Time // when wait last handed out each host's limiter
	swept    time.Time            // when sweepLimiters last ran
}

// NewClient builds a client. metrics may be nil.
func NewClient(opts ClientOptions, metrics *Metrics) *Client {
	def := DefaultClientOptions()
	if opts.UserAgent == "" {
		opts.UserAgent = def.UserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = def.Timeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = def.MaxBodyBytes
	}
	if opts.BackoffBase <= 0 {
		opts.BackoffBase = def.BackoffBase
	}
	if opts.BackoffCap <= 0 {
		opts.BackoffCap = def.BackoffCap
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = def.MaxRetryAfter
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = def.MaxRedirects
	}
	guard := newGuardTransport(opts.AllowPrivateNetworks, opts.Timeout)

	// What colly does and what vigia keeps, and why: "colly and vigia" in
	// the doc comment of Client, and docs/crawling.md.
	c := colly.NewCollector(
		colly.UserAgent(opts.UserAgent),
		colly.AllowURLRevisit(),        // a re-crawl asks for the same URLs again
		colly.ParseHTTPErrorResponse(), // a 404 or 429 is an answer to read, not only an error
	)
	c.IgnoreRobotsTxt = true // robotsCache reads robots.txt instead
	// A backstop only: the transport fails a body past the cap with
	// ErrBodyTooLarge (both on the wire and after decompression) and marks
	// its evidence truncated; colly's limit would cut the body short without
	// an error. One byte over the cap, colly never cuts what the transport
	// lets through.
	c.MaxBodySize = int(min(opts.MaxBodyBytes, math.MaxInt-1)) + 1
	c.DisableCookies() // every request is anonymous: no account's session reaches another's request or its evidence
	var base http.RoundTripper = guard
	if opts.Mirror != nil {
		base = &mirrorTransport{base: guard, to: opts.Mirror}
	}
	c.WithTransport(&boundedTransport{base: base, max: opts.MaxBodyBytes, evidence: opts.Evidence, metrics: metrics})
	c.SetRequestTimeout(opts.Timeout)
	maxHops := opts.MaxRedirects
	// Redirects to private addresses need no check here: guardTransport
	// sees every hop, and its dialers refuse what the hop may not reach.
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) > maxHops {
			return fmt.Errorf("%w (more than %d, last to %s)", ErrTooManyHops, maxHops, req.URL)
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %s: not an http(s) URL", req.URL)
		}
		return nil
	})
	return &Client{opts: opts, collector: c, guard: guard, metrics: metrics, robots: newRobotsCache(), limiters: map[string]*rate.Limiter{}}
}

// Get fetches a URL. On success it returns the response; on a status other
// than 2xx it returns the response and a *StatusError; otherwise an error
// naming the URL. Retryable failures (network errors, 429, 5xx) are retried;
// every attempt is reported to observe, which may be nil.
func (c *Client) Get(ctx context.Context, network archive.Network, rawURL, accept string, observe func(Attempt)) (*Response, error) {
	return c.fetch(ctx, network, rawURL, accept, scope{}, observe)
}

// scope is what one fetch may do besides what the client's options allow.
type scope struct {
	own     string // host:port the account may reach on a private network (ownPrivateHost); "" for none
	maxBody int64  // a body cap smaller than the client's (media); 0 for the client's
	// authorization is the Authorization header of a request to an
	// official API with the office's token (GetAuthorized); "" for none.
	// Such a request does not consult robots.txt, and the evidence keeps
	// the header redacted (redact.go).
	authorization string
}

// fetch is Get within a scope.
func (c *Client) fetch(ctx context.Context, network archive.Network, rawURL, accept string, s scope, observe func(Attempt)) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fetch %q: not an absolute http(s) URL", rawURL)
	}
	if s.authorization == "" && !slices.Contains(c.opts.RobotsExempt, network) {
		if err := c.robots.check(ctx, c, network, u, s.own, observe); err != nil {
			if errors.Is(err, ErrRobots) {
				c.metrics.robotsDenied(network)
			}
			return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	return c.get(ctx, network, u.Host, rawURL, accept, s, observe)
}

// get is fetch without the robots.txt check; host is rawURL's, already parsed.
func (c *Client) get(ctx context.Context, network archive.Network, host, rawURL, accept string, s scope, observe func(Attempt)) (*Response, error) {
	for attempt := 1; ; attempt++ {
		if err := c.wait(ctx, host); err != nil {
			return nil, err
		}
		start := time.Now()
		resp, err := c.once(ctx, network, rawURL, accept, s)
		a := Attempt{Network: network, URL: RedactURL(rawURL), Number: attempt, Err: err, At: start.UTC(), Duration: time.Since(start)}
		if resp != nil {
			a.Status, a.Bytes, a.WARC = resp.Status, int64(len(resp.Body)), resp.WARC
		}
		if err == nil && (resp.Status < 200 || resp.Status > 299) {
			err = &StatusError{URL: resp.URL, Status: resp.Status, Body: resp.Body}
			a.Err = err
		}
		c.metrics.observe(a)
		if observe != nil {
			observe(a)
		}
		if err == nil {
			return resp, nil
		}
		if werr := c.waitTooLong(resp, err); werr != nil {
			return resp, werr
		}
		delay, retry := c.retryable(ctx, resp, err, attempt)
		if !retry {
			if attempt > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			if resp != nil {
				return resp, err
			}
			return nil, err
		}
		c.metrics.retry(network)
		if err := sleep(ctx, delay); err != nil {
			return resp, err
		}
	}
}

// syncEvidence makes the evidence of every exchange so far durable.
func (c *Client) syncEvidence() error {
	if c.opts.Evidence == nil {
		return nil
	}
	return c.opts.Evidence.Sync()
}

// once makes one request through colly.
//
// colly gives the http.Request it sends its collector's Context and no
// other, and the transports below it (guard, cap, evidence) see only that
// request. So each request is made by a clone, which shares the collector's
// backend, transport and settings, whose Context carries the caller's
// cancellation and the request's inFlight. A clone has no callbacks: they
// are attached here, per request.
func (c *Client) once(ctx context.Context, network archive.Network, rawURL, accept string, s scope) (*Response, error) {
	cc := c.collector.Clone()
	f := &inFlight{reach: reach{own: s.own}, maxBody: s.maxBody}
	cc.Context = context.WithValue(ctx, inFlightKey{}, f)
	var got *colly.Response
	cc.OnResponseHeaders(hideCharset)
	cc.OnResponse(func(r *colly.Response) { got = r })
	hdr := http.Header{} // colly adds its User-Agent, and Accept: */* when accept is ""
	if accept != "" {
		hdr.Set("Accept", accept)
	}
	if s.authorization != "" {
		hdr.Set("Authorization", s.authorization)
	}
	err := cc.Request(http.MethodGet, rawURL, nil, nil, hdr)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, ctxErr)
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, fmt.Errorf("fetch %s: no complete response within the %s timeout: %w", rawURL, c.opts.Timeout, err)
		}
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if got == nil {
		return nil, fmt.Errorf("fetch %s: no response", rawURL)
	}
	ref, err := f.exchanges.last()
	if err != nil {
		return nil, err
	}
	resp := &Response{URL: got.Request.URL.String(), Status: got.StatusCode, Body: got.Body, WARC: ref}
	if got.Headers != nil {
		resp.Header = *got.Headers
		if ct := got.Ctx.Get(hiddenContentType); ct != "" {
			resp.Header.Set("Content-Type", ct)
		}
	}
	return resp, nil
}

// inFlight is what the transports below colly need of one request and the
// redirects it leads to: what it may reach (guardTransport), its body cap
// (boundedTransport) and where its exchanges were recorded. Client.once
// puts it in the request's context, the one way through colly to them.
type inFlight struct {
	reach     reach
	maxBody   int64 // 0: the client's cap
	exchanges exchangeLog
}

type inFlightKey struct{}

// inFlightOf returns the request's inFlight; nil outside Client.once.
func inFlightOf(ctx context.Context) *inFlight {
	f, _ := ctx.Value(inFlightKey{}).(*inFlight)
	return f
}

// hideCharset, a response-header callback, removes from the Content-Type a
// charset other than UTF-8 before colly reads the body, and keeps the header
// as it was in the request's colly.Context under hiddenContentType, for
// Client.once to put back. colly re-encodes to UTF-8 the body of a response
// that names another charset (response.go, fixCharset), and has no setting
// to leave it alone (ResponseCharacterEncoding re-encodes too, after a
// byte-order mark); adapters must get the bytes received, the ones the
// evidence keeps.
func hideCharset(r *colly.Response) {
	ct := r.Headers.Get("Content-Type")
	if ct == "" || !strings.Contains(strings.ToLower(ct), "charset") {
		return
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || params["charset"] == "" || strings.EqualFold(params["charset"], "utf-8") {
		return
	}
	r.Headers.Set("Content-Type", mt)
	r.Ctx.Put(hiddenContentType, ct)
}

// hiddenContentType is the colly.Context key of a Content-Type hideCharset changed.
const hiddenContentType = "vigia.content-type"

// retryable decides whether a failed attempt is worth another, and after how long.
func (c *Client) retryable(ctx context.Context, resp *Response, err error, attempt int) (time.Duration, bool) {
	if attempt > c.opts.Retries || ctx.Err() != nil {
		return 0, false
	}
	var se *StatusError
	switch {
	case errors.Is(err, ErrPrivateAddress), errors.Is(err, ErrBodyTooLarge), errors.Is(err, ErrRobots), errors.Is(err, ErrTooManyHops),
		errors.Is(err, ErrEvidence):
		return 0, false
	case errors.As(err, &se):
		if !retryableStatus(se.Status) {
			return 0, false
		}
		if d, ok := retryAfter(resp.Header, time.Now()); ok {
			return d, true
		}
	}
	return c.backoff(attempt), true
}

func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// waitTooLong returns, for a retryable status whose Retry-After asks for a
// longer wait than the client allows, the error that gives up on the fetch
// (wrapping ErrWaitTooLong, naming the URL and the header's value); nil
// otherwise. The server is not asked again, however many retries are left.
func (c *Client) waitTooLong(resp *Response, err error) error {
	var se *StatusError
	if !errors.As(err, &se) || !retryableStatus(se.Status) || resp == nil {
		return nil
	}
	d, ok := retryAfter(resp.Header, time.Now())
	if !ok || d <= c.opts.MaxRetryAfter {
		return nil
	}
	wait := d.Round(time.Second).String()
	if d == forever {
		wait = "indefinitely"
	}
	header := "Retry-After"
	if resp.Header.Get(header) == "" {
		header = "x-rate-limit-reset"
	}
	return fmt.Errorf("%w; the server asks to wait %s (%s: %q), more than the %s allowed: %w",
		err, wait, header, resp.Header.Get(header), c.opts.MaxRetryAfter, ErrWaitTooLong)
}

// backoff is the capped exponential delay before the next attempt, with
// "equal jitter": half fixed, half random.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.BackoffBase << (attempt - 1)
	if d > c.opts.BackoffCap || d <= 0 {
		d = c.opts.BackoffCap
	}
	return d/2 + rand.N(d/2+1)
}

// wait takes a token from the host's bucket.
func (c *Client) wait(ctx context.Context, host string) error {
	if c.opts.HostRate <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	now := time.Now()
	l, ok := c.limiters[host]
	if !ok {
		c.sweepLimiters(now)
		l = rate.NewLimiter(rate.Limit(c.opts.HostRate), 1)
		c.limiters[host] = l
	}
	if c.used == nil {
		c.used = map[string]time.Time{}
	}
	c.used[host] = now
	c.mu.Unlock()
	return l.Wait(ctx)
}

// forever is the wait a Retry-After too long for a time.Duration asks for.
const forever = time.Duration(math.MaxInt64)

// retryAfter reads a Retry-After header: delay-seconds (digits only) or an
// HTTP date (RFC 9110, section 10.2.3). A wait too long for a
// time.Duration is forever, never a negative or wrapped-around one; a date
// in the past is no wait; anything else (negative numbers, garbage) is no
// header at all.
//
// Without Retry-After, an x-rate-limit-reset header (X API v2: the Unix
// time, in seconds, at which the rate-limit window resets) says the same.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return rateLimitReset(h, now)
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(forever/time.Second) { // only a range error: v is digits
			return forever, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true // Sub saturates instead of overflowing
	}
	return 0, false
}

// rateLimitReset reads x-rate-limit-reset (Unix seconds) as a wait from
// now: none for a time past, forever for one out of range.
func rateLimitReset(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("x-rate-limit-reset"))
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return 0, false
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs > now.Unix()+int64(forever/time.Second)/2 {
		return forever, true
	}
	return max(time.Unix(secs, 0).Sub(now), 0), true
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// For returns a Fetcher that gets URLs of one network through c, without a
// fetch log: for tools and tests that run an adapter outside a crawl.
func (c *Client) For(network archive.Network) Fetcher {
	return networkFetcher{c, network}
}

type networkFetcher struct {
	c       *Client
	network archive.Network
}

func (f networkFetcher) Get(ctx context.Context, url, accept string) (*Response, error) {
	return f.c.Get(ctx, f.network, url, accept, nil)
}

func (f networkFetcher) GetAuthorized(ctx context.Context, url, accept, authorization string) (*Response, error) {
	return f.c.fetch(ctx, f.network, url, accept, scope{authorization: authorization}, nil)
}
