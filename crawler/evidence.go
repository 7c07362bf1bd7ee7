package crawler

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
)

// Recorder keeps HTTP exchanges as evidence; *warc.Writer is one. It must
// be safe for concurrent use. Append may return before the exchange is on
// stable storage; Sync makes every exchange appended so far durable, and the
// crawl calls it before each archive append, so that the archive never holds
// a reference to evidence a crash could lose.
type Recorder interface {
	Append(ex *warc.Exchange) (warc.Ref, error)
	Sync() error
}

// exchangeLog collects, for one request and its redirects, where each
// exchange was recorded. Client.once puts one in the request's inFlight;
// the transport fills it as bodies are closed.
type exchangeLog struct {
	mu   sync.Mutex
	refs []archive.WARCRef
	err  error
}

func (l *exchangeLog) add(ref archive.WARCRef, err error) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil && l.err == nil {
		l.err = err
	}
	l.refs = append(l.refs, ref)
}

// last returns the reference of the final exchange (after redirects) and
// the first recording error.
func (l *exchangeLog) last() (archive.WARCRef, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.refs) == 0 {
		return archive.WARCRef{}, l.err
	}
	return l.refs[len(l.refs)-1], l.err
}

// recordingBody passes a response body through, keeps a copy of the bytes
// as they came off the wire (before decompression), and writes the exchange
// to the recorder when the body is closed.
type recordingBody struct {
	io.Reader           // what the reader of the response gets
	wire      io.Closer // the transport's body
	raw       *bytes.Buffer
	eof       bool
	failed    bool
	once      sync.Once
	record    func(raw []byte, truncated string)
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err == io.EOF {
		b.eof = true
	} else if err != nil {
		b.failed = true
	}
	return n, err
}

func (b *recordingBody) Close() error {
	err := b.wire.Close()
	b.once.Do(func() {
		truncated := ""
		switch {
		case b.failed:
			truncated = "length" // over the size cap, or the connection failed: kept as far as read
		case !b.eof:
			truncated = "unspecified" // the reader stopped early (a redirect's body)
		}
		b.record(b.raw.Bytes(), truncated)
	})
	return err
}

// record starts the evidence of one exchange: the request head as sent and
// the response head as received, byte for byte, when the connection kept
// them (reqHead and head: every HTTP/1.x exchange, see wireConn), else as
// net/http saw them; and arranges
// for the body to be kept. It returns the body reader the transport goes on
// with (reading through tee keeps the wire bytes).
func (t *boundedTransport) record(req *http.Request, resp *http.Response, reqHead, head []byte, wire io.Reader, sent time.Time, ip string) (tee io.Reader, finish func(wrapped io.Reader) io.ReadCloser) {
	if !sameStatus(head, resp.StatusCode) || warcHeadLen(reqHead) != len(reqHead) {
		reqHead, head = rebuiltHeads(req, resp)
	}
	reqHead = redactHead(reqHead) // never the office's token (redact.go)
	raw := &bytes.Buffer{}
	var log *exchangeLog // nil (nothing to tell) outside Client.once
	if f := inFlightOf(req.Context()); f != nil {
		log = &f.exchanges
	}
	dechunked := len(resp.TransferEncoding) > 0
	return io.TeeReader(wire, raw), func(wrapped io.Reader) io.ReadCloser {
		return &recordingBody{Reader: wrapped, wire: resp.Body, raw: raw, record: func(body []byte, truncated string) {
			head := storedHead(head, dechunked, len(body), truncated)
			ref, err := t.evidence.Append(&warc.Exchange{
				TargetURI: RedactURL(req.URL.String()), Date: sent, IP: ip,
				Request: reqHead, Response: head, Body: body, Truncated: truncated,
			})
			if err != nil {
				err = fmt.Errorf("keep evidence of GET %s: %w: %w", RedactURL(req.URL.String()), ErrEvidence, err)
			}
			t.metrics.evidence(int64(len(reqHead)+len(head)+len(body)), err)
			log.add(archive.WARCRef{File: ref.File, RecordID: ref.RecordID, Offset: ref.Offset, Digest: ref.BlockDigest}, err)
		}}
	}
}

// sameStatus tells whether a response head read off the wire is the one
// net/http answered with: its status line names status.
func sameStatus(head []byte, status int) bool {
	if warcHeadLen(head) != len(head) || len(head) == 0 {
		return false
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	_, rest, ok := bytes.Cut(line, []byte(" "))
	return ok && len(rest) >= 3 && string(rest[:3]) == strconv.Itoa(status)
}

// warcHeadLen is the length of the HTTP head at the start of b as the WARC
// writer splits a block (archive/warc): up to its first empty line; -1 when
// it has none.
func warcHeadLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return wireHeadLen(b, 0)
}

// rebuiltHeads are the heads of an exchange whose wire bytes were not kept
// (no HTTP/1.x connection of the crawler's: HTTP/2, which vigia does not
// offer, or a transport of a test): the request as net/http would write it
// and the status line and headers net/http read, in its order (sorted),
// both naming the protocol of the response. A transfer coding net/http
// removed is named as the stored body no longer carries it.
func rebuiltHeads(req *http.Request, resp *http.Response) (reqHead, head []byte) {
	reqHead, err := httputil.DumpRequestOut(req, false)
	if err != nil {
		reqHead = []byte(fmt.Sprintf("GET %s HTTP/1.1\r\n\r\n", req.URL.RequestURI()))
	}
	if resp.Proto != "" && resp.Proto != "HTTP/1.1" {
		if line, rest, ok := bytes.Cut(reqHead, []byte("\r\n")); ok {
			line = append(bytes.TrimSuffix(line, []byte("HTTP/1.1")), resp.Proto...)
			reqHead = append(append(line, "\r\n"...), rest...)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\r\n", resp.Proto, resp.Status)
	_ = resp.Header.Write(&b)
	if len(resp.TransferEncoding) > 0 {
		fmt.Fprintf(&b, "Transfer-Encoding: %s\r\n", strings.Join(resp.TransferEncoding, ", "))
	}
	b.WriteString("\r\n")
	return reqHead, b.Bytes()
}

// renamePrefix is put before the name of a header that no longer describes
// the body as stored, as the WARC 1.1 guidelines (section 7.1) advise.
const renamePrefix = "X-Crawler-"

// storedHead is the response head as it goes in the WARC record: head as
// received, except when net/http removed a transfer coding (chunked) from
// the body, which is stored de-chunked: then each Transfer-Encoding header
// and each Content-Length header is renamed (X-Crawler-Transfer-Encoding,
// X-Crawler-Content-Length), in place, and, when the body is whole, a
// Content-Length naming the stored body's size goes before the empty line.
// The body keeps its Content-Encoding (gzip stays gzip): that header still
// describes it.
func storedHead(head []byte, dechunked bool, bodyLen int, truncated string) []byte {
	if !dechunked {
		return head
	}
	out := make([]byte, 0, len(head)+64)
	eol := "\r\n"
	for first, rest := true, head; len(rest) > 0; first = false {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		rest = after
		if t := bytes.TrimSuffix(line, []byte("\r")); len(t) == 0 { // the empty line
			if len(t) == len(line) {
				eol = "\n"
			}
			if truncated == "" {
				out = fmt.Appendf(out, "Content-Length: %d%s", bodyLen, eol)
			}
			out = append(out, line...)
			out = append(out, '\n')
			break
		}
		name, _, ok := bytes.Cut(line, []byte(":"))
		if n := strings.TrimSpace(string(name)); ok && !first && (strings.EqualFold(n, "Transfer-Encoding") || strings.EqualFold(n, "Content-Length")) {
			out = append(out, renamePrefix...)
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out
}
