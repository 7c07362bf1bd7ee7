package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// testKey signs the logs of these tests.
var testKey = bytes.Repeat([]byte{0x5a}, 32)

func openAudit(t *testing.T, path string, key []byte) *Audit {
	t.Helper()
	a, err := OpenAudit(path, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func readAll(t *testing.T, a *Audit, f AuditFilter) []Entry {
	t.Helper()
	var got []Entry
	d, err := a.Read(f, func(e Entry) error {
		got = append(got, e)
		return nil
	})
	if err != nil || d.Count != 0 {
		t.Fatalf("Read: %v, damage %+v", err, d)
	}
	return got
}

// verify runs VerifyChain and fails unless the whole log verifies.
func verify(t *testing.T, path string, key []byte) Verification {
	t.Helper()
	v, err := VerifyChain(path, key, Head{})
	if err != nil {
		t.Fatalf("VerifyChain: %v (%d problems)", err, v.ProblemCount)
	}
	return v
}

// TestAuditInterleaved: two handles on one file (two processes), each
// recording from two goroutines at once, make one chain: seqs 1..N
// without gaps, every line linked to the one before and signed.
func TestAuditInterleaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	handles := []*Audit{openAudit(t, path, testKey), openAudit(t, path, testKey)}
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
	if v := verify(t, path, testKey); v.Entries != n || v.Signed != n || v.Head.Seq != n {
		t.Fatalf("VerifyChain = %+v; want %d signed entries", v, n)
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
		if len(e.MAC) != 64 {
			t.Errorf("entry %d: MAC %q", i+1, e.MAC)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("audit mode %v, want 0600", got)
	}
	head, err := handles[1].Head()
	if err != nil || head.Seq != n || len(head.Hash) != 64 {
		t.Errorf("Head = %v, %v", head, err)
	}
}

// TestAuditReopen: a log reopened continues its chain; Record's Seq, Prev
// and MAC are its own, whatever the caller set.
func TestAuditReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := openAudit(t, path, testKey)
	for range 3 {
		if err := a.Record(Entry{Action: "login", Seq: 99, Prev: "forged", MAC: "forged"}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	if err := a.Record(Entry{Action: "login"}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Record after Close: %v", err)
	}
	a = openAudit(t, path, testKey)
	if err := a.Record(Entry{Action: "logout"}); err != nil {
		t.Fatal(err)
	}
	if v := verify(t, path, testKey); v.Entries != 4 || v.Signed != 4 {
		t.Errorf("VerifyChain = %+v", v)
	}
	if err := a.Record(Entry{}); err == nil {
		t.Error("an entry without an action was recorded")
	}
}

// auditLines records n entries (targets post-1 … post-n) signed with key
// and returns the file's lines.
func auditLines(t *testing.T, path string, n int, key []byte) [][]byte {
	t.Helper()
	a := openAudit(t, path, key)
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

func writeLines(t *testing.T, path string, lines [][]byte) {
	t.Helper()
	if err := os.WriteFile(path, bytes.Join(lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyChainFindsTampering: each way of changing a past entry breaks
// the chain, with or without a key, and VerifyChain names the line changed
// first.
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
		for _, key := range [][]byte{nil, testKey} {
			t.Run(fmt.Sprintf("%s/key %v", tc.name, key != nil), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "audit.jsonl")
				writeLines(t, path, tc.tamper(auditLines(t, path, 7, key)))
				v, err := VerifyChain(path, key, Head{})
				var ce *ChainError
				if !errors.As(err, &ce) || !errors.Is(err, ErrDamaged) {
					t.Fatalf("VerifyChain = %+v, %v; want a ChainError", v, err)
				}
				if ce.Line != tc.line || !strings.Contains(err.Error(), fmt.Sprintf("audit.jsonl:%d: ", tc.line)) {
					t.Errorf("VerifyChain: %v; want line %d named first", err, tc.line)
				}
			})
		}
	}
}

// resign rewrites lines as an attacker with the file but not the key
// would: it keeps the first keep lines as they are, drops from the rest
// the lines (0-based) drop names, numbers those left after the kept ones
// again, links each to the one before, and signs each with forgeKey (nil:
// no MAC at all).
func resign(t *testing.T, lines [][]byte, keep int, forgeKey []byte, drop ...int) [][]byte {
	t.Helper()
	out := slices.Clone(lines[:keep])
	prev := ""
	if keep > 0 {
		prev = hexSum(lines[keep-1])
	}
	for i, l := range lines[keep:] {
		if slices.Contains(drop, keep+i) {
			continue
		}
		var e Entry
		if err := json.Unmarshal(bytes.TrimSuffix(l, []byte("\n")), &e); err != nil {
			t.Fatal(err)
		}
		e.Seq, e.Prev, e.MAC = int64(len(out)+1), prev, ""
		line, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if forgeKey != nil {
			line = sign(forgeKey, line)
		}
		prev = hexSum(line)
		out = append(out, append(line, '\n'))
	}
	return out
}

// TestRewriteNeedsTheKey: deleting entries and recomputing seq and prev
// passes a chain-only check (what VerifyChain did before MACs), but not
// the key's: re-signed with another key, or stripped of MACs after signed
// lines, the rewrite is found. Stripping every MAC leaves a log that reads
// as one written before keys, which a kept head shows.
func TestRewriteNeedsTheKey(t *testing.T) {
	dir := t.TempDir()
	orig := filepath.Join(dir, "audit.jsonl")
	lines := auditLines(t, orig, 7, testKey)
	kept := Head{Seq: 5, Hash: hexSum(lines[4])}
	otherKey := bytes.Repeat([]byte{0x33}, 32)

	for _, tc := range []struct {
		name  string
		lines [][]byte
		kept  Head
		line  int // of the first problem; 0: none
	}{
		{"lines 3 and 4 dropped, re-signed with another key", resign(t, lines, 0, otherKey, 2, 3), Head{}, 1},
		{"line 4 dropped, the lines after it re-signed with another key", resign(t, lines, 3, otherKey, 3), Head{}, 4},
		{"line 4 dropped, the lines after it without a MAC", resign(t, lines, 3, nil, 3), Head{}, 4},
		{"every MAC stripped, line 4 dropped", resign(t, lines, 0, nil, 3), Head{}, 0},
		{"every MAC stripped, line 4 dropped, a head kept", resign(t, lines, 0, nil, 3), kept, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "audit.jsonl")
			writeLines(t, path, tc.lines)
			if strings.Contains(tc.name, "another key") {
				// What VerifyChain checked before MACs: seq and prev alone.
				if v, err := VerifyChain(path, nil, Head{}); err != nil || v.Entries != len(tc.lines) {
					t.Errorf("the rewrite is not a whole chain: %+v, %v", v, err)
				}
			}
			v, err := VerifyChain(path, testKey, tc.kept)
			var ce *ChainError
			switch {
			case tc.line == 0 && (err != nil || v.Unsigned != len(tc.lines) || v.Signed != 0):
				t.Errorf("VerifyChain = %+v, %v; want every line counted as without a MAC", v, err)
			case tc.line != 0 && (!errors.As(err, &ce) || ce.Line != tc.line):
				t.Errorf("VerifyChain = %+v, %v; want a problem at line %d", v, err, tc.line)
			}
		})
	}
}

func hexSum(line []byte) string {
	sum := sha256.Sum256(bytes.TrimSuffix(line, []byte("\n")))
	return hex.EncodeToString(sum[:])
}

// TestHeadShowsCutEnd: the chain cannot show lines cut off its end; a head
// kept elsewhere does, and it must name the very line.
func TestHeadShowsCutEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	lines := auditLines(t, path, 5, testKey)
	a := openAudit(t, path, testKey)
	kept, err := a.Head()
	if err != nil || kept.Seq != 5 || kept.Hash != hexSum(lines[4]) {
		t.Fatalf("Head = %v, %v", kept, err)
	}
	if v, err := VerifyChain(path, testKey, kept); err != nil || v.Head != kept {
		t.Fatalf("VerifyChain with the head kept = %+v, %v", v, err)
	}
	// A head of an earlier line is still in the log.
	if _, err := VerifyChain(path, testKey, Head{Seq: 2, Hash: hexSum(lines[1])}); err != nil {
		t.Errorf("an earlier head: %v", err)
	}
	writeLines(t, path, lines[:3])
	if v := verify(t, path, testKey); v.Entries != 3 {
		t.Fatalf("the cut log: %+v", v)
	}
	_, err = VerifyChain(path, testKey, kept)
	if err == nil || !strings.Contains(err.Error(), "audit.jsonl:4: the log ends at seq 3, before the kept head 5:") {
		t.Errorf("VerifyChain of the cut log with the head kept: %v", err)
	}
	wrong := Head{Seq: 2, Hash: strings.Repeat("0", 64)}
	if _, err := VerifyChain(path, testKey, wrong); err == nil || !strings.Contains(err.Error(), "audit.jsonl:2: seq 2 is not the line of the kept head") {
		t.Errorf("a head naming another line 2: %v", err)
	}
	if got, err := ParseHead(kept.String()); err != nil || got != kept {
		t.Errorf("ParseHead(%q) = %v, %v", kept.String(), got, err)
	}
	for _, bad := range []string{"", "5", "0:" + kept.Hash, "-1:" + kept.Hash, "5:abc", "x:" + kept.Hash, "5:" + strings.Repeat("g", 64)} {
		if _, err := ParseHead(bad); err == nil {
			t.Errorf("ParseHead(%q) accepted", bad)
		}
	}
}

// TestUnsignedLinesBeforeTheKey: a log written before it had a key goes
// on, signed, once it has one; its older lines verify as a chain and are
// counted as without a MAC, and the first signed line vouches for them.
func TestUnsignedLinesBeforeTheKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	auditLines(t, path, 3, nil)
	a := openAudit(t, path, testKey)
	for range 2 {
		if err := a.Record(Entry{Action: "search"}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	if v := verify(t, path, testKey); v.Unsigned != 3 || v.Signed != 2 || v.Head.Seq != 5 {
		t.Errorf("VerifyChain = %+v; want 3 lines without a MAC, then 2 signed", v)
	}
	if v := verify(t, path, nil); v.Unsigned != 3 || v.Unchecked != 2 {
		t.Errorf("VerifyChain without the key = %+v; want 2 MACs not checked", v)
	}
	data, _ := os.ReadFile(path)
	lines := bytes.SplitAfter(data, []byte("\n"))[:5]
	// An old line changed and the chain recomputed up to the first signed
	// line: its MAC covers its prev.
	rewritten := resign(t, lines[:3], 0, nil, 1)
	var e Entry
	json.Unmarshal(lines[3], &e)
	e.Seq, e.Prev = 3, hexSum(rewritten[1])
	forged, _ := json.Marshal(e)
	writeLines(t, path, append(rewritten, append(forged, '\n'), lines[4]))
	if _, err := VerifyChain(path, testKey, Head{}); err == nil || !strings.Contains(err.Error(), ":3: its MAC does not verify") {
		t.Errorf("an old line dropped under the first signed one: %v", err)
	}
}

// TestAuditDamagedLines: lines that are not entries, in the middle and at
// the end (garbage, a line of 2 MB, a line torn by a crash), never stop
// the log: opening reports the ones at the end, reading skips each with
// its line, new entries chain over them, and VerifyChain names exactly
// them.
func TestAuditDamagedLines(t *testing.T) {
	huge := strings.Repeat("x", 2<<20)
	for _, tc := range []struct {
		name, middle, end string
		endLine           int
	}{
		{"garbage", "not json at all\n", "{\"seq\":\n", 6},
		{"2 MB lines", huge + "\n", huge + "\n", 6},
		{"a torn end", "\n", `{"seq":6,"at":"2026-`, 6},
		{"2 MB torn end", "{}\n", huge, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "audit.jsonl")
			a := openAudit(t, path, testKey)
			add := func(n int) {
				t.Helper()
				for range n {
					if err := a.Record(Entry{User: "ana", Action: "search"}); err != nil {
						t.Fatal(err)
					}
				}
			}
			appendRaw := func(s string) {
				t.Helper()
				f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(s)
				f.Close()
			}
			add(3)
			appendRaw(tc.middle) // line 4
			add(1)               // line 5, written by a handle that saw the damage
			appendRaw(tc.end)    // line 6
			a.Close()

			b := openAudit(t, path, testKey)
			damage := b.TailDamage()
			if len(damage) != 1 || damage[0].Line != tc.endLine {
				t.Fatalf("TailDamage = %v; want line %d", damage, tc.endLine)
			}
			if head, err := b.Head(); err != nil || head.Seq != 4 {
				t.Errorf("Head = %v, %v; want the last entry, 4", head, err)
			}
			var seqs []int64
			d, err := b.Read(AuditFilter{}, func(e Entry) error { seqs = append(seqs, e.Seq); return nil })
			if err != nil || d.Count != 2 || d.Lines[0].Line != 4 || d.Lines[1].Line != 6 || fmt.Sprint(seqs) != "[1 2 3 4]" {
				t.Fatalf("Read = %v, damage %v, %v; want entries 1-4, lines 4 and 6 damaged", seqs, d.Lines, err)
			}
			if err := b.Record(Entry{User: "bea", Action: "login"}); err != nil {
				t.Fatalf("Record after damage: %v", err)
			}
			if err := b.Record(Entry{User: "bea", Action: "search"}); err != nil {
				t.Fatal(err)
			}
			v, err := VerifyChain(path, testKey, Head{})
			if err == nil || v.ProblemCount != 2 || v.Problems[0].Line != 4 || v.Problems[1].Line != 6 || v.Signed != 6 || v.Head.Seq != 6 {
				t.Errorf("VerifyChain = %+v, %v; want lines 4 and 6 damaged, 6 signed entries", v, err)
			}
			got := readAllDamaged(t, b)
			if len(got) != 6 || got[4].User != "bea" || got[4].Seq != 5 {
				t.Errorf("entries after the damage: %+v", got)
			}
		})
	}
}

func readAllDamaged(t *testing.T, a *Audit) []Entry {
	t.Helper()
	var got []Entry
	if _, err := a.Read(AuditFilter{}, func(e Entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestOpenAuditOnlyDamage: a log holding nothing but damage opens, and its
// first entry is seq 1, chained over the damage.
func TestOpenAuditOnlyDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(path, []byte("garbage\n\nmore"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := openAudit(t, path, testKey)
	if d := a.TailDamage(); len(d) != 3 || d[0].Line != 1 || d[2].Line != 3 || !strings.Contains(d[2].Reason, "no newline at the end") {
		t.Fatalf("TailDamage = %v", d)
	}
	if err := a.Record(Entry{Action: "login"}); err != nil {
		t.Fatal(err)
	}
	v, _ := VerifyChain(path, testKey, Head{})
	if v.ProblemCount != 3 || v.Entries != 1 || v.Head.Seq != 1 || v.Lines != 4 {
		t.Errorf("VerifyChain = %+v", v)
	}
}

func TestAuditRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := openAudit(t, path, testKey)
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
	_, err := a.Read(AuditFilter{}, func(Entry) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("Read with fn failing = %v after %d calls, want stop after 1", err, calls)
	}
}

// TestAuditBoundsEveryField: huge values in every text field (a name of
// 2 MB sent to the login form, control characters that JSON escapes six
// times over) are cut, on a character boundary, and the line stays within
// its bound.
func TestAuditBoundsEveryField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := openAudit(t, path, testKey)
	long := strings.Repeat("ñ", 1<<20)
	controls := strings.Repeat("\x01", 2<<20)
	if err := a.Record(Entry{User: controls, Role: Role(controls), Action: controls, Target: controls, Detail: controls,
		Remote: controls, OSUser: controls}); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(Entry{User: long, Action: "login_failed", Target: long, Detail: "short", Remote: long, OSUser: long}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if len(line) > maxEntry {
			t.Errorf("line %d: %d bytes, more than %d", i+1, len(line), maxEntry)
		}
	}
	e := readAll(t, a, AuditFilter{})[1]
	for name, f := range map[string]struct {
		v   string
		max int
	}{"user": {e.User, maxName}, "target": {e.Target, maxField}, "remote": {e.Remote, maxName}, "os_user": {e.OSUser, maxName}} {
		if len(f.v) > f.max || !utf8.ValidString(f.v) || !strings.HasSuffix(f.v, "ñ…") {
			t.Errorf("%s of %d bytes (bound %d), valid UTF-8 %v", name, len(f.v), f.max, utf8.ValidString(f.v))
		}
	}
	if e.Detail != "short" {
		t.Errorf("detail %q", e.Detail)
	}
	verify(t, path, testKey)
}

// TestRemovedLinesBehindATornLine: an attacker without the key replaces
// lines with one line that looks torn by a crash. The crash is named, and
// so are the lines missing after it: the writer counts on from the last
// entry and links to the torn line, which the lines after it do not.
func TestRemovedLinesBehindATornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	lines := auditLines(t, path, 9, testKey)
	torn := append(bytes.Clone(lines[2][:40]), '\n')
	writeLines(t, path, append(append(slices.Clone(lines[:2]), torn), lines[7:]...))
	v, err := VerifyChain(path, testKey, Head{})
	if err == nil {
		t.Fatal("VerifyChain found nothing")
	}
	var at4 string
	for _, p := range v.Problems {
		if p.Line == 4 {
			at4 = p.Reason
		}
	}
	if !strings.Contains(at4, "seq 8 follows seq 2") {
		t.Errorf("problems %v; want line 4 named for the entries removed before it", v.Problems)
	}

	// A real crash: the writer goes on after the torn line, and only the
	// torn line is named.
	path = filepath.Join(t.TempDir(), "audit.jsonl")
	lines = auditLines(t, path, 3, testKey)
	writeLines(t, path, append(slices.Clone(lines), []byte(`{"seq":4,"at":"2026-`)))
	a, err := OpenAudit(path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Record(Entry{User: "ana", Action: "search"}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	v, _ = VerifyChain(path, testKey, Head{})
	if v.ProblemCount != 1 || v.Problems[0].Line != 4 {
		t.Errorf("after a crash: problems %v; want line 4 alone", v.Problems)
	}
}
