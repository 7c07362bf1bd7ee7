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
