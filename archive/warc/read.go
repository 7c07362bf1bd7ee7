package warc

import (
	"errors"
	"fmt"
	"io"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Stored is one WARC record read back whole from a file, its digests
// checked: the bytes it takes in the file (a gzip member, in a .warc.gz
// file), to be copied as they are, and what a reader needs of its headers.
type Stored struct {
	Raw           []byte // the record as stored in the file
	ID            string // WARC-Record-ID
	Type          string // WARC-Type
	TargetURI     string // WARC-Target-URI
	BlockDigest   string // WARC-Block-Digest
	PayloadDigest string // WARC-Payload-Digest
	WarcinfoID    string // WARC-Warcinfo-ID
	ConcurrentTo  []string
	RefersTo      string // WARC-Refers-To, of a revisit
	Block         []byte // the record's block: for a revisit, the HTTP head only
}

// ErrTooLarge reports a record whose block is over the limit a reader set.
var ErrTooLarge = errors.New("warc record too large")

// ReadAt reads, with gowarc's reader, the record that starts at offset of
// r, which holds size bytes in all. The block and payload digests the
// record states, its framing and, in a gzip member, the gzip checksum are
// checked: a record that does not match them is an error. A block of more
// than max bytes is ErrTooLarge.
func ReadAt(r io.ReaderAt, size, offset, max int64) (*Stored, error) {
	if offset < 0 || offset >= size {
		return nil, fmt.Errorf("read warc record: offset %d out of the file", offset)
	}
	var rd *gowarc.WarcFileReader
	var err error
	func() {
		gowarcMu.Lock()
		defer gowarcMu.Unlock()
		rd, err = gowarc.NewWarcFileReaderFromStream(io.NewSectionReader(r, offset, size-offset), 0,
			gowarc.WithSpecViolationPolicy(gowarc.ErrFail), // a digest that does not match is an error
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
			gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore)) // an odd HTTP head is what the server sent
	}()
	if err != nil {
		return nil, fmt.Errorf("read warc record at %d: %w", offset, err)
	}
	defer rd.Close()
	rec, err := rd.Next()
	if rec.WarcRecord != nil {
		defer rec.Close()
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("read warc record at %d: %w", offset, err)
	case rec.Offset != 0:
		return nil, fmt.Errorf("read warc record at %d: no record there (the next is %d bytes on)", offset, rec.Offset)
	}
	h := rec.WarcRecord.WarcHeader()
	if n, _ := h.GetInt64(gowarc.ContentLength); n > max {
		return nil, fmt.Errorf("read warc record at %d: %w: %d bytes", offset, ErrTooLarge, n)
	}
	s := &Stored{
		ID: h.Get(gowarc.WarcRecordID), Type: rec.WarcRecord.Type().String(), TargetURI: h.Get(gowarc.WarcTargetURI),
		BlockDigest: h.Get(gowarc.WarcBlockDigest), PayloadDigest: h.Get(gowarc.WarcPayloadDigest),
		WarcinfoID: h.Get(gowarc.WarcWarcinfoID), ConcurrentTo: h.GetAll(gowarc.WarcConcurrentTo),
		RefersTo: h.Get(gowarc.WarcRefersTo),
	}
	raw, err := rec.WarcRecord.Block().RawBytes()
	if err == nil {
		s.Block, err = io.ReadAll(io.LimitReader(raw, max+1))
	}
	if err != nil {
		return nil, fmt.Errorf("read warc record at %d: %w", offset, err)
	}
	s.Raw = make([]byte, rec.Size)
	if _, err := r.ReadAt(s.Raw, offset); err != nil {
		return nil, fmt.Errorf("read warc record at %d: %w", offset, err)
	}
	return s, nil
}
