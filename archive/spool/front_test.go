package spool

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigia-mx/vigia/archive"
)

// flaky is an archive whose appends fail while fail is set; with stores
// also set, a failing append stores the batch first (a commit whose answer
// was lost).
type flaky struct {
	archive.Store
	fail, stores bool
}

func (f *flaky) Append(ctx context.Context, b *archive.Batch) error {
	if !f.fail {
		return f.Store.Append(ctx, b)
	}
	if f.stores {
		if err := f.Store.Append(ctx, b); err != nil {
			return err
		}
	}
	return errors.New("connection reset")
}

// spoolFiles lists the segment files in dir.
func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"+suffix))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDirectFrontSpoolsOnlyWhatTheArchiveRefuses: a Direct front appends
// straight to an archive that takes the batch, writing nothing to the
// spool; a batch the archive refuses waits in the spool, as a replay, and
// the next append delivers it first (once, even when the refused append
// had stored it), then goes direct again. The head cache knows every batch.
func TestDirectFrontSpoolsOnlyWhatTheArchiveRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	st := store(t)
	arc := &flaky{Store: st}
	var downs []error
	f := &Front{Store: arc, Spool: sp, Direct: true, OnDown: func(err error) { downs = append(downs, err) }}
	if _, err := f.Heads(ctx, []string{"obras"}); err != nil {
		t.Fatal(err)
	}

	if err := f.Append(ctx, batch("1")); err != nil {
		t.Fatal(err)
	}
	if files := spoolFiles(t, dir); len(files) != 0 {
		t.Errorf("a batch the archive took was written to the spool too: %v", files)
	}
	if v, c := count(t, st); v != 1 || c != 1 {
		t.Fatalf("archive holds %d versions, %d captures after a direct append; want 1 and 1", v, c)
	}

	arc.fail, arc.stores = true, true // stored, but the answer lost
	refused := batch("2")
	if err := f.Append(ctx, refused); err != nil {
		t.Fatalf("an append the archive refused failed instead of waiting in the spool: %v", err)
	}
	if n, _ := sp.Pending(); n != 1 || len(downs) != 1 {
		t.Fatalf("after a refused append: %d batches pending, %d times told the archive is down; want 1 and 1", n, len(downs))
	}
	if refused.ID == "" {
		t.Error("the refused batch was sent without an ID: its replay could not be told from a new batch")
	}
	arc.stores = false
	if err := f.Append(ctx, batch("3")); err != nil { // still down: spooled behind it
		t.Fatal(err)
	}
	if n, _ := sp.Pending(); n != 2 {
		t.Fatalf("%d batches pending, want 2", n)
	}

	arc.fail = false
	if err := f.Append(ctx, batch("4")); err != nil {
		t.Fatal(err)
	}
	if n, _ := sp.Pending(); n != 0 {
		t.Fatalf("%d batches still pending once the archive is back", n)
	}
	if v, c := count(t, st); v != 4 || c != 4 {
		t.Errorf("archive holds %d versions, %d captures; want 4 and 4 (each batch once)", v, c)
	}
	if err := f.Append(ctx, batch("5")); err != nil {
		t.Fatal(err)
	}
	if files := spoolFiles(t, dir); len(files) != 0 {
		t.Errorf("spool segments left after everything was delivered: %v", files)
	}
	heads := sp.Heads().heads([]string{"obras"})
	if len(heads) != 5 {
		t.Errorf("the head cache knows %d posts, want the 5 appended", len(heads))
	}
}

// TestDirectFrontSpoolsWhileOffline: once a read found the archive
// unreachable, a Direct front spools its appends (marked Offline, to be
// numbered again at delivery), as any Front does.
func TestDirectFrontSpoolsWhileOffline(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	f := &Front{Store: NewUnreachable(errors.New("dial tcp: connection refused")), Spool: sp, Direct: true}
	if _, err := f.Heads(ctx, []string{"obras"}); err != nil {
		t.Fatal(err)
	}
	b := batch("1")
	if err := f.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	if !b.Offline {
		t.Error("a batch crawled from the head cache was not marked Offline")
	}
	if n, _ := sp.Pending(); n != 1 {
		t.Fatalf("%d batches pending, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "000000000001"+suffix)); err != nil {
		t.Error(err)
	}
}
