package crawler

import (
	"context"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// sink gathers the records of many accounts into large appends, flushed by
// size or by time, so that the archive sees few, big batches.
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

// send queues a batch; it blocks while the sink is busy appending.
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
		pending  archive.Batch
		firstErr error
	)
	tick := time.NewTicker(s.interval)
	defer tick.Stop()
	flush := func() {
		if pending.Len() == 0 {
			return
		}
		if firstErr == nil {
			if err := s.archive.Append(ctx, &pending); err != nil {
				firstErr = err
				s.fail(err)
			}
		}
		pending = archive.Batch{}
	}
	for {
		select {
		case b, ok := <-s.in:
			if !ok {
				flush()
				return firstErr
			}
			pending.Merge(b)
			if pending.Len() >= s.rows {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}
