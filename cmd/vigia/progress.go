package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vigia-mx/vigia/crawler"
)

// isTerminal reports whether w is a terminal, where progress may be drawn.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// startProgress redraws one status line on w until stop is called.
func startProgress(p printer, w io.Writer, read func() crawler.ProgressSnapshot) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	draw := func() {
		s := read()
		p.Fprintf(w, "\r\033[Kcrawling: %d/%d accounts, %d requests, %d posts, %d new versions, %d deleted, %d failed",
			s.Done, s.Accounts, s.Fetches, s.Posts, s.Versions, s.Deleted, s.Failed)
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				draw()
				fmt.Fprintln(w)
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
