package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// testClient is a client for loopback test servers: private networks
// allowed, no rate limit, and near-instant backoff.
func testClient(mod func(*ClientOptions)) *Client {
	opts := ClientOptions{AllowPrivateNetworks: true, HostRate: 0, Retries: 3, BackoffBase: time.Millisecond, BackoffCap: 2 * time.Millisecond}
	if mod != nil {
		mod(&opts)
	}
	return NewClient(opts, nil)
}

func TestGetRetriesRetryableStatuses(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			fmt.Fprint(w, `{"ok":true}`)
		}
	}))
	defer srv.Close()
	var attempts []Attempt
	resp, err := testClient(nil).Get(context.Background(), archive.Mastodon, srv.URL+"/api", "application/json", func(a Attempt) { attempts = append(attempts, a) })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(resp.Body), `{"ok":true}`; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
	var statuses []int
	for _, a := range attempts {
		statuses = append(statuses, a.Status)
	}
	// robots.txt first (404: no rules), then the three tries
	if got, want := fmt.Sprint(statuses), "[404 503 429 200]"; got != want {
		t.Errorf("attempt statuses = %s, want %s", got, want)
	}
}

func TestGetDoesNotRetryClientErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		calls.Add(1)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	}))
	defer srv.Close()
	resp, err := testClient(nil).Get(context.Background(), archive.Mastodon, srv.URL+"/x", "", nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 404 || string(se.Body) != `{"error":"Record not found"}` {
		t.Fatalf("err = %v, want a 404 StatusError with the body", err)
	}
	if resp == nil || resp.Status != 404 {
		t.Errorf("resp = %+v, want the 404 response", resp)
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("requests = %d, want 1 (no retry on 404)", got)
	}
}

// A Retry-After longer than the client allows gives up at once, naming the
// URL and the header; one it cannot read is ignored (the usual backoff),
// and neither is ever a wait that overflows into retrying at once.
func TestGetRetryAfterFromHostileServers(t *testing.T) {
	tests := []struct {
		value   string
		giveUp  string // in the error when the client gives up
		retries bool   // the header is ignored: a retry, which succeeds
	}{
		{"3600", `the server asks to wait 1h0m0s (Retry-After: "3600"), more than the 2m0s allowed`, false},
		{"10000000000", `the server asks to wait indefinitely (Retry-After: "10000000000"), more than the 2m0s allowed`, false},
		{"9223372036854775807", `the server asks to wait indefinitely (Retry-After: "9223372036854775807")`, false},
		{"99999999999999999999999", `the server asks to wait indefinitely (Retry-After: "99999999999999999999999")`, false},
		{"Fri, 31 Dec 9999 23:59:59 GMT", `the server asks to wait indefinitely (Retry-After: "Fri, 31 Dec 9999 23:59:59 GMT")`, false},
		{time.Now().Add(3 * time.Hour).UTC().Format(http.TimeFormat), "more than the 2m0s allowed", false},
		{"-1", "", true},
		{"-10000000000", "", true},
		{"1e9", "", true},
		{"soon", "", true},
		{"0", "", true},
		{"Thu, 01 Jan 1970 00:00:00 GMT", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				if calls.Add(1) == 1 {
					w.Header().Set("Retry-After", tt.value)
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				fmt.Fprint(w, "ok")
			}))
			defer srv.Close()
			start := time.Now()
			_, err := testClient(func(o *ClientOptions) { o.MaxRetryAfter = 2 * time.Minute }).Get(context.Background(), archive.Bluesky, srv.URL+"/x", "", nil)
			if elapsed := time.Since(start); elapsed > 5*time.Second {
				t.Errorf("the fetch took %s, want at once", elapsed)
			}
			if tt.retries {
				if err != nil || calls.Load() != 2 {
					t.Errorf("err = %v after %d requests, want the header ignored and a retry that succeeds", err, calls.Load())
				}
				return
			}
			if !errors.Is(err, ErrWaitTooLong) {
				t.Fatalf("err = %v, want ErrWaitTooLong", err)
			}
			for _, want := range []string{"GET " + srv.URL + "/x: 429 Too Many Requests", tt.giveUp, "given up until the next crawl"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v\nwant it to say %q", err, want)
				}
			}
			if got := calls.Load(); got != 1 {
				t.Errorf("the server got %d requests, want 1 (no retry)", got)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"120", 2 * time.Minute, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", forever, true},
		{"10000000000", forever, true},
		{"99999999999999999999999", forever, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", forever, true},
		{"-1", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		h.Set("Retry-After", tt.value)
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

// A host that asked to wait too long is not asked again in the account's
// crawl; another host is.
func TestAccountFetcherLeavesAWaitingHost(t *testing.T) {
	var waiting, other atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		waiting.Add(1)
		w.Header().Set("Retry-After", "10000000000")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer slow.Close()
	fine := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			other.Add(1)
		}
		fmt.Fprint(w, "ok")
	}))
	defer fine.Close()
	f := &accountFetcher{client: testClient(nil), acct: &directory.Account{ID: "a", Network: archive.Mastodon}, progress: &Progress{}}
	ctx := context.Background()
	if _, err := f.Get(ctx, slow.URL+"/page1", ""); !errors.Is(err, ErrWaitTooLong) {
		t.Fatalf("first fetch: err = %v, want ErrWaitTooLong", err)
	}
	_, err := f.Get(ctx, slow.URL+"/media.png", "")
	if !errors.Is(err, ErrWaitTooLong) || !strings.Contains(err.Error(), "fetch "+slow.URL+"/media.png: not tried") {
		t.Errorf("second fetch from the same host: err = %v, want it not tried", err)
	}
	if _, err := f.Get(ctx, fine.URL+"/media.png", ""); err != nil {
		t.Errorf("fetch from another host: %v", err)
	}
	if got := waiting.Load(); got != 1 {
		t.Errorf("the waiting host got %d requests, want 1", got)
	}
	if got := other.Load(); got != 1 {
		t.Errorf("the other host got %d requests, want 1", got)
	}
}

func TestBackoffIsCappedWithJitter(t *testing.T) {
	c := NewClient(ClientOptions{BackoffBase: 100 * time.Millisecond, BackoffCap: time.Second}, nil)
	for attempt := 1; attempt <= 40; attempt++ {
		full := min(100*time.Millisecond<<(attempt-1), time.Second)
		if attempt > 20 {
			full = time.Second
		}
		for range 20 {
			d := c.backoff(attempt)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
}

func TestGetRefusesPrivateAddresses(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	c := NewClient(ClientOptions{HostRate: 0, Retries: 2, BackoffBase: time.Millisecond}, nil)
	_, err := c.Get(context.Background(), archive.RSS, srv.URL+"/feed.xml", "", nil)
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("err = %v, want ErrPrivateAddress", err)
	}
	if got := calls.Load(); got != 0 {
		t.Errorf("the loopback server got %d requests, want 0", got)
	}
}

func TestIsPrivate(t *testing.T) {
	tests := []struct {
		addr    string
		private bool
		why     string
	}{
		{"127.0.0.1", true, "loopback"},
		{"127.255.0.9", true, "loopback"},
		{"10.1.2.3", true, "RFC 1918"},
		{"172.20.0.1", true, "RFC 1918"},
		{"192.168.1.1", true, "RFC 1918"},
		{"169.254.169.254", true, "link-local: cloud metadata"},
		{"100.64.0.1", true, "CGNAT"},
		{"0.0.0.0", true, "unspecified, dials the local host"},
		{"0.1.2.3", true, "this network, 0.0.0.0/8"},
		{"192.0.2.7", true, "documentation"},
		{"203.0.113.9", true, "documentation"},
		{"224.0.0.1", true, "multicast"},
		{"255.255.255.255", true, "broadcast"},
		{"::", true, "unspecified"},
		{"::1", true, "loopback"},
		{"::7f00:1", true, "IPv4-compatible 127.0.0.1"},
		{"::a00:1", true, "IPv4-compatible 10.0.0.1"},
		{"::808:808", true, "IPv4-compatible, deprecated: no public server uses one"},
		{"::ffff:127.0.0.1", true, "IPv4-mapped loopback"},
		{"::ffff:7f00:1", true, "IPv4-mapped loopback, hex"},
		{"::ffff:10.0.0.1", true, "IPv4-mapped RFC 1918"},
		{"::ffff:0:7f00:1", true, "IPv4-translated loopback"},
		{"64:ff9b::a00:1", true, "NAT64 of 10.0.0.1"},
		{"64:ff9b::7f00:1", true, "NAT64 of 127.0.0.1"},
		{"64:ff9b::a9fe:a9fe", true, "NAT64 of 169.254.169.254"},
		{"64:ff9b:1::1", true, "local-use NAT64"},
		{"2002:7f00:1::1", true, "6to4 of 127.0.0.1"},
		{"2002:c0a8:101::1", true, "6to4 of 192.168.1.1"},
		{"2001:0:4136:e378:8000:63bf:f5ff:fffe", true, "Teredo, client 10.0.0.1"},
		{"fd00::1", true, "unique local"},
		{"fe80::1", true, "link-local"},
		{"fe80::1%eth0", true, "link-local with a zone"},
		{"fec0::1", true, "site-local, deprecated"},
		{"ff02::1", true, "multicast"},
		{"2001:db8::1", true, "documentation"},
		{"8.8.8.8", false, "public"},
		{"200.57.1.1", false, "public"},
		{"2001:4860:4860::8888", false, "public"},
		{"::ffff:8.8.8.8", false, "IPv4-mapped public"},
		{"64:ff9b::808:808", false, "NAT64 of 8.8.8.8"},
		{"2002:808:808::1", false, "6to4 of 8.8.8.8"},
		{"2001:0:4136:e378:8000:63bf:f7f7:f7f7", false, "Teredo, client 8.8.8.8"},
	}
	for _, tt := range tests {
		if got := isPrivate(netip.MustParseAddr(tt.addr)); got != tt.private {
			t.Errorf("isPrivate(%s) = %v, want %v (%s)", tt.addr, got, tt.private, tt.why)
		}
	}
}

// The forms of the loopback address a URL may name are all refused before
// a connection, on a server listening on every address of the machine.
func TestGetRefusesLoopbackInEveryForm(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	ln, err := net.Listen("tcp", "[::]:0") // IPv6 and IPv4, where the machine has both
	if err != nil {
		ln, err = net.Listen("tcp", "0.0.0.0:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	c := NewClient(ClientOptions{HostRate: 0, Retries: 0, Timeout: 2 * time.Second, RobotsExempt: []archive.Network{archive.RSS}}, nil)
	for _, host := range []string{
		"127.0.0.1", "127.1", "0.0.0.0", "0", "[::1]", "[::]", "[::7f00:1]", "[::127.0.0.1]", "[::ffff:127.0.0.1]",
		"[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "localhost",
	} {
		u := fmt.Sprintf("http://%s:%d/feed.xml", host, port)
		start := time.Now()
		_, err := c.Get(context.Background(), archive.RSS, u, "", nil)
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("GET %s: err = %v, want ErrPrivateAddress", u, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("GET %s: refused after %s, want at once (before dialling)", u, d)
		}
	}
	if got := calls.Load(); got != 0 {
		t.Errorf("the server got %d requests, want none", got)
	}
}

func TestGetCapsBodies(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 8<<20)) // 8 MiB of zeros, a few KiB compressed
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/big":
			w.Write(make([]byte, 2<<20))
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		case "/fits":
			w.Write(make([]byte, 1<<20))
		}
	}))
	defer srv.Close()
	c := testClient(func(o *ClientOptions) { o.MaxBodyBytes = 1 << 20 })
	for _, path := range []string{"/big", "/bomb"} {
		_, err := c.Get(context.Background(), archive.RSS, srv.URL+path, "", nil)
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("GET %s: err = %v, want ErrBodyTooLarge", path, err)
		}
	}
	resp, err := c.Get(context.Background(), archive.RSS, srv.URL+"/fits", "", nil)
	if err != nil || len(resp.Body) != 1<<20 {
		t.Errorf("GET /fits: %v, want the whole 1 MiB body", err)
	}
}

func TestGetHonoursRobots(t *testing.T) {
	var private atomic.Int32
	var ua atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
		case strings.HasPrefix(r.URL.Path, "/private"):
			private.Add(1)
		default:
			ua.Store(r.UserAgent())
		}
	}))
	defer srv.Close()
	c := testClient(func(o *ClientOptions) { o.UserAgent = "vigia/test (+https://example.org/contacto)" })
	_, err := c.Get(context.Background(), archive.YouTube, srv.URL+"/private/feed", "", nil)
	if !errors.Is(err, ErrRobots) {
		t.Errorf("err = %v, want ErrRobots", err)
	}
	if _, err := c.Get(context.Background(), archive.YouTube, srv.URL+"/public", "", nil); err != nil {
		t.Fatal(err)
	}
	if got, want := ua.Load(), "vigia/test (+https://example.org/contacto)"; got != want {
		t.Errorf("User-Agent = %q, want %q", got, want)
	}
	exempt := testClient(func(o *ClientOptions) { o.RobotsExempt = []archive.Network{archive.YouTube} })
	if _, err := exempt.Get(context.Background(), archive.YouTube, srv.URL+"/private/feed", "", nil); err != nil {
		t.Errorf("exempt network: %v", err)
	}
	if got := private.Load(); got != 1 {
		t.Errorf("/private got %d requests, want 1 (only from the exempt client)", got)
	}
}

func TestGetStopsRedirectLoops(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
	}))
	defer srv.Close()
	_, err := testClient(nil).Get(context.Background(), archive.Telegram, srv.URL+"/s/loop", "", nil)
	if !errors.Is(err, ErrTooManyHops) {
		t.Fatalf("err = %v, want ErrTooManyHops", err)
	}
}

func TestGetReportsFinalURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/s/nopreview":
			http.Redirect(w, r, "/nopreview", http.StatusFound)
		case "/nopreview":
			fmt.Fprint(w, "<html></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	resp, err := testClient(nil).Get(context.Background(), archive.Telegram, srv.URL+"/s/nopreview", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.URL, srv.URL+"/nopreview"; got != want {
		t.Errorf("final URL = %q, want %q", got, want)
	}
}

func TestGetTimesOutSlowServers(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		<-release
	}))
	defer srv.Close()
	defer close(release)
	c := testClient(func(o *ClientOptions) { o.Timeout = 50 * time.Millisecond; o.Retries = 1 })
	var attempts int
	_, err := c.Get(context.Background(), archive.Mastodon, srv.URL+"/slow", "", func(a Attempt) {
		if !strings.HasSuffix(a.URL, "/robots.txt") {
			attempts++
		}
	})
	if err == nil {
		t.Fatal("a server that never answers gave no error")
	}
	if attempts != 2 {
		t.Errorf("attempts = %d, want 2 (a timeout is retried)", attempts)
	}
}

func TestGetRejectsNonHTTPURLs(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "ftp://x/y", "/relative", "http://"} {
		if _, err := testClient(nil).Get(context.Background(), archive.RSS, u, "", nil); err == nil {
			t.Errorf("Get(%q) succeeded", u)
		}
	}
}

func TestRobotsUnavailableDisallowsThenExpires(t *testing.T) {
	var robotsUp atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			if !robotsUp.Load() {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	c := testClient(func(o *ClientOptions) { o.Retries = 0 })
	now := time.Now()
	c.robots.now = func() time.Time { return now }
	_, err := c.Get(context.Background(), archive.RSS, srv.URL+"/feed", "", nil)
	if !errors.Is(err, ErrRobots) || !strings.Contains(err.Error(), "could not be read") {
		t.Fatalf("err = %v, want a robots.txt that could not be read", err)
	}
	robotsUp.Store(true)
	if _, err := c.Get(context.Background(), archive.RSS, srv.URL+"/feed", "", nil); !errors.Is(err, ErrRobots) {
		t.Errorf("within the failure TTL: err = %v, want still disallowed", err)
	}
	now = now.Add(robotsFailTTL + time.Second)
	if _, err := c.Get(context.Background(), archive.RSS, srv.URL+"/feed", "", nil); err != nil {
		t.Errorf("after the failure TTL: %v, want robots.txt read again and the fetch allowed", err)
	}
}

func TestGetKeepsBodyAsReceived(t *testing.T) {
	latin1 := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><t>Bolet\xedn</t></rss>")
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 4<<20))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/latin1.xml":
			w.Header().Set("Content-Type", "application/rss+xml; charset=ISO-8859-1")
			w.Write(latin1)
		case "/sitemap.xml.gz":
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(bomb.Bytes())
		}
	}))
	defer srv.Close()
	c := testClient(func(o *ClientOptions) { o.MaxBodyBytes = 1 << 20 })
	resp, err := c.Get(context.Background(), archive.RSS, srv.URL+"/latin1.xml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, latin1) {
		t.Errorf("body = %q, want the ISO-8859-1 bytes as received", resp.Body)
	}
	// A gzip file served as such is not unpacked (so not past the cap).
	resp, err = c.Get(context.Background(), archive.RSS, srv.URL+"/sitemap.xml.gz", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, bomb.Bytes()) {
		t.Errorf("gzip file body: %d bytes, want the %d compressed bytes as sent", len(resp.Body), bomb.Len())
	}
}

// The dialers' guard is the one check against private addresses: it sees
// the address of every connection, whether a URL, a redirect or a DNS name
// led there. Under an allowance (the account's own host, or
// --allow-private-networks), link-local, multicast and unspecified
// addresses stay refused.
func TestGuardDial(t *testing.T) {
	g := newGuardTransport(false, time.Second)
	for addr, refused := range map[string]bool{
		"127.0.0.1:443": true, "10.0.0.5:80": true, "[::1]:8080": true, "169.254.169.254:80": true, "[::7f00:1]:80": true,
		"8.8.8.8:443": false, "[2001:4860:4860::8888]:443": false,
	} {
		err := g.refuse(addr, isPrivate)
		if got := errors.Is(err, ErrPrivateAddress); got != refused {
			t.Errorf("public dial of %s: %v, want refused=%v", addr, err, refused)
		}
	}
	for addr, refused := range map[string]bool{
		"169.254.169.254:80": true, "[fe80::1]:80": true, "0.0.0.0:80": true, "[::]:80": true, "224.0.0.1:80": true,
		"[::ffff:169.254.169.254]:80": true, "[64:ff9b::a9fe:a9fe]:80": true, "[::a9fe:a9fe]:80": true, "[::7f00:1]:80": true,
		"127.0.0.1:443": false, "10.0.0.5:80": false, "192.168.1.10:3000": false, "[::1]:8080": false, "[fd00::5]:443": false,
		"8.8.8.8:443": false,
	} {
		err := g.refuse(addr, neverReached)
		if got := errors.Is(err, ErrPrivateAddress); got != refused {
			t.Errorf("allowed dial of %s: %v, want refused=%v", addr, err, refused)
		}
	}
}

// A host that refuses connections is a failure to reach it, counted as
// one, not a refusal by robots.txt (issue 19: "connection refused …
// disallowed by robots.txt").
func TestRobotsUnreachableHostIsNotARobotsRefusal(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there now
	c := testClient(func(o *ClientOptions) { o.Retries = 0 })
	_, err := c.Get(context.Background(), archive.RSS, addr+"/feed", "", nil)
	if err == nil {
		t.Fatal("Get of a closed port succeeded")
	}
	if errors.Is(err, ErrRobots) || strings.Contains(err.Error(), "robots.txt disallows") || strings.HasSuffix(err.Error(), "disallowed by robots.txt") {
		t.Errorf("err = %v, want a connection failure, not a robots refusal", err)
	}
	if !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("err = %v, want it to say the host did not answer: connection refused", err)
	}
}
