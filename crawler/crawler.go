package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
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

// AuthorizedFetcher is a Fetcher that can send the office's token to an
// official API (Graph API, X API v2); the Fetchers the crawl gives
// adapters are ones. GetAuthorized is Get with an Authorization header
// whose whole value is authorization ("Bearer …"): robots.txt, which
// governs crawlers of public pages, is not consulted for it, and the
// evidence keeps the request with that header's value redacted, never the
// token.
type AuthorizedFetcher interface {
	Fetcher
	GetAuthorized(ctx context.Context, url, accept, authorization string) (*Response, error)
}

// Judge decides whether a new post version is public information.
type Judge func(acct *directory.Account, p *archive.Post) archive.Decision

// Archive is what the loop needs of an archive.
type Archive interface {
	archive.Appender
	Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error)
	Accounts(ctx context.Context) ([]archive.Account, error)
	Health(ctx context.Context) ([]archive.AccountHealth, error)
	// History gives the label that stands for a post deleted at its
	// source, for the metrics.
	History(ctx context.Context, k archive.Key) (*archive.PostHistory, error)
}

// Options tune a crawl. Zero fields take the defaults of DefaultOptions.
type Options struct {
	Concurrency    int           // accounts crawled at once
	MaxPages       int           // listing pages per account and crawl
	AccountTimeout time.Duration // one account's whole listing
	FlushRows      int           // records buffered before an archive append
	FlushInterval  time.Duration // longest a record waits before an archive append
	// RelistWindow is how far back each crawl lists an account again, past
	// the posts it already knows, so that edits and deletions are seen.
	RelistWindow time.Duration
	// MediaMaxBytes caps each image or video poster fetched as evidence;
	// negative turns media fetching off (only references are kept), 0 is
	// the default cap. vigia crawl's --media-max-bytes is this value, but
	// refuses 0. Videos are referenced, not fetched.
	MediaMaxBytes int64
	// StopGrace is how long fetches under way may take to finish once the
	// crawl is told to stop, before they are cut.
	StopGrace      time.Duration
	CrawlerVersion string

	// Sweep makes this crawl a deep sweep of every account: its whole
	// available history is listed again, up to the page budget, and every
	// archived post missing from it is checked (see accountCrawl.deletions).
	Sweep bool
	// SweepEvery sweeps each account once per this period, at its own
	// place in the period (SweepDue), from the last sweep the archive
	// records; 0 sweeps only with Sweep.
	SweepEvery time.Duration
	// SweepSince is where an account never swept starts counting its
	// first period from (the start of a continuous crawl); zero is the
	// crawl's start.
	SweepSince time.Time
	// SweepPages is a sweep's page budget per account (for a feed: the
	// posts it may ask about), unless the directory sets the account's
	// sweep_pages.
	SweepPages int
}

// DefaultOptions are the defaults of a crawl.
func DefaultOptions() Options {
	return Options{
		Concurrency:    8,
		MaxPages:       20,
		AccountTimeout: 10 * time.Minute,
		FlushRows:      20000,
		FlushInterval:  time.Second,
		RelistWindow:   7 * 24 * time.Hour,
		MediaMaxBytes:  8 << 20,
		StopGrace:      30 * time.Second,
		SweepPages:     500,
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
	if opts.RelistWindow <= 0 {
		opts.RelistWindow = def.RelistWindow
	}
	if opts.MediaMaxBytes == 0 {
		opts.MediaMaxBytes = def.MediaMaxBytes
	}
	if opts.StopGrace <= 0 {
		opts.StopGrace = def.StopGrace
	}
	if opts.SweepPages <= 0 {
		opts.SweepPages = def.SweepPages
	}
	return &Crawler{client: client, adapters: adapters, archive: arc, judge: judge, opts: opts, log: log, metrics: metrics}
}

// Progress counts a crawl's work as it happens; read it with Snapshot.
type Progress struct {
	accounts, done, failed, fetches, posts, versions, deleted atomic.Int64
}

func (p *Progress) reset(accounts int) {
	p.accounts.Store(int64(accounts))
	for _, n := range []*atomic.Int64{&p.done, &p.failed, &p.fetches, &p.posts, &p.versions, &p.deleted} {
		n.Store(0)
	}
}

// ProgressSnapshot is a moment of a crawl's progress.
type ProgressSnapshot struct {
	Accounts, Done, Failed, Fetches, Posts, Versions, Deleted int64
}

// Progress returns the counters of the crawl under way (or the last one).
func (c *Crawler) Progress() ProgressSnapshot {
	p := &c.progress
	return ProgressSnapshot{p.accounts.Load(), p.done.Load(), p.failed.Load(), p.fetches.Load(), p.posts.Load(), p.versions.Load(), p.deleted.Load()}
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
	Posts    int  // observed
	Versions int  // new versions archived
	Deleted  int  // posts confirmed deleted at source
	Restored int  // posts seen again after a deletion
	Skipped  bool // not crawled: the crawl was stopping
	Err      error

	Sweep         bool // the crawl was a deep sweep
	SweepComplete bool // it listed the whole history and asked about every post missing from it
	SweepChecked  int  // archived posts it checked: listed again, or asked about
}

// Once crawls the given accounts of a directory one time. Accounts that fail
// are reported and do not stop the others; the returned error is for the
// crawl as a whole (the archive refusing records, or ctx ending).
//
// When ctx ends, no further account or page is started; fetches under way
// get Options.StopGrace to finish, what was fetched is archived, and Once
// returns ctx's error with the report.
func (c *Crawler) Once(ctx context.Context, dir *directory.Directory, accounts []directory.Account) (*Report, error) {
	all := accounts
	accounts = c.listable(accounts)
	run := archive.Run{ID: NewRunID(), StartedAt: time.Now().UTC(), CrawlerVersion: c.opts.CrawlerVersion, Directory: dir.File, Accounts: len(accounts)}
	c.progress.reset(len(accounts))

	ids := make([]string, len(accounts))
	for i, a := range accounts {
		ids[i] = a.ID
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
	health, err := c.archive.Health(ctx)
	if err != nil {
		return nil, fmt.Errorf("read account health: %w", err)
	}
	c.metrics.ExportsDue(dir, all, health, run.StartedAt)
	unreachable := map[string]bool{}
	lastSweep := map[string]time.Time{}
	for _, h := range health {
		unreachable[h.AccountID] = h.LastStatus == archive.CrawlUnreachable
		lastSweep[h.AccountID] = h.LastSweep
	}
	since := c.opts.SweepSince
	if since.IsZero() {
		since = run.StartedAt
	}
	snapshots, err := c.changedSnapshots(ctx, dir, accounts, run.StartedAt)
	if err != nil {
		return nil, err
	}

	// Work goes on under its own context: ctx ending stops new work at
	// once, and cuts the work under way only after the grace period.
	work, cancelWork := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancelWork(nil)
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(c.opts.StopGrace, func() {
			cancelWork(fmt.Errorf("stopped after a grace of %s: %w", c.opts.StopGrace, context.Cause(ctx)))
		})
		context.AfterFunc(work, func() { t.Stop() })
	})
	defer stop()
	s := newSink(c.archive, c.opts.FlushRows, c.opts.FlushInterval, c.client.syncEvidence, func(err error) { cancelWork(err) })
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
			if ctx.Err() != nil {
				reports[i] = AccountReport{ID: acct.ID, Network: acct.Network, Skipped: true}
				return nil
			}
			a := &accountCrawl{c: c, ctx: work, stopping: func() bool { return ctx.Err() != nil }, runID: run.ID,
				acct: acct, known: known, wasUnreachable: unreachable[acct.ID], send: s.send,
				sweep: c.opts.Sweep || (c.opts.SweepEvery > 0 && SweepDue(acct.ID, c.opts.SweepEvery, lastSweep[acct.ID], since, run.StartedAt))}
			reports[i] = a.run()
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
	if err := c.archive.Append(context.WithoutCancel(ctx), &archive.Batch{Runs: []archive.Run{run}}); err != nil {
		return report, fmt.Errorf("archive run record: %w", err)
	}
	return report, ctx.Err()
}

// listable returns the accounts the crawler lists: those of a network it
// has an adapter for, unless captured from their holder's data export
// (capture: export: X, Facebook, Instagram, TikTok, which show little
// without an account, read by vigia import, not crawled).
func (c *Crawler) listable(accounts []directory.Account) []directory.Account {
	out := make([]directory.Account, 0, len(accounts))
	for _, a := range accounts {
		if c.adapters[a.Network] != nil && a.Capture != directory.CaptureExport {
			out = append(out, a)
		}
	}
	if n := len(accounts) - len(out); n > 0 {
		c.log.Info("accounts not crawled: their network is read from the holder's data export (vigia import)", "accounts", n)
	}
	return out
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

// accountFetcher is the Fetcher an adapter gets for one account: it logs
// every exchange as a fetch record of the account, and remembers where each
// response is kept as evidence. A host that asked to wait longer than the
// client allows is not asked again in the account's crawl: its listing
// fails, and its media are referenced, not fetched.
type accountFetcher struct {
	client   *Client
	acct     *directory.Account
	runID    string
	progress *Progress
	log      []archive.Fetch
	warc     map[string]archive.WARCRef // by URL requested and URL answered
	waiting  map[string]error           // host → why it is not asked again (ErrWaitTooLong)
	own      string                     // host:port the account may reach on a private network; "" for none
}

func (f *accountFetcher) Get(ctx context.Context, rawURL, accept string) (*Response, error) {
	return f.getWithin(ctx, rawURL, accept, 0)
}

func (f *accountFetcher) GetAuthorized(ctx context.Context, rawURL, accept, authorization string) (*Response, error) {
	return f.getScoped(ctx, rawURL, accept, scope{own: f.own, authorization: authorization})
}

// getWithin is Get with a body cap smaller than the client's (media); 0
// for the client's.
func (f *accountFetcher) getWithin(ctx context.Context, rawURL, accept string, maxBody int64) (*Response, error) {
	return f.getScoped(ctx, rawURL, accept, scope{own: f.own, maxBody: maxBody})
}

// getScoped is Get within a scope.
func (f *accountFetcher) getScoped(ctx context.Context, rawURL, accept string, s scope) (*Response, error) {
	host := ""
	if u, err := url.Parse(rawURL); err == nil {
		host = u.Host
	}
	if werr := f.waiting[host]; werr != nil {
		return nil, fmt.Errorf("fetch %s: not tried, %s asked to wait: %w", rawURL, host, werr)
	}
	resp, err := f.get(ctx, rawURL, accept, s)
	if errors.Is(err, ErrWaitTooLong) && host != "" {
		if f.waiting == nil {
			f.waiting = map[string]error{}
		}
		f.waiting[host] = err
	}
	return resp, err
}

func (f *accountFetcher) get(ctx context.Context, url, accept string, s scope) (*Response, error) {
	resp, err := f.client.fetch(ctx, f.acct.Network, url, accept, s, func(a Attempt) {
		rec := archive.Fetch{
			RunID: f.runID, AccountID: f.acct.ID, Network: a.Network, URL: a.URL,
			Status: a.Status, Bytes: a.Bytes, Duration: a.Duration, Attempt: a.Number, FetchedAt: a.At, WARC: a.WARC,
		}
		if a.Err != nil {
			rec.Error = a.Err.Error()
		}
		f.log = append(f.log, rec)
		f.progress.fetches.Add(1)
	})
	if resp != nil && !resp.WARC.IsZero() {
		if f.warc == nil {
			f.warc = map[string]archive.WARCRef{}
		}
		f.warc[url], f.warc[resp.URL] = resp.WARC, resp.WARC
	}
	return resp, err
}

// evidence returns the WARC record of the response to url, if one was kept.
func (f *accountFetcher) evidence(url string) archive.WARCRef { return f.warc[url] }

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
