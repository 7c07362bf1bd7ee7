package duckdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// The turnstile gives a writer its turn among readers that come and go.
// DuckDB's lock admits a writing process only when no process reads; a
// writer that tried again now and then found, with a few readers at work,
// the file read nearly always (a crawl's append waited minutes). So a
// writer first takes the turnstile, NAME.duckdb.turnstile, an exclusive
// flock held from before its open until its Close, and readers pass it (a
// shared flock, released at once) before they open: while a writer waits
// for the readers inside to finish, no new reader goes in. A reader that
// finds the turnstile taken is told archive.ErrLocked, naming the writer,
// as DuckDB would; readers and writers try again (OnDemand, and the
// commands' own retries).

//
// A writer that keeps the file open between its appends (OnDemand's
// Linger) lets go of it when someone knocks: a reader or writer that finds
// the turnstile taken touches NAME.duckdb.knock, which the holder watches.

func turnstilePath(archivePath string) string { return archivePath + ".turnstile" }

func knockPath(archivePath string) string { return archivePath + ".knock" }

// knock tells a writer holding the archive at path that someone waits for
// it: the knock file's modification time is now.
func knock(path string) {
	p := knockPath(path)
	now := time.Now()
	if err := os.Chtimes(p, now, now); errors.Is(err, fs.ErrNotExist) {
		if f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, archiveMode); err == nil {
			f.Close()
		}
	}
}

// knockedSince tells whether someone knocked at the archive at path after t.
func knockedSince(path string, t time.Time) bool {
	fi, err := os.Stat(knockPath(path))
	return err == nil && fi.ModTime().After(t)
}

// enterTurnstile takes the turnstile of the archive at path for a writer,
// writing who holds it into the file; the caller releases it with
// leaveTurnstile. It does not wait: a turnstile another writer holds is
// archive.ErrLocked.
func enterTurnstile(path string) (*os.File, error) {
	f, err := os.OpenFile(turnstilePath(path), os.O_RDWR|os.O_CREATE, archiveMode)
	if err != nil {
		return nil, fmt.Errorf("open archive %q: turnstile: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := turnstileHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			knock(path)
			return nil, fmt.Errorf("open archive %q: %w: a writer holds its turnstile: held in %s", path, archive.ErrLocked, holder)
		}
		return nil, fmt.Errorf("open archive %q: turnstile: %w", path, err)
	}
	exe, _ := os.Executable()
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("%s (PID %d)\n", exe, os.Getpid())), 0)
	return f, nil
}

// leaveTurnstile releases a turnstile enterTurnstile took; nil is none.
func leaveTurnstile(f *os.File) {
	if f == nil {
		return
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}

// passTurnstile lets a reader by unless a writer holds the turnstile
// (archive.ErrLocked). An archive whose turnstile was never made, or
// cannot be opened (a folder the reader may not write), has no writer
// waiting that vigia knows of.
func passTurnstile(path string) error {
	f, err := os.Open(turnstilePath(path))
	if err != nil {
		return nil
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			knock(path)
			return fmt.Errorf("open archive %q: %w: a writer holds its turnstile: held in %s", path, archive.ErrLocked, turnstileHolder(f))
		}
		return nil
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return nil
}

// turnstileHolder reads who holds a turnstile, "/usr/bin/vigia (PID 12)".
func turnstileHolder(f *os.File) string {
	b := make([]byte, 512)
	n, _ := f.ReadAt(b, 0)
	if h := strings.TrimSpace(string(b[:n])); h != "" {
		return h
	}
	return "another process (PID ?)"
}
