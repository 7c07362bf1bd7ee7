// Package warc keeps HTTP exchanges as evidence in WARC 1.1 files and checks
// their fixity.
//
// A Writer appends each exchange as a request record and a response record
// that name each other in WARC-Concurrent-To. Every record is its own gzip
// member and carries WARC-Block-Digest and WARC-Payload-Digest as SHA-256 in
// lower-case hex ("sha256:<64 hex digits>"), so that a digest can be compared
// with the output of sha256sum over the block or the entity body. Write
// returns a Ref to the response record (file, WARC-Record-ID, offset of its
// gzip member, digests) for the archive to keep with the post version.
//
// When the same target URI was written before with the same payload (in the
// same directory, in this run or an earlier one), the response record is a
// revisit record (WARC 1.1, identical-payload-digest profile) that holds the
// response head and refers to that response (revisit.go). The responses
// written in full are listed in indexes/PREFIX-payloads.jsonl, where the
// next run and the readers of a revisit (Originals, RefersTo) find them.
//
// Contract of the files:
//
//   - Names are PREFIX-YYYYMMDDhhmmss-NNNNN-RRRRRR.warc.gz: the UTC time the
//     file was opened, a serial per Writer and 24 random bits, created with
//     O_EXCL so that two processes can never share a file.
//   - A file being written ends in ".open"; the suffix is removed on rotation
//     and on Close, after which the file is never written again. A file still
//     ending in ".open" while no Writer runs was left by a crash: its records
//     up to the last complete gzip member are sound.
//   - Each file starts with a warcinfo record naming the software and, when
//     given, the operator, the User-Agent and the robots policy.
//   - Write returns only once both records are on stable storage (fsync), so
//     a Ref kept in the database never points at bytes a crash can lose.
//     Concurrent writes share one fsync (group commit).
//   - A file is rotated once it passes Options.MaxFileSize; the request and
//     response of one exchange always share a file.
//
// Verify re-reads every .warc.gz and .warc file under a directory, one
// record at a time, recomputes the digests and reports each damaged place as
// a Problem naming file and offset, and a revisit whose response is missing,
// damaged or of another payload; the Index it builds answers whether a Ref
// kept in the archive still points at intact evidence (CheckRef). ReadAt
// reads one record back with gowarc's reader, its digests checked.
//
// The WARC work is done by github.com/nlnwa/gowarc/v3. That library writes a
// package variable of github.com/google/uuid each time it builds record
// options, which is a data race when two goroutines use it at once; this
// package therefore makes all its calls into gowarc under one lock.
package warc
