package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

func TestRetryLocked(t *testing.T) {
	locked := func(n *int) func() (archive.Store, error) {
		return func() (archive.Store, error) {
			*n++
			return nil, archive.ErrLocked
		}
	}
	t.Run("tries again, then gives up", func(t *testing.T) {
		var n int
		_, err := retryLocked(context.Background(), 3, time.Millisecond, locked(&n))
		if !errors.Is(err, archive.ErrLocked) || n != 4 {
			t.Errorf("error %v after %d opens, want ErrLocked after 4", err, n)
		}
	})
	t.Run("another error is not retried", func(t *testing.T) {
		var n int
		boom := errors.New("boom")
		_, err := retryLocked(context.Background(), 3, time.Millisecond, func() (archive.Store, error) { n++; return nil, boom })
		if !errors.Is(err, boom) || n != 1 {
			t.Errorf("error %v after %d opens, want boom after 1", err, n)
		}
	})
	t.Run("a cancelled context ends the wait at once", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var n int
		done := make(chan error, 1)
		start := time.Now()
		go func() {
			_, err := retryLocked(ctx, 60, time.Hour, locked(&n))
			done <- err
		}()
		time.Sleep(10 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, archive.ErrLocked) || n != 1 {
				t.Errorf("error %v after %d opens, want ErrLocked after 1", err, n)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %v", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("retryLocked still waits after its context was cancelled")
		}
	})
}
