package crawler

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// maxWireHead bounds the request and response heads a wireConn keeps:
// net/http refuses response heads over 1 MiB (MaxResponseHeaderBytes).
const maxWireHead = 1 << 20

// wireConn is a connection that keeps the bytes of the last HTTP/1.x
// request written on it and of the head of the response read after it, as
// they went over the wire (after TLS decryption), for the evidence.
//
// net/http sends one request at a time on a connection (no pipelining) and
// reads its whole response before the next request is written; so the
// bytes written after a response began are the next request, and the bytes
// read after a request are its response, whose head ends at the first empty
// line. Interim (1xx) heads are skipped: the head kept is the final one.
//
// Each request written is numbered; the transport asks for the number once
// its request is written (httptrace WroteRequest; net/http reuses a
// connection only after that), and for the heads of that number once it
// has the response. A response without a body frees the connection before
// its caller asks for its heads, and the next exchange may be under way by
// then: the heads of the last few requests are kept, by number, so that
// each exchange gets its own.
type wireConn struct {
	net.Conn

	mu      sync.Mutex
	seq     uint64 // number of the request being written or last written
	writing bool   // the last thing done was writing a request
	req     []byte // the request being written or last written
	reading bool   // collecting a response head
	buf     []byte // the response head so far
	kept    map[uint64]wireHeads
}

// wireHeads are the heads of one exchange as they went over the wire.
type wireHeads struct{ req, resp []byte }

// keptHeads is how many exchanges' heads a wireConn keeps.
const keptHeads = 8

func newWireConn(c net.Conn) *wireConn { return &wireConn{Conn: c, kept: map[uint64]wireHeads{}} }

func (c *wireConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if !c.writing {
		c.writing, c.req = true, nil
		c.seq++
		delete(c.kept, c.seq-keptHeads)
	}
	if len(c.req)+len(p) <= maxWireHead {
		c.req = append(c.req, p...)
	} else {
		c.req = nil // too long to be a head kept: evidence falls back on net/http's view
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		c.took(p[:n])
		c.mu.Unlock()
	}
	return n, err
}

// took accounts for bytes read. c.mu is held.
func (c *wireConn) took(p []byte) {
	if c.writing { // the first bytes of the answer to the request written
		c.writing, c.reading, c.buf = false, true, nil
	}
	for c.reading && len(p) > 0 {
		from := len(c.buf)
		if from+len(p) > maxWireHead {
			c.reading, c.buf = false, nil
			return
		}
		c.buf = append(c.buf, p...)
		end := wireHeadLen(c.buf, max(0, from-3))
		if end < 0 {
			return
		}
		head := c.buf[:end:end]
		p = c.buf[end:] // what follows: a body, or the next head after a 1xx
		if interim(head) {
			c.buf = nil
			continue
		}
		c.kept[c.seq] = wireHeads{req: c.req, resp: head}
		c.reading, c.buf = false, nil
	}
}

// written returns the number of the request being written on c. net/http
// reports a request written (httptrace WroteRequest) once it is in its
// buffer, before the buffer is flushed to c: unless part of it reached c
// already (a head longer than the buffer), it is the next one.
func (c *wireConn) written() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing {
		return c.seq
	}
	return c.seq + 1
}

// take returns the request and response heads of the exchange of request
// seq on c, or nils when they were not kept whole.
func (c *wireConn) take(seq uint64) (req, head []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.kept[seq]
	delete(c.kept, seq)
	return h.req, h.resp
}

// wireHeadLen is the length of the HTTP head at the start of b: up to and
// including its first empty line ("\r\n" or "\n"), looked for from byte
// from on; -1 when b holds no empty line yet.
func wireHeadLen(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		// a line ends at i; it is empty when the one before ended at i-1 or i-2 ("\r\n")
		if i >= 1 && b[i-1] == '\n' {
			return i + 1
		}
		if i >= 2 && b[i-1] == '\r' && b[i-2] == '\n' {
			return i + 1
		}
	}
	return -1
}

// interim tells whether a response head is a 1xx other than 101, which
// net/http reads and skips before the final response.
func interim(head []byte) bool {
	_, rest, ok := bytes.Cut(head, []byte(" "))
	return ok && len(rest) >= 3 && rest[0] == '1' && !bytes.HasPrefix(rest, []byte("101"))
}

// wireDial wraps a dialer so that its connections keep their heads.
func wireDial(dial func(ctx context.Context, network, address string) (net.Conn, error)) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		c, err := dial(ctx, network, address)
		if err != nil {
			return nil, err
		}
		return newWireConn(c), nil
	}
}

// wireDialTLS dials with dial, makes the TLS handshake and returns the
// connection keeping its heads, as seen inside TLS. It offers HTTP/1.1
// only (ALPN): vigia keeps the heads of an exchange as the bytes that
// carried them, which HTTP/2 (binary, HPACK-compressed frames, with headers
// handed over by net/http as a map) has no equivalent of.
// base, when not nil, is the TLS configuration to start from (its roots:
// tests); ServerName and NextProtos are set for each connection.
func wireDialTLS(dial func(ctx context.Context, network, address string) (net.Conn, error), timeout time.Duration, base *tls.Config) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return nil, err
		}
		raw, err := dial(ctx, network, address)
		if err != nil {
			return nil, err
		}
		cfg := &tls.Config{}
		if base != nil {
			cfg = base.Clone()
		}
		cfg.ServerName, cfg.NextProtos = host, []string{"http/1.1"}
		tc := tls.Client(raw, cfg)
		hctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := tc.HandshakeContext(hctx); err != nil {
			raw.Close()
			return nil, err
		}
		return newWireConn(tc), nil
	}
}
