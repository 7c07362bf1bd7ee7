package crawler

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Confirmer is implemented by adapters whose network can be asked about a
// single post. A post missing from a listing may only have moved (a pinned
// post, a page boundary), so the loop records a deletion only when the
// network confirms it; adapters without a Confirmer never report
// deletions. Feeds, whose listing is a window of the newest items, confirm
// by each post's own page (URLConfirmer).
type Confirmer interface {
	// Gone returns, among ids, the posts the network confirms are no longer
	// published, each with the evidence in words (the request and what it
	// answered). An id it cannot tell about is left out; an error means no
	// answer at all.
	Gone(ctx context.Context, f Fetcher, acct *directory.Account, ids []string) (map[string]string, error)
}

// Historian is implemented by adapters whose network keeps each post's edit
// history (Mastodon). When the loop sees an edit it asks for the history, so
// that the exchange, with versions the crawler never saw, is kept as
// evidence.
type Historian interface {
	// History fetches a post's edit history and tells in words what it holds.
	History(ctx context.Context, f Fetcher, acct *directory.Account, postID string) (string, error)
}

// URLConfirmer is a Confirmer that tells about a post by asking for the
// post's own page (a feed item's link, a video's watch page). Its listing
// is a feed of the newest items only, so a post missing from it proves
// nothing: the loop asks about posts only in a deep sweep, every archived
// post the feed no longer shows, and the Fetcher it gets gives each post's
// archived URL (PostURLs).
type URLConfirmer interface {
	Confirmer
	ConfirmsByURL()
}

// PostURLs is implemented by the Fetcher a URLConfirmer gets: PostURL is
// the URL archived with a post asked about ("" when none is known).
type PostURLs interface {
	PostURL(id string) string
}

// maxConfirm bounds the direct requests one account's crawl makes to
// confirm deletions; the rest wait for the next crawl. A deep sweep may
// make up to its page budget of them.
const maxConfirm = 50

// accountCrawl is one account's crawl in a run: listing, change detection,
// media evidence, deletion checks and the account's outcome record.
type accountCrawl struct {
	c              *Crawler
	ctx            context.Context // the work's; outlives a stop request by the grace period
	stopping       func() bool     // a stop was requested: start nothing new
	runID          string
	acct           *directory.Account
	known          map[string]archive.Head // the archive's heads; updated as versions are found
	wasUnreachable bool
	send           func(*archive.Batch)
	// sweep: list the account's whole available history (up to the page
	// budget) and check every archived post missing from it.
	sweep bool

	f       *accountFetcher
	rep     AccountReport
	seen    map[string]bool
	oldest  time.Time // oldest publication time listed
	newest  time.Time
	stopped bool // the loop stopped the listing before its end
}

// timeout bounds the account's crawl: a sweep's bound grows with its
// budget, two requests' worth of the host's polite rate per page (listing
// and asking).
func (a *accountCrawl) timeout() time.Duration {
	t := a.c.opts.AccountTimeout
	if a.sweep && a.c.client.opts.HostRate > 0 {
		t += time.Duration(float64(2*a.sweepBudget()) / a.c.client.opts.HostRate * float64(time.Second))
	}
	return t
}

// sweepBudget is the page budget of the account's deep sweeps: the
// directory's sweep_pages, or the crawl's.
func (a *accountCrawl) sweepBudget() int {
	if a.acct.SweepPages > 0 {
		return a.acct.SweepPages
	}
	return a.c.opts.SweepPages
}

func (a *accountCrawl) run() AccountReport {
	c, acct := a.c, a.acct
	started := time.Now().UTC()
	a.rep = AccountReport{ID: acct.ID, Network: acct.Network}
	a.seen = map[string]bool{}
	a.f = &accountFetcher{client: c.client, acct: acct, runID: a.runID, progress: &c.progress, own: ownPrivateHost(acct)}
	ctx, cancel := context.WithTimeout(a.ctx, a.timeout())
	defer cancel()

	windowStart := started.Add(-c.opts.RelistWindow)
	previous := make(map[string]archive.Head, len(a.known))
	for id, h := range a.known {
		previous[id] = h
	}
	a.rep.Sweep = a.sweep
	err := c.adapters[acct.Network].List(ctx, a.f, acct, func(p Page) bool {
		fresh := a.page(ctx, p)
		var more bool
		if a.sweep {
			// A sweep pages back to the start of the history, or to its
			// budget.
			more = a.rep.Pages < a.sweepBudget() && !a.stopping()
		} else {
			// Page on while there is something new, and through the
			// re-listed window; stop at the first page with nothing new
			// past it.
			caughtUp := len(p.Posts) > 0 && fresh == 0
			more = a.rep.Pages < c.opts.MaxPages && (!caughtUp || reachesInto(p.Posts, windowStart)) && !a.stopping()
		}
		a.stopped = !more
		return more
	})

	last := &archive.Batch{}
	if err == nil && !a.stopping() {
		events, cerr := a.deletions(ctx, previous, windowStart)
		if cerr != nil {
			c.log.Warn("deletions not checked", "account", acct.ID, "err", cerr)
		}
		last.Events = append(last.Events, events...)
	}
	if a.sweep && (err != nil || a.stopping()) {
		a.rep.SweepComplete = false
	}
	status := archive.CrawlOK
	if err != nil {
		a.rep.Err = fmt.Errorf("crawl account %q (%s %s): %w", acct.ID, acct.Network, acct.Handle, err)
		if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
			a.rep.Err = fmt.Errorf("crawl account %q: stopped: %w", acct.ID, cause)
		}
		status = archive.CrawlPartial
		if a.rep.Pages == 0 {
			status = archive.CrawlUnreachable
			if !a.wasUnreachable {
				last.Events = append(last.Events, archive.Event{
					Network: acct.Network, AccountID: acct.ID, Kind: archive.AccountUnreachable,
					ObservedAt: time.Now().UTC(), RunID: a.runID, Evidence: err.Error(),
				})
			}
		}
		c.progress.failed.Add(1)
		c.log.Warn("account not crawled", "account", acct.ID, "network", acct.Network, "err", err)
	}
	crawl := archive.AccountCrawl{
		RunID: a.runID, AccountID: acct.ID, Network: acct.Network, StartedAt: started, FinishedAt: time.Now().UTC(),
		Status: status, Pages: a.rep.Pages, PostsSeen: a.rep.Posts, VersionsNew: a.rep.Versions,
		Deleted: a.rep.Deleted, NewestPostAt: a.newest,
		Sweep: a.sweep, SweepComplete: a.rep.SweepComplete, SweepChecked: a.rep.SweepChecked,
	}
	if a.rep.Err != nil {
		crawl.Error = a.rep.Err.Error()
	}
	last.Crawls = []archive.AccountCrawl{crawl}
	last.Fetches = a.f.drain()
	a.send(last)
	c.progress.done.Add(1)
	c.metrics.accountDone(acct, status, crawl.FinishedAt)
	if a.sweep && status == archive.CrawlOK {
		c.metrics.swept(acct, a.rep.SweepChecked, crawl.FinishedAt)
	}
	return a.rep
}

// page archives what one listing page shows and returns how many new
// versions it held.
func (a *accountCrawl) page(ctx context.Context, p Page) int {
	c, acct := a.c, a.acct
	a.rep.Pages++
	n := len(p.Posts)
	b := &archive.Batch{
		Captures: make([]archive.Capture, 0, n),
		Posts:    make([]archive.Post, 0, n), Events: make([]archive.Event, 0, n), Decisions: make([]archive.Decision, 0, n),
	}
	now := time.Now().UTC()
	fresh, edits := 0, 0
	for i := range p.Posts {
		post := &p.Posts[i]
		post.Network, post.AccountID, post.CapturedAt = acct.Network, acct.ID, now
		post.RunID, post.CrawlerVersion = a.runID, c.opts.CrawlerVersion
		post.Edited = post.Edited || !post.EditedAt.IsZero()
		if post.SourceURL == "" {
			post.SourceURL = p.URL
		}
		post.WARC = a.f.evidence(post.SourceURL)
		post.ContentSHA256 = post.ContentHash()
		a.seen[post.PostID] = true
		if t := post.PublishedAt; !t.IsZero() {
			if a.oldest.IsZero() || t.Before(a.oldest) {
				a.oldest = t
			}
			if t.After(a.newest) {
				a.newest = t
			}
		}
		b.Captures = append(b.Captures, archive.Capture{
			Network: post.Network, AccountID: post.AccountID, PostID: post.PostID,
			CapturedAt: now, ContentSHA256: post.ContentSHA256, SourceURL: post.SourceURL, RunID: a.runID,
		})
		head, seen := a.known[post.PostID]
		if seen && head.Deleted {
			a.rep.Restored++
			b.Events = append(b.Events, archive.Event{
				Network: post.Network, AccountID: post.AccountID, PostID: post.PostID, Kind: archive.Restored,
				ObservedAt: now, ContentSHA256: post.ContentSHA256, RunID: a.runID,
				Evidence: "listed again in " + post.SourceURL,
			})
			head.Deleted = false
			a.known[post.PostID] = head
		}
		if seen && head.ContentSHA256 == post.ContentSHA256 {
			continue
		}
		fresh++
		post.Version = head.Version + 1
		a.known[post.PostID] = archive.Head{ContentSHA256: post.ContentSHA256, Version: post.Version, PublishedAt: post.PublishedAt}
		kind := archive.FirstSeen
		switch {
		case seen && a.reparsed(post, head):
			kind = archive.Reparsed
		case seen:
			kind = archive.Edited
			edits++
		}
		evidence := fmt.Sprintf("version %d seen in %s", post.Version, post.SourceURL)
		if kind == archive.Reparsed {
			evidence += fmt.Sprintf("; version %d is this capture as an earlier vigia read it: this vigia reads more of it (not an edit)", head.Version)
		}
		if !a.stopping() {
			a.fetchMedia(ctx, post)
			if h, ok := c.adapters[acct.Network].(Historian); ok && kind == archive.Edited {
				if said, err := h.History(ctx, a.f, acct, post.PostID); err != nil {
					evidence += "; edit history not kept: " + err.Error()
				} else {
					evidence += "; " + said
				}
			}
		}
		b.Events = append(b.Events, archive.Event{
			Network: post.Network, AccountID: post.AccountID, PostID: post.PostID, Kind: kind,
			ObservedAt: now, ContentSHA256: post.ContentSHA256, RunID: a.runID, Evidence: evidence,
		})
		d := c.judge(acct, post)
		c.metrics.decided(&d)
		b.Decisions = append(b.Decisions, d)
		b.Posts = append(b.Posts, *post)
	}
	b.Fetches = a.f.drain()
	a.rep.Posts += n
	a.rep.Versions += fresh
	c.progress.posts.Add(int64(n))
	c.progress.versions.Add(int64(fresh))
	c.metrics.posts(acct.Network, n, fresh, edits)
	a.send(b)
	return fresh
}

// reachesInto reports whether a page's posts go back to the window's start
// or before it; without dates it cannot tell, and says it does.
func reachesInto(posts []archive.Post, windowStart time.Time) bool {
	for _, p := range posts {
		if p.PublishedAt.IsZero() || p.PublishedAt.Before(windowStart) {
			return false
		}
	}
	return true
}

// deletions finds the posts known before this crawl that the listing no
// longer shows, among those it covered, and asks the network to confirm
// each one is gone. A crawl covers the part of the re-listed window it
// listed; a deep sweep that reached the end of the history covers every
// post, one the page budget stopped only the posts newer than the oldest
// it listed; for a network confirmed by URL (feeds) only a sweep covers
// anything, every post the feed no longer shows.
func (a *accountCrawl) deletions(ctx context.Context, previous map[string]archive.Head, windowStart time.Time) ([]archive.Event, error) {
	if a.sweep {
		for id := range previous {
			if a.seen[id] {
				a.rep.SweepChecked++
			}
		}
		a.rep.SweepComplete = !a.stopped
	}
	confirmer, ok := a.c.adapters[a.acct.Network].(Confirmer)
	if !ok {
		a.rep.SweepComplete = false // nothing missing can be checked
		return nil, nil
	}
	_, byURL := confirmer.(URLConfirmer)
	from, whole := windowStart, false
	switch {
	case a.sweep && byURL:
		whole, a.rep.SweepComplete = true, true
	case a.sweep && !a.stopped:
		whole = true
	case byURL:
		return nil, nil // a feed shows only its newest items: missing proves nothing
	case a.stopped: // the listing went back only to its oldest post
		if a.oldest.IsZero() {
			return nil, nil
		}
		from = later(from, a.oldest)
		if a.sweep {
			from = a.oldest
		}
	}
	var missing []string
	for id, h := range previous {
		if h.Deleted || a.seen[id] {
			continue
		}
		if whole || (!h.PublishedAt.IsZero() && !h.PublishedAt.Before(from)) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	slices.Sort(missing)
	limit := maxConfirm
	if a.sweep {
		limit = a.sweepBudget()
		if !byURL {
			limit = max(limit, maxConfirm)
		}
	}
	if len(missing) > limit {
		a.c.log.Info("more posts missing than checked in one crawl", "account", a.acct.ID, "missing", len(missing), "checked", limit)
		if a.sweep { // each sweep starts elsewhere, so that every post has its turn
			h := fnv.New32a()
			h.Write([]byte(a.runID))
			start := int(h.Sum32() % uint32(len(missing)))
			missing = append(missing[start:], missing[:start]...)
		}
		missing = missing[:limit]
		a.rep.SweepComplete = false
	}
	var f Fetcher = a.f
	if byURL {
		f = &urlFetcher{accountFetcher: a.f, urls: a.postURLs(ctx, missing)}
	}
	gone, err := confirmer.Gone(ctx, f, a.acct, missing)
	if err == nil && (byURL || a.sweep) && len(gone) > 0 {
		err = a.canary(ctx, confirmer, byURL, previous)
	}
	if err != nil {
		a.rep.SweepComplete = false
		return nil, fmt.Errorf("confirm %d missing posts of %q: %w", len(missing), a.acct.ID, err)
	}
	if a.sweep {
		a.rep.SweepChecked += len(missing)
	}
	now := time.Now().UTC()
	var events []archive.Event
	for _, id := range missing {
		evidence, ok := gone[id]
		if !ok {
			continue
		}
		h := previous[id]
		events = append(events, archive.Event{
			Network: a.acct.Network, AccountID: a.acct.ID, PostID: id, Kind: archive.DeletedAtSource,
			ObservedAt: now, ContentSHA256: h.ContentSHA256, RunID: a.runID,
			Evidence: a.missingFrom(whole, byURL, from) + "; " + evidence,
		})
		h.Deleted = true
		a.known[id] = h
		if a.c.metrics != nil {
			a.c.metrics.deleted(a.acct.Network, a.c.standing(ctx, archive.Key{Network: a.acct.Network, AccountID: a.acct.ID, PostID: id}))
		}
	}
	a.rep.Deleted += len(events)
	a.c.progress.deleted.Add(int64(len(events)))
	return events, nil
}

// canary checks a Confirmer's answers before any is believed, in a deep
// sweep and for a Confirmer that asks for each post's own page: it asks the
// same way about an archived post the listing shows right now, and a
// network that says that one is gone too (a site down behind 404 pages, a
// moved domain, an API answering every query with nothing) is not believed
// about any. With no such post to ask about, nothing is believed either.
func (a *accountCrawl) canary(ctx context.Context, confirmer Confirmer, byURL bool, previous map[string]archive.Head) error {
	var listed []string
	for id, h := range previous {
		if a.seen[id] && !h.Deleted {
			listed = append(listed, id)
		}
	}
	slices.Sort(listed)
	for _, id := range listed[:min(len(listed), 3)] {
		var f Fetcher = a.f
		if byURL {
			urls := a.postURLs(ctx, []string{id})
			if urls[id] == "" {
				continue
			}
			f = &urlFetcher{accountFetcher: a.f, urls: urls}
		}
		gone, err := confirmer.Gone(ctx, f, a.acct, []string{id})
		if err != nil {
			return fmt.Errorf("ask about post %s, listed now, as a check: %w", id, err)
		}
		if why, ok := gone[id]; ok {
			return fmt.Errorf("post %s, listed right now, is said to be gone too (%s): the answers are not believed", id, why)
		}
		return nil
	}
	return errors.New("no post listed right now could be asked about as a check: the answers are not believed")
}

// missingFrom says, in an event's evidence, what listing a post was missing
// from.
func (a *accountCrawl) missingFrom(whole, byURL bool, from time.Time) string {
	switch {
	case byURL: // a feed: it lists its newest items only
		return "missing from the feed, asked about in a deep sweep"
	case whole:
		return "missing from a deep sweep that listed the account's whole history"
	case a.sweep:
		return fmt.Sprintf("missing from a deep sweep covering %s onwards (stopped by its page budget)", from.Format(time.RFC3339))
	}
	return fmt.Sprintf("missing from the listing covering %s onwards", from.Format(time.RFC3339))
}

// postURLs reads from the archive the URL of each post asked about, for a
// Confirmer that asks for the post's own page; a post whose history cannot
// be read is left out (its confirmer then cannot tell).
func (a *accountCrawl) postURLs(ctx context.Context, ids []string) map[string]string {
	urls := make(map[string]string, len(ids))
	for _, id := range ids {
		h, err := a.c.archive.History(ctx, archive.Key{Network: a.acct.Network, AccountID: a.acct.ID, PostID: id})
		if err != nil || len(h.Versions) == 0 {
			a.c.log.Debug("archived URL not read", "account", a.acct.ID, "post", id, "err", err)
			continue
		}
		if u := h.Versions[len(h.Versions)-1].URL; u != "" {
			urls[id] = u
		}
	}
	return urls
}

// urlFetcher is an account's Fetcher that also gives the archived URL of
// each post asked about.
type urlFetcher struct {
	*accountFetcher
	urls map[string]string
}

func (f *urlFetcher) PostURL(id string) string { return f.urls[id] }

// standing returns the label that stands for an archived post (a person's
// decision over the judge's), undetermined when the archive cannot tell.
func (c *Crawler) standing(ctx context.Context, k archive.Key) archive.Label {
	h, err := c.archive.History(ctx, k)
	if err != nil {
		c.log.Debug("standing label not read", "account", k.AccountID, "post", k.PostID, "err", err)
		return archive.Undetermined
	}
	return h.Standing().Label
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
