package auth

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func openAudit(t *testing.T, path string) *Audit {
	t.Helper()
	a, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func readAll(t *testing.T, a *Audit, f AuditFilter) []Entry {
	t.Helper()
	var got []Entry
	if err := a.Read(f, func(e Entry) error {
		got = append(got, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestAuditInterleaved: two handles on one file (two processes), each
// recording from two goroutines at once, make one chain: seqs 1..N
// without gaps, every line linked to the one before.
func TestAuditInterleaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	handles := []*Audit{openAudit(t, path), openAudit(t, path)}
	const perWriter = 25
	var wg sync.WaitGroup
	for h, a := range handles {
		for g := range 2 {
			wg.Go(func() {
				for i := range perWriter {
					e := Entry{User: fmt.Sprintf("user%d", h), Role: Archivist, Action: "search", Target: fmt.Sprintf("q%d-%d", g, i)}
					if err := a.Record(e); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	const n = 2 * 2 * perWriter
	entries, err := VerifyChain(path)
	if err != nil || entries != n {
		t.Fatalf("VerifyChain = %d, %v; want %d, nil", entries, err, n)
	}
	got := readAll(t, handles[0], AuditFilter{})
	if len(got) != n {
		t.Fatalf("read %d entries, want %d", len(got), n)
	}
	for i, e := range got {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has seq %d", i+1, e.Seq)
		}
		if e.At.IsZero() || e.At.Location() != time.UTC {
			t.Errorf("entry %d: At %v, want the time of recording in UTC", i+1, e.At)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("audit mode %v, want 0600", got)
	}
	seq, hash, err := handles[1].Head()
	if err != nil || seq != n || len(hash) != 64 {
		t.Errorf("Head = %d, %q, %v", seq, hash, err)
	}
}

// TestAuditReopen: a log reopened continues its chain; Record's Seq and
// Prev are its own, whatever the caller set.
func TestAuditReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := openAudit(t, path)
	for range 3 {
		if err := a.Record(Entry{Action: "login", Seq: 99, Prev: "forged"}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	if err := a.Record(Entry{Action: "login"}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Record after Close: %v", err)
	}
	a = openAudit(t, path)
	if err := a.Record(Entry{Action: "logout"}); err != nil {
		t.Fatal(err)
	}
	if n, err := VerifyChain(path); n != 4 || err != nil {
		t.Errorf("VerifyChain = %d, %v", n, err)
	}
	if err := a.Record(Entry{}); err == nil {
		t.Error("an entry without an action was recorded")
	}
}

// auditLines records n entries (targets post-1 … post-n) and returns the
// file's lines.
func auditLines(t *testing.T, path string, n int) [][]byte {
	t.Helper()
	a := openAudit(t, path)
	for i := range n {
		if err := a.Record(Entry{User: "ana", Role: Archivist, Action: "view_post", Target: fmt.Sprintf("post-%d", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(data, []byte("\n"))[:n]
}

// TestVerifyChainFindsTampering: each way of changing a past entry breaks
// the chain, and VerifyChain names the line changed.
func TestVerifyChainFindsTampering(t *testing.T) {
	// flip flips the lowest bit of the byte after marker.
	flip := func(line []byte, marker string) []byte {
		line = bytes.Clone(line)
		line[bytes.Index(line, []byte(marker))+len(marker)] ^= 1
		return line
	}
	for _, tc := range []struct {
		name   string
		tamper func(lines [][]byte) [][]byte
		line   int
	}{
		{"a byte of the target", func(l [][]byte) [][]byte { l[3] = flip(l[3], `"target":"post-`); return l }, 4},
		{"a byte of the time", func(l [][]byte) [][]byte { l[3] = flip(l[3], `"at":"202`); return l }, 4},
		{"a byte of the prev", func(l [][]byte) [][]byte { l[3] = flip(l[3], `"prev":"`); return l }, 4},
		{"a byte of the seq", func(l [][]byte) [][]byte { l[3] = flip(l[3], `"seq":`); return l }, 4},
		{"JSON broken", func(l [][]byte) [][]byte { l[3] = flip(l[3], ""); return l }, 4},
		{"the first line changed", func(l [][]byte) [][]byte { l[0] = flip(l[0], `"target":"post-`); return l }, 1},
		{"a line removed", func(l [][]byte) [][]byte { return append(l[:3], l[4:]...) }, 4},
		{"the first line removed", func(l [][]byte) [][]byte { return l[1:] }, 1},
		{"two lines swapped", func(l [][]byte) [][]byte { l[3], l[4] = l[4], l[3]; return l }, 4},
		{"a line copied", func(l [][]byte) [][]byte { return append(l[:4], append([][]byte{l[3]}, l[4:]...)...) }, 5},
		{"the last newline cut", func(l [][]byte) [][]byte { l[6] = l[6][:len(l[6])-1]; return l }, 7},
		{"an empty line", func(l [][]byte) [][]byte { return append(l[:4], append([][]byte{[]byte("\n")}, l[4:]...)...) }, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "audit.jsonl")
			lines := tc.tamper(auditLines(t, path, 7))
			if err := os.WriteFile(path, bytes.Join(lines, nil), 0o600); err != nil {
				t.Fatal(err)
			}
			n, err := VerifyChain(path)
			var ce *ChainError
			if !errors.As(err, &ce) || !errors.Is(err, ErrDamaged) {
				t.Fatalf("VerifyChain = %d, %v; want a ChainError", n, err)
			}
			if ce.Line != tc.line || n != tc.line-1 || !strings.Contains(err.Error(), fmt.Sprintf("line %d:", tc.line)) {
				t.Errorf("VerifyChain = %d, %v; want line %d named, %d entries verified", n, err, tc.line, tc.line-1)
			}
		})
	}
}

// TestHeadShowsChangedEnd: the chain cannot show a change to its newest
// line, nor lines cut off the end; a Head kept elsewhere does.
func TestHeadShowsChangedEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	auditLines(t, path, 3)
	a := openAudit(t, path)
	_, kept, err := a.Head()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	data = bytes.Replace(data, []byte("post-3"), []byte("post-X"), 1)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := VerifyChain(path); n != 3 || err != nil {
		t.Fatalf("VerifyChain = %d, %v", n, err)
	}
	if _, now, _ := a.Head(); now == kept {
		t.Error("Head did not change with the last line")
	}
}

// TestAuditTornTail: a log whose last line was cut by a crash is not
// appended to (which would bury the damage); the error says why.
func TestAuditTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	auditLines(t, path, 2)
	a := openAudit(t, path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"seq":3,"at":"2026-`)
	f.Close()
	if err := a.Record(Entry{Action: "search"}); !errors.Is(err, ErrDamaged) {
		t.Errorf("Record after a torn line: %v, want ErrDamaged", err)
	}
	if _, err := OpenAudit(path); !errors.Is(err, ErrDamaged) {
		t.Errorf("OpenAudit of a torn log: %v, want ErrDamaged", err)
	}
	if n, err := VerifyChain(path); n != 2 || !strings.Contains(fmt.Sprint(err), "line 3: no newline") {
		t.Errorf("VerifyChain = %d, %v", n, err)
	}
}

func TestAuditRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := openAudit(t, path)
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range []Entry{
		{At: day.Add(9 * time.Hour), User: "ana", Role: Archivist, Action: "login"},
		{At: day.Add(10 * time.Hour), User: "ana", Role: Archivist, Action: "search", Target: "obra pública", Results: 12},
		{At: day.Add(11 * time.Hour), User: "", Role: Public, Action: "search", Target: "agua"},
		{At: day.Add(24 * time.Hour), User: "bea", Role: Admin, Action: "user_add", Target: "carlos"},
		{At: day.Add(25 * time.Hour), User: "ana", Role: Archivist, Action: "view_personal", Target: "mastodon:1"},
	} {
		if err := a.Record(e); err != nil {
			t.Fatal(err)
		}
	}
	seqs := func(es []Entry) string {
		var s []string
		for _, e := range es {
			s = append(s, fmt.Sprint(e.Seq))
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		name   string
		filter AuditFilter
		want   string
	}{
		{"all", AuditFilter{}, "1,2,3,4,5"},
		{"user", AuditFilter{User: "ana"}, "1,2,5"},
		{"action", AuditFilter{Action: "search"}, "2,3"},
		{"user and action", AuditFilter{User: "ana", Action: "search"}, "2"},
		{"from, inclusive", AuditFilter{From: day.Add(11 * time.Hour)}, "3,4,5"},
		{"to, exclusive", AuditFilter{To: day.Add(24 * time.Hour)}, "1,2,3"},
		{"one day", AuditFilter{From: day, To: day.Add(24 * time.Hour), Action: "search"}, "2,3"},
		{"no match", AuditFilter{User: "nobody"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := seqs(readAll(t, a, tc.filter)); got != tc.want {
				t.Errorf("got seqs %q, want %q", got, tc.want)
			}
		})
	}
	got := readAll(t, a, AuditFilter{Action: "search", User: "ana"})
	if e := got[0]; e.Target != "obra pública" || e.Results != 12 || e.Role != Archivist {
		t.Errorf("read back %+v", e)
	}
	stop := errors.New("stop")
	calls := 0
	err := a.Read(AuditFilter{}, func(Entry) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("Read with fn failing = %v after %d calls, want stop after 1", err, calls)
	}
}

// TestAuditClip: a huge target is cut, on a character boundary, so one
// request cannot bloat the log.
func TestAuditClip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := openAudit(t, path)
	long := strings.Repeat("ñ", 10000)
	if err := a.Record(Entry{Action: "search", Target: long, Detail: "short"}); err != nil {
		t.Fatal(err)
	}
	e := readAll(t, a, AuditFilter{})[0]
	if len(e.Target) > maxField || !utf8.ValidString(e.Target) || !strings.HasSuffix(e.Target, "ñ…") {
		t.Errorf("target of %d bytes, valid UTF-8 %v", len(e.Target), utf8.ValidString(e.Target))
	}
	if e.Detail != "short" {
		t.Errorf("detail %q", e.Detail)
	}
}
