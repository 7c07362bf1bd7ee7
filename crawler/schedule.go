package crawler

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/vigia-mx/vigia/directory"
)

// Schedule spreads a directory's accounts over a period: each account is
// crawled once per period at its own offset, taken from a hash of its id, so
// that a large directory does not hit every network at the same moment and an
// account keeps its place when others are added. Offsets are rounded down to
// slots; the accounts of one slot are crawled together, as one run.
type Schedule struct {
	Every time.Duration
	// Spread is the part of the period the offsets fall in; zero crawls
	// every account at the start of each period.
	Spread time.Duration
	// Slot is the granularity of offsets; zero means Spread/60, at least 10 s.
	Slot time.Duration
}

func (s Schedule) slot() time.Duration {
	if s.Slot > 0 {
		return min(s.Slot, s.Spread)
	}
	return min(max(s.Spread/60, 10*time.Second), s.Spread)
}

// Offset is the account's place within each period, from its start.
func (s Schedule) Offset(accountID string) time.Duration {
	spread := min(s.Spread, s.Every)
	if spread <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(accountID))
	slot := s.slot()
	slots := uint64(spread / slot)
	return time.Duration(h.Sum64()%slots) * slot
}

// Run calls crawl with the accounts due, slot after slot, the first period
// starting now, until ctx ends;
// it returns when ctx ends and the crawl under way has returned. A crawl that
// runs past the next slots delays them; a period missed entirely is not made
// up for.
func (s Schedule) Run(ctx context.Context, accounts []directory.Account, crawl func(ctx context.Context, due []directory.Account)) {
	if len(accounts) == 0 {
		return
	}
	s.RunFrom(ctx, func() []directory.Account { return accounts }, crawl)
}

// RunFrom is Run over the accounts that accounts returns, asked again
// before each slot: a directory replaced while the crawl goes on is
// followed from the next slot. An account that appears takes its place in
// the period under way, and is crawled at once when that place has passed;
// an account that disappears is crawled no more.
func (s Schedule) RunFrom(ctx context.Context, accounts func() []directory.Account, crawl func(ctx context.Context, due []directory.Account)) {
	if s.Every <= 0 {
		return
	}
	start := time.Now()
	next := map[string]time.Time{}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		now := time.Now()
		current := accounts()
		listed := make(map[string]bool, len(current))
		for _, a := range current {
			listed[a.ID] = true
			if _, ok := next[a.ID]; !ok {
				period := start.Add(now.Sub(start) / s.Every * s.Every)
				next[a.ID] = period.Add(s.Offset(a.ID))
			}
		}
		for id := range next {
			if !listed[id] {
				delete(next, id)
			}
		}
		var due []directory.Account
		for _, a := range current {
			if next[a.ID].After(now) {
				continue
			}
			due = append(due, a)
			for !next[a.ID].After(now) {
				next[a.ID] = next[a.ID].Add(s.Every)
			}
		}
		if len(due) > 0 {
			crawl(ctx, due)
			if ctx.Err() != nil {
				return
			}
			continue
		}
		earliest := now.Add(s.Every) // no account: look again a period later
		for _, t := range next {
			if t.Before(earliest) {
				earliest = t
			}
		}
		timer.Reset(time.Until(earliest))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
	}
}

// SweepDue reports whether an account's deep sweep is due at now, when it
// is swept once per period every. Its sweeps fall at its own place in each
// period (an offset from a hash of its id, periods counted from the Unix
// epoch), so that a directory's sweeps spread over the period instead of
// hitting the networks together; it is due once such an instant has come
// since its last sweep (or since since, when it was never swept). A sweep
// that ends a little after its instant is followed by the next instant a
// period later, so that an account is swept about once a period.
func SweepDue(accountID string, every time.Duration, last, since, now time.Time) bool {
	if every <= 0 {
		return false
	}
	from := last
	if from.IsZero() {
		from = since
	}
	return !now.Before(nextSweep(accountID, every, from))
}

// nextSweep is the first of the account's sweep instants after from.
func nextSweep(accountID string, every time.Duration, from time.Time) time.Time {
	offset := Schedule{Every: every, Spread: every}.Offset(accountID)
	// periods are counted in whole seconds from the Unix epoch, which
	// keeps the arithmetic inside int64 for any period
	period := int64(every / time.Second)
	if period < 1 {
		period = 1
	}
	rel := from.Unix() - int64(offset/time.Second)
	k := rel / period
	if rel < 0 && rel%period != 0 {
		k-- // floor
	}
	return time.Unix((k+1)*period, 0).Add(offset)
}
