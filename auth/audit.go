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
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// Entry is one line of the audit log: who did what, when.
type Entry struct {
	Seq  int64     `json:"seq"` // 1, 2, … without gaps; filled by Record
	At   time.Time `json:"at"`  // filled by Record when zero
	User string    `json:"user"`
	Role Role      `json:"role"`
	// Action is what was done: "search", "view_post", "view_personal",
	// "export", "decision", "login", "login_failed", "user_add",
	// "token_new", …
	Action  string `json:"action"`
	Target  string `json:"target,omitempty"` // post key, folio, query
	Detail  string `json:"detail,omitempty"`
	Results int    `json:"results"`
	Remote  string `json:"remote,omitempty"`
	// Prev is the hex SHA-256 of the previous line as written (without its
	// newline), "" on the first; filled by Record.
	Prev string `json:"prev"`
}

// AuditFilter selects entries to Read. Zero fields select everything.
type AuditFilter struct {
	User   string    // exactly this user
	Action string    // exactly this action
	From   time.Time // At on or after From
	To     time.Time // At before To
}

func (f AuditFilter) match(e Entry) bool {
	return (f.User == "" || e.User == f.User) &&
		(f.Action == "" || e.Action == f.Action) &&
		(f.From.IsZero() || !e.At.Before(f.From)) &&
		(f.To.IsZero() || e.At.Before(f.To))
}

const (
	// maxField bounds Target and Detail, so a long query cannot bloat the
	// log; longer ones are cut and end in "…".
	maxField = 4096
	// maxLine bounds a line when reading.
	maxLine = 1 << 20
)

// Audit appends to the audit log: a JSON Lines file (mode 0600), one Entry
// a line, each line naming the SHA-256 of the one before. Changing,
// removing or reordering lines then breaks the chain at that place, which
// VerifyChain finds. Removing the newest lines leaves a shorter chain that
// is still whole: to show those too, keep Head somewhere else from time to
// time (a report, a mail).
//
// Several processes (the server, `vigia` commands) may append to one file:
// each append holds an flock on it and reads the last line again if the
// file grew since. The package offers no way to change or delete entries,
// and no rotation: to start a new file, stop every process that writes.
// Audit is safe for concurrent use.
type Audit struct {
	path string
	now  func() time.Time

	mu   sync.Mutex
	f    *os.File
	size int64  // the file's size when seq and prev were read or written
	seq  int64  // of the last line
	prev string // hex SHA-256 of the last line
}

// OpenAudit opens the audit log at path, creating it if missing, and reads
// its last line. A last line that is not a whole entry (a crash mid-append)
// is an error naming it: nothing is appended after it.
func OpenAudit(path string) (*Audit, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit: %w", err)
	}
	a := &Audit{path: path, now: time.Now, f: f}
	if err := flock(f, syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("open audit: %w", err)
	}
	err = a.readTail()
	err = errors.Join(err, funlock(f))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open audit: %w", err)
	}
	return a, nil
}

// Close closes the log.
func (a *Audit) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}

// Record appends e, filling Seq and Prev (and At when zero, with the
// current time; At is kept in UTC). It returns once the line is on stable
// storage (fsync).
func (a *Audit) Record(e Entry) error {
	if e.Action == "" {
		return errors.New("record audit entry: no action")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return fmt.Errorf("record audit entry: %w", os.ErrClosed)
	}
	if err := flock(a.f, syscall.LOCK_EX); err != nil {
		return fmt.Errorf("record audit entry: %w", err)
	}
	err := a.append(e)
	err = errors.Join(err, funlock(a.f))
	if err != nil {
		return fmt.Errorf("record audit entry: %w", err)
	}
	return nil
}

// append writes e after the last line. a.mu and the flock are held.
func (a *Audit) append(e Entry) error {
	fi, err := a.f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() != a.size {
		if err := a.readTail(); err != nil {
			return err
		}
	}
	e.Seq, e.Prev = a.seq+1, a.prev
	if e.At.IsZero() {
		e.At = a.now()
	}
	e.At = e.At.UTC()
	e.Target, e.Detail = clip(e.Target), clip(e.Detail)
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if n, err := a.f.Write(append(line, '\n')); err != nil {
		if n > 0 {
			// Take back the part written (a full disk), so the log does
			// not end in a torn line. These bytes were never an entry.
			err = errors.Join(err, a.f.Truncate(a.size))
		}
		return err
	}
	if err := a.f.Sync(); err != nil {
		return err // a.size unchanged: the next append reads the tail again
	}
	sum := sha256.Sum256(line)
	a.size += int64(len(line) + 1)
	a.seq, a.prev = e.Seq, hex.EncodeToString(sum[:])
	return nil
}

// Head returns the Seq and the hex SHA-256 of the last line, as of now.
// Kept elsewhere, they let VerifyChain's caller show that no line after
// them was removed.
func (a *Audit) Head() (seq int64, hash string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return 0, "", fmt.Errorf("audit head: %w", os.ErrClosed)
	}
	if err := flock(a.f, syscall.LOCK_SH); err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	err = a.readTail()
	err = errors.Join(err, funlock(a.f))
	if err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	return a.seq, a.prev, nil
}

// readTail reads the last line into a.seq and a.prev, and the size into
// a.size. a.mu and a flock are held.
func (a *Audit) readTail() error {
	fi, err := a.f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	if size == 0 {
		a.size, a.seq, a.prev = 0, 0, ""
		return nil
	}
	// Read backwards from the end until the newline before the last line.
	var buf []byte
	start := size
	for {
		n := min(start, 4096)
		start -= n
		chunk := make([]byte, n, int(n)+len(buf))
		if _, err := a.f.ReadAt(chunk, start); err != nil {
			return err
		}
		buf = append(chunk, buf...)
		if buf[len(buf)-1] != '\n' {
			return fmt.Errorf("%s: the last line does not end in a newline (torn by a crash?): %w", a.path, ErrDamaged)
		}
		if i := bytes.LastIndexByte(buf[:len(buf)-1], '\n'); i >= 0 {
			buf = buf[i+1:]
			break
		}
		if start == 0 {
			break
		}
		if len(buf) > maxLine {
			return fmt.Errorf("%s: the last line is longer than %d bytes: %w", a.path, maxLine, ErrDamaged)
		}
	}
	line := buf[:len(buf)-1]
	var e Entry
	if err := json.Unmarshal(line, &e); err != nil || e.Seq <= 0 {
		return fmt.Errorf("%s: the last line is not an entry: %w", a.path, ErrDamaged)
	}
	sum := sha256.Sum256(line)
	a.size, a.seq, a.prev = size, e.Seq, hex.EncodeToString(sum[:])
	return nil
}

// clip cuts s to at most maxField bytes, on a character boundary.
func clip(s string) string {
	if len(s) <= maxField {
		return s
	}
	cut := maxField - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Read calls fn with each entry that filter selects, oldest first, and
// stops at the first error fn returns (and returns it). It reads the lines
// that were complete when it started. It does not check the chain (see
// VerifyChain).
func (a *Audit) Read(filter AuditFilter, fn func(Entry) error) error {
	f, err := os.Open(a.path)
	if err != nil {
		return fmt.Errorf("read audit: %w", err)
	}
	defer f.Close()
	// The size under a shared lock: no append is half-way through.
	if err := flock(f, syscall.LOCK_SH); err != nil {
		return fmt.Errorf("read audit: %w", err)
	}
	fi, err := f.Stat()
	err = errors.Join(err, funlock(f))
	if err != nil {
		return fmt.Errorf("read audit: %w", err)
	}
	lines := newLines(io.LimitReader(f, fi.Size()))
	for n := 1; ; n++ {
		line, err := lines.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &ChainError{Path: a.path, Line: n, Reason: err.Error()}
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return &ChainError{Path: a.path, Line: n, Reason: "not a JSON entry"}
		}
		if filter.match(e) {
			if err := fn(e); err != nil {
				return err
			}
		}
	}
}

// ChainError is the place where an audit log stops verifying.
type ChainError struct {
	Path   string
	Line   int // 1-based
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit %s line %d: %s", e.Path, e.Line, e.Reason)
}

// Unwrap makes a ChainError an ErrDamaged.
func (e *ChainError) Unwrap() error { return ErrDamaged }

// VerifyChain reads the audit log at path and checks that every line is an
// entry, that Seq counts 1, 2, … and that each line's Prev is the SHA-256
// of the line before. It returns the number of lines that verified and,
// at the first break, a *ChainError naming the line that was most likely
// changed, removed or inserted, and why.
func VerifyChain(path string) (entries int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("verify audit: %w", err)
	}
	defer f.Close()
	lines := newLines(f)
	fail := func(line int, format string, args ...any) (int, error) {
		return line - 1, &ChainError{Path: path, Line: line, Reason: fmt.Sprintf(format, args...)}
	}
	var prevSeq int64
	prevHash := ""
	for n := 1; ; n++ {
		line, err := lines.next()
		if err == io.EOF {
			return n - 1, nil
		}
		if err != nil {
			return fail(n, "%v", err)
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return fail(n, "not a JSON entry: %v", err)
		}
		if e.Seq != prevSeq+1 {
			return fail(n, "seq %d follows seq %d: lines removed, inserted or moved", e.Seq, prevSeq)
		}
		if e.Prev != prevHash {
			if n == 1 {
				return fail(n, "the first line has a prev hash: lines before it were removed")
			}
			// Either this line changed (its prev, or it was replaced) or the
			// line before did. If the next line still links to this one,
			// this one is as written: the line before changed.
			sum := sha256.Sum256(line)
			next, err := lines.peek()
			var ne Entry
			if err == nil && json.Unmarshal(next, &ne) == nil && ne.Prev == hex.EncodeToString(sum[:]) {
				return fail(n-1, "its SHA-256 is not the prev that line %d recorded: the line was changed", n)
			}
			return fail(n, "prev is not the SHA-256 of line %d: this line (or line %d) was changed", n-1, n-1)
		}
		sum := sha256.Sum256(line)
		prevSeq, prevHash = e.Seq, hex.EncodeToString(sum[:])
	}
}

// lines reads newline-terminated lines, with one line of lookahead.
type lines struct {
	r       *bufio.Reader
	peeked  []byte
	peekErr error
	hasPeek bool
}

func newLines(r io.Reader) *lines {
	return &lines{r: bufio.NewReaderSize(r, 64*1024)}
}

// next returns the next line without its newline; io.EOF at the end. A
// last line without a newline, or one past maxLine, is an error.
func (l *lines) next() ([]byte, error) {
	if l.hasPeek {
		l.hasPeek = false
		return l.peeked, l.peekErr
	}
	return l.read()
}

func (l *lines) peek() ([]byte, error) {
	if !l.hasPeek {
		l.peeked, l.peekErr = l.read()
		l.hasPeek = true
	}
	return l.peeked, l.peekErr
}

func (l *lines) read() ([]byte, error) {
	var line []byte
	for {
		chunk, err := l.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine+1 {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return nil, errors.New("no newline at the end: torn by a crash mid-append")
		default:
			return nil, err
		}
	}
}
