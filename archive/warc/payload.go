package warc

import (
	"bufio"
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
// payload (a request, a metadata record, a revisit whose original is not
// found).
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
// file name in dir (or the file still being written, NAME.open) with
// ReadAt (its digests checked), checks it is that record, and returns its
// HTTP response with the body decoded, at most max bytes of it. A revisit
// record is read as the response it refers to, found through the payloads
// files of dir (Originals), with the revisit's own status and header. name
// must be a base name.
func ReadPayload(dir, name string, offset int64, recordID string, max int64) (*Payload, error) {
	st, err := readStored(dir, name, offset, recordID, max)
	if err != nil {
		return nil, err
	}
	var body []byte
	switch st.Type {
	case gowarc.Response.String():
	case gowarc.Revisit.String():
		origs, err := Originals(dir)
		o, ok := origs[st.RefersTo]
		if !ok {
			return nil, fmt.Errorf("read payload %s @ %d: %w (a revisit of %s, not in the payloads files: %v)", name, offset, ErrNotResponse, st.RefersTo, err)
		}
		orig, err := readStored(dir, o.File, o.Offset, o.RecordID, max)
		if err != nil {
			return nil, fmt.Errorf("read payload %s @ %d, a revisit: %w", name, offset, err)
		}
		if orig.Type != gowarc.Response.String() || !strings.EqualFold(orig.PayloadDigest, st.PayloadDigest) {
			return nil, fmt.Errorf("read payload %s @ %d: %w (its original %s is a %s of another payload)", name, offset, ErrNotResponse, o.RecordID, orig.Type)
		}
		if _, body, err = parseResponse(orig.Block); err != nil {
			return nil, fmt.Errorf("read payload %s @ %d, a revisit: %w", name, offset, err)
		}
	default:
		return nil, fmt.Errorf("read payload %s @ %d: %w (%s)", name, offset, ErrNotResponse, st.Type)
	}
	resp, own, err := parseResponse(st.Block)
	if err != nil {
		return nil, fmt.Errorf("read payload %s @ %d: %w", name, offset, err)
	}
	if body == nil {
		body = own
	}
	p := &Payload{TargetURI: st.TargetURI, Status: resp.StatusCode, Header: resp.Header}
	if p.Body, err = decode(body, resp.Header.Get("Content-Encoding"), max); err != nil {
		return nil, fmt.Errorf("read payload %s @ %d: %w", name, offset, err)
	}
	return p, nil
}

// readStored reads the record recordID at offset of name in dir.
func readStored(dir, name string, offset int64, recordID string, max int64) (*Stored, error) {
	if name == "" || name != filepath.Base(name) || !filepath.IsLocal(name) || offset < 0 {
		return nil, fmt.Errorf("read payload: bad reference %q @ %d", name, offset)
	}
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.Open(path + openSuffix)
	}
	if err != nil {
		return nil, fmt.Errorf("read payload: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read payload: %w", err)
	}
	// (the block holds the HTTP head too: allow for it)
	st, err := ReadAt(f, fi.Size(), offset, max+1<<20)
	if err != nil {
		return nil, fmt.Errorf("read payload %s: %w", name, err)
	}
	if st.ID != recordID {
		return nil, fmt.Errorf("read payload %s @ %d: record %s, not %s", name, offset, st.ID, recordID)
	}
	return st, nil
}

// parseResponse reads an HTTP response block: its head, and the body that
// follows it to the end of the block (the crawler stores a body
// de-chunked, the headers that said otherwise renamed).
func parseResponse(block []byte) (*http.Response, []byte, error) {
	end := []byte("\r\n\r\n")
	i := bytes.Index(block, end)
	if i < 0 {
		end = []byte("\n\n") // a server that ends its lines with LF alone
		if i = bytes.Index(block, end); i < 0 {
			return nil, nil, fmt.Errorf("%w: no end to the HTTP head", ErrNotResponse)
		}
	}
	head := block[:i+len(end)]
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrNotResponse, err)
	}
	_ = resp.Body.Close()
	return resp, block[len(head):], nil
}

// decode reads body through its Content-Encoding, at most max bytes.
func decode(body []byte, encoding string, max int64) ([]byte, error) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		r = bytes.NewReader(body)
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		r = zr
	case "deflate":
		r = flate.NewReader(bytes.NewReader(body))
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
