package crawler

import "time"

// Idle per-host limiters are dropped, so that a long crawl that fetches media
// from many hosts does not keep a limiter for every host it ever saw.
const (
	limiterIdle       = 10 * time.Minute // unused this long, a limiter may go
	limiterSweepEvery = time.Minute      // at most this often, on a new host
)

// sweepLimiters drops the limiters of hosts unused for limiterIdle whose
// bucket has refilled: such a limiter is what a new one would be (full), so
// dropping it changes no host's rate. It runs when wait adds a host, at most
// once per limiterSweepEvery. c.mu is held.
func (c *Client) sweepLimiters(now time.Time) {
	if now.Sub(c.swept) < limiterSweepEvery {
		return
	}
	c.swept = now
	for host, l := range c.limiters {
		if now.Sub(c.used[host]) > limiterIdle && l.TokensAt(now) >= float64(l.Burst()) {
			delete(c.limiters, host)
			delete(c.used, host)
		}
	}
}
