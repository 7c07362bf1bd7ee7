package warc

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// gzipHeader is the header of every gzip member this package writes (gowarc
// through klauspost/compress at the default level: no flags, the modification
// time of Go's zero time cut to 32 bits, OS unknown). The gzip CRC does not
// cover these bytes, so Verify compares them to catch a change there too.
var gzipHeader = [10]byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x09, 0x6e, 0x88, 0x00, 0xff}

// Problem is a damaged place in a WARC file.
type Problem struct {
	File     string // path relative to the verified directory, with forward slashes
	Offset   int64  // where the damaged record or region starts
	RecordID string // the record's WARC-Record-ID, when it could be read
	Msg      string
}

// Error names the file, the offset and, when known, the record.
func (p Problem) Error() string {
	if p.RecordID != "" {
		return fmt.Sprintf("%s at offset %d, record %s: %s", p.File, p.Offset, p.RecordID, p.Msg)
	}
	return fmt.Sprintf("%s at offset %d: %s", p.File, p.Offset, p.Msg)
}

// Index is what Verify found: every record read, by WARC-Record-ID, with the
// digests its headers state, and which records and regions are damaged.
type Index struct {
	Files   int   // files read
	Records int   // records read whole, damaged or not
	Bytes   int64 // size of the files read

	refs     map[string]Ref
	damaged  map[string]string       // WARC-Record-ID → what is wrong with the record
	files    map[string][]unreadable // file → its unreadable regions
	refersTo map[string]string       // WARC-Record-ID of a revisit → WARC-Refers-To
}

// unreadable is a region of a file where no record could be read.
type unreadable struct {
	from, to int64
	msg      string
}

// Verify re-reads every *.warc.gz and *.warc file under dir, in lexical
// order, one record at a time, and for each record recomputes the block
// digest and, for response and resource records, the payload digest, and
// compares them with its headers. In a .warc.gz file the gzip CRC-32 also
// covers the WARC headers, and each member's gzip header is compared with the
// one this package writes. Files ending in ".open" are being written (or were
// left by a crash) and are skipped.
//
// Every damaged record or unreadable region is a Problem naming file and
// offset; after one, reading goes on at the next record that can be found.
// progress, if not nil, is called with each file's name before it is read.
// The error is only for a directory that cannot be walked or a cancelled ctx;
// the index and problems gathered so far are returned with it.
func Verify(ctx context.Context, dir string, progress func(file string)) (*Index, []Problem, error) {
	ix := newIndex()
	var problems []Problem
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		switch {
		case err != nil && path == dir:
			return err
		case err != nil:
			problems = append(problems, Problem{File: rel, Msg: err.Error()})
			return nil
		case d.IsDir() || !isWARC(d.Name()):
			return nil
		}
		if progress != nil {
			progress(rel)
		}
		problems = append(problems, ix.readFile(ctx, path, rel)...)
		return ctx.Err()
	})
	if err != nil {
		return ix, problems, fmt.Errorf("verify %q: %w", dir, err)
	}
	return ix, append(problems, ix.checkRevisits()...), nil
}

func newIndex() *Index {
	return &Index{refs: map[string]Ref{}, damaged: map[string]string{}, files: map[string][]unreadable{},
		refersTo: map[string]string{}}
}

// checkRevisits checks that every revisit record read refers to a response
// that is there, intact, with the payload digest the revisit states: the
// payload a revisit stands for must be in the evidence.
func (ix *Index) checkRevisits() []Problem {
	var problems []Problem
	for id, target := range ix.refersTo {
		if err := ix.checkTarget(id, target); err != nil {
			rev := ix.refs[id]
			problems = append(problems, Problem{File: rev.File, Offset: rev.Offset, RecordID: id, Msg: err.Error()})
			ix.damaged[id] = err.Error()
		}
	}
	slices.SortFunc(problems, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Offset, b.Offset))
	})
	return problems
}

func (ix *Index) isRevisit(id string) bool {
	_, ok := ix.refersTo[id]
	return ok
}

// checkTarget checks the response the revisit id refers to.
func (ix *Index) checkTarget(id, target string) error {
	rev := ix.refs[id]
	orig, ok := ix.refs[target]
	switch {
	case target == "":
		return errors.New("revisit without WARC-Refers-To")
	case !ok:
		return fmt.Errorf("%w: the response this revisit refers to, %s, is in no WARC file", ErrRecordMissing, target)
	case ix.isRevisit(target):
		return fmt.Errorf("it refers to %s, another revisit", target)
	case differ(rev.PayloadDigest, orig.PayloadDigest) || orig.PayloadDigest == "":
		return fmt.Errorf("%w: its WARC-Payload-Digest %s is not the one of %s it refers to, %s",
			ErrDigestMismatch, rev.PayloadDigest, target, orig.PayloadDigest)
	}
	if msg, bad := ix.damaged[target]; bad {
		return fmt.Errorf("%w: the response it refers to, %s: %s", ErrRecordDamaged, target, msg)
	}
	return nil
}

// Lookup returns the Ref of a record, with the digests its headers state.
func (ix *Index) Lookup(recordID string) (Ref, bool) {
	r, ok := ix.refs[recordID]
	return r, ok
}

// CheckRef tells whether r, as the archive keeps it, points at an intact
// record: the file is there, the record is in it at that offset, it passed
// verification and its digests are r's. Fields of r left empty (or an Offset
// of 0) are not compared, for references that keep only file, record and
// block digest.
func (ix *Index) CheckRef(r Ref) error {
	if r.File != "" {
		if _, ok := ix.files[r.File]; !ok {
			return fmt.Errorf("check record %s: %w: %q", r.RecordID, ErrFileMissing, r.File)
		}
	}
	got, ok := ix.refs[r.RecordID]
	if !ok {
		for _, u := range ix.files[r.File] {
			if r.Offset >= u.from && r.Offset < u.to {
				return fmt.Errorf("check record %s: %w: %s offset %d lies in a region that cannot be read (%s)",
					r.RecordID, ErrRecordDamaged, r.File, r.Offset, u.msg)
			}
		}
		return fmt.Errorf("check record %s: %w", r.RecordID, ErrRecordMissing)
	}
	if (r.File != "" && got.File != r.File) || (r.Offset != 0 && got.Offset != r.Offset) {
		return fmt.Errorf("check record %s: %w: at %s offset %d, not %s offset %d",
			r.RecordID, ErrLocationMismatch, got.File, got.Offset, r.File, r.Offset)
	}
	if target, revisit := ix.refersTo[r.RecordID]; revisit {
		if err := ix.checkTarget(r.RecordID, target); err != nil {
			return fmt.Errorf("check record %s (a revisit): %w", r.RecordID, err)
		}
	}
	if msg, bad := ix.damaged[r.RecordID]; bad {
		return fmt.Errorf("check record %s: %w: %s", r.RecordID, ErrRecordDamaged, msg)
	}
	if differ(r.BlockDigest, got.BlockDigest) || differ(r.PayloadDigest, got.PayloadDigest) {
		return fmt.Errorf("check record %s: %w: file has %s and %s, reference %s and %s", r.RecordID,
			ErrDigestMismatch, got.BlockDigest, got.PayloadDigest, r.BlockDigest, r.PayloadDigest)
	}
	return nil
}

// readFile reads one file into the index and returns its problems.
func (ix *Index) readFile(ctx context.Context, path, name string) []Problem {
	f, err := os.Open(path)
	if err != nil {
		return []Problem{{File: name, Msg: err.Error()}}
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return []Problem{{File: name, Msg: err.Error()}}
	}
	ix.Files++
	ix.Bytes += fi.Size()
	ix.files[name] = nil

	defer f.Close()
	// open reads from offset on; the reader must not close f, which a
	// restart reads again.
	open := func(offset int64) (*gowarc.WarcFileReader, error) {
		gowarcMu.Lock()
		defer gowarcMu.Unlock()
		return gowarc.NewWarcFileReaderFromStream(struct{ io.ReadSeeker }{f}, offset,
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),   // report and go on: look for the next record
			gowarc.WithSpecViolationPolicy(gowarc.ErrWarn), // report digest mismatches rather than stop
			gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore),  // an odd HTTP head is what the server sent
		)
	}
	r, err := open(0)
	if err != nil {
		return []Problem{{File: name, Msg: err.Error()}}
	}
	s := scan{ix: ix, name: name, size: fi.Size(), gz: strings.HasSuffix(name, ".gz"), file: f, broken: -1}
	for ctx.Err() == nil {
		more, restart := s.next(r)
		if restart > 0 {
			// A damaged gzip member: gowarc can lose its way past the next
			// member, so reading starts again where the next one begins.
			r.Close()
			if r, err = open(restart); err != nil {
				s.fail(restart, err.Error())
				s.resume(s.size)
				return s.problems
			}
			continue
		}
		if !more {
			break
		}
	}
	r.Close()
	return s.problems
}

// nextMember returns the offset of the first gzip member header this
// package writes at or after from, or -1.
func (s *scan) nextMember(from int64) int64 {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(gzipHeader)-1)
	for off := from; off < s.size; off += chunk {
		n, _ := s.file.ReadAt(buf, off)
		if i := bytes.Index(buf[:n], gzipHeader[:]); i >= 0 {
			return off + int64(i)
		}
	}
	return -1
}

// scan is the reading of one file.
type scan struct {
	ix       *Index
	name     string
	size     int64
	gz       bool
	file     io.ReaderAt
	expect   int64 // where the next record should start
	broken   int   // index in problems of the unreadable region being crossed, -1 when none
	problems []Problem
}

// next reads one record, or one failure, and tells whether to go on, and
// where to start reading again (0: go on with r).
func (s *scan) next(r *gowarc.WarcFileReader) (more bool, restart int64) {
	rec, err := r.Next()
	defer rec.Close()
	end := rec.Offset + rec.Size
	if errors.Is(err, io.EOF) && rec.WarcRecord == nil {
		if rec.Offset >= s.size {
			s.resume(s.size)
			return false, 0
		}
		err = fmt.Errorf("stopped %d bytes before the end of the file: %w", s.size-rec.Offset, err)
	}
	if err != nil {
		msgs := []string{err.Error()}
		for _, v := range rec.Validation {
			msgs = append(msgs, v.Error())
		}
		if s.broken < 0 {
			s.fail(s.expect, strings.Join(msgs, "; "))
		}
		if s.gz {
			if next := s.nextMember(s.expect + 1); next > s.expect && (next < end || end <= s.expect) {
				s.resume(next)
				s.expect = next
				return true, next
			}
		}
		if end <= s.expect { // no progress: nothing more can be read
			s.resume(s.size)
			return false, 0
		}
		s.expect = end
		return true, 0
	}

	findings := rec.Validation
	if rec.Offset > s.expect {
		// gowarc skipped bytes to find this record and said so first.
		var se *gowarc.SyntaxError
		if len(findings) > 0 && errors.As(findings[0], &se) {
			findings = findings[1:]
		}
		if s.broken < 0 {
			s.fail(s.expect, fmt.Sprintf("%d bytes hold no record", rec.Offset-s.expect))
		}
	}
	s.resume(rec.Offset)
	s.record(rec, findings)
	s.expect = end
	return true, 0
}

// fail opens an unreadable region at offset.
func (s *scan) fail(offset int64, msg string) {
	s.problems = append(s.problems, Problem{File: s.name, Offset: offset, Msg: msg})
	s.broken = len(s.problems) - 1
}

// resume closes the unreadable region being crossed, if any, at offset.
func (s *scan) resume(offset int64) {
	if s.broken < 0 {
		return
	}
	p := &s.problems[s.broken]
	if offset < s.size {
		p.Msg += fmt.Sprintf("; unreadable up to offset %d", offset)
	} else {
		p.Msg += "; unreadable to the end of the file"
	}
	s.ix.files[s.name] = append(s.ix.files[s.name], unreadable{from: p.Offset, to: offset, msg: p.Msg})
	s.broken = -1
}

// record adds a record read whole to the index, with what is wrong with it.
func (s *scan) record(rec gowarc.Record, findings []error) {
	h := rec.WarcRecord.WarcHeader()
	ref := Ref{
		File:          s.name,
		RecordID:      h.Get(gowarc.WarcRecordID),
		Offset:        rec.Offset,
		BlockDigest:   h.Get(gowarc.WarcBlockDigest),
		PayloadDigest: h.Get(gowarc.WarcPayloadDigest),
	}
	var msgs []string
	for _, f := range findings {
		msgs = append(msgs, f.Error())
	}
	if s.gz {
		var hdr [10]byte
		if _, err := s.file.ReadAt(hdr[:], rec.Offset); err != nil {
			msgs = append(msgs, err.Error())
		} else if hdr != gzipHeader {
			msgs = append(msgs, fmt.Sprintf("gzip header % x is not % x", hdr, gzipHeader))
		}
	}
	_, isHTTP := rec.WarcRecord.Block().(gowarc.PayloadBlock)
	switch typ := rec.WarcRecord.Type(); {
	case ref.BlockDigest == "":
		msgs = append(msgs, "no WARC-Block-Digest")
	case (typ == gowarc.Response || typ == gowarc.Resource || typ == gowarc.Revisit) && ref.PayloadDigest == "":
		msgs = append(msgs, "no WARC-Payload-Digest")
	case typ == gowarc.Resource && !isHTTP && differ(ref.PayloadDigest, ref.BlockDigest):
		// gowarc checks only the block digest of a resource.
		msgs = append(msgs, "WARC-Payload-Digest of a resource differs from its WARC-Block-Digest")
	}
	if ref.RecordID == "" {
		msgs = append(msgs, "no WARC-Record-ID")
	} else if prev, dup := s.ix.refs[ref.RecordID]; dup {
		msgs = append(msgs, fmt.Sprintf("WARC-Record-ID also at %s offset %d", prev.File, prev.Offset))
	} else {
		s.ix.refs[ref.RecordID] = ref
		if rec.WarcRecord.Type() == gowarc.Revisit {
			s.ix.refersTo[ref.RecordID] = h.Get(gowarc.WarcRefersTo)
		}
	}
	s.ix.Records++
	if len(msgs) > 0 {
		msg := strings.Join(msgs, "; ")
		if ref.RecordID != "" {
			s.ix.damaged[ref.RecordID] = msg
		}
		s.problems = append(s.problems, Problem{File: s.name, Offset: rec.Offset, RecordID: ref.RecordID, Msg: msg})
	}
}

func isWARC(name string) bool {
	return strings.HasSuffix(name, ".warc.gz") || strings.HasSuffix(name, ".warc")
}

// differ tells whether a digest stated in a reference differs from one
// found; an empty reference digest is not compared.
func differ(ref, found string) bool {
	return ref != "" && !strings.EqualFold(ref, found)
}
