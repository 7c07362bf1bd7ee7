package crawler

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
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

// record starts the evidence of one exchange: it dumps the request as sent
// and the response head as received, and arranges for the body to be kept.
// It returns the body reader the transport goes on with (reading through
// tee keeps the wire bytes).
func (t *boundedTransport) record(req *http.Request, resp *http.Response, wire io.Reader, sent time.Time, ip string) (tee io.Reader, finish func(wrapped io.Reader) io.ReadCloser) {
	reqHead, err := httputil.DumpRequestOut(req, false)
	if err != nil {
		reqHead = []byte(fmt.Sprintf("GET %s HTTP/1.1\r\n\r\n", req.URL.RequestURI()))
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "%s %s\r\n", resp.Proto, resp.Status)
	_ = resp.Header.Write(&head)
	head.WriteString("\r\n")
	raw := &bytes.Buffer{}
	var log *exchangeLog // nil (nothing to tell) outside Client.once
	if f := inFlightOf(req.Context()); f != nil {
		log = &f.exchanges
	}
	return io.TeeReader(wire, raw), func(wrapped io.Reader) io.ReadCloser {
		return &recordingBody{Reader: wrapped, wire: resp.Body, raw: raw, record: func(body []byte, truncated string) {
			ref, err := t.evidence.Append(&warc.Exchange{
				TargetURI: req.URL.String(), Date: sent, IP: ip,
				Request: reqHead, Response: head.Bytes(), Body: body, Truncated: truncated,
			})
			if err != nil {
				err = fmt.Errorf("keep evidence of GET %s: %w: %w", req.URL, ErrEvidence, err)
			}
			t.metrics.evidence(int64(len(reqHead)+head.Len()+len(body)), err)
			log.add(archive.WARCRef{File: ref.File, RecordID: ref.RecordID, Offset: ref.Offset, Digest: ref.BlockDigest}, err)
		}}
	}
}
