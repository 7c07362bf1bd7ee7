package crawler

import (
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"
)

// privatePrefixes are the address ranges a crawler must not reach unless
// told to: loopback, private, link-local, shared (CGNAT), unspecified,
// multicast, reserved and documentation-only ranges. IPv6's ::/96 holds the
// unspecified address, loopback and the deprecated IPv4-compatible
// addresses (::7f00:1 is 127.0.0.1 to some stacks), none of which a public
// server uses.
var privatePrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
		"224.0.0.0/4", "240.0.0.0/4",
		"::/96", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "64:ff9b:1::/48",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// Prefixes of IPv6 addresses that carry an IPv4 address: NAT64's well-known
// prefix and SIIT's IPv4-translated addresses (in the last 32 bits), 6to4
// (in bits 16..47) and Teredo (the client's, inverted, in the last 32 bits).
// IPv4-mapped addresses (::ffff:a.b.c.d) are unmapped first.
var (
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	translated = netip.MustParsePrefix("::ffff:0:0:0/96")
	sixToFour  = netip.MustParsePrefix("2002::/16")
	teredo     = netip.MustParsePrefix("2001::/32")
)

// isPrivate reports whether an address is one a public crawler must not reach,
// looking also at the IPv4 address an IPv6 one carries.
func isPrivate(addr netip.Addr) bool {
	addr = addr.WithZone("").Unmap() // a zone would keep the address out of every prefix
	if v4, ok := embeddedIPv4(addr); ok {
		return isPrivate(v4)
	}
	for _, p := range privatePrefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// embeddedIPv4 returns the IPv4 address a translated or tunnelled IPv6
// address leads to.
func embeddedIPv4(addr netip.Addr) (netip.Addr, bool) {
	b := addr.As16()
	switch {
	case nat64.Contains(addr), translated.Contains(addr):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(addr):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	case teredo.Contains(addr):
		return netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]}), true
	}
	return netip.Addr{}, false
}

// boundedTransport caps the size of every response body, after
// decompression, and decompresses gzip bodies itself, so that neither an
// endless body nor a gzip bomb can exhaust memory. With a recorder, it keeps
// every exchange as evidence, with the body as it came off the wire.
type boundedTransport struct {
	base     http.RoundTripper // with DisableCompression: vigia asks for gzip itself
	max      int64
	evidence Recorder // may be nil
	metrics  *Metrics
}

func (t *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Accept-Encoding") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("Accept-Encoding", "gzip")
	}
	var ip, wire atomic.Value
	var wireSeq atomic.Uint64
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if a, ok := info.Conn.RemoteAddr().(*net.TCPAddr); ok {
				ip.Store(a.IP.String())
			}
			if c, ok := info.Conn.(*wireConn); ok { // the heads as they went over the wire
				wire.Store(c)
			}
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			if c, ok := wire.Load().(*wireConn); ok {
				wireSeq.Store(c.written()) // which of the connection's exchanges is this one
			}
		},
	}))
	sent := time.Now().UTC()
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	max := t.max
	if f := inFlightOf(req.Context()); f != nil && f.maxBody > 0 && f.maxBody < max {
		max = f.maxBody
	}
	// The cap holds twice: on the bytes off the wire (a compressed stream
	// that inflates to nothing would otherwise never end) and, below, on
	// the bytes after decompression (a gzip bomb).
	var body io.Reader = &limitedBody{r: resp.Body, left: max, max: max}
	var finish func(io.Reader) io.ReadCloser
	if t.evidence != nil {
		addr, _ := ip.Load().(string)
		var reqHead, respHead []byte
		if conn, ok := wire.Load().(*wireConn); ok && wireSeq.Load() > 0 {
			reqHead, respHead = conn.take(wireSeq.Load())
		}
		body, finish = t.record(req, resp, reqHead, respHead, body, sent, addr)
	}
	if strings.Contains(strings.ToLower(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(body)
		if err != nil {
			if finish != nil { // keep what came, as evidence of the broken response
				rb := finish(io.LimitReader(body, max))
				_, _ = io.Copy(io.Discard, rb)
				rb.Close()
			} else {
				resp.Body.Close()
			}
			return nil, fmt.Errorf("read gzip body of %s: %w", req.URL, err)
		}
		body = zr
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
	}
	// Uncompressed tells colly, as net/http would, that the body it reads is
	// no longer compressed: colly's backend otherwise gunzips on its own a
	// body whose Content-Type names gzip or whose path ends in .xml.gz
	// (http_backend.go, Do), past the cap and unlike what was received.
	resp.Uncompressed = true
	limited := &limitedBody{r: body, left: max, max: max}
	if finish != nil {
		resp.Body = finish(limited)
	} else {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{limited, resp.Body}
	}
	return resp, nil
}

// limitedBody fails with ErrBodyTooLarge once more than max bytes are read.
type limitedBody struct {
	r    io.Reader
	left int64
	max  int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, fmt.Errorf("body over %d bytes: %w", l.max, ErrBodyTooLarge)
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, fmt.Errorf("body over %d bytes: %w", l.max, ErrBodyTooLarge)
	}
	return n, err
}
