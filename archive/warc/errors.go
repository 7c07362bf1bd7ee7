package warc

import "errors"

// Errors of the package, for errors.Is.
var (
	// ErrClosed reports a write to a Writer that was closed.
	ErrClosed = errors.New("warc writer closed")
	// ErrBadExchange reports an exchange that cannot be kept as it is: a
	// missing field, or a head that does not end where it should.
	ErrBadExchange = errors.New("malformed exchange")

	// ErrFileMissing reports a reference to a file that is not in the index.
	ErrFileMissing = errors.New("warc file missing")
	// ErrRecordMissing reports a reference to a record that is in no file.
	ErrRecordMissing = errors.New("warc record missing")
	// ErrRecordDamaged reports a record that is there but failed
	// verification, or that lies in a part of its file that cannot be read.
	ErrRecordDamaged = errors.New("warc record damaged")
	// ErrDigestMismatch reports a record whose digests differ from the
	// reference's.
	ErrDigestMismatch = errors.New("warc digest mismatch")
	// ErrLocationMismatch reports a record found at another file or offset
	// than the reference says.
	ErrLocationMismatch = errors.New("warc record elsewhere")
)
