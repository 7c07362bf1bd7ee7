package auth

import (
	"sync"
	"time"
)

// The login throttle: after maxFailures failed logins for one name within
// failureWindow, the name is refused for lockout.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	lockout       = 15 * time.Minute
)

// throttle counts failed logins per name, in memory. Logins in flight count
// as failures until they end, so parallel guesses get no more than
// maxFailures tries either.
type throttle struct {
	mu        sync.Mutex
	names     map[string]*attempts
	lastSweep time.Time
}

type attempts struct {
	failures []time.Time // within failureWindow, oldest first
	inFlight int
	until    time.Time // refused until then
}

// key bounds the memory a name can take.
func key(name string) string {
	if len(name) > 64 {
		return name[:64]
	}
	return name
}

// begin reports whether a login for name may go ahead; if so, end must
// follow.
func (t *throttle) begin(name string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweep(now)
	a := t.names[key(name)]
	if a == nil {
		a = &attempts{}
		t.names[key(name)] = a
	}
	if now.Before(a.until) {
		return false
	}
	a.prune(now)
	if len(a.failures)+a.inFlight >= maxFailures {
		return false
	}
	a.inFlight++
	return true
}

// The outcome of a login, for the throttle.
type outcome int

const (
	undecided outcome = iota // the password was not checked (the store failed)
	failed
	succeeded
)

// end records the outcome of a login begun with begin: a success clears
// the failures of name.
func (t *throttle) end(name string, now time.Time, o outcome) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.names[key(name)]
	a.inFlight--
	switch o {
	case undecided:
		return
	case succeeded:
		a.failures = nil
		return
	}
	a.prune(now)
	a.failures = append(a.failures, now)
	if len(a.failures) >= maxFailures {
		a.failures, a.until = nil, now.Add(lockout)
	}
}

func (a *attempts) prune(now time.Time) {
	i := 0
	for i < len(a.failures) && now.Sub(a.failures[i]) >= failureWindow {
		i++
	}
	a.failures = a.failures[i:]
}

// sweep forgets, at most once a minute, the names with nothing to remember.
func (t *throttle) sweep(now time.Time) {
	if now.Sub(t.lastSweep) < time.Minute {
		return
	}
	t.lastSweep = now
	for k, a := range t.names {
		a.prune(now)
		if len(a.failures) == 0 && a.inFlight == 0 && !now.Before(a.until) {
			delete(t.names, k)
		}
	}
}
