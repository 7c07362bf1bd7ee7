package warc

import (
	"fmt"
	"sync"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// gowarcMu serialises the calls into gowarc that build its options or make
// record IDs: gowarc writes a package variable of github.com/google/uuid
// (EnableRandPool) whenever it builds options, and uuid reads it for every
// ID, so two goroutines doing either at once race.
var gowarcMu sync.Mutex

const (
	requestType  = "application/http;msgtype=request"
	responseType = "application/http;msgtype=response"
)

// spec is a record to be built.
type spec struct {
	typ         gowarc.RecordType
	uri         string
	date        time.Time
	ip          string
	contentType string
	truncated   string
	block       [][]byte  // concatenated
	refersTo    *Original // a revisit's: the response whose payload it has
	payload     string    // a revisit's WARC-Payload-Digest
	madeFrom    string    // a resource's: the record it was made from (WARC-Concurrent-To)
}

func (s spec) build() (gowarc.WarcRecord, error) {
	n := 0
	for _, p := range s.block {
		n += len(p)
	}
	rb := gowarc.NewRecordBuilder(s.typ, recordOptions(n)...)
	rb.AddWarcHeader(gowarc.WarcTargetURI, s.uri)
	rb.AddWarcHeaderTime(gowarc.WarcDate, s.date)
	rb.AddWarcHeader(gowarc.ContentType, s.contentType)
	if s.ip != "" {
		rb.AddWarcHeader(gowarc.WarcIPAddress, s.ip)
	}
	if s.madeFrom != "" {
		rb.AddWarcHeader(gowarc.WarcConcurrentTo, s.madeFrom)
	}
	if s.truncated != "" {
		rb.AddWarcHeader(gowarc.WarcTruncated, s.truncated)
	}
	if o := s.refersTo; o != nil {
		rb.AddWarcHeader(gowarc.WarcProfile, ProfileIdenticalPayload)
		rb.AddWarcHeader(gowarc.WarcRefersTo, o.RecordID)
		rb.AddWarcHeader(gowarc.WarcRefersToTargetURI, o.TargetURI)
		rb.AddWarcHeader(gowarc.WarcRefersToDate, o.Date)
		rb.AddWarcHeader(gowarc.WarcPayloadDigest, s.payload)
	}
	for _, p := range s.block {
		if _, err := rb.Write(p); err != nil {
			_ = rb.Close()
			return nil, fmt.Errorf("build %s record: %w", s.typ, err)
		}
	}
	r, _, err := rb.Build() // under ErrFail every finding is an error
	if err != nil {
		return nil, fmt.Errorf("build %s record: %w", s.typ, err)
	}
	return r, nil
}

// recordOptions are gowarc's options for a record whose block has n bytes
// (0 if unknown): WARC/1.1, SHA-256 digests in lower-case hex, and a failure
// rather than a warning for anything against the specification.
func recordOptions(n int) []gowarc.WarcRecordOption {
	opts := []gowarc.WarcRecordOption{
		gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithDefaultDigestEncoding(gowarc.Base16),
		gowarc.WithAddMissingDigest(true),
		gowarc.WithSpecViolationPolicy(gowarc.ErrFail),
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
	}
	if n > 0 {
		// The block is in memory already: never spool it to a temporary file.
		opts = append(opts, gowarc.WithBufferMaxMemBytes(int64(n)))
	}
	return opts
}
