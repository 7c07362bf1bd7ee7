package warc

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// ErrNotResponse reports a record that is not a response with an HTTP
// payload of its own (a revisit, a request, a metadata record).
var ErrNotResponse = errors.New("not a response record")

// Payload is what the HTTP response of a WARC response record carried.
type Payload struct {
	TargetURI string
	Status    int
	Header    http.Header // the response's header, as stored
	// Body is the entity body, its Content-Encoding (gzip, deflate)
	// undone: what the server sent, as a client reads it.
	Body []byte
}

// ReadPayload reads the response record recordID at offset of the WARC
// file name in dir (or the file still being written, NAME.open), checks it
// is that record, and returns its HTTP response with the body decoded, at
// most max bytes of it. name must be a base name.
func ReadPayload(dir, name string, offset int64, recordID string, max int64) (*Payload, error) {
	if name == "" || name != filepath.Base(name) || !filepath.IsLocal(name) || offset < 0 {
		return nil, fmt.Errorf("read payload: bad reference %q @ %d", name, offset)
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		path += openSuffix
	}
	var rd *gowarc.WarcFileReader
	var err error
	func() {
		gowarcMu.Lock()
		defer gowarcMu.Unlock()
		rd, err = gowarc.NewWarcFileReader(path, offset,
			gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore), gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore))
	}()
	if err != nil {
		return nil, fmt.Errorf("read payload %s: %w", name, err)
	}
	defer rd.Close()
	rec, err := rd.Next()
	if err != nil {
		return nil, fmt.Errorf("read payload %s @ %d: %w", name, offset, err)
	}
	defer rec.Close()
	h := rec.WarcRecord.WarcHeader()
	switch {
	case rec.Offset != offset:
		return nil, fmt.Errorf("read payload %s: no record at offset %d", name, offset)
	case h.Get(gowarc.WarcRecordID) != recordID:
		return nil, fmt.Errorf("read payload %s @ %d: record %s, not %s", name, offset, h.Get(gowarc.WarcRecordID), recordID)
	case rec.WarcRecord.Type() != gowarc.Response:
		return nil, fmt.Errorf("read payload %s @ %d: %w (%s)", name, offset, ErrNotResponse, rec.WarcRecord.Type())
	}
	block, ok := rec.WarcRecord.Block().(gowarc.HttpResponseBlock)
	if !ok {
		return nil, fmt.Errorf("read payload %s @ %d: %w (no HTTP response)", name, offset, ErrNotResponse)
	}
	body, err := block.PayloadBytes()
	if err != nil {
		return nil, fmt.Errorf("read payload %s @ %d: %w", name, offset, err)
	}
	p := &Payload{TargetURI: h.Get(gowarc.WarcTargetURI), Status: block.HttpStatusCode(), Header: http.Header{}}
	if hh := block.HttpHeader(); hh != nil {
		p.Header = hh.Clone()
	}
	if p.Body, err = decode(body, p.Header.Get("Content-Encoding"), max); err != nil {
		return nil, fmt.Errorf("read payload %s @ %d: %w", name, offset, err)
	}
	return p, nil
}

// decode reads body through its Content-Encoding, at most max bytes.
func decode(body io.Reader, encoding string, max int64) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(body, max+1))
	if err != nil {
		return nil, err
	}
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		r = bytes.NewReader(raw)
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		r = zr
	case "deflate":
		r = flate.NewReader(bytes.NewReader(raw))
	default:
		return nil, fmt.Errorf("content encoding %q", encoding)
	}
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("body over %d bytes", max)
	}
	return out, nil
}
