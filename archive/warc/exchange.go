package warc

import (
	"bytes"
	"fmt"
	"time"
)

// Exchange is one HTTP exchange as it went over the wire.
type Exchange struct {
	TargetURI string    // the URL requested
	Date      time.Time // when the request was sent
	IP        string    // remote address, may be empty
	Request   []byte    // the HTTP request head as sent, ending with its empty line
	Response  []byte    // the HTTP response head as received (status line, headers, empty line), but for the headers renamed when Body is no longer in its transfer coding (see docs/evidence.md)
	Body      []byte    // the response body as received (still compressed per its Content-Encoding)
	Truncated string    // "" or the WARC-Truncated reason ("length", "time", "disconnect", "unspecified") when Body is incomplete
}

// Ref says where a record is and what its digests are; the archive keeps it
// with each post version.
type Ref struct {
	File          string // base name of the WARC file, in the writer's directory
	RecordID      string // WARC-Record-ID of the record, e.g. "<urn:uuid:…>"
	Offset        int64  // byte offset of the record's gzip member in the file
	BlockDigest   string // WARC-Block-Digest, "sha256:" and 64 lower-case hex digits
	PayloadDigest string // WARC-Payload-Digest, same form: of the entity body for a response, of the block for a resource, of the response it refers to for a revisit
}

// check reports what keeps ex from being written as it is.
func (ex *Exchange) check() error {
	var msg string
	switch {
	case ex.TargetURI == "":
		msg = "no target URI"
	case ex.Date.IsZero():
		msg = "no date"
	case headLen(ex.Request) != len(ex.Request):
		msg = "request head does not end with its first empty line"
	case headLen(ex.Response) != len(ex.Response):
		msg = "response head does not end with its first empty line"
	case !validTruncated(ex.Truncated):
		msg = fmt.Sprintf("unknown truncation reason %q", ex.Truncated)
	default:
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadExchange, msg)
}

// headLen is the length of the HTTP head at the start of b as gowarc splits a
// block into head and payload: up to and including the first line shorter
// than three bytes with its newline. It is -1 when b has no such line.
func headLen(b []byte) int {
	for i := 0; i < len(b); {
		n := bytes.IndexByte(b[i:], '\n') + 1
		if n == 0 {
			return -1
		}
		i += n
		if n < 3 {
			return i
		}
	}
	return -1
}

func validTruncated(reason string) bool {
	switch reason {
	case "", "length", "time", "disconnect", "unspecified":
		return true
	}
	return false
}
