package crawler

import (
	"context"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// sink gathers the records of many accounts into large appends, flushed by
// size or by time, so that the archive sees few, big batches. Up to
// maxInflight appends run while the next batch fills, so that crawling goes
// on while the archive writes; when all are busy and the queue is full,
// senders wait.
type sink struct {
	archive  archive.Appender
	rows     int
	interval time.Duration
	in       chan *archive.Batch
	fail     func(error)  // called once when the archive refuses a batch
	before   func() error // runs before each append (the evidence's fsync)
}

// maxInflight is how many appends may run at once (the archive must accept
// concurrent appends; see archive.Appender).
const maxInflight = 2

func newSink(a archive.Appender, rows int, interval time.Duration, before func() error, fail func(error)) *sink {
	return &sink{archive: a, rows: rows, interval: interval, in: make(chan *archive.Batch, 64), before: before, fail: fail}
}

// send queues a batch; it blocks while the sink is full.
func (s *sink) send(b *archive.Batch) {
	if b.Len() > 0 {
		s.in <- b
	}
}

// close ends the input; run flushes what is left and returns.
func (s *sink) close() { close(s.in) }

// run appends queued records until close. After the first failed append it
// keeps draining, so that senders never block, and returns that error.
func (s *sink) run(ctx context.Context) error {
	var (
		pending  []*archive.Batch // merged into one batch when flushed
		rows     int
		firstErr error
		inflight = make(chan error, maxInflight) // results of the appends under way
		busy     int                             // appends under way
	)
	done := func(err error) {
		busy--
		if err != nil && firstErr == nil {
			firstErr = err
			s.fail(err)
		}
	}
	// settle waits until at most n appends are under way.
	settle := func(n int) {
		for busy > n {
			done(<-inflight)
		}
	}
	// flush hands the pending records to a new append once one is free.
	flush := func() {
		if rows == 0 {
			return
		}
		settle(maxInflight - 1)
		b := merge(pending)
		pending, rows = nil, 0
		if firstErr != nil {
			return
		}
		busy++
		go func() {
			if err := s.before(); err != nil {
				inflight <- err
				return
			}
			inflight <- s.archive.Append(ctx, b)
		}()
	}
	tick := time.NewTicker(s.interval)
	defer tick.Stop()
	for {
		select {
		case b, ok := <-s.in:
			if !ok {
				flush()
				settle(0)
				return firstErr
			}
			pending = append(pending, b)
			rows += b.Len()
			if rows >= s.rows {
				flush()
			}
		case err := <-inflight:
			done(err)
		case <-tick.C:
			flush()
		}
	}
}

// merge joins batches into one, allocating each list once.
func merge(bs []*archive.Batch) *archive.Batch {
	var posts, captures, events, decisions, fetches int
	for _, b := range bs {
		posts += len(b.Posts)
		captures += len(b.Captures)
		events += len(b.Events)
		decisions += len(b.Decisions)
		fetches += len(b.Fetches)
	}
	out := &archive.Batch{
		Posts:     make([]archive.Post, 0, posts),
		Captures:  make([]archive.Capture, 0, captures),
		Events:    make([]archive.Event, 0, events),
		Decisions: make([]archive.Decision, 0, decisions),
		Fetches:   make([]archive.Fetch, 0, fetches),
	}
	for _, b := range bs {
		out.Merge(b)
	}
	return out
}
