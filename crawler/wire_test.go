package crawler

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
)

// rawServer is an HTTP/1.1 server written by hand on a TCP socket: each
// path answers with the exact bytes given, connections are kept alive, and
// the request heads received are kept.
type rawServer struct {
	ln      net.Listener
	answers map[string]string

	mu    sync.Mutex
	conns int
	reqs  map[string][]byte // path → request head as received
}

func startRawServer(t *testing.T, answers map[string]string) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln, answers: answers, reqs: map[string][]byte{}}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
			go s.serve(c)
		}
	}()
	return s
}

func (s *rawServer) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		var head []byte
		for {
			line, err := br.ReadBytes('\n')
			if err != nil {
				return
			}
			head = append(head, line...)
			if len(line) <= 2 {
				break
			}
		}
		path := strings.Fields(string(head))[1]
		s.mu.Lock()
		s.reqs[path] = head
		s.mu.Unlock()
		answer, ok := s.answers[path]
		if !ok {
			answer = "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"
		}
		if _, err := io.WriteString(c, answer); err != nil {
			return
		}
	}
}

func (s *rawServer) url(path string) string { return "http://" + s.ln.Addr().String() + path }

func gzipped(t *testing.T, s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

// dechunked is head as the WARC record keeps it for a body stored
// de-chunked: Transfer-Encoding renamed, the stored size as Content-Length.
func dechunked(head string, size int) string {
	i := strings.Index(strings.ToLower(head), "\r\ntransfer-encoding:") + 2
	head = head[:i] + "X-Crawler-" + head[i:]
	return strings.TrimSuffix(head, "\r\n") + fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
}

func chunk(s string) string { return fmt.Sprintf("%x\r\n%s\r\n", len(s), s) }

// TestEvidenceKeepsHeadsAsReceived fetches, on one kept-alive connection,
// responses written by hand (header names in mixed case and no order, a
// chunked body, a gzip body sent in chunks, an interim 100 Continue), and
// reads the WARC back with gowarc: each response record's head is the one
// on the wire byte for byte, but for the renames a de-chunked body calls
// for, its payload is the body as sent (still gzip) without the chunking,
// and each request record is what the server received.
func TestEvidenceKeepsHeadsAsReceived(t *testing.T) {
	json := `{"statuses":[{"id":"1","content":"hola"}]}`
	zipped := gzipped(t, json)
	plainHead := "HTTP/1.1 200 OK\r\nzeta-Last: 1\r\nContent-TYPE: text/html;charset=utf-8\r\nx-odd-CASE:   spaced value \r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 5\r\n\r\n"
	chunkedHead := "HTTP/1.1 200 OK\r\nServer: hand\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\nDate: Fri, 04 Dec 2026 20:00:00 GMT\r\n\r\n"
	gzipHead := "HTTP/1.1 200 OK\r\nvary: Accept-Encoding\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
	finalHead := "HTTP/1.1 200 Fine\r\nb: 2\r\na: 1\r\ncontent-length: 2\r\n\r\n"
	srv := startRawServer(t, map[string]string{
		"/robots.txt": "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
		"/plain":      plainHead + "hello",
		"/chunked":    chunkedHead + chunk(json[:10]) + chunk(json[10:]) + "0\r\n\r\n",
		"/gzip":       gzipHead + chunk(zipped[:7]) + chunk(zipped[7:]) + "0\r\n\r\n",
		"/continue":   "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n" + finalHead + "ok",
	})
	dir := t.TempDir()
	w, err := warc.NewWriter(warc.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	c := testClient(func(o *ClientOptions) { o.Evidence = w; o.UserAgent = "vigia/test" })
	want := map[string]struct{ head, payload, body string }{
		"/plain":    {plainHead, "hello", "hello"},
		"/chunked":  {dechunked(chunkedHead, len(json)), json, json},
		"/gzip":     {dechunked(gzipHead, len(zipped)), zipped, json},
		"/continue": {finalHead, "ok", "ok"},
	}
	for _, path := range []string{"/plain", "/chunked", "/gzip", "/continue"} {
		resp, err := c.Get(context.Background(), archive.Mastodon, srv.url(path), "", nil)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if string(resp.Body) != want[path].body {
			t.Errorf("GET %s: the adapter got %q, want %q", path, resp.Body, want[path].body)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if srv.conns != 1 {
		t.Errorf("%d connections: the exchanges should share one kept alive", srv.conns)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("WARC files %v", files)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := gowarc.NewWarcFileReaderFromStream(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Validation != nil && len(rec.Validation) > 0 {
			t.Errorf("record %s: %v", rec.WarcRecord.WarcHeader().Get(gowarc.WarcRecordID), rec.Validation)
		}
		uri := rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI)
		path := strings.TrimPrefix(uri, srv.url(""))
		w, ok := want[path]
		block, isHTTP := rec.WarcRecord.Block().(gowarc.PayloadBlock)
		switch typ := rec.WarcRecord.Type(); {
		case !ok || !isHTTP:
		case typ == gowarc.Request:
			got := block.(gowarc.ProtocolHeaderBlock).ProtocolHeaderBytes()
			srv.mu.Lock()
			sent := string(srv.reqs[path])
			srv.mu.Unlock()
			if string(got) != sent {
				t.Errorf("request record of %s:\n%q\nthe server received\n%q", path, got, sent)
			}
		case typ == gowarc.Response:
			seen[path] = true
			got := block.(gowarc.ProtocolHeaderBlock).ProtocolHeaderBytes()
			if string(got) != w.head {
				t.Errorf("response head of %s:\n%q\nwant\n%q", path, got, w.head)
			}
			p, err := block.PayloadBytes()
			if err != nil {
				t.Fatal(err)
			}
			payload, _ := io.ReadAll(p)
			if string(payload) != w.payload {
				t.Errorf("payload of %s: %q, want %q", path, payload, w.payload)
			}
		}
		rec.Close()
	}
	if len(seen) != len(want) {
		t.Errorf("responses recorded for %v, want all of %d", seen, len(want))
	}
	if _, problems, err := warc.Verify(context.Background(), dir, nil); err != nil || len(problems) > 0 {
		t.Errorf("verify: %v %v", problems, err)
	}
}

// Over TLS the crawler's connections offer HTTP/1.1 only, so that a server
// that speaks HTTP/2 answers in HTTP/1.1 and the heads are kept as bytes.
func TestWireTLSKeepsHeadsOverHTTP11(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["x-lower"] = []string{"as sent"} // not canonicalised by the server
		w.Write([]byte("hola"))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	var conn atomic.Value
	d := &net.Dialer{}
	tr := &http.Transport{DialTLSContext: wireDialTLS(d.DialContext, 5*time.Second, &tls.Config{RootCAs: roots})}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", srv.URL+"/x", nil)
	req = req.WithContext(httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { conn.Store(info.Conn) },
	}))
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Proto != "HTTP/1.1" {
		t.Errorf("protocol %s, want HTTP/1.1", resp.Proto)
	}
	c, ok := conn.Load().(*wireConn)
	if !ok {
		t.Fatalf("connection %T, not a wireConn", conn.Load())
	}
	reqHead, head := c.take(c.seq) // the only exchange: 1
	if !strings.HasPrefix(string(reqHead), "GET /x HTTP/1.1\r\n") || !strings.HasSuffix(string(reqHead), "\r\n\r\n") {
		t.Errorf("request head %q", reqHead)
	}
	if !strings.HasPrefix(string(head), "HTTP/1.1 200 OK\r\n") || !strings.Contains(string(head), "\r\nx-lower: as sent\r\n") {
		t.Errorf("response head %q, want the server's, byte for byte", head)
	}
}

// Responses without a body free their connection before the transport asks
// for their heads, and the next request may be on it by then: fetched
// concurrently on kept-alive connections, each exchange still gets its own
// heads.
func TestEvidenceHeadsOfEmptyBodiesOnSharedConnections(t *testing.T) {
	answers := map[string]string{"/robots.txt": "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"}
	const n = 40
	for i := range n {
		p := fmt.Sprintf("/e%d", i)
		answers[p] = "HTTP/1.1 200 OK\r\nx-path: " + p + "\r\nContent-Length: 0\r\n\r\n"
	}
	srv := startRawServer(t, answers)
	dir := t.TempDir()
	w, err := warc.NewWriter(warc.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	c := testClient(func(o *ClientOptions) { o.Evidence = w })
	var wg sync.WaitGroup
	const workers = 4 // few, so that connections are reused while others wait
	for k := range workers {
		wg.Go(func() {
			for i := k; i < n; i += workers {
				if _, err := c.Get(context.Background(), archive.Mastodon, srv.url(fmt.Sprintf("/e%d", i)), "", nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	responses := 0
	for _, name := range files {
		rd, err := gowarc.NewWarcFileReader(name, 0)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			path := strings.TrimPrefix(rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI), srv.url(""))
			if b, ok := rec.WarcRecord.Block().(gowarc.ProtocolHeaderBlock); ok && strings.HasPrefix(path, "/e") {
				head := string(b.ProtocolHeaderBytes())
				switch rec.WarcRecord.Type() {
				case gowarc.Request:
					if !strings.HasPrefix(head, "GET "+path+" HTTP/1.1\r\n") {
						t.Errorf("request record of %s: %q", path, head)
					}
				case gowarc.Response, gowarc.Revisit:
					responses++
					if !strings.Contains(head, "\r\nx-path: "+path+"\r\n") {
						t.Errorf("response record of %s: %q", path, head)
					}
				}
			}
			rec.Close()
		}
		rd.Close()
	}
	if responses != n {
		t.Errorf("%d responses recorded, want %d", responses, n)
	}
	t.Logf("%d exchanges over %d connections", n, srv.conns)
}
