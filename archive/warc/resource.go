package warc

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Resource is content vigia made from a capture, such as the readable
// rendering of a post version, to be kept as a WARC resource record that
// names the record it was made from.
type Resource struct {
	TargetURI   string    // the URL a replay opens it at
	Date        time.Time // when it was made
	ContentType string    // e.g. "text/html; charset=utf-8"
	Block       []byte
	// MadeFrom is the WARC-Record-ID of the record it was made from,
	// written as WARC-Concurrent-To: WARC 1.1 (and gowarc) allow
	// WARC-Refers-To only in revisit, metadata and conversion records, and
	// a replay (ReplayWeb.page) opens resource records. May be empty.
	MadeFrom string
}

// WriteResource writes r to w as a resource record in a gzip member of its
// own (with the gzip header Verify expects), SHA-256 digests as the Writer
// writes them, and returns its WARC-Record-ID and the bytes written.
func WriteResource(w io.Writer, r Resource) (id string, n int64, err error) {
	var rec gowarc.WarcRecord
	func() {
		gowarcMu.Lock()
		defer gowarcMu.Unlock()
		rb := gowarc.NewRecordBuilder(gowarc.Resource, recordOptions(len(r.Block))...)
		rb.AddWarcHeader(gowarc.WarcTargetURI, r.TargetURI)
		rb.AddWarcHeaderTime(gowarc.WarcDate, r.Date)
		rb.AddWarcHeader(gowarc.ContentType, r.ContentType)
		if r.MadeFrom != "" {
			rb.AddWarcHeader(gowarc.WarcConcurrentTo, r.MadeFrom)
		}
		if _, err = rb.Write(r.Block); err != nil {
			_ = rb.Close()
			return
		}
		rec, _, err = rb.Build()
	}()
	if err != nil {
		return "", 0, fmt.Errorf("build resource record for %s: %w", r.TargetURI, err)
	}
	defer rec.Close()
	var member bytes.Buffer
	zw := gzip.NewWriter(&member)
	zw.ModTime = time.Unix(int64(uint32(time.Time{}.Unix())), 0) // the header of gzipHeader
	if _, _, err = gowarc.NewMarshaler().Marshal(zw, rec, 0); err == nil {
		err = zw.Close()
	}
	if err != nil {
		return "", 0, fmt.Errorf("write resource record for %s: %w", r.TargetURI, err)
	}
	m, err := w.Write(member.Bytes())
	return rec.WarcHeader().Get(gowarc.WarcRecordID), int64(m), err
}

// AppendResource appends r to the writer's files as a resource record, as
// Append appends an exchange: call Sync before relying on the Ref, so that
// many records share one fsync. Its warcinfo record and CDXJ index are those
// of the file it lands in.
func (w *Writer) AppendResource(r Resource) (Ref, error) {
	ref, _, err := w.append([]spec{{typ: gowarc.Resource, uri: r.TargetURI, date: r.Date,
		contentType: r.ContentType, block: [][]byte{r.Block}, madeFrom: r.MadeFrom}})
	if err != nil {
		return Ref{}, fmt.Errorf("write resource record for %s: %w", r.TargetURI, err)
	}
	return ref, nil
}
