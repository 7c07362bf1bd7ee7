package spool

import (
	"context"
	"sync/atomic"

	"github.com/vigia-mx/vigia/archive"
)

// Front puts a spool in front of an archive: an append is kept in the spool
// (durably) and then delivered with what waits before it. When the archive
// refuses, the append still succeeds — the records are safe in the spool —
// and OnDown is told; the next append, Flush or vigia archive flush delivers
// them. Only a spool that cannot keep a record (ErrFull, a disk error) fails
// an append. Reads go to the archive.
type Front struct {
	archive.Store
	Spool  *Spool
	OnDown func(error) // may be nil
	down   atomic.Bool
}

var _ archive.Store = (*Front)(nil)

// Append spools b, then delivers what waits.
func (f *Front) Append(ctx context.Context, b *archive.Batch) error {
	if err := f.Spool.Append(b); err != nil {
		return err
	}
	if _, err := f.Spool.Flush(ctx, f.Store); err != nil {
		if f.down.CompareAndSwap(false, true) && f.OnDown != nil {
			f.OnDown(err)
		}
		return nil
	}
	f.down.Store(false)
	return nil
}
