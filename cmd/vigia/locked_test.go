package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

func TestWaitForArchive(t *testing.T) {
	held := errors.New(`open archive "a.duckdb": archive in use by another process: IO Error: Could not set lock on file "a.duckdb": Conflicting lock is held in /usr/bin/vigia (PID 4242)`)
	held = errors.Join(archive.ErrLocked, held)
	quiet := func() (*env, *bytes.Buffer) {
		var errb bytes.Buffer
		return &env{stdout: &bytes.Buffer{}, stderr: &errb, getenv: func(string) string { return "" }}, &errb
	}
	t.Run("waits while the archive is held, saying for whom, then goes on", func(t *testing.T) {
		e, errb := quiet()
		n := 0
		err := waitForArchive(context.Background(), e, "a.duckdb", "before crawling", func() error {
			if n++; n < 2 {
				return held
			}
			return nil
		})
		if err != nil || n != 2 {
			t.Fatalf("error %v after %d tries, want none after 2", err, n)
		}
		for _, want := range []string{"waiting for the archive a.duckdb, held by /usr/bin/vigia (PID 4242), before crawling", "free again"} {
			if !strings.Contains(errb.String(), want) {
				t.Errorf("stderr lacks %q:\n%s", want, errb)
			}
		}
	})
	t.Run("another error is not retried", func(t *testing.T) {
		e, _ := quiet()
		n := 0
		boom := errors.New("boom")
		if err := waitForArchive(context.Background(), e, "a.duckdb", "", func() error { n++; return boom }); !errors.Is(err, boom) || n != 1 {
			t.Errorf("error %v after %d tries, want boom after 1", err, n)
		}
	})
	t.Run("a cancelled context ends the wait at once", func(t *testing.T) {
		e, _ := quiet()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- waitForArchive(ctx, e, "a.duckdb", "", func() error { return held }) }()
		time.Sleep(10 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, archive.ErrLocked) {
				t.Errorf("error %v, want ErrLocked", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("waitForArchive still waits after its context was cancelled")
		}
	})
}
