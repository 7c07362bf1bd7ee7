package spool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/vigia-mx/vigia/archive"
)

// Front puts a spool in front of an archive: an append is kept in the spool
// (durably) and then delivered with what waits before it. When the archive
// refuses, the append still succeeds — the records are safe in the spool —
// and OnDown is told; the next append, Flush or vigia archive flush delivers
// them. Only a spool that cannot keep a record (ErrFull, a disk error) fails
// an append.
//
// What a crawl reads to detect changes (Heads, Health, Accounts) comes from
// the archive and refreshes the spool's head cache; when the archive does
// not answer, it comes from the cache, and the batches spooled from then on
// are marked Offline, to be numbered again against the archive at delivery
// (as are those crawled while batches of an earlier outage still wait).
// Other reads go to the archive.
//
// Direct is for an archive that is itself durable once Append returns (the
// embedded engine: its commit is in its write-ahead log, fsynced): while
// nothing waits in the spool and the crawl reads the archive itself, an
// append goes straight to the archive, and only a batch it refuses is
// written to the spool (as a replay: the refused append may have stored
// it), to be delivered as above. A record is then written once, not twice.
type Front struct {
	archive.Store
	Spool   *Spool
	OnDown  func(error) // may be nil
	Direct  bool
	down    atomic.Bool
	offline atomic.Bool
	direct  sync.Mutex // direct appends in order, and none while one is spooled
}

var _ archive.Store = (*Front)(nil)

// Append spools b, then delivers what waits. A run record (the end of a
// crawl) also saves the head cache (at most once a minute: Heads.SaveDue;
// Spool.Close saves it in any case).
func (f *Front) Append(ctx context.Context, b *archive.Batch) error {
	if f.Direct {
		f.direct.Lock()
		defer f.direct.Unlock()
	}
	if f.offline.Load() {
		b.Offline = true
	}
	if f.Direct && !b.Offline && b.Len() > 0 {
		if n, _ := f.Spool.Pending(); n == 0 {
			return f.appendDirect(ctx, b)
		}
	}
	if err := f.Spool.Append(b); err != nil {
		return err
	}
	if len(b.Runs) > 0 {
		if err := f.Spool.heads.SaveDue(); err != nil {
			return err
		}
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

// appendDirect appends b to the archive; if the archive refuses it, b is
// kept in the spool as a replay (it has its ID before the append, so that
// the archive stores it once).
func (f *Front) appendDirect(ctx context.Context, b *archive.Batch) error {
	name(b)
	err := f.Store.Append(ctx, b)
	if err == nil {
		f.Spool.heads.apply(b) // as if spooled: a crawl from the cache knows it
		f.down.Store(false)
		if len(b.Runs) > 0 {
			return f.Spool.heads.SaveDue()
		}
		return nil
	}
	if serr := f.Spool.add(b, true); serr != nil {
		return errors.Join(serr, err)
	}
	if f.down.CompareAndSwap(false, true) && f.OnDown != nil {
		f.OnDown(err)
	}
	return nil
}

// Heads reads the posts' heads from the archive, refreshing the cache, or,
// when the archive does not answer, from the cache. Batches still waiting
// in the spool are newer than the archive: the answer includes them.
func (f *Front) Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error) {
	heads, err := f.Store.Heads(ctx, accountIDs)
	if err != nil {
		f.fromCache(err)
		return f.Spool.heads.heads(accountIDs), nil
	}
	pending := f.Spool.pending()
	f.offline.Store(len(pending) > 0)
	f.Spool.heads.refreshHeads(accountIDs, heads, pending)
	if len(pending) == 0 {
		return heads, f.Spool.heads.SaveDue()
	}
	return f.Spool.heads.heads(accountIDs), f.Spool.heads.SaveDue()
}

// Health reads the accounts' crawl health from the archive (refreshing the
// cache) or the cache.
func (f *Front) Health(ctx context.Context) ([]archive.AccountHealth, error) {
	health, err := f.Store.Health(ctx)
	if err != nil {
		f.fromCache(err)
		return f.Spool.heads.health(), nil
	}
	pending := f.Spool.pending()
	f.Spool.heads.refreshHealth(health, pending)
	if len(pending) == 0 {
		return health, nil
	}
	return f.Spool.heads.health(), nil
}

// Accounts reads the accounts' latest snapshots from the archive
// (refreshing the cache) or, from the cache, their ids and facts' hashes.
func (f *Front) Accounts(ctx context.Context) ([]archive.Account, error) {
	accounts, err := f.Store.Accounts(ctx)
	if err != nil {
		f.fromCache(err)
		return f.Spool.heads.accounts(), nil
	}
	pending := f.Spool.pending()
	f.Spool.heads.refreshAccounts(accounts, pending)
	if len(pending) == 0 {
		return accounts, nil
	}
	return f.Spool.heads.accounts(), nil
}

func (f *Front) fromCache(error) { f.offline.Store(true) }

// Unreachable is the archive when it cannot be reached: every read and
// append fails with Err. A crawl puts a Front before it, and the Front's
// reads come from the head cache, its appends go to the spool.
type Unreachable struct{ Err error }

// ErrUnreachable wraps the errors of Unreachable.
var ErrUnreachable = errors.New("archive unreachable")

var _ archive.Store = Unreachable{}

func (u Unreachable) Append(context.Context, *archive.Batch) error { return u.Err }

// NewUnreachable returns the archive that err (its opening's) says cannot
// be reached.
func NewUnreachable(err error) Unreachable {
	return Unreachable{Err: fmt.Errorf("%w: %w", ErrUnreachable, err)}
}
func (u Unreachable) Heads(context.Context, []string) (map[archive.Key]archive.Head, error) {
	return nil, u.Err
}
func (u Unreachable) Accounts(context.Context) ([]archive.Account, error) { return nil, u.Err }
func (u Unreachable) Search(context.Context, archive.Query) (*archive.Result, error) {
	return nil, u.Err
}
func (u Unreachable) Facets(context.Context, archive.Query) (*archive.Facets, error) {
	return nil, u.Err
}
func (u Unreachable) Counts(context.Context, archive.Query) ([]archive.AccountCount, error) {
	return nil, u.Err
}
func (u Unreachable) Summary(context.Context) ([]archive.AccountSummary, error) { return nil, u.Err }
func (u Unreachable) Health(context.Context) ([]archive.AccountHealth, error)   { return nil, u.Err }
func (u Unreachable) Lookup(context.Context, string) ([]archive.Key, error)     { return nil, u.Err }
func (u Unreachable) History(context.Context, archive.Key) (*archive.PostHistory, error) {
	return nil, u.Err
}
func (u Unreachable) WARCRefs(context.Context, func(archive.WARCUse) error) error { return u.Err }
func (u Unreachable) Export(context.Context, int, func(*archive.Batch) error) error {
	return u.Err
}
func (u Unreachable) Close() error { return nil }
