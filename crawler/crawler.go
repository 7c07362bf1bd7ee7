package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/directory"
)

// Adapter lists the posts of one network. An adapter only fetches and
// parses; the loop owns scheduling, politeness, retries, change detection,
// classification and storage.
type Adapter interface {
	// List fetches an account's posts, newest first, one page at a time,
	// and hands each page to yield. It stops when yield returns false, when
	// the listing ends, or at the first error, which names the URL.
	List(ctx context.Context, f Fetcher, acct *directory.Account, yield func(Page) bool) error
}

// Page is one listing page as an adapter parsed it. Adapters fill the
// network-side fields of each Post; the loop fills the rest.
type Page struct {
	URL   string
	Posts []archive.Post
}

// Fetcher gets URLs for an adapter, with the crawl's politeness, retries and
// limits applied and every exchange logged.
type Fetcher interface {
	// Get returns the response to a GET of url; a status other than 2xx comes
	// with a *StatusError holding the body.
	Get(ctx context.Context, url, accept string) (*Response, error)
}

// Judge decides whether a new post version is public information.
type Judge func(acct *directory.Account, p *archive.Post) archive.Decision

// Archive is what the loop needs of an archive.
type Archive interface {
	archive.Appender
	Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error)
	Accounts(ctx context.Context) ([]archive.Account, error)
}

// Options tune a crawl. Zero fields take the defaults of DefaultOptions.
type Options struct {
	Concurrency    int           // accounts crawled at once
	MaxPages       int           // listing pages per account and crawl
	AccountTimeout time.Duration // one account's whole listing
	FlushRows      int           // records buffered before an archive append
	FlushInterval  time.Duration // longest a record waits before an archive append
	CrawlerVersion string
}

// DefaultOptions are the defaults of a crawl.
func DefaultOptions() Options {
	return Options{
		Concurrency:    8,
		MaxPages:       20,
		AccountTimeout: 10 * time.Minute,
		FlushRows:      20000,
		FlushInterval:  time.Second,
	}
}

// Crawler runs crawls of directory accounts: fetch, parse, detect changes,
// judge, archive. It holds no goroutines between calls.
type Crawler struct {
	client   *Client
	adapters map[archive.Network]Adapter
	archive  Archive
	judge    Judge
	opts     Options
	log      *slog.Logger
	metrics  *Metrics
	progress Progress
}

// New builds a crawler. adapters maps each network to its adapter; metrics
// may be nil.
func New(client *Client, adapters map[archive.Network]Adapter, arc Archive, judge Judge, opts Options, log *slog.Logger, metrics *Metrics) *Crawler {
	def := DefaultOptions()
	if opts.Concurrency <= 0 {
		opts.Concurrency = def.Concurrency
	}
	if opts.MaxPages <= 0 {
		opts.MaxPages = def.MaxPages
	}
	if opts.AccountTimeout <= 0 {
		opts.AccountTimeout = def.AccountTimeout
	}
	if opts.FlushRows <= 0 {
		opts.FlushRows = def.FlushRows
	}
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = def.FlushInterval
	}
	return &Crawler{client: client, adapters: adapters, archive: arc, judge: judge, opts: opts, log: log, metrics: metrics}
}

// Progress counts a crawl's work as it happens; read it with Snapshot.
type Progress struct {
	accounts, done, failed, fetches, posts, versions atomic.Int64
}

func (p *Progress) reset(accounts int) {
	p.accounts.Store(int64(accounts))
	for _, n := range []*atomic.Int64{&p.done, &p.failed, &p.fetches, &p.posts, &p.versions} {
		n.Store(0)
	}
}

// ProgressSnapshot is a moment of a crawl's progress.
type ProgressSnapshot struct {
	Accounts, Done, Failed, Fetches, Posts, Versions int64
}

// Progress returns the counters of the crawl under way (or the last one).
func (c *Crawler) Progress() ProgressSnapshot {
	p := &c.progress
	return ProgressSnapshot{p.accounts.Load(), p.done.Load(), p.failed.Load(), p.fetches.Load(), p.posts.Load(), p.versions.Load()}
}

// Report is the outcome of one crawl.
type Report struct {
	Run      archive.Run
	Accounts []AccountReport
}

// AccountReport is the outcome of one account's crawl.
type AccountReport struct {
	ID       string
	Network  archive.Network
	Pages    int
	Posts    int // observed
	Versions int // new versions archived
	Err      error
}

// Once crawls the given accounts of a directory one time. Accounts that fail
// are reported and do not stop the others; the returned error is for the
// crawl as a whole (the archive refusing records, or ctx ending).
func (c *Crawler) Once(ctx context.Context, dir *directory.Directory, accounts []directory.Account) (*Report, error) {
	run := archive.Run{ID: NewRunID(), StartedAt: time.Now().UTC(), CrawlerVersion: c.opts.CrawlerVersion, Directory: dir.File, Accounts: len(accounts)}
	c.progress.reset(len(accounts))

	ids := make([]string, len(accounts))
	for i, a := range accounts {
		ids[i] = a.ID
		if _, ok := c.adapters[a.Network]; !ok {
			return nil, fmt.Errorf("crawl account %q: no adapter for network %q", a.ID, a.Network)
		}
	}
	heads, err := c.archive.Heads(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read archived posts: %w", err)
	}
	perAccount := map[string]map[string]archive.Head{}
	for k, h := range heads {
		m := perAccount[k.AccountID]
		if m == nil {
			m = map[string]archive.Head{}
			perAccount[k.AccountID] = m
		}
		m[k.PostID] = h
	}
	snapshots, err := c.changedSnapshots(ctx, dir, accounts, run.StartedAt)
	if err != nil {
		return nil, err
	}

	crawlCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s := newSink(c.archive, c.opts.FlushRows, c.opts.FlushInterval, func(err error) { cancel(err) })
	sinkDone := make(chan error, 1)
	go func() { sinkDone <- s.run(context.WithoutCancel(ctx)) }() // what was fetched is stored even when ctx ends
	s.send(&archive.Batch{Accounts: snapshots})

	reports := make([]AccountReport, len(accounts))
	g := new(errgroup.Group)
	g.SetLimit(c.opts.Concurrency)
	for i := range accounts {
		acct := &accounts[i]
		known := perAccount[acct.ID]
		if known == nil {
			known = map[string]archive.Head{}
		}
		g.Go(func() error {
			reports[i] = c.crawlAccount(crawlCtx, run.ID, acct, known, s.send)
			return nil
		})
	}
	_ = g.Wait()
	s.close()
	sinkErr := <-sinkDone

	run.FinishedAt = time.Now().UTC()
	for _, r := range reports {
		if r.Err != nil {
			run.AccountsFailed++
		}
		run.PostsSeen += r.Posts
		run.VersionsNew += r.Versions
	}
	run.Fetches = int(c.progress.fetches.Load())
	report := &Report{Run: run, Accounts: reports}
	if sinkErr != nil {
		return report, fmt.Errorf("archive records: %w", sinkErr)
	}
	if err := ctx.Err(); err != nil {
		return report, err
	}
	if err := c.archive.Append(ctx, &archive.Batch{Runs: []archive.Run{run}}); err != nil {
		return report, fmt.Errorf("archive run record: %w", err)
	}
	return report, nil
}

// changedSnapshots returns the directory entries whose facts differ from the
// latest snapshot in the archive.
func (c *Crawler) changedSnapshots(ctx context.Context, dir *directory.Directory, accounts []directory.Account, now time.Time) ([]archive.Account, error) {
	stored, err := c.archive.Accounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("read archived accounts: %w", err)
	}
	latest := make(map[string]string, len(stored))
	for _, a := range stored {
		latest[a.ID] = a.FactsSHA256
	}
	var out []archive.Account
	for i := range accounts {
		snap := dir.Snapshot(&accounts[i], now)
		if latest[snap.ID] != snap.FactsSHA256 {
			out = append(out, snap)
		}
	}
	return out, nil
}

// crawlAccount lists one account and sends what changed to the archive.
func (c *Crawler) crawlAccount(ctx context.Context, runID string, acct *directory.Account, known map[string]archive.Head, send func(*archive.Batch)) AccountReport {
	rep := AccountReport{ID: acct.ID, Network: acct.Network}
	ctx, cancel := context.WithTimeout(ctx, c.opts.AccountTimeout)
	defer cancel()
	f := &accountFetcher{client: c.client, acct: acct, runID: runID, progress: &c.progress}
	err := c.adapters[acct.Network].List(ctx, f, acct, func(p Page) bool {
		rep.Pages++
		n := len(p.Posts)
		b := &archive.Batch{
			Fetches:  f.drain(),
			Captures: make([]archive.Capture, 0, n),
			Posts:    make([]archive.Post, 0, n), Events: make([]archive.Event, 0, n), Decisions: make([]archive.Decision, 0, n),
		}
		now := time.Now().UTC()
		fresh := 0
		for i := range p.Posts {
			post := &p.Posts[i]
			post.Network, post.AccountID, post.CapturedAt = acct.Network, acct.ID, now
			post.RunID, post.CrawlerVersion = runID, c.opts.CrawlerVersion
			post.Edited = post.Edited || !post.EditedAt.IsZero()
			if post.SourceURL == "" {
				post.SourceURL = p.URL
			}
			post.ContentSHA256 = post.ContentHash()
			b.Captures = append(b.Captures, archive.Capture{
				Network: post.Network, AccountID: post.AccountID, PostID: post.PostID,
				CapturedAt: now, ContentSHA256: post.ContentSHA256, SourceURL: post.SourceURL, RunID: runID,
			})
			head, seen := known[post.PostID]
			if seen && head.ContentSHA256 == post.ContentSHA256 {
				continue
			}
			fresh++
			post.Version = head.Version + 1
			known[post.PostID] = archive.Head{ContentSHA256: post.ContentSHA256, Version: post.Version}
			kind := archive.FirstSeen
			if seen {
				kind = archive.Edited
			}
			b.Events = append(b.Events, archive.Event{
				Network: post.Network, AccountID: post.AccountID, PostID: post.PostID, Kind: kind,
				ObservedAt: now, ContentSHA256: post.ContentSHA256, RunID: runID,
				Evidence: fmt.Sprintf("version %d seen in %s", post.Version, post.SourceURL),
			})
			b.Decisions = append(b.Decisions, c.judge(acct, post))
			b.Posts = append(b.Posts, *post)
		}
		rep.Posts += len(p.Posts)
		rep.Versions += fresh
		c.progress.posts.Add(int64(len(p.Posts)))
		c.progress.versions.Add(int64(fresh))
		c.metrics.posts(acct.Network, len(p.Posts), fresh)
		send(b)
		// A page with nothing new means the archive has caught up.
		caughtUp := len(p.Posts) > 0 && fresh == 0
		return rep.Pages < c.opts.MaxPages && !caughtUp
	})
	if rest := f.drain(); len(rest) > 0 {
		send(&archive.Batch{Fetches: rest})
	}
	if err != nil {
		rep.Err = fmt.Errorf("crawl account %q (%s %s): %w", acct.ID, acct.Network, acct.Handle, err)
		if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
			rep.Err = fmt.Errorf("crawl account %q: stopped: %w", acct.ID, cause)
		}
		c.progress.failed.Add(1)
		c.log.Warn("account not crawled", "account", acct.ID, "network", acct.Network, "err", err)
	}
	c.progress.done.Add(1)
	c.metrics.accountDone(acct.Network, err)
	return rep
}

// accountFetcher is the Fetcher an adapter gets for one account: it logs
// every exchange as a fetch record of the account.
type accountFetcher struct {
	client   *Client
	acct     *directory.Account
	runID    string
	progress *Progress
	log      []archive.Fetch
}

func (f *accountFetcher) Get(ctx context.Context, url, accept string) (*Response, error) {
	return f.client.Get(ctx, f.acct.Network, url, accept, func(a Attempt) {
		rec := archive.Fetch{
			RunID: f.runID, AccountID: f.acct.ID, Network: a.Network, URL: a.URL,
			Status: a.Status, Bytes: a.Bytes, Duration: a.Duration, Attempt: a.Number, FetchedAt: a.At,
		}
		if a.Err != nil {
			rec.Error = a.Err.Error()
		}
		f.log = append(f.log, rec)
		f.progress.fetches.Add(1)
	})
}

// drain returns the fetch records logged since the last call.
func (f *accountFetcher) drain() []archive.Fetch {
	out := f.log
	f.log = nil
	return out
}

// NewRunID returns a sortable, unique id for a crawl: its start time and 48
// random bits.
func NewRunID() string {
	var r [6]byte
	_, _ = rand.Read(r[:])
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(r[:])
}
