package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

// serveCrawl is the crawler of vigia serve --crawl-every: the office's one
// process that crawls and serves, on one handle of the archive (the only
// writer of an embedded archive; the web application's requests read beside
// it).
type serveCrawl struct {
	every, spread, sweepEvery time.Duration
	flags                     crawlFlags

	dirFile string
	file    *directoryFile
	sp      *spool.Spool
	spool   string // its folder
	direct  bool   // the archive is durable by itself (DuckDB): the spool holds only what it refuses
	client  *crawler.Client
	metrics *crawler.Metrics
	inserts *spool.InsertMetrics
}

// register adds the crawl's flags to serve's: --crawl-every, --spread,
// --sweep-every, --sweep-pages and those vigia crawl shares with the demo,
// but for --policy and --warc-dir, which serve has already (the crawl
// decides with serve's policy and writes its evidence where serve reads
// it), and --progress.
func (c *serveCrawl) register(fs *flag.FlagSet, policy *string) {
	fs.DurationVar(&c.every, "crawl-every", 0, "crawl the --directory's accounts at this interval (e.g. 15m) in this process, which then crawls and serves: the way to run an office on one machine (docs/operations.md); the flags marked \"with --crawl-every\" tune the crawl as vigia crawl's do")
	fs.DurationVar(&c.spread, "spread", -1, "with --crawl-every: spread the accounts' crawls over this much of the interval, each at an offset from a hash of its id (default: the whole interval; 0: all at once)")
	fs.DurationVar(&c.sweepEvery, "sweep-every", 7*24*time.Hour, "with --crawl-every: sweep each account deeply once per this period, to see deletions of any age (0: never)")
	fs.IntVar(&c.flags.sweepPages, "sweep-pages", crawler.DefaultOptions().SweepPages, "with --crawl-every: page budget of a deep sweep per account")
	crawlOnly := flag.NewFlagSet("crawl", flag.ContinueOnError)
	c.flags.register(crawlOnly)
	crawlOnly.VisitAll(func(f *flag.Flag) {
		switch f.Name {
		case "policy", "warc-dir", "progress":
			return
		}
		fs.Var(f.Value, f.Name, crawlEveryUsage+f.Usage)
	})
	c.flags.policy, c.flags.progress = policy, false
}

// prepare checks the crawl's flags and reads the directory, before
// anything is opened; it does nothing without --crawl-every.
func (c *serveCrawl) prepare(dirFile string) error {
	if c.every == 0 {
		return nil
	}
	switch {
	case dirFile == "":
		return badInput("--crawl-every needs --directory FILE: the accounts to crawl")
	case c.every < time.Minute:
		return badInput("--crawl-every %s: use an interval of a minute or more", c.every)
	case c.sweepEvery < 0:
		return badInput("--sweep-every %s: must be 0 (never) or a period such as 168h", c.sweepEvery)
	case c.flags.sweepPages < 1:
		return badInput("--sweep-pages %d: must be 1 or more", c.flags.sweepPages)
	}
	dir, data, err := loadDirectoryFile(dirFile)
	if err != nil {
		return err
	}
	if err := c.flags.prepare(); err != nil {
		return err
	}
	c.dirFile = dirFile
	c.file = newDirectoryFile(dirFile, dir, data, 1, 1, "serve", printer{}, io.Discard, nil)
	c.flags.sweepEvery, c.flags.sweepSince = c.sweepEvery, time.Now()
	return nil
}

// on tells whether serve crawls.
func (c *serveCrawl) on() bool { return c.every > 0 }

// open opens what the crawl writes besides the archive: its evidence (in
// warcDir), its spool, and registers its metrics with reg (nil: none are
// exposed). The closer closes them.
func (c *serveCrawl) open(e *env, spec, warcDir string, reg prometheus.Registerer) (io.Closer, error) {
	c.flags.warcDir = warcDir
	c.file.log = e.stderr
	evidence, err := c.flags.openEvidence(e.stderr, spec, c.file.dir.Subject)
	if err != nil {
		return nil, err
	}
	c.direct = strings.HasSuffix(spec, ".duckdb")
	c.sp, c.spool, err = openSpool(e, spec)
	if err != nil {
		evidence.Close()
		return nil, err
	}
	if reg != nil {
		spool.Metrics(reg, c.sp)
		c.metrics, c.inserts = crawler.NewMetrics(reg), spool.NewInsertMetrics(reg)
		c.file.metrics = c.metrics
		c.file.use(c.file.dir, c.file.read)
	}
	c.client = crawler.NewClient(c.flags.client, c.metrics)
	return closers{c.sp, evidence}, nil
}

type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// run crawls into store, slot after slot, until ctx ends; it returns once
// the crawl under way has archived what it fetched.
func (c *serveCrawl) run(ctx context.Context, e *env, store archive.Store, spec string) {
	if err := deliverSpool(ctx, e, c.sp, c.spool, store, spec); err != nil {
		fmt.Fprintf(e.stderr, "vigia serve: %v\n", err)
	}
	if c.metrics != nil {
		if health, err := store.Health(ctx); err == nil {
			c.metrics.RestoreHealth(health, c.file.accounts)
		}
	}
	sched := crawler.Schedule{Every: c.every, Spread: c.spread}
	if c.spread < 0 || c.spread > c.every {
		sched.Spread = c.every
	}
	e.printer().Fprintf(e.stderr, "vigia serve: crawling the %d accounts of %s every %s, each at its own offset within the interval\n", len(c.file.accounts), c.dirFile, c.every)
	var dir *directory.Directory
	sched.RunFrom(ctx, func() []directory.Account {
		d, accounts := c.file.current()
		dir = d
		return accounts
	}, func(ctx context.Context, due []directory.Account) {
		rep, err := c.once(ctx, e, store, dir, due)
		if err != nil {
			e.printer().Fprintf(e.stderr, "vigia serve: crawl: %v\n", err)
			return
		}
		printRunLine(e.printer(), e.stdout, rep)
	})
}

// once crawls the accounts due, through the spool, into store.
func (c *serveCrawl) once(ctx context.Context, e *env, store archive.Store, dir *directory.Directory, due []directory.Account) (*crawler.Report, error) {
	if err := c.flags.useAdopted(ctx, store); err != nil {
		return nil, err
	}
	front := &spool.Front{Store: c.inserts.Instrument(store), Spool: c.sp, Direct: c.direct, OnDown: func(err error) {
		e.printer().Fprintf(e.stderr, "vigia serve: the archive refuses records (%v); crawling goes on into the spool at %s, delivered when the archive returns\n", err, c.spool)
	}}
	rep, err := crawlOnce(ctx, e, c.flags.newCrawler(e, c.client, front, dir, c.metrics), dir, due, false)
	if err != nil {
		return nil, err
	}
	if n, _ := c.sp.Pending(); n > 0 {
		if _, ferr := c.sp.Flush(ctx, store); ferr != nil {
			e.printer().Fprintf(e.stderr, "vigia serve: %d batches wait in the spool at %s (%v); the next crawl delivers them\n", n, c.spool, ferr)
		}
	}
	return rep, nil
}
