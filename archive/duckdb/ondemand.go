package duckdb

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"sync"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// OnDemand is an archive file opened for each call and closed after it, so
// that other processes can open the file between calls: what a crawl that
// is not the web application's process writes through (vigia crawl).
//
// DuckDB locks a file for one process that writes or for any number that
// only read. OnDemand reads with a read-only open, which readers elsewhere
// (vigia serve, vigia search) do not block, and appends with a writable
// open held only for the append and the checkpoint that closes it (or, with
// Linger, until the next append, while no one else knocks for it). When the
// file is held, each call tries again, politely (a short pause that grows,
// with jitter, up to a second), for at most Options.Wait; it then fails
// with archive.ErrLocked, which a spool in front of it (spool.Front) takes
// as an archive that is down: the batch waits in the spool.
type OnDemand struct {
	path string
	opts OnDemandOptions

	// gate keeps this process's own opens apart, one writable or many
	// read-only, as DuckDB's lock keeps processes apart: that lock does not
	// keep a process from opening its own file twice. It also guards the
	// fields below.
	gate sync.RWMutex
	// held is the writable open kept between appends (Linger), since
	// heldAt, last used at usedAt; nil when the file is closed.
	held           *Store
	heldAt, usedAt time.Time
	closeErr       error // of a held open closed in the background
	opens          int   // writable opens, for tests
}

// OnDemandOptions tune an OnDemand archive.
type OnDemandOptions struct {
	// Writer are the options of the writable opens (WriterOptions when zero).
	Writer Options
	// Wait bounds how long one call waits for a file another process holds.
	Wait time.Duration
	// Linger keeps the file open after an append, for the next append (and
	// the reads between) to find it open, until no call used it for Linger,
	// it was held for MaxHold, someone else knocked for it (a reader or
	// writer that found its turnstile taken), or Close. Opening, and the
	// checkpoint that closes, cost DuckDB about as much as an append of
	// thousands of posts; a crawl appends every second or so. Zero closes
	// the file after each call.
	Linger, MaxHold time.Duration
}

var (
	_ archive.Store         = (*OnDemand)(nil)
	_ archive.HistoryReader = (*OnDemand)(nil)
	_ archive.ModelAdopter  = (*OnDemand)(nil)
	_ archive.ModelAdopter  = (*Store)(nil)
	_ archive.HistoryReader = (*Store)(nil)
)

// NewOnDemand returns the archive at path, opened at each call. Nothing is
// opened yet.
func NewOnDemand(path string, opts OnDemandOptions) *OnDemand {
	if opts.Writer == (Options{}) {
		opts.Writer = WriterOptions()
	}
	opts.Writer.ReadOnly = false
	return &OnDemand{path: path, opts: opts}
}

// Path is the archive file.
func (o *OnDemand) Path() string { return o.path }

// Close closes the file if an append left it open (Linger), and returns
// the error of a lingering open closed before, if any; otherwise each call
// closed what it opened.
func (o *OnDemand) Close() error {
	o.gate.Lock()
	defer o.gate.Unlock()
	if o.held != nil {
		o.closeErr = errors.Join(o.closeErr, o.held.Close())
		o.held = nil
	}
	err := o.closeErr
	o.closeErr = nil
	return err
}

// watch closes the lingering open s once it is due (see Linger).
func (o *OnDemand) watch(s *Store) {
	maxHold := o.opts.MaxHold
	if maxHold <= 0 {
		maxHold = o.opts.Linger
	}
	t := time.NewTicker(min(o.opts.Linger, 50*time.Millisecond))
	defer t.Stop()
	for range t.C {
		if !o.gate.TryLock() {
			continue // a call uses it
		}
		if o.held != s {
			o.gate.Unlock()
			return
		}
		now := time.Now()
		if now.Sub(o.usedAt) >= o.opts.Linger || now.Sub(o.heldAt) >= maxHold || knockedSince(o.path, o.heldAt) {
			o.closeErr = errors.Join(o.closeErr, s.Close())
			o.held = nil
			o.gate.Unlock()
			return
		}
		o.gate.Unlock()
	}
}

// lockHolder reads who holds a file from DuckDB's lock error: "Conflicting
// lock is held in /usr/bin/vigia (PID 1234)".
var lockHolder = regexp.MustCompile(`held in (.+?) \(PID (\d+)\)`)

// LockHolder names the process an archive.ErrLocked error says holds the
// file, "/usr/bin/vigia (PID 1234)", or "another process" when it does not
// say.
func LockHolder(err error) string {
	if m := lockHolder.FindStringSubmatch(fmt.Sprint(err)); m != nil {
		return m[1] + " (PID " + m[2] + ")"
	}
	return "another process"
}

// open opens the file, read-only unless write, waiting while another
// process holds it. A writer takes the turnstile first and keeps it while
// it waits for the readers inside to finish, so that no new one goes in
// (turnstile.go). A read of an archive not yet made makes it.
func (o *OnDemand) open(ctx context.Context, write bool) (s *Store, err error) {
	deadline := time.Now().Add(o.opts.Wait)
	pause := 20 * time.Millisecond
	var turn *os.File
	defer func() {
		if s == nil {
			leaveTurnstile(turn)
		}
	}()
	for {
		switch {
		case !write:
			s, err = Open(ctx, o.path, Options{ReadOnly: true})
			if errors.Is(err, archive.ErrNotFound) {
				return o.open(ctx, true)
			}
		case turn == nil:
			if turn, err = enterTurnstile(o.path); err == nil {
				continue
			}
		default:
			s, err = open(ctx, o.path, o.opts.Writer, turn)
			if s == nil {
				turn = nil // open released it
				if errors.Is(err, archive.ErrLocked) {
					turn, _ = enterTurnstile(o.path) // keep the turn while readers finish
				}
			}
		}
		if !errors.Is(err, archive.ErrLocked) {
			return s, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, err
		}
		d := min(pause/2+rand.N(pause), left)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, errors.Join(err, ctx.Err())
		case <-t.C:
		}
		pause = min(2*pause, time.Second)
	}
}

// read runs fn on the file opened read-only.
func read[T any](ctx context.Context, o *OnDemand, fn func(*Store) (T, error)) (T, error) {
	o.gate.RLock()
	defer o.gate.RUnlock()
	if o.held != nil { // left open by an append: read through it
		return fn(o.held)
	}
	s, err := o.open(ctx, false)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := fn(s)
	if cerr := s.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return v, err
}

// write runs fn on the file opened for writing (or left open by the last
// append); closing it checkpoints.
func (o *OnDemand) write(ctx context.Context, fn func(*Store) error) error {
	o.gate.Lock()
	defer o.gate.Unlock()
	s := o.held
	if s == nil {
		var err error
		if s, err = o.open(ctx, true); err != nil {
			return err
		}
		o.opens++
	}
	err := fn(s)
	if o.opts.Linger <= 0 || err != nil {
		o.held = nil
		if cerr := s.Close(); err == nil && cerr != nil {
			err = cerr
		}
		return err
	}
	o.usedAt = time.Now()
	if o.held == nil {
		o.held, o.heldAt = s, o.usedAt
		go o.watch(s)
	}
	return nil
}

// Ping opens the file read-only (making the archive when there is none
// yet) and closes it: whether it can be read now.
func (o *OnDemand) Ping(ctx context.Context) error {
	_, err := read(ctx, o, func(*Store) (struct{}, error) { return struct{}{}, nil })
	return err
}

// Append opens the file for writing, stores b and closes it.
func (o *OnDemand) Append(ctx context.Context, b *archive.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	return o.write(ctx, func(s *Store) error { return s.Append(ctx, b) })
}

// AdoptModel records an adoption (see Store.AdoptModel).
func (o *OnDemand) AdoptModel(ctx context.Context, a *archive.ModelAdoption) error {
	return o.write(ctx, func(s *Store) error { return s.AdoptModel(ctx, a) })
}

func (o *OnDemand) Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error) {
	return read(ctx, o, func(s *Store) (map[archive.Key]archive.Head, error) { return s.Heads(ctx, accountIDs) })
}

func (o *OnDemand) Accounts(ctx context.Context) ([]archive.Account, error) {
	return read(ctx, o, func(s *Store) ([]archive.Account, error) { return s.Accounts(ctx) })
}

func (o *OnDemand) Search(ctx context.Context, q archive.Query) (*archive.Result, error) {
	return read(ctx, o, func(s *Store) (*archive.Result, error) { return s.Search(ctx, q) })
}

func (o *OnDemand) Facets(ctx context.Context, q archive.Query) (*archive.Facets, error) {
	return read(ctx, o, func(s *Store) (*archive.Facets, error) { return s.Facets(ctx, q) })
}

func (o *OnDemand) Counts(ctx context.Context, q archive.Query) ([]archive.AccountCount, error) {
	return read(ctx, o, func(s *Store) ([]archive.AccountCount, error) { return s.Counts(ctx, q) })
}

func (o *OnDemand) Summary(ctx context.Context) ([]archive.AccountSummary, error) {
	return read(ctx, o, func(s *Store) ([]archive.AccountSummary, error) { return s.Summary(ctx) })
}

func (o *OnDemand) Health(ctx context.Context) ([]archive.AccountHealth, error) {
	return read(ctx, o, func(s *Store) ([]archive.AccountHealth, error) { return s.Health(ctx) })
}

func (o *OnDemand) Lookup(ctx context.Context, ref string) ([]archive.Key, error) {
	return read(ctx, o, func(s *Store) ([]archive.Key, error) { return s.Lookup(ctx, ref) })
}

func (o *OnDemand) History(ctx context.Context, k archive.Key) (*archive.PostHistory, error) {
	return read(ctx, o, func(s *Store) (*archive.PostHistory, error) { return s.History(ctx, k) })
}

func (o *OnDemand) Histories(ctx context.Context, keys []archive.Key) (map[archive.Key]*archive.PostHistory, error) {
	return read(ctx, o, func(s *Store) (map[archive.Key]*archive.PostHistory, error) { return s.Histories(ctx, keys) })
}

func (o *OnDemand) ModelAdoptions(ctx context.Context, withModels bool) ([]archive.ModelAdoption, error) {
	return read(ctx, o, func(s *Store) ([]archive.ModelAdoption, error) { return s.ModelAdoptions(ctx, withModels) })
}

func (o *OnDemand) AdoptedModel(ctx context.Context) (*archive.ModelAdoption, error) {
	return read(ctx, o, func(s *Store) (*archive.ModelAdoption, error) { return s.AdoptedModel(ctx) })
}

// WARCRefs and Export hold the file open, read-only, for the whole walk.
func (o *OnDemand) WARCRefs(ctx context.Context, fn func(archive.WARCUse) error) error {
	_, err := read(ctx, o, func(s *Store) (struct{}, error) { return struct{}{}, s.WARCRefs(ctx, fn) })
	return err
}

func (o *OnDemand) Export(ctx context.Context, size int, fn func(*archive.Batch) error) error {
	_, err := read(ctx, o, func(s *Store) (struct{}, error) { return struct{}{}, s.Export(ctx, size, fn) })
	return err
}
