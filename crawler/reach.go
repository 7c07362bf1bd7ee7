package crawler

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// reach is what one fetch, a request and the redirects it leads to, may
// connect to. Client.once puts one in the request's inFlight; every hop
// goes through guardTransport, which reads it and records in it the first
// public address reached.
type reach struct {
	own string // host:port the account may reach on a private network (its endpoint's); "" for none

	mu     sync.Mutex
	public string // the first host a hop reached at a public address; "" while none has
}

func (r *reach) publicHost() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.public
}

func (r *reach) reachedPublic(host string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.public == "" {
		r.public = host
	}
}

// ownPrivateHost returns the host:port an account may reach on a private
// network: its endpoint's (an rss account's feed's) when the directory
// says allow_private_network, "" otherwise.
func ownPrivateHost(a *directory.Account) string {
	if !a.AllowPrivateNetwork {
		return ""
	}
	base := a.Endpoint
	if a.Network == archive.RSS {
		base = a.Handle
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	return hostPort(u)
}

// hostPort is a URL's host, lower-case, with the scheme's port when it
// names none: what a connection pool and an allowance compare.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// guardTransport sends each hop of a fetch through a transport whose dialer
// lets it reach only what the hop may:
//
//   - after a hop reached a public address, only public addresses: a
//     redirect from a public host never leads into a private network, even
//     with --allow-private-networks;
//   - to the account's own host, when the directory allows it on a private
//     network, that host (a transport of its own, so that no other request
//     shares its connections);
//   - with --allow-private-networks (tests, benchmarks, the demo), any;
//   - otherwise, only public addresses.
//
// Link-local (cloud metadata), multicast and unspecified addresses are
// never reached. The checks run after name resolution, on the address
// actually dialled; each transport's pool holds only connections its
// dialer allowed.
type guardTransport struct {
	private func(netip.Addr) bool // isPrivate; tests make some loopback addresses public
	public  *http.Transport
	all     *http.Transport // nil without --allow-private-networks
	timeout time.Duration

	mu  sync.Mutex
	own map[string]*http.Transport // by host:port
}

func newGuardTransport(allowAll bool, timeout time.Duration) *guardTransport {
	g := &guardTransport{private: isPrivate, timeout: timeout, own: map[string]*http.Transport{}}
	g.public = g.transport(func(_, address string, _ syscall.RawConn) error {
		return g.refuse(address, g.private)
	})
	if allowAll {
		g.all = g.transport(func(_, address string, _ syscall.RawConn) error {
			return g.refuse(address, neverReached)
		})
	}
	return g
}

// transport is an HTTP transport whose dialer checks each address with control.
func (g *guardTransport) transport(control func(network, address string, c syscall.RawConn) error) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: control}
	return &http.Transport{
		// The connections keep the heads of each exchange as they went
		// over the wire, for the evidence; over TLS only HTTP/1.1 is
		// offered (wire.go).
		DialContext:           wireDial(dialer.DialContext),
		DialTLSContext:        wireDialTLS(dialer.DialContext, 10*time.Second, nil),
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true, // boundedTransport asks for gzip and decompresses, so that evidence keeps the wire bytes
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: g.timeout,
	}
}

// refuse returns an error wrapping ErrPrivateAddress when the dialled
// address is one that refused reports.
func (g *guardTransport) refuse(address string, refused func(netip.Addr) bool) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if refused(ip) {
		return ErrPrivateAddress // net.OpError names the address
	}
	return nil
}

// ownTransport is the transport of an account's own host on a private network.
func (g *guardTransport) ownTransport(hostPort string) *http.Transport {
	g.mu.Lock()
	defer g.mu.Unlock()
	t, ok := g.own[hostPort]
	if !ok {
		t = g.transport(func(_, address string, _ syscall.RawConn) error {
			return g.refuse(address, neverReached)
		})
		g.own[hostPort] = t
	}
	return t
}

func (g *guardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := &reach{}
	if f := inFlightOf(req.Context()); f != nil {
		r = &f.reach
	}
	host := hostPort(req.URL)
	from := r.publicHost()
	var t *http.Transport
	switch {
	case from != "":
		t = g.public
	case r.own != "" && host == r.own:
		t = g.ownTransport(host)
	case g.all != nil:
		t = g.all
	default:
		t = g.public
	}
	var remote atomic.Value // netip.Addr
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if ap, err := netip.ParseAddrPort(info.Conn.RemoteAddr().String()); err == nil {
				remote.Store(ap.Addr())
			}
		},
	}))
	resp, err := t.RoundTrip(req)
	if err != nil {
		if !errors.Is(err, ErrPrivateAddress) {
			return nil, err
		}
		switch {
		case from != "":
			return nil, fmt.Errorf("%w: a redirect from %s, a public host, may not lead into a private network", err, from)
		case r.own != "":
			return nil, fmt.Errorf("%w: only the account's own endpoint, %s, may be on a private network", err, r.own)
		case g.all != nil:
			return nil, fmt.Errorf("%w (link-local, multicast and unspecified addresses are never reached)", err)
		}
		return nil, fmt.Errorf("%w (an instance on the office's network needs allow_private_network: true on its account in the directory)", err)
	}
	if ip, ok := remote.Load().(netip.Addr); ok && !g.private(ip) {
		r.reachedPublic(host)
	}
	return resp, nil
}

// neverReachedPrefixes are reached by no crawl, whatever it is allowed:
// unspecified (which dials the local host), link-local (where cloud
// metadata services answer), multicast and broadcast.
var ipv4Compatible = netip.MustParsePrefix("::/96")

var neverReachedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "fe80::/10", "ff00::/8",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// neverReached reports whether an address is one no crawl reaches. Of the
// deprecated IPv4-compatible range (::/96) only loopback, ::1, may be.
func neverReached(addr netip.Addr) bool {
	addr = addr.WithZone("").Unmap()
	if v4, ok := embeddedIPv4(addr); ok {
		return neverReached(v4)
	}
	if ipv4Compatible.Contains(addr) && addr != netip.IPv6Loopback() {
		return true
	}
	for _, p := range neverReachedPrefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
