package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
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
	// OSUser is the operating-system account that ran a command (vigia
	// review decide, show, search…); empty for the web application.
	OSUser string `json:"os_user,omitempty"`
	// Prev is the hex SHA-256 of the previous line as written (without its
	// newline), "" on the first; filled by Record.
	Prev string `json:"prev"`
	// MAC is the hex HMAC-SHA256, under the log's key, of the line as
	// written without this field; filled by Record when the log has a key,
	// "" in lines written without one. It is always the line's last field.
	MAC string `json:"mac,omitempty"`
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
	// maxName bounds the other text fields (user, role, action, remote
	// address, operating-system user): a name sent to the login form is
	// cut as well.
	maxName = 256
	// maxEntry bounds a line as written: the fields' bounds, even if every
	// byte is escaped as \u00XX, keep an entry well below it.
	maxEntry = 64 << 10
	// maxLine bounds a line when reading: a longer one is damage.
	maxLine = 1 << 20
)

// Audit appends to the audit log: a JSON Lines file (mode 0600), one Entry
// a line, each line naming the SHA-256 of the one before and, when the log
// has a key, carrying an HMAC-SHA256 of itself under that key. Changing,
// removing or reordering lines then breaks the chain at that place, which
// VerifyChain finds; rewriting the chain after a change needs the key.
// Removing the newest lines leaves a shorter chain that is still whole: to
// show those too, keep Head somewhere else from time to time (a report, a
// mail).
//
// A line that is not an entry (a crash mid-append, a damaged disk) is
// skipped by Read and reported; the next entry chains over it (its Prev is
// the damaged line's SHA-256), so the damage stays visible to VerifyChain
// and never stops the log.
//
// Several processes (the server, `vigia` commands) may append to one file:
// each append holds an flock on it and reads the end of the file again if
// it grew since. The package offers no way to change or delete entries,
// and no rotation: to start a new file, stop every process that writes.
// Audit is safe for concurrent use.
type Audit struct {
	path string
	key  []byte
	now  func() time.Time

	mu   sync.Mutex
	f    *os.File
	size int64  // the file's size when the fields below were read or written
	seq  int64  // of the last entry
	prev string // hex SHA-256 of the last line, an entry or not
	head Head   // the last entry
	torn bool   // the file ends without a newline: write one first
	// opened is the damage OpenAudit found at the end of the log.
	opened []*ChainError
}

// Head names one entry of the log: its Seq and the hex SHA-256 of its line
// as written. Kept outside the log, it shows later whether the log still
// holds that line unchanged, and so every line before it.
type Head struct {
	Seq  int64
	Hash string
}

// String gives the head as ParseHead reads it: SEQ:HASH.
func (h Head) String() string { return fmt.Sprintf("%d:%s", h.Seq, h.Hash) }

// ParseHead reads a head written as SEQ:HASH.
func ParseHead(s string) (Head, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if _, herr := hex.DecodeString(hash); !ok || err != nil || n <= 0 || herr != nil || len(hash) != 2*sha256.Size {
		return Head{}, fmt.Errorf("audit head %q: expected SEQ:HASH (a positive number and 64 hex digits)", s)
	}
	return Head{Seq: n, Hash: strings.ToLower(hash)}, nil
}

// OpenAudit opens the audit log at path, creating it if missing, and reads
// its end. Lines there that are not entries are reported by TailDamage,
// not refused: the next entry chains over them. key, when not nil, signs
// every line this Audit writes (see AuditKeyFile); nil writes lines
// without a MAC, which VerifyChain can only check as a chain.
func OpenAudit(path string, key []byte) (*Audit, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit: %w", err)
	}
	a := &Audit{path: path, key: bytes.Clone(key), now: time.Now, f: f}
	if err := flock(f, syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("open audit: %w", err)
	}
	a.opened, err = a.readTail()
	err = errors.Join(err, funlock(f))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open audit: %w", err)
	}
	return a, nil
}

// TailDamage returns the lines at the end of the log that OpenAudit found
// not to be entries (a crash mid-append, a damaged disk), oldest first.
// They stay in the file; the entries Record adds chain over them.
func (a *Audit) TailDamage() []*ChainError { return a.opened }

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

// Record appends e, filling Seq, Prev and MAC (and At when zero, with the
// current time; At is kept in UTC). Text fields are cut to their bounds.
// It returns once the line is on stable storage (fsync).
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
		if _, err := a.readTail(); err != nil {
			return err
		}
	}
	e.Seq, e.Prev, e.MAC = a.seq+1, a.prev, ""
	if e.At.IsZero() {
		e.At = a.now()
	}
	e.At = e.At.UTC()
	e.bound()
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if a.key != nil {
		line = sign(a.key, line)
	}
	if len(line) > maxEntry {
		return fmt.Errorf("entry of %d bytes, longer than %d", len(line), maxEntry)
	}
	out := make([]byte, 0, len(line)+2)
	if a.torn {
		out = append(out, '\n') // end the torn line first: it stays, as damage
	}
	out = append(append(out, line...), '\n')
	if n, err := a.f.Write(out); err != nil {
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
	a.size += int64(len(out))
	a.torn = false
	a.seq, a.prev = e.Seq, hex.EncodeToString(sum[:])
	a.head = Head{Seq: e.Seq, Hash: a.prev}
	return nil
}

// bound cuts each text field to its bound.
func (e *Entry) bound() {
	e.User, e.Action, e.Remote, e.OSUser = clip(e.User, maxName), clip(e.Action, maxName), clip(e.Remote, maxName), clip(e.OSUser, maxName)
	e.Role = Role(clip(string(e.Role), maxName))
	e.Target, e.Detail = clip(e.Target, maxField), clip(e.Detail, maxField)
}

// clip cuts s to at most max bytes, on a character boundary.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Head returns the last entry of the log, as of now. Kept elsewhere, it
// lets VerifyChain show that no line up to it was removed or changed.
func (a *Audit) Head() (Head, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return Head{}, fmt.Errorf("audit head: %w", os.ErrClosed)
	}
	if err := flock(a.f, syscall.LOCK_SH); err != nil {
		return Head{}, fmt.Errorf("audit head: %w", err)
	}
	_, err := a.readTail()
	err = errors.Join(err, funlock(a.f))
	if err != nil {
		return Head{}, fmt.Errorf("audit head: %w", err)
	}
	return a.head, nil
}
