package crawler

import (
	"context"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// sink gathers the records of many accounts into large appends, flushed by
// size or by time, so that the archive sees few, big batches. One append is
// in flight while the next batch fills, so that crawling goes on while the
// archive writes; when both are full, senders wait.
type sink struct {
	archive  archive.Appender
	rows     int
	interval time.Duration
	in       chan *archive.Batch
	fail     func(error) // called once when the archive refuses a batch
}

func newSink(a archive.Appender, rows int, interval time.Duration, fail func(error)) *sink {
	return &sink{archive: a, rows: rows, interval: interval, in: make(chan *archive.Batch, 64), fail: fail}
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
		inflight = make(chan error, 1) // the result of the append under way
		busy     bool
	)
	done := func(err error) {
		busy = false
		if err != nil && firstErr == nil {
			firstErr = err
			s.fail(err)
		}
	}
	// settle waits for the append under way, if any.
	settle := func() {
		if busy {
			done(<-inflight)
		}
	}
	// flush hands the pending records to a new append, after the previous one.
	flush := func() {
		if rows == 0 {
			return
		}
		settle()
		b := merge(pending)
		pending, rows = nil, 0
		if firstErr != nil {
			return
		}
		busy = true
		go func() { inflight <- s.archive.Append(ctx, b) }()
	}
	tick := time.NewTicker(s.interval)
	defer tick.Stop()
	for {
		select {
		case b, ok := <-s.in:
			if !ok {
				flush()
				settle()
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
