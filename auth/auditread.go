package auth

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ChainError is a place where the audit log does not verify, or a line
// that is not an entry.
type ChainError struct {
	Path   string
	Line   int // 1-based
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason)
}

// Unwrap makes a ChainError an ErrDamaged.
func (e *ChainError) Unwrap() error { return ErrDamaged }

// maxListed bounds the damage and problems kept to report; the rest are
// counted.
const maxListed = 100

// Damage is the lines of the log that are not entries, which Read skips.
type Damage struct {
	Count int           // damaged lines
	Lines []*ChainError // the first of them, at most 100
}

func (d *Damage) add(e *ChainError) {
	d.Count++
	if len(d.Lines) < maxListed {
		d.Lines = append(d.Lines, e)
	}
}

// Read calls fn with each entry that filter selects, oldest first, and
// stops at the first error fn returns (and returns it). It reads the lines
// that were complete when it started. A line that is not an entry (torn by
// a crash, damaged, too long) is skipped and reported in the Damage
// returned, by file and line. It does not check the chain (see
// VerifyChain).
func (a *Audit) Read(filter AuditFilter, fn func(Entry) error) (Damage, error) {
	var d Damage
	f, err := os.Open(a.path)
	if err != nil {
		return d, fmt.Errorf("read audit: %w", err)
	}
	defer f.Close()
	// The size under a shared lock: no append is half-way through.
	if err := flock(f, syscall.LOCK_SH); err != nil {
		return d, fmt.Errorf("read audit: %w", err)
	}
	fi, err := f.Stat()
	err = errors.Join(err, funlock(f))
	if err != nil {
		return d, fmt.Errorf("read audit: %w", err)
	}
	lines := newLines(io.LimitReader(f, fi.Size()))
	for n := 1; ; n++ {
		l, err := lines.next()
		if err == io.EOF {
			return d, nil
		}
		if err != nil {
			return d, fmt.Errorf("read audit: %w", err)
		}
		e, reason := l.entry()
		if reason != "" {
			d.add(&ChainError{Path: a.path, Line: n, Reason: reason})
			continue
		}
		if filter.match(e) {
			if err := fn(e); err != nil {
				return d, err
			}
		}
	}
}

// Verification is what VerifyChain found.
type Verification struct {
	Lines   int // lines read
	Entries int // of them, entries
	// Signed entries carry a MAC that the key verified; Unsigned ones
	// carry none (written before the log had a key); Unchecked ones carry
	// a MAC that was not checked, for want of a key.
	Signed, Unsigned, Unchecked int
	Head                        Head // the last entry
	// Problems are the places where the log does not verify, first to
	// last (at most 100); ProblemCount counts them all.
	Problems     []*ChainError
	ProblemCount int
}

func (v *Verification) problem(path string, line int, format string, args ...any) {
	v.ProblemCount++
	if len(v.Problems) < maxListed {
		v.Problems = append(v.Problems, &ChainError{Path: path, Line: line, Reason: fmt.Sprintf(format, args...)})
	}
}

// VerifyChain reads the audit log at path and checks that every line is an
// entry, that Seq counts 1, 2, …, that each line's Prev is the SHA-256 of
// the line before and, with key, that each line's MAC verifies. Lines
// without a MAC are accepted before the first line that has one (a log
// written before it had a key), never after. When kept names an entry (a
// Head kept elsewhere earlier), the log must still hold that very line.
//
// It goes on past a problem, taking up the chain again from the line after
// it, so that it reports each place that does not verify: the error is the
// first of them (a *ChainError), and the Verification lists them all.
func VerifyChain(path string, key []byte, kept Head) (Verification, error) {
	var v Verification
	f, err := os.Open(path)
	if err != nil {
		return v, fmt.Errorf("verify audit: %w", err)
	}
	defer f.Close()
	lines := newLines(f)
	var prevSeq int64
	prevHash, signedSeen, bad, keptSeen := "", false, 0, kept.Seq == 0
	junk := 0 // the last line that is not an entry
	n := 0
	for {
		l, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return v, fmt.Errorf("verify audit: %w", err)
		}
		n++
		v.Lines = n
		hash := l.hash()
		e, reason := l.entry()
		if l.torn {
			v.problem(path, n, "no newline at the end: torn by a crash mid-append")
			bad = n
		}
		if reason != "" {
			if !l.torn {
				v.problem(path, n, "%s", reason)
			}
			prevHash, bad, junk = hash, n, n
			continue
		}
		v.Entries++
		switch {
		case e.MAC != "" && key == nil:
			signedSeen = true
			v.Unchecked++
		case e.MAC != "":
			signedSeen = true
			if !verifyMAC(key, l.data) {
				v.problem(path, n, "its MAC does not verify: the line was changed, or written by someone without the key")
				bad = n
			} else {
				v.Signed++
			}
		case signedSeen:
			v.problem(path, n, "no MAC after lines that carry one: written without the key, or its MAC removed")
			bad = n
		default:
			v.Unsigned++
		}
		switch {
		case bad == n-1 && junk != n-1 && n > 1:
			// The entry before was reported: take the chain up again here.
			// (After a line that is not an entry the chain goes on: the
			// writer counts on from the last entry and links to that line,
			// so lines removed behind one torn-looking line still show.)
		case e.Seq != prevSeq+1:
			v.problem(path, n, "seq %d follows seq %d: lines removed, inserted or moved", e.Seq, prevSeq)
			bad = n
		case e.Prev != prevHash && n == 1:
			v.problem(path, n, "the first line has a prev hash: lines before it were removed")
			bad = n
		case e.Prev != prevHash:
			// Either this line changed (its prev, or it was replaced) or the
			// line before did. If the next line still links to this one,
			// this one is as written: the line before changed.
			if next, err := lines.peek(); err == nil && next.linksTo(hash) {
				v.problem(path, n-1, "its SHA-256 is not the prev that line %d recorded: the line was changed", n)
			} else {
				v.problem(path, n, "prev is not the SHA-256 of line %d: this line (or line %d) was changed", n-1, n-1)
				bad = n
			}
		}
		if !keptSeen && e.Seq == kept.Seq {
			keptSeen = true
			if hash != kept.Hash {
				v.problem(path, n, "seq %d is not the line of the kept head %s: the log was rewritten from here", e.Seq, kept)
			}
		}
		prevSeq, prevHash = e.Seq, hash
		v.Head = Head{Seq: e.Seq, Hash: hash}
	}
	if !keptSeen {
		v.problem(path, n+1, "the log ends at seq %d, before the kept head %s: lines at its end were removed", v.Head.Seq, kept)
	}
	if len(v.Problems) > 0 {
		return v, v.Problems[0]
	}
	return v, nil
}

// rawLine is one line of the log as read.
type rawLine struct {
	data []byte // without its newline; nil when long
	sum  [sha256.Size]byte
	long bool // longer than maxLine
	torn bool // the file ends without its newline
}

func (l rawLine) hash() string { return hex.EncodeToString(l.sum[:]) }

// entry decodes the line; reason says why it is not an entry.
func (l rawLine) entry() (e Entry, reason string) {
	if l.long {
		return e, fmt.Sprintf("line longer than %d bytes", maxLine)
	}
	return parseEntry(l.data)
}

// linksTo reports whether the line is an entry whose Prev is hash.
func (l rawLine) linksTo(hash string) bool {
	e, reason := l.entry()
	return reason == "" && e.Prev == hash
}

func parseEntry(b []byte) (e Entry, reason string) {
	if err := json.Unmarshal(b, &e); err != nil {
		return e, "not a JSON entry: " + err.Error()
	}
	if e.Seq <= 0 {
		return e, "not an entry: no seq"
	}
	return e, ""
}

// lines reads newline-terminated lines, with one line of lookahead.
type lines struct {
	r       *bufio.Reader
	peeked  rawLine
	peekErr error
	hasPeek bool
}

func newLines(r io.Reader) *lines {
	return &lines{r: bufio.NewReaderSize(r, 64*1024)}
}

// next returns the next line; io.EOF at the end.
func (l *lines) next() (rawLine, error) {
	if l.hasPeek {
		l.hasPeek = false
		return l.peeked, l.peekErr
	}
	return l.read()
}

func (l *lines) peek() (rawLine, error) {
	if !l.hasPeek {
		l.peeked, l.peekErr = l.read()
		l.hasPeek = true
	}
	return l.peeked, l.peekErr
}

// read reads one line whatever its length, keeping its bytes only up to
// maxLine and its SHA-256 always.
func (l *lines) read() (rawLine, error) {
	h := sha256.New()
	var line rawLine
	var size int
	for {
		chunk, err := l.r.ReadSlice('\n')
		body := chunk
		if err == nil {
			body = chunk[:len(chunk)-1]
		}
		h.Write(body)
		size += len(body)
		if size > maxLine {
			line.long, line.data = true, nil
		} else {
			line.data = append(line.data, body...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && size == 0:
			return rawLine{}, io.EOF
		case err == io.EOF:
			line.torn = true
		case err != nil:
			return rawLine{}, err
		}
		h.Sum(line.sum[:0])
		return line, nil
	}
}

// readTail reads the end of the log: the SHA-256 of its last line (which
// the next entry names as prev), its last entry (seq and head), whether it
// ends without a newline, and the size. It returns the lines after the
// last entry that are not entries, oldest first. a.mu and a flock are held.
func (a *Audit) readTail() ([]*ChainError, error) {
	fi, err := a.f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	a.size, a.seq, a.prev, a.head, a.torn = size, 0, "", Head{}, false
	if size == 0 {
		return nil, nil
	}
	var lastByte [1]byte
	if _, err := a.f.ReadAt(lastByte[:], size-1); err != nil {
		return nil, err
	}
	end := size // of the last line, without its newline
	if lastByte[0] == '\n' {
		end--
	} else {
		a.torn = true
	}
	type damaged struct {
		start  int64
		reason string
	}
	var found []damaged
	for first := true; ; first = false {
		nl, err := lastNewline(a.f, end)
		if err != nil {
			return nil, err
		}
		l, err := lineAt(a.f, nl+1, end)
		if err != nil {
			return nil, err
		}
		if first {
			a.prev = l.hash()
		}
		e, reason := l.entry()
		isEntry := reason == ""
		if first && a.torn {
			if reason != "" {
				reason += "; "
			}
			reason += "no newline at the end (torn by a crash mid-append?): a newline is written before the next entry"
		}
		if reason != "" {
			found = append(found, damaged{nl + 1, reason})
		}
		if isEntry {
			a.seq, a.head = e.Seq, Head{Seq: e.Seq, Hash: l.hash()}
			break
		}
		if nl < 0 {
			break
		}
		end = nl
	}
	if len(found) == 0 {
		return nil, nil
	}
	before, err := countLines(a.f, found[len(found)-1].start)
	if err != nil {
		return nil, err
	}
	out := make([]*ChainError, len(found))
	for i, d := range found {
		out[len(found)-1-i] = &ChainError{Path: a.path, Line: before + len(found) - i, Reason: d.reason}
	}
	return out, nil
}

// lastNewline returns the offset of the last newline of f before end, or -1.
func lastNewline(f io.ReaderAt, end int64) (int64, error) {
	buf := make([]byte, 64*1024)
	for end > 0 {
		n := min(end, int64(len(buf)))
		if _, err := f.ReadAt(buf[:n], end-n); err != nil {
			return 0, err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			return end - n + int64(i), nil
		}
		end -= n
	}
	return -1, nil
}

// lineAt reads the line of f from start to end (its newline excluded).
func lineAt(f io.ReaderAt, start, end int64) (rawLine, error) {
	r := io.NewSectionReader(f, start, end-start)
	h := sha256.New()
	var l rawLine
	if end-start > maxLine {
		l.long = true
		if _, err := io.Copy(h, r); err != nil {
			return l, err
		}
	} else {
		l.data = make([]byte, end-start)
		if _, err := io.ReadFull(r, l.data); err != nil {
			return l, err
		}
		h.Write(l.data)
	}
	h.Sum(l.sum[:0])
	return l, nil
}

// countLines counts the newlines of f before end.
func countLines(f io.ReaderAt, end int64) (int, error) {
	r := io.NewSectionReader(f, 0, end)
	buf := make([]byte, 64*1024)
	count := 0
	for {
		n, err := r.Read(buf)
		count += bytes.Count(buf[:n], []byte{'\n'})
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, err
		}
	}
}
