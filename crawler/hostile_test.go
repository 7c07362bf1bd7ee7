package crawler_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/crawler/rss"
	"github.com/vigia-mx/vigia/crawler/telegram"
	"github.com/vigia-mx/vigia/directory"
)

const (
	mastodonFixtures crawlertest.Dir = "../testdata/mastodon/"
	telegramFixtures crawlertest.Dir = "../testdata/telegram/"
	rssFixtures      crawlertest.Dir = "../testdata/rss/"

	mastodonOrigin = "https://social.gdl.example" // the instance the Mastodon fixtures were recorded from
	statusesPath   = "/api/v1/accounts/110265487391823764/statuses"

	hostileBodyCap = 1 << 20
)

// hostileClient is the crawl's client for the hostile servers: short
// timeout, two retries with near-instant backoff, a 1 MiB body cap, and
// every exchange kept by rec.
func hostileClient(allowPrivate bool, rec crawler.Recorder) *crawler.Client {
	return crawler.NewClient(crawler.ClientOptions{
		UserAgent:            "vigia/test",
		Timeout:              500 * time.Millisecond,
		Retries:              2,
		BackoffBase:          2 * time.Millisecond,
		BackoffCap:           5 * time.Millisecond,
		HostRate:             0,
		MaxBodyBytes:         hostileBodyCap,
		MaxRetryAfter:        30 * time.Second,
		AllowPrivateNetworks: allowPrivate,
		Evidence:             rec,
	}, nil)
}

// host is one loopback host of the hostile network: it has no robots.txt
// (404), logs the other requests it gets, and answers them with the handler
// set by handle.
type host struct {
	*httptest.Server
	mu   sync.Mutex
	h    http.HandlerFunc
	seen []string
}

func serveHost(t *testing.T) *host {
	t.Helper()
	return serveHostOn(t, "127.0.0.1:0")
}

// serveHostOn is serveHost listening on addr.
func serveHostOn(t *testing.T, addr string) *host {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &host{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		s.seen = append(s.seen, r.URL.RequestURI())
		h := s.h
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	s.Server.Listener.Close()
	s.Server.Listener = ln
	s.Server.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *host) handle(h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.h = h
}

func (s *host) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// instance answers the Mastodon REST calls of a listing from the recorded
// fixtures, naming base in its Link headers; a route in override answers
// instead of the fixture ("lookup", "page1", "page2").
type instance struct {
	replies  map[string]crawlertest.Reply
	override map[string]http.HandlerFunc
	base     string
}

func newInstance(base string, replies map[string]crawlertest.Reply, override map[string]http.HandlerFunc) *instance {
	return &instance{base: base, replies: replies, override: override}
}

func (m *instance) serve(w http.ResponseWriter, r *http.Request) {
	route := ""
	switch {
	case r.URL.Path == "/api/v1/accounts/lookup":
		route = "lookup"
	case r.URL.Path == statusesPath && r.URL.Query().Has("max_id"):
		route = "page2"
	case r.URL.Path == statusesPath:
		route = "page1"
	}
	if h, ok := m.override[route]; ok {
		h(w, r)
		return
	}
	reply, ok := m.replies[route]
	if !ok {
		http.NotFound(w, r)
		return
	}
	for k, vs := range reply.Header {
		for _, v := range vs {
			w.Header().Add(k, strings.ReplaceAll(v, mastodonOrigin, m.base))
		}
	}
	w.WriteHeader(reply.Status)
	w.Write(reply.Body)
}

// gzipBomb returns a gzip body that inflates to inflatedMiB MiB of zeros
// and is about a thousandth of that: one compressed MiB repeated as gzip
// members (RFC 1952 section 2.2), so that building it costs next to nothing.
func gzipBomb(t *testing.T, inflatedMiB int) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, err := gzip.NewWriterLevel(&member, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(make([]byte, 1<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(member.Bytes(), inflatedMiB)
}

// endless streams an RSS document that never ends, up to limit bytes (so
// that a client without a cap fails the memory bound rather than the
// machine).
func endless(limit int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		rc := http.NewResponseController(w)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Sin fin</title>`)
		chunk := bytes.Repeat([]byte("<item><title>otra vez</title></item>\n"), 1024)
		for sent := 0; sent < limit; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			if rc.Flush() != nil || r.Context().Err() != nil {
				return
			}
		}
	}
}

// evidenceLog is a Recorder keeping, instead of WARC records, what each
// exchange's body and truncation were.
type evidenceLog struct {
	mu        sync.Mutex
	exchanges []warc.Exchange // without Body
	bodies    []int
}

func (l *evidenceLog) Append(ex *warc.Exchange) (warc.Ref, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := *ex
	e.Body = nil
	l.exchanges = append(l.exchanges, e)
	l.bodies = append(l.bodies, len(ex.Body))
	return warc.Ref{File: "test.warc.gz", RecordID: fmt.Sprintf("<urn:test:%d>", len(l.exchanges))}, nil
}

func (l *evidenceLog) Sync() error { return nil }

// fakeArchive is an in-memory Archive that starts empty.
type fakeArchive struct {
	mu  sync.Mutex
	all archive.Batch
}

func (a *fakeArchive) Append(_ context.Context, b *archive.Batch) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.all.Merge(b)
	return nil
}

func (a *fakeArchive) Heads(context.Context, []string) (map[archive.Key]archive.Head, error) {
	return map[archive.Key]archive.Head{}, nil
}
func (a *fakeArchive) Accounts(context.Context) ([]archive.Account, error)     { return nil, nil }
func (a *fakeArchive) Health(context.Context) ([]archive.AccountHealth, error) { return nil, nil }
func (a *fakeArchive) History(context.Context, archive.Key) (*archive.PostHistory, error) {
	return nil, archive.ErrNotFound
}

func judgeAll(_ *directory.Account, p *archive.Post) archive.Decision {
	return archive.Decision{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, ContentSHA256: p.ContentSHA256,
		Label: archive.Function, DecidedBy: "rule:test", DecidedAt: p.CapturedAt}
}

func hostileCrawler(client *crawler.Client, arc crawler.Archive, accounts int) *crawler.Crawler {
	adapters := map[archive.Network]crawler.Adapter{
		archive.Mastodon: mastodon.New(), archive.Telegram: telegram.New(), archive.RSS: rss.New(),
	}
	return crawler.New(client, adapters, arc, judgeAll, crawler.Options{
		Concurrency:    accounts, // all at once: a slow server must not hold up the others
		AccountTimeout: 30 * time.Second,
		MediaMaxBytes:  -1, // the fixtures' media live on hosts a test does not reach
		CrawlerVersion: "vigia/test",
	}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
}

// directoryOf parses a directory of the given entries, one YAML flow
// mapping each, without type and area.
func directoryOf(t *testing.T, entries []string) *directory.Directory {
	t.Helper()
	var y strings.Builder
	y.WriteString("subject: Ayuntamiento de Prueba\naccounts:\n")
	for _, e := range entries {
		fmt.Fprintf(&y, "  - {%s, type: official, area: Comunicación}\n", e)
	}
	dir, err := directory.Parse("hostil.yml", []byte(y.String()), directory.Networks{mastodon.Network, telegram.Network, rss.Network})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func entry(id string, network archive.Network, handle, endpoint string) string {
	e := fmt.Sprintf("id: %s, network: %s, handle: %q", id, network, handle)
	if endpoint != "" {
		e += fmt.Sprintf(", endpoint: %q", endpoint)
	}
	return e
}

// TestOnceHostileServers crawls, in one crawl, a healthy account and one
// account per hostile or broken server, each server on its own loopback
// host. The crawl goes on past each of them, bounded in time and memory;
// each is reported with the account, the URL and what went wrong, and
// leaves an account crawl record.
func TestOnceHostileServers(t *testing.T) {
	recorded := mastodonFixtures.Recorded(t, map[string]string{
		"lookup": "lookup.http", "page1": "statuses-page1.http", "page2": "statuses-page2.http", "truncated": "statuses-truncated.http",
	})
	listing := map[string]crawlertest.Reply{"lookup": recorded["lookup"], "page1": recorded["page1"], "page2": recorded["page2"]}
	file := func(contentType string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Write(body)
		}
	}
	feed := file("application/rss+xml", rssFixtures.ReadFile(t, "guadalajara-boletines.xml"))
	bomb := gzipBomb(t, 1024) // 1 GiB inflated, about 1 MiB sent

	tests := []struct {
		id      string
		network archive.Network
		handle  string // for rss, the feed's path on the server
		serve   func(base string) http.HandlerFunc

		wantStatus archive.CrawlStatus
		wantPosts  int      // archived
		wantPath   string   // the request that failed or was retried, after the server's URL
		wantMsg    []string // parts of the account's error, besides the account and the URL
		wantIs     error    // in the error's chain; nil for none
		wantTries  []int    // statuses of the fetch log's attempts at wantPath; 0 for no response
		maxReqs    int      // most requests the server may get, robots.txt aside

		timeout   bool          // the error is a net.Error that timed out
		retryGap  time.Duration // least time between attempts at wantPath
		within    time.Duration // most time the account's crawl may take
		truncated string        // the evidence of the response at wantPath is cut short for this reason
	}{
		{
			id: "sano", network: archive.Mastodon, handle: "@sano@social.gdl.example",
			serve:      func(base string) http.HandlerFunc { return newInstance(base, listing, nil).serve },
			wantStatus: archive.CrawlOK, wantPosts: 47, maxReqs: 3,
		},
		{
			id: "espera-corta", network: archive.RSS, handle: "/boletines.xml",
			serve: func(string) http.HandlerFunc {
				var calls atomic.Int32
				return func(w http.ResponseWriter, r *http.Request) {
					if calls.Add(1) == 1 {
						w.Header().Set("Retry-After", "1")
						w.WriteHeader(http.StatusTooManyRequests)
						return
					}
					feed(w, r)
				}
			},
			wantStatus: archive.CrawlOK, wantPosts: 6, wantPath: "/boletines.xml", wantTries: []int{429, 200}, maxReqs: 2,
			retryGap: time.Second,
		},
		{
			id: "espera-larga", network: archive.Mastodon, handle: "@espera@social.gdl.example",
			serve: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
					w.WriteHeader(http.StatusTooManyRequests)
				}
			},
			wantStatus: archive.CrawlUnreachable, wantPath: "/api/v1/accounts/lookup?acct=espera%40social.gdl.example",
			wantMsg:   []string{"429 Too Many Requests; the server asks to wait ", ", more than the 30s allowed"},
			wantTries: []int{429}, maxReqs: 1, within: 10 * time.Second,
		},
		{
			// 10^10 seconds overflows a time.Duration: it must not turn
			// into a retry at once.
			id: "espera-enorme", network: archive.Mastodon, handle: "@enorme@social.gdl.example",
			serve: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Retry-After", "10000000000")
					w.WriteHeader(http.StatusTooManyRequests)
				}
			},
			wantStatus: archive.CrawlUnreachable, wantPath: "/api/v1/accounts/lookup?acct=enorme%40social.gdl.example",
			wantMsg:   []string{`429 Too Many Requests; the server asks to wait indefinitely (Retry-After: "10000000000"), more than the 30s allowed: given up until the next crawl`},
			wantIs:    crawler.ErrWaitTooLong,
			wantTries: []int{429}, maxReqs: 1, within: 10 * time.Second,
		},
		{
			// The first page lists; the second asks for a wait past the
			// bound: what was listed is kept, nothing more is asked.
			id: "espera-pagina", network: archive.Mastodon, handle: "@pagina@social.gdl.example",
			serve: func(base string) http.HandlerFunc {
				return newInstance(base, listing, map[string]http.HandlerFunc{
					"page2": func(w http.ResponseWriter, r *http.Request) {
						w.Header().Set("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")
						w.WriteHeader(http.StatusServiceUnavailable)
					},
				}).serve
			},
			wantStatus: archive.CrawlPartial, wantPosts: 40, wantPath: statusesPath + "?limit=40&max_id=114066024187572272",
			wantMsg: []string{`503 Service Unavailable; the server asks to wait indefinitely (Retry-After: "Fri, 31 Dec 9999 23:59:59 GMT")`},
			wantIs:  crawler.ErrWaitTooLong, wantTries: []int{503}, maxReqs: 3,
		},
		{
			// A negative Retry-After is no header: the usual backoff.
			id: "espera-negativa", network: archive.RSS, handle: "/negativa.xml",
			serve: func(string) http.HandlerFunc {
				var calls atomic.Int32
				return func(w http.ResponseWriter, r *http.Request) {
					if calls.Add(1) == 1 {
						w.Header().Set("Retry-After", "-10000000000")
						w.WriteHeader(http.StatusServiceUnavailable)
						return
					}
					feed(w, r)
				}
			},
			wantStatus: archive.CrawlOK, wantPosts: 6, wantPath: "/negativa.xml", wantTries: []int{503, 200}, maxReqs: 2,
		},
		{
			id: "caido", network: archive.Mastodon, handle: "@caido@social.gdl.example",
			serve: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
				}
			},
			wantStatus: archive.CrawlUnreachable, wantPath: "/api/v1/accounts/lookup?acct=caido%40social.gdl.example",
			wantMsg: []string{"503 Service Unavailable"}, wantTries: []int{503, 503, 503}, maxReqs: 3,
		},
		{
			id: "lento", network: archive.Telegram, handle: "avisos_lento",
			serve: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					select { // no headers before the client's 500 ms are up
					case <-r.Context().Done():
					case <-time.After(5 * time.Second):
					}
				}
			},
			wantStatus: archive.CrawlUnreachable, wantPath: "/s/avisos_lento",
			// The words depend on which of net/http's timers fires first
			// ("timeout awaiting response headers", "context deadline
			// exceeded"), so the error is checked for being a timeout.
			wantTries: []int{0, 0, 0}, maxReqs: 3, timeout: true,
		},
		{
			id: "sin-fin", network: archive.RSS, handle: "/sin-fin.xml",
			serve:      func(string) http.HandlerFunc { return endless(512 << 20) },
			wantStatus: archive.CrawlUnreachable, wantPath: "/sin-fin.xml",
			wantMsg: []string{"body over 1048576 bytes"}, wantIs: crawler.ErrBodyTooLarge, wantTries: []int{0}, maxReqs: 1,
			truncated: "length",
		},
		{
			id: "bomba", network: archive.Telegram, handle: "avisos_bomba",
			serve: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.Header().Set("Content-Encoding", "gzip")
					w.Write(bomb)
				}
			},
			wantStatus: archive.CrawlUnreachable, wantPath: "/s/avisos_bomba",
			wantMsg: []string{"body over 1048576 bytes"}, wantIs: crawler.ErrBodyTooLarge, wantTries: []int{0}, maxReqs: 1,
			truncated: "length",
		},
		{
			// The first page lists, the second leads into a redirect loop.
			id: "bucle", network: archive.Mastodon, handle: "@bucle@social.gdl.example",
			serve: func(base string) http.HandlerFunc {
				m := newInstance(base, listing, map[string]http.HandlerFunc{
					"page2": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ida", http.StatusFound) },
				})
				return func(w http.ResponseWriter, r *http.Request) {
					switch r.URL.Path {
					case "/ida":
						http.Redirect(w, r, "/vuelta", http.StatusFound)
					case "/vuelta":
						http.Redirect(w, r, "/ida", http.StatusFound)
					default:
						m.serve(w, r)
					}
				}
			},
			wantStatus: archive.CrawlPartial, wantPosts: 40, wantPath: statusesPath + "?limit=40&max_id=114066024187572272",
			wantMsg: []string{"too many redirects (more than 5, last to "}, wantIs: crawler.ErrTooManyHops, wantTries: []int{0},
			maxReqs: 3 + 5, // lookup, two pages, the hops allowed
		},
		{
			id: "json-roto", network: archive.Mastodon, handle: "@roto@social.gdl.example",
			serve: func(base string) http.HandlerFunc {
				truncated := file("application/json", recorded["truncated"].Body)
				return newInstance(base, listing, map[string]http.HandlerFunc{"page1": truncated}).serve
			},
			wantStatus: archive.CrawlUnreachable, wantPath: statusesPath + "?limit=40",
			wantMsg: []string{"parse statuses from ", "unexpected EOF"}, wantTries: []int{200}, maxReqs: 2,
		},
		{
			id: "no-canal", network: archive.Telegram, handle: "red_municipal",
			serve: func(string) http.HandlerFunc {
				return file("text/html; charset=utf-8", telegramFixtures.ReadFile(t, "not_channel.html"))
			},
			wantStatus: archive.CrawlUnreachable, wantPath: "/s/red_municipal",
			wantMsg: []string{"parse ", "not a Telegram channel page"}, wantIs: telegram.ErrNotChannelPage, wantTries: []int{200}, maxReqs: 1,
		},
		{
			id: "xml-roto", network: archive.RSS, handle: "/roto.xml",
			serve: func(string) http.HandlerFunc {
				return file("application/rss+xml", rssFixtures.ReadFile(t, "malformed.xml"))
			},
			wantStatus: archive.CrawlUnreachable, wantPath: "/roto.xml",
			wantMsg: []string{"parse feed ", "XML syntax error on line 32: unexpected EOF"}, wantTries: []int{200}, maxReqs: 1,
		},
	}

	hosts := map[string]*host{}
	var entries []string
	for _, tt := range tests {
		s := serveHost(t)
		s.handle(tt.serve(s.URL))
		hosts[tt.id] = s
		if tt.network == archive.RSS {
			entries = append(entries, entry(tt.id, tt.network, s.URL+tt.handle, ""))
		} else {
			entries = append(entries, entry(tt.id, tt.network, tt.handle, s.URL))
		}
	}
	dir := directoryOf(t, entries)
	rec := &evidenceLog{}
	arc := &fakeArchive{}
	c := hostileCrawler(hostileClient(true, rec), arc, len(tests))

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	rep, err := c.Once(context.Background(), dir, dir.Accounts)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("crawl: %v", err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("crawl of %d accounts: %s, %d MiB allocated", len(tests), elapsed.Round(time.Millisecond), allocated>>20)
	if elapsed > time.Minute {
		t.Errorf("crawl took %s, want well under a minute", elapsed)
	}
	if limit := uint64(256 << 20); allocated > limit {
		t.Errorf("crawl allocated %d MiB, want under %d MiB (the bomb inflates to 1 GiB, the endless body runs to 512 MiB)", allocated>>20, limit>>20)
	}
	failed := 0
	for _, tt := range tests {
		if tt.wantStatus != archive.CrawlOK {
			failed++
		}
	}
	if got := rep.Run.AccountsFailed; got != failed {
		t.Errorf("run: %d accounts failed, want %d", got, failed)
	}
	if got := len(arc.all.Runs); got != 1 {
		t.Errorf("run records = %d, want 1", got)
	}

	reports := map[string]crawler.AccountReport{}
	for _, r := range rep.Accounts {
		reports[r.ID] = r
	}
	crawls := map[string][]archive.AccountCrawl{}
	for _, cr := range arc.all.Crawls {
		crawls[cr.AccountID] = append(crawls[cr.AccountID], cr)
	}
	posts := map[string]int{}
	for _, p := range arc.all.Posts {
		posts[p.AccountID]++
	}
	decisions := map[string]int{}
	for _, d := range arc.all.Decisions {
		decisions[d.AccountID]++
	}
	unreachable := map[string]int{}
	for _, e := range arc.all.Events {
		if e.Kind == archive.AccountUnreachable {
			unreachable[e.AccountID]++
		}
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r, srv := reports[tt.id], hosts[tt.id]
			wantURL := srv.URL + tt.wantPath
			if tt.wantStatus == archive.CrawlOK {
				if r.Err != nil {
					t.Errorf("err = %v, want none", r.Err)
				}
			} else {
				checkHostileError(t, r.Err, tt.id, wantURL, tt.wantMsg)
			}
			if tt.wantIs != nil && !errors.Is(r.Err, tt.wantIs) {
				t.Errorf("err = %v, want %v in its chain", r.Err, tt.wantIs)
			}
			var ne net.Error
			if tt.timeout && !(errors.As(r.Err, &ne) && ne.Timeout()) {
				t.Errorf("err = %v, want a timeout", r.Err)
			}

			if got := crawls[tt.id]; len(got) != 1 {
				t.Fatalf("account crawl records = %+v, want one", got)
			}
			cr := crawls[tt.id][0]
			wantErr := ""
			if r.Err != nil {
				wantErr = r.Err.Error()
			}
			if cr.Status != tt.wantStatus || cr.Error != wantErr || cr.PostsSeen != tt.wantPosts {
				t.Errorf("account crawl record: status %s, %d posts, error %q; want %s, %d posts, error %q",
					cr.Status, cr.PostsSeen, cr.Error, tt.wantStatus, tt.wantPosts, wantErr)
			}
			wantEvents := 0
			if tt.wantStatus == archive.CrawlUnreachable {
				wantEvents = 1
			}
			if got := unreachable[tt.id]; got != wantEvents {
				t.Errorf("account_unreachable events = %d, want %d", got, wantEvents)
			}
			if r.Posts != tt.wantPosts || r.Versions != tt.wantPosts || posts[tt.id] != tt.wantPosts || decisions[tt.id] != tt.wantPosts {
				t.Errorf("report: %d posts seen, %d versions new; archived: %d posts, %d decisions; want %d of each",
					r.Posts, r.Versions, posts[tt.id], decisions[tt.id], tt.wantPosts)
			}
			if tt.within > 0 && cr.FinishedAt.Sub(cr.StartedAt) > tt.within {
				t.Errorf("the account's crawl took %s, want at most %s", cr.FinishedAt.Sub(cr.StartedAt), tt.within)
			}

			if n := len(srv.requests()); n > tt.maxReqs || n < len(tt.wantTries) {
				t.Errorf("the server got %d requests %q, want %d to %d", n, srv.requests(), len(tt.wantTries), tt.maxReqs)
			}
			if tt.wantPath == "" {
				return
			}
			var tries []archive.Fetch
			for _, f := range arc.all.Fetches {
				if f.URL == wantURL {
					tries = append(tries, f)
				}
			}
			checkTries(t, tries, tt.id, tt.wantTries)
			if tt.retryGap > 0 && len(tries) > 1 {
				if gap := tries[1].FetchedAt.Sub(tries[0].FetchedAt); gap < tt.retryGap {
					t.Errorf("retried after %s, want at least %s", gap, tt.retryGap)
				}
			}
			if tt.truncated != "" {
				checkTruncated(t, rec, wantURL, tt.truncated)
			}
		})
	}
}

// checkHostileError checks that an account's error names the account and
// the URL and says what went wrong.
func checkHostileError(t *testing.T, err error, id, url string, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error, want one")
	}
	msg := err.Error()
	for _, part := range append([]string{fmt.Sprintf("crawl account %q", id), url}, want...) {
		if !strings.Contains(msg, part) {
			t.Errorf("err = %s\nwant it to say %q", msg, part)
		}
	}
}

// checkTries checks the fetch log's attempts at one URL: numbered from 1,
// with the statuses want, each failure with its error.
func checkTries(t *testing.T, tries []archive.Fetch, id string, want []int) {
	t.Helper()
	var got []int
	for i, f := range tries {
		got = append(got, f.Status)
		if f.Attempt != i+1 || f.AccountID != id || (f.Status != http.StatusOK && f.Error == "") {
			t.Errorf("fetch record %d: %+v, want attempt %d of %s with its error", i, f, i+1, id)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("attempts at the URL, by status = %v, want %v", got, want)
	}
}

// checkTruncated checks that the last response from url was kept as
// evidence cut short for reason, with no more than the body cap.
func checkTruncated(t *testing.T, rec *evidenceLog, url, reason string) {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i := len(rec.exchanges) - 1; i >= 0; i-- {
		if rec.exchanges[i].TargetURI != url {
			continue
		}
		if got := rec.exchanges[i].Truncated; got != reason || rec.bodies[i] > hostileBodyCap+1 {
			t.Errorf("evidence: %d bytes truncated %q, want at most %d bytes truncated %q", rec.bodies[i], got, hostileBodyCap+1, reason)
		}
		return
	}
	t.Errorf("no evidence of %s", url)
}

// TestOnceHostilePrivateAddresses crawls, with the private-address guard
// on, accounts whose servers are private: the cloud metadata address, a
// private network, the loopback test server by its address and by name.
// None is reached, and the crawl says why. Redirects from a public host
// into a private network: TestOnceHostileRedirectIntoPrivateNetwork.
func TestOnceHostilePrivateAddresses(t *testing.T) {
	var reached atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	accounts := []struct {
		id, entry, url string // url: the first fetched, robots.txt's
	}{
		{"metadatos", entry("metadatos", archive.RSS, "http://169.254.169.254/latest/meta-data/", ""), "http://169.254.169.254/robots.txt"},
		{"interna", entry("interna", archive.Mastodon, "@interna@social.gdl.example", "http://10.0.0.1"), "http://10.0.0.1/robots.txt"},
		{"loopback", entry("loopback", archive.Telegram, "avisos_locales", srv.URL), srv.URL + "/robots.txt"},
		{"nombre", entry("nombre", archive.RSS, "http://localhost:"+port+"/feed.xml", ""), "http://localhost:" + port + "/robots.txt"},
	}
	var entries []string
	for _, a := range accounts {
		entries = append(entries, a.entry)
	}
	dir := directoryOf(t, entries)
	arc := &fakeArchive{}
	c := hostileCrawler(hostileClient(false, nil), arc, len(accounts))
	start := time.Now()
	rep, err := c.Once(context.Background(), dir, dir.Accounts)
	if err != nil {
		t.Fatalf("crawl: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("crawl took %s, want well under 30s (nothing to dial)", elapsed)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the loopback server got %d requests, want none", n)
	}
	for i, a := range accounts {
		r := rep.Accounts[i]
		checkHostileError(t, r.Err, a.id, a.url, []string{"private or loopback address refused"})
		if !errors.Is(r.Err, crawler.ErrPrivateAddress) {
			t.Errorf("%s: err = %v, want ErrPrivateAddress in its chain", a.id, r.Err)
		}
		var tries []archive.Fetch
		for _, f := range arc.all.Fetches {
			if f.AccountID == a.id {
				tries = append(tries, f)
			}
		}
		if len(tries) != 1 || tries[0].URL != a.url || tries[0].Status != 0 {
			t.Errorf("%s: fetch log %+v, want one refused attempt at %s (not retried)", a.id, tries, a.url)
		}
	}
	for _, cr := range arc.all.Crawls {
		if cr.Status != archive.CrawlUnreachable {
			t.Errorf("%s: crawl status %s, want %s", cr.AccountID, cr.Status, archive.CrawlUnreachable)
		}
	}
	if got, want := len(arc.all.Crawls), len(accounts); got != want {
		t.Errorf("account crawl records = %d, want %d", got, want)
	}
}

// TestHostileGzipOfNothing is a gzip body that never ends and inflates to
// nothing (empty deflate blocks): the cap on the inflated body never trips,
// so the cap on the bytes off the wire must bound it, evidence included.
func TestHostileGzipOfNothing(t *testing.T) {
	srv := serveHost(t)
	srv.handle(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})      // gzip header
		nothing := bytes.Repeat([]byte{0, 0, 0, 0xff, 0xff}, 8<<10) // empty stored blocks, not final
		for r.Context().Err() == nil {
			if _, err := w.Write(nothing); err != nil {
				return
			}
		}
	})
	rec := &evidenceLog{}
	c := crawler.NewClient(crawler.ClientOptions{
		AllowPrivateNetworks: true, Timeout: 2 * time.Second, MaxBodyBytes: hostileBodyCap, Evidence: rec,
	}, nil)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.Get(context.Background(), archive.RSS, srv.URL+"/feed.xml", "", nil)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("an endless body gave no error")
	}
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(64<<20); got > limit {
		t.Errorf("the fetch allocated %d MiB, want under %d MiB", got>>20, limit>>20)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i, ex := range rec.exchanges {
		if rec.bodies[i] > 2*hostileBodyCap {
			t.Errorf("evidence of %s: %d bytes, want at most %d", ex.TargetURI, rec.bodies[i], 2*hostileBodyCap)
		}
	}
}

// privateNetwork is a crawl of accounts whose servers stand on an office's
// private network (127.0.0.1) and on the public Internet (127.0.0.2, which
// the client is told to take for a public address).
type privateNetwork struct {
	intranet *host // private: a feed at any path, and a Mastodon instance
	other    *host // private: redirects into the intranet and out to the public host
	public   *host // public: redirects into the private hosts
}

func newPrivateNetwork(t *testing.T) *privateNetwork {
	t.Helper()
	n := &privateNetwork{intranet: serveHost(t), other: serveHost(t), public: serveHostOn(t, "127.0.0.2:0")}
	recorded := mastodonFixtures.Recorded(t, map[string]string{
		"lookup": "lookup.http", "page1": "statuses-page1.http", "page2": "statuses-page2.http",
	})
	feed := rssFixtures.ReadFile(t, "guadalajara-boletines.xml")
	instance := newInstance(n.intranet.URL, recorded, nil)
	n.intranet.handle(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			instance.serve(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed)
	})
	n.other.handle(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/salta.xml":
			http.Redirect(w, r, n.intranet.URL+"/secreto.xml", http.StatusFound)
		case "/vuelta.xml":
			http.Redirect(w, r, n.public.URL+"/rebote", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(feed)
		}
	})
	_, intranetPort, _ := net.SplitHostPort(n.intranet.Listener.Addr().String())
	n.public.handle(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirige.xml":
			http.Redirect(w, r, n.intranet.URL+"/secreto.xml", http.StatusFound)
		case "/nombre.xml":
			http.Redirect(w, r, "http://localhost:"+intranetPort+"/secreto.xml", http.StatusMovedPermanently)
		case "/rebote":
			http.Redirect(w, r, n.other.URL+"/final.xml", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	return n
}

// crawl crawls the accounts with a client that takes 127.0.0.2 for public,
// with or without --allow-private-networks.
func (n *privateNetwork) crawl(t *testing.T, allowAll bool, entries []string) (*crawler.Report, *fakeArchive, *evidenceLog) {
	t.Helper()
	dir := directoryOf(t, entries)
	rec := &evidenceLog{}
	arc := &fakeArchive{}
	client := hostileClient(allowAll, rec)
	crawler.TreatAsPublic(client, netip.MustParseAddr("127.0.0.2"))
	rep, err := hostileCrawler(client, arc, len(entries)).Once(context.Background(), dir, dir.Accounts)
	if err != nil {
		t.Fatalf("crawl: %v", err)
	}
	return rep, arc, rec
}

// checkNothingFrom checks that no host got a request for one of paths, and
// that neither the evidence nor the fetch log holds an answer from one.
func (n *privateNetwork) checkNothingFrom(t *testing.T, arc *fakeArchive, rec *evidenceLog, paths ...string) {
	t.Helper()
	for _, h := range []*host{n.intranet, n.other, n.public} {
		for _, got := range h.requests() {
			if slices.Contains(paths, got) {
				t.Errorf("%s got a request for %s", h.URL, got)
			}
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, ex := range rec.exchanges {
		for _, p := range paths {
			if strings.HasSuffix(ex.TargetURI, p) {
				t.Errorf("evidence holds an exchange with %s", ex.TargetURI)
			}
		}
	}
	for _, f := range arc.all.Fetches {
		for _, p := range paths {
			if strings.HasSuffix(f.URL, p) && f.Status != 0 {
				t.Errorf("fetch log holds an answer from %s: %+v", f.URL, f)
			}
		}
	}
}

// TestOnceHostileRedirectIntoPrivateNetwork: an account may reach its own
// endpoint on the office's network when the directory allows it, and
// nothing else there. A redirect from a public host into the private
// network is refused, with or without --allow-private-networks; so is a
// redirect from the allowed host to another private host, and the allowed
// host for another account that does not have the allowance. Nothing from
// a refused private host is requested, kept as evidence or archived.
func TestOnceHostileRedirectIntoPrivateNetwork(t *testing.T) {
	n := newPrivateNetwork(t)
	const allow = ", allow_private_network: true"
	type want struct {
		status archive.CrawlStatus
		posts  int
		msg    []string
	}
	publicHost := strings.TrimPrefix(n.public.URL, "http://")
	otherHost := strings.TrimPrefix(n.other.URL, "http://")
	intoPrivate := "a redirect from " + publicHost + ", a public host, may not lead into a private network"
	accounts := []struct {
		id, entry string
		want      want
	}{
		{"redirige", entry("redirige", archive.RSS, n.public.URL+"/redirige.xml", ""),
			want{archive.CrawlUnreachable, 0, []string{n.public.URL + "/redirige.xml", "private or loopback address refused", intoPrivate}}},
		{"nombre", entry("nombre", archive.RSS, n.public.URL+"/nombre.xml", ""),
			want{archive.CrawlUnreachable, 0, []string{n.public.URL + "/nombre.xml", "localhost", intoPrivate}}},
		{"propia", entry("propia", archive.RSS, n.intranet.URL+"/propia.xml", "") + allow,
			want{archive.CrawlOK, 6, nil}},
		{"instancia", entry("instancia", archive.Mastodon, "@instancia@social.gdl.example", n.intranet.URL) + allow,
			want{archive.CrawlOK, 47, nil}},
		{"ajena", entry("ajena", archive.Mastodon, "@ajena@social.gdl.example", n.intranet.URL),
			want{archive.CrawlUnreachable, 0, []string{n.intranet.URL + "/robots.txt", "private or loopback address refused", "needs allow_private_network: true on its account"}}},
		{"salta", entry("salta", archive.RSS, n.other.URL+"/salta.xml", "") + allow,
			want{archive.CrawlUnreachable, 0, []string{n.other.URL + "/salta.xml", "only the account's own endpoint, " + otherHost + ", may be on a private network"}}},
		{"vuelta", entry("vuelta", archive.RSS, n.other.URL+"/vuelta.xml", "") + allow,
			want{archive.CrawlUnreachable, 0, []string{n.other.URL + "/vuelta.xml", intoPrivate}}},
	}
	var entries []string
	for _, a := range accounts {
		entries = append(entries, a.entry)
	}
	rep, arc, rec := n.crawl(t, false, entries)
	posts := map[string]int{}
	for _, p := range arc.all.Posts {
		posts[p.AccountID]++
	}
	status := map[string]archive.CrawlStatus{}
	for _, cr := range arc.all.Crawls {
		status[cr.AccountID] = cr.Status
	}
	for i, a := range accounts {
		r := rep.Accounts[i]
		if a.want.status == archive.CrawlOK {
			if r.Err != nil {
				t.Errorf("%s: %v, want it crawled", a.id, r.Err)
			}
		} else {
			checkHostileError(t, r.Err, a.id, a.want.msg[0], a.want.msg[1:])
			if !errors.Is(r.Err, crawler.ErrPrivateAddress) {
				t.Errorf("%s: err = %v, want ErrPrivateAddress in its chain", a.id, r.Err)
			}
		}
		if status[a.id] != a.want.status || posts[a.id] != a.want.posts {
			t.Errorf("%s: status %s, %d posts archived; want %s, %d", a.id, status[a.id], posts[a.id], a.want.status, a.want.posts)
		}
	}
	n.checkNothingFrom(t, arc, rec, "/secreto.xml", "/final.xml")

	// --allow-private-networks (tests, benchmarks) opens every private
	// address, but a public host still does not lead into them.
	rep, arc, rec = n.crawl(t, true, []string{accounts[0].entry, accounts[1].entry, accounts[6].entry})
	for _, r := range rep.Accounts {
		if !errors.Is(r.Err, crawler.ErrPrivateAddress) || !strings.Contains(r.Err.Error(), intoPrivate) {
			t.Errorf("with --allow-private-networks, %s: err = %v, want the redirect into the private network refused", r.ID, r.Err)
		}
	}
	if len(arc.all.Posts) != 0 {
		t.Errorf("with --allow-private-networks, %d posts archived, want none", len(arc.all.Posts))
	}
	n.checkNothingFrom(t, arc, rec, "/secreto.xml", "/final.xml")
}
