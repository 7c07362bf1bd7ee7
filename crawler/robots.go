package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"github.com/vigia-mx/vigia/archive"
)

// Lifetimes of robots.txt answers in the cache.
const (
	robotsTTL     = time.Hour       // a robots.txt that was read
	robotsFailTTL = 5 * time.Minute // one that could not be read: disallow all, ask again soon
)

// robotsCache keeps each host's robots.txt for a while. It fetches through
// the client, so robots.txt requests are rate limited, bounded, cancellable
// and logged like any other. One fetch per host at a time.
type robotsCache struct {
	mu    sync.Mutex
	hosts map[string]*robotsEntry
	now   func() time.Time
}

type robotsEntry struct {
	ready   chan struct{} // closed once data or err is set
	data    *robotstxt.RobotsData
	err     error // why robots.txt could not be read: everything is disallowed meanwhile
	expires time.Time
}

func newRobotsCache() *robotsCache {
	return &robotsCache{hosts: map[string]*robotsEntry{}, now: time.Now}
}

// check returns nil when the client's user agent may fetch u, an error
// wrapping ErrRobots otherwise. own is the host:port the asking account may
// reach on a private network, "" for none.
func (rc *robotsCache) check(ctx context.Context, c *Client, network archive.Network, u *url.URL, own string, observe func(Attempt)) error {
	key := u.Scheme + "://" + u.Host
	// An account allowed to reach its host on a private network reads that
	// host's robots.txt for itself: another account's refusal is not its answer.
	entryKey := key + " " + own
	rc.mu.Lock()
	e, ok := rc.hosts[entryKey]
	if !ok || (isClosed(e.ready) && rc.now().After(e.expires)) {
		e = &robotsEntry{ready: make(chan struct{})}
		rc.hosts[entryKey] = e
		rc.mu.Unlock()
		e.data, e.err = c.fetchRobots(ctx, network, u.Host, key+"/robots.txt", own, observe)
		switch {
		case e.err == nil:
			e.expires = rc.now().Add(robotsTTL)
		case errors.Is(e.err, context.Canceled), errors.Is(e.err, context.DeadlineExceeded):
			e.expires = rc.now() // this caller gave up; the next one asks again
		default:
			e.expires = rc.now().Add(robotsFailTTL)
		}
		close(e.ready)
	} else {
		rc.mu.Unlock()
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	if errors.Is(e.err, ErrPrivateAddress) {
		return e.err
	}
	var se *StatusError
	switch {
	case errors.As(e.err, &se):
		return fmt.Errorf("%s/robots.txt could not be read (%v): everything is disallowed until it can: %w", key, e.err, ErrRobots)
	case e.err != nil:
		// The host did not answer at all: that is the failure to report
		// (and to count as one), not a refusal by robots.txt.
		return fmt.Errorf("%s did not answer (asking for its robots.txt): %w", key, e.err)
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !e.data.TestAgent(path, c.opts.UserAgent) {
		return fmt.Errorf("%s/robots.txt disallows %s: %w", key, path, ErrRobots)
	}
	return nil
}

// fetchRobots reads a robots.txt: a 4xx means no rules, a 5xx or a failed
// fetch means nothing may be crawled for now (the Robots Exclusion
// Protocol, RFC 9309, section 2.3.1).
func (c *Client) fetchRobots(ctx context.Context, network archive.Network, host, robotsURL, own string, observe func(Attempt)) (*robotstxt.RobotsData, error) {
	resp, err := c.get(ctx, network, host, robotsURL, "text/plain", scope{own: own}, observe)
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Status >= 400 && se.Status < 500:
		return robotstxt.FromStatusAndBytes(se.Status, nil)
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, err
	}
	return robotstxt.FromBytes(resp.Body)
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
