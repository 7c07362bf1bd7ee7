package duckdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// An OnDemand archive makes the file at its first call, appends and reads
// with the file closed between calls, and waits for a writer that holds
// the turnstile: a reader of an archive being written is told who writes.
func TestOnDemand(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.duckdb")
	o := NewOnDemand(path, OnDemandOptions{Wait: 200 * time.Millisecond})
	day := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	p := archivetest.Post("obras", "1", 1, "Bacheo en la colonia Americana", day)
	if err := o.Append(ctx, &archive.Batch{Posts: []archive.Post{p}}); err != nil {
		t.Fatal(err)
	}
	// Closed between calls: another writer opens it at once.
	w, err := Open(ctx, path, WriterOptions())
	if err != nil {
		t.Fatalf("a writer after an append of OnDemand: %v", err)
	}
	q := archivetest.Post("obras", "2", 1, "Cierre vial en avenida Juárez", day)
	if err := w.Append(ctx, &archive.Batch{Posts: []archive.Post{q}}); err != nil {
		t.Fatal(err)
	}
	// While it writes, OnDemand waits its Wait and is told who writes.
	_, err = o.Heads(ctx, nil)
	if !errors.Is(err, archive.ErrLocked) || !strings.Contains(LockHolder(err), fmt.Sprintf("(PID %d)", os.Getpid())) {
		t.Fatalf("a read while another writes: %v (holder %q); want ErrLocked naming this process", err, LockHolder(err))
	}
	if err := o.Append(ctx, &archive.Batch{Posts: []archive.Post{q}}); !errors.Is(err, archive.ErrLocked) {
		t.Fatalf("an append while another writes: %v; want ErrLocked", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	heads, err := o.Heads(ctx, nil)
	if err != nil || len(heads) != 2 {
		t.Fatalf("heads once the writer closed: %v %v; want both posts", heads, err)
	}
	res, err := o.Search(ctx, archive.Query{Text: "Juárez"})
	if err != nil || res.Total != 1 {
		t.Fatalf("search: %+v %v", res, err)
	}
}

func TestLockHolder(t *testing.T) {
	err := errors.New(`IO Error: Could not set lock on file "/srv/a.duckdb": Conflicting lock is held in /usr/local/bin/vigia (PID 4242). See also https://duckdb.org/docs/stable/connect/concurrency`)
	if got, want := LockHolder(err), "/usr/local/bin/vigia (PID 4242)"; got != want {
		t.Errorf("LockHolder = %q, want %q", got, want)
	}
	if got := LockHolder(errors.New("something else")); got != "another process" {
		t.Errorf("LockHolder of another error = %q", got)
	}
}

// With Linger, OnDemand keeps the file open from one append to the next
// (and reads through it meanwhile), and lets go of it when another opener
// knocks, when it is idle for Linger, or at Close.
func TestOnDemandLingers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.duckdb")
	o := NewOnDemand(path, OnDemandOptions{Wait: 200 * time.Millisecond, Linger: time.Hour, MaxHold: time.Hour})
	day := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 2; i++ {
		p := archivetest.Post("obras", fmt.Sprint(i), 1, "Bacheo en la colonia Americana", day)
		if err := o.Append(ctx, &archive.Batch{Posts: []archive.Post{p}}); err != nil {
			t.Fatal(err)
		}
	}
	if o.opens != 1 {
		t.Errorf("two appends opened the file %d times, want once", o.opens)
	}
	if heads, err := o.Heads(ctx, nil); err != nil || len(heads) != 2 {
		t.Fatalf("heads through the open file: %v %v; want both posts", heads, err)
	}

	// Another opener is told the file is held, knocks, and gets it.
	var r *Store
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r, err = Open(ctx, path, Options{ReadOnly: true}); !errors.Is(err, archive.ErrLocked) {
			break
		}
	}
	if err != nil {
		t.Fatalf("a reader knocking at a lingering archive: %v", err)
	}
	if res, err := r.Search(ctx, archive.Query{}); err != nil || res.Total != 2 {
		t.Fatalf("the reader's search: %+v %v; want both posts", res, err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	q := archivetest.Post("obras", "3", 1, "Cierre vial en avenida Juárez", day)
	if err := o.Append(ctx, &archive.Batch{Posts: []archive.Post{q}}); err != nil {
		t.Fatal(err)
	}
	if o.opens != 2 {
		t.Errorf("the append after the reader opened %d times in all, want 2", o.opens)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := Open(ctx, path, WriterOptions()) // closed: at once
	if err != nil {
		t.Fatalf("a writer after Close: %v", err)
	}
	if heads, err := w.Heads(ctx, nil); err != nil || len(heads) != 3 {
		t.Fatalf("heads after Close: %v %v; want 3 posts", heads, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	// Idle for Linger, the file is closed without a knock.
	idle := NewOnDemand(path, OnDemandOptions{Wait: 200 * time.Millisecond, Linger: 50 * time.Millisecond, MaxHold: time.Hour})
	if err := idle.Append(ctx, &archive.Batch{Posts: []archive.Post{archivetest.Post("obras", "4", 1, "Aviso", day)}}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		idle.gate.RLock()
		held := idle.held != nil
		idle.gate.RUnlock()
		if !held {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an idle lingering open was never closed")
		}
	}
	if err := idle.Close(); err != nil {
		t.Fatal(err)
	}
}
