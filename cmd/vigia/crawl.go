package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/backlog"
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
)

type crawlCommand struct{}

func (*crawlCommand) synopsis() string {
	return "crawl the directory's accounts into the archive (once, or every interval)"
}

// crawlFlags are the settings a crawl shares with the demo.
type crawlFlags struct {
	hostRate     float64
	allowPrivate bool
	concurrency  int
	maxPages     int
	timeout      time.Duration
	retries      int
	contact      string
	robotsExempt string
	policy       *string
	progress     bool
	warcDir      string
	relist       time.Duration
	mediaMax     int64
	mirror       string
	noEvidence   bool
	modelFile    string
	batchRows    int

	// deep sweeps: set by vigia crawl only (the demo never sweeps)
	sweep      bool
	sweepEvery time.Duration
	sweepSince time.Time
	sweepPages int

	// set by prepare and openEvidence
	client crawler.ClientOptions
	pol    *classifier.Policy
	model  *classifier.Model
}

func (f *crawlFlags) register(fs *flag.FlagSet) {
	def := crawler.DefaultClientOptions()
	fs.Float64Var(&f.hostRate, "host-rate", def.HostRate, "polite request rate to each host, in requests per second (0 = unlimited, for loopback benchmarks)")
	fs.BoolVar(&f.allowPrivate, "allow-private-networks", false, "allow every account to reach private and loopback addresses: for tests, benchmarks and the demo (an instance on the office's network: allow_private_network: true on its account in the directory); a redirect from a public host into a private network is refused even so")
	fs.IntVar(&f.concurrency, "concurrency", crawler.DefaultOptions().Concurrency, "accounts crawled at the same time")
	fs.IntVar(&f.maxPages, "max-pages", crawler.DefaultOptions().MaxPages, "listing pages fetched per account and crawl; paging also stops at the first page with nothing new")
	fs.DurationVar(&f.timeout, "timeout", def.Timeout, "limit for one request, headers and body")
	fs.IntVar(&f.retries, "retries", def.Retries, "further attempts after a network error, 429 or 5xx, with capped exponential backoff (Retry-After is honoured)")
	fs.StringVar(&f.contact, "contact", "https://github.com/vigia-mx/vigia", "contact URL or e-mail sent in the User-Agent, so that site operators can reach the office running the crawl")
	fs.StringVar(&f.robotsExempt, "robots-exempt", "", "comma-separated networks whose robots.txt is not consulted (see docs/crawling.md; default: robots.txt is honoured everywhere)")
	f.policy = policyFlag(fs)
	fs.BoolVar(&f.progress, "progress", true, "show progress on a terminal")
	fs.IntVar(&f.batchRows, "batch-rows", crawler.DefaultOptions().FlushRows, "records gathered before each append to the archive (or at most a second's worth)")
	fs.StringVar(&f.modelFile, "model", "", "content model for posts of personal accounts (default: the model shipped in vigia; see vigia classifier train)")
	fs.StringVar(&f.mirror, "mirror", "", "send every request to this base URL instead of the host it names: a local mirror or test network (e.g. http://127.0.0.1:8081)")
	fs.BoolFunc("no-warc", "keep no WARC evidence of the exchanges (for measurements and dry runs only: post versions then point at no evidence)", func(string) error {
		f.noEvidence = true
		return nil
	})
	fs.StringVar(&f.warcDir, "warc-dir", "", "folder `DIR` of the WARC files that keep every HTTP exchange as evidence (default: beside the archive, NAME-warc/)")
	fs.DurationVar(&f.relist, "relist-window", crawler.DefaultOptions().RelistWindow, "how far back each crawl lists an account again, past the posts it knows, to see edits and deletions")
	fs.Int64Var(&f.mediaMax, "media-max-bytes", crawler.DefaultOptions().MediaMaxBytes, "largest image or video poster kept as evidence, in bytes; -1 (any negative number) keeps no media, only references to it. Videos are referenced, not fetched")
}

// prepare checks the flags and loads the policy. Call it before opening the
// archive, so that bad input touches nothing.
func (f *crawlFlags) prepare() error {
	if f.relist <= 0 {
		return badInput("--relist-window %s: must be positive (e.g. 168h)", f.relist)
	}
	if f.batchRows < 1 {
		return badInput("--batch-rows %d: must be 1 or more", f.batchRows)
	}
	if f.mediaMax == 0 { // crawler.Options would read 0 as its default cap
		return badInput("--media-max-bytes 0: write -1 to keep no media, or a cap in bytes")
	}
	var err error
	if f.client, err = f.clientOptions(); err != nil {
		return err
	}
	if f.pol, err = loadPolicy(*f.policy); err != nil {
		return err
	}
	f.model, err = loadModel(f.modelFile)
	return err
}

// openEvidence opens the WARC writer every exchange of the crawl goes to,
// in --warc-dir or beside the archive spec names; closing it closes the
// last file. Each file's warcinfo record names vigia's version, the
// operator (the obligated body the directory is of), the User-Agent sent
// and the robots.txt policy. With --no-warc there is nothing to open.
func (f *crawlFlags) openEvidence(log io.Writer, spec, operator string) (io.Closer, error) {
	if f.noEvidence {
		return noEvidence{}, nil
	}
	dir := f.warcDir
	if dir == "" {
		dir = warcDirFor(spec)
	}
	w, err := warc.NewWriter(warc.Options{Dir: dir, Software: "vigia/" + vigiaVersion(), Operator: operator,
		UserAgent: f.client.UserAgent, Robots: crawler.RobotsPolicy(f.client)})
	if err != nil {
		return nil, errorf("open WARC evidence folder: %w", err)
	}
	if _, err := recoverEvidence(log, dir); err != nil {
		return nil, err
	}
	f.client.Evidence = w
	return w, nil
}

// recoverEvidence names for good the WARC files a crawl that died left open,
// and says so on log.
func recoverEvidence(log io.Writer, dir string) (int, error) {
	files, err := warc.Recover(dir)
	if len(files) > 0 {
		var names []string
		for _, f := range files {
			name := f.Name
			if f.Torn > 0 {
				name += fmt.Sprintf(" (its last %d bytes, a record cut short, set aside in %s.torn)", f.Torn, f.Name)
			}
			names = append(names, name)
		}
		fmt.Fprintf(log, "recovered %d WARC files left open by a crawl that stopped abruptly: %s\n", len(files), strings.Join(names, ", "))
	}
	return len(files), err
}

type noEvidence struct{}

func (noEvidence) Close() error { return nil }

// closeEvidence closes the WARC writer (which names its last file for good)
// and reports a failure in *err unless an error is already there.
func closeEvidence(c io.Closer, err *error) {
	if cerr := c.Close(); cerr != nil && *err == nil {
		*err = errorf("close WARC evidence: %w", cerr)
	}
}

// newCrawler builds the crawler the flags describe; prepare must have run.
// client may be nil: a new one is made.
func (f *crawlFlags) newCrawler(e *env, client *crawler.Client, store archive.Store, dir *directory.Directory, metrics *crawler.Metrics) *crawler.Crawler {
	opts := crawler.DefaultOptions()
	opts.Concurrency, opts.MaxPages, opts.CrawlerVersion = f.concurrency, f.maxPages, "vigia/"+vigiaVersion()
	opts.RelistWindow, opts.MediaMaxBytes, opts.FlushRows = f.relist, f.mediaMax, f.batchRows
	opts.Sweep, opts.SweepEvery, opts.SweepSince, opts.SweepPages = f.sweep, f.sweepEvery, f.sweepSince, f.sweepPages
	if client == nil {
		client = crawler.NewClient(f.client, metrics)
	}
	return crawler.New(client, adapters(), store, decision.ForDirectory(f.pol, f.model, dir, networks()).Crawled, opts, e.logger(), metrics)
}

func (f *crawlFlags) clientOptions() (crawler.ClientOptions, error) {
	opts := crawler.DefaultClientOptions()
	if f.hostRate < 0 {
		return opts, badInput("--host-rate %v: must be 0 (unlimited) or more", f.hostRate)
	}
	opts.HostRate = f.hostRate
	opts.AllowPrivateNetworks = f.allowPrivate
	opts.Timeout = f.timeout
	opts.Retries = f.retries
	if f.mirror != "" {
		u, err := url.Parse(f.mirror)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return opts, badInput("--mirror %q: expected an http(s) base URL such as http://127.0.0.1:8081", f.mirror)
		}
		opts.Mirror = u
	}
	opts.UserAgent = fmt.Sprintf("vigia/%s (public-records archiver; +%s)", vigiaVersion(), f.contact)
	if f.robotsExempt != "" {
		for _, n := range strings.Split(f.robotsExempt, ",") {
			n = strings.TrimSpace(n)
			if !archive.Network(n).Valid() {
				return opts, badInput("--robots-exempt: unknown network %q", n)
			}
			opts.RobotsExempt = append(opts.RobotsExempt, archive.Network(n))
		}
	}
	return opts, nil
}

func (c *crawlCommand) run(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet(e, "crawl", "crawl --directory FILE [--archive A] [--once | --every 15m] [flags]",
		`Crawls the public posts of every account in the directory, archives each new
version with its decision (public information or not, and why), and prints a
summary. Accounts that fail are reported and do not stop the others; the exit
code is 1 only when no account could be crawled, 2 for bad input.`)
	var (
		flags       crawlFlags
		dirFile     = fs.String("directory", "", "directory of accounts, a YAML `FILE` (see vigia directory validate)")
		arcFlag     = archiveFlag(fs)
		once        = fs.Bool("once", false, "crawl once and exit (the default when --every is not given)")
		every       = fs.Duration("every", 0, "crawl again at this interval until interrupted (e.g. 15m); SIGINT or SIGTERM finishes the fetches under way, archives them and exits 0")
		spread      = fs.Duration("spread", -1, "with --every: spread the accounts' crawls over this much of the interval, each at an offset from a hash of its id (default: the whole interval; 0: all at once)")
		metricsAddr = fs.String("metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics while crawling (e.g. 127.0.0.1:9464)")
		shard       = fs.String("shard", "", "crawl only shard I of N of the directory (I/N, 1-based), to split the directory among crawlers")
		cluster     = fs.String("cluster", "", "with a clickhouse:// archive: create its tables ON CLUSTER `NAME`, replicated and distributed by account (docs/scale.md)")
		sweepEvery  = fs.Duration("sweep-every", 7*24*time.Hour, "with --every: sweep each account deeply once per this period, at its own offset within it, to see deletions of any age (0: never)")
	)
	fs.BoolVar(&flags.sweep, "sweep", false, "make this crawl a deep sweep: list each account's whole available history again (up to --sweep-pages) and confirm every archived post missing from it, to see deletions older than --relist-window")
	fs.IntVar(&flags.sweepPages, "sweep-pages", crawler.DefaultOptions().SweepPages, "page budget of a deep sweep per account (for a feed: posts asked about one by one); an account's sweep_pages in the directory overrides it")
	flags.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	if *dirFile == "" {
		return badInput("--directory is required")
	}
	if *once && *every > 0 {
		return badInput("--once and --every exclude each other")
	}
	if *every < 0 || (*every > 0 && *every < time.Minute) {
		return badInput("--every %s: use an interval of a minute or more", *every)
	}
	if flags.sweep && *every > 0 {
		return badInput("--sweep is one crawl's; with --every, --sweep-every sweeps each account on its own schedule")
	}
	if *sweepEvery < 0 {
		return badInput("--sweep-every %s: must be 0 (never) or a period such as 168h", *sweepEvery)
	}
	if flags.sweepPages < 1 {
		return badInput("--sweep-pages %d: must be 1 or more", flags.sweepPages)
	}
	if *every > 0 {
		flags.sweepEvery, flags.sweepSince = *sweepEvery, time.Now()
	}
	shardI, shardN, err := parseShard(*shard)
	if err != nil {
		return err
	}
	dir, dirData, err := loadDirectoryFile(*dirFile)
	if err != nil {
		return err
	}
	accounts := shardAccounts(dir.Accounts, shardI, shardN)
	if len(accounts) == 0 {
		return badInput("shard %s of %s holds no accounts", *shard, *dirFile)
	}
	if err := flags.prepare(); err != nil {
		return err
	}
	spec, err := withCluster(archiveSpec(e, *arcFlag), *cluster)
	if err != nil {
		return err
	}
	var metricsListener net.Listener
	if *metricsAddr != "" {
		if metricsListener, err = listenMetrics(*metricsAddr); err != nil {
			return err
		}
		defer metricsListener.Close()
	}

	unlock, err := lockCrawler(ctx, e, spec, "crawl")
	if err != nil {
		return err
	}
	defer unlock()
	evidence, err := flags.openEvidence(e.stderr, spec, dir.Subject)
	if err != nil {
		return err
	}
	defer closeEvidence(evidence, &err)
	sp, spoolDir, err := openSpool(e, spec)
	if err != nil {
		return err
	}
	defer sp.Close()
	reg := prometheus.NewRegistry()
	metrics := newCrawlRegistry(reg, sp)
	metrics.crawler.DirectoryAccounts(accounts)
	if metricsListener != nil {
		restoreAccountHealth(ctx, e, spec, metrics.crawler, accounts)
		defer serveMetrics("crawl", metricsListener, reg, e)()
	}
	// One client for every run: robots.txt and rate limits carry over.
	client := crawler.NewClient(flags.client, metrics.crawler)
	// crawl runs once over some accounts. An embedded archive is opened
	// only for each read and append (openCrawlArchive), so that others
	// (vigia serve, vigia search) open it the rest of the time.
	crawl := func(ctx context.Context, due []directory.Account) (*crawler.Report, error) {
		store, err := openCrawlArchive(ctx, e, spec)
		if err != nil {
			// A server that cannot be reached: crawl on into the spool.
			if store, err = offlineArchive(e, spec, sp, spoolDir, err); err != nil {
				return nil, err
			}
		}
		if err := flags.useAdoptedKept(ctx, store, spoolDir); err != nil {
			return nil, errors.Join(err, store.Close())
		}
		store = metrics.inserts.Instrument(store)
		rep, err := func() (*crawler.Report, error) {
			// What earlier runs could not deliver goes first, so that change
			// detection reads an archive that holds everything crawled.
			if err := deliverSpool(ctx, e, sp, spoolDir, store, spec); err != nil {
				return nil, err
			}
			// An embedded archive is durable by itself: its batches go to
			// the spool only when it refuses them (held by another process).
			front := &spool.Front{Store: store, Spool: sp, Direct: strings.HasSuffix(spec, ".duckdb"), OnDown: func(err error) {
				e.printer().Fprintf(e.stderr, "vigia crawl: the archive refuses records (%v); crawling goes on into the spool at %s, delivered when the archive returns\n", err, spoolDir)
			}}
			rep, err := crawlOnce(ctx, e, flags.newCrawler(e, client, front, dir, metrics.crawler), dir, due, flags.progress && *every == 0)
			if err != nil {
				return nil, err
			}
			if n, _ := sp.Pending(); n > 0 {
				if _, ferr := flushWaiting(ctx, e, sp, spoolDir, store, spec); ferr != nil {
					e.printer().Fprintf(e.stderr, "vigia crawl: %d batches wait in the spool at %s (%v); the next crawl or vigia archive flush delivers them\n", n, spoolDir, ferr)
				}
			}
			if ctx.Err() == nil {
				metrics.backlog.Record(backlog.Measure(ctx, store, archive.Visibility{Threshold: flags.pol.PublishThreshold()}))
			}
			return rep, nil
		}()
		if cerr := store.Close(); err == nil {
			err = cerr
		}
		return rep, err
	}
	if *every == 0 {
		rep, err := crawl(ctx, accounts)
		if err != nil {
			return err
		}
		printCrawlReport(e.printer(), e.stdout, rep)
		if rep.Run.AccountsFailed == len(accounts) {
			return errorf("no account could be crawled (%d failed; see the messages above)", len(accounts))
		}
		return nil
	}
	sched := crawler.Schedule{Every: *every, Spread: *spread}
	if *spread < 0 || *spread > *every {
		sched.Spread = *every
	}
	e.printer().Fprintf(e.stdout, "crawling %s every %s, each at its own offset within the interval; stop with Ctrl-C\n",
		e.printer().Sprintf("%d accounts", len(accounts)), *every)
	var runErr error
	// The directory is read again before each slot: a replaced one is
	// crawled from the next, a broken one reported and the last good kept.
	df := newDirectoryFile(*dirFile, dir, dirData, shardI, shardN, "crawl", e.printer(), e.stderr, metrics.crawler)
	sched.RunFrom(ctx, func() []directory.Account {
		dir, accounts = df.current()
		return accounts
	}, func(ctx context.Context, due []directory.Account) {
		rep, err := crawl(ctx, due)
		if err != nil {
			// The archive may come back: report, and try again at the next slot.
			fmt.Fprintf(e.stderr, "vigia crawl: %v\n", err)
			runErr = err
			return
		}
		runErr = nil
		printRunLine(e.printer(), e.stdout, rep)
	})
	if runErr != nil && ctx.Err() == nil {
		return runErr
	}
	return nil
}

// printRunLine prints one line for a run of continuous crawling.
func printRunLine(p printer, w io.Writer, rep *crawler.Report) {
	r := rep.Run
	var deleted int
	for _, a := range rep.Accounts {
		deleted += a.Deleted
	}
	p.Fprintf(w, "%s run %s: %s, %s, %s, %s, %d deleted at source",
		r.FinishedAt.Local().Format(time.DateTime), r.ID, runAccounts(p, r.Accounts, r.AccountsFailed), p.Sprintf("%d requests", r.Fetches),
		p.Sprintf("%d posts seen", r.PostsSeen), p.Sprintf("%d new versions", r.VersionsNew), deleted)
	if swept, checked, _ := sweeps(rep); swept > 0 {
		p.Fprintf(w, ", %s swept (%s checked)", p.Sprintf("%d accounts", swept), p.Sprintf("%d posts", checked))
	}
	fmt.Fprintln(w)
}

// runAccounts is "11 accounts (0 failed)" in p's language.
func runAccounts(p printer, accounts, failed int) string {
	return p.Sprintf("%s (%d failed)", p.Sprintf("%d accounts", accounts), failed)
}

// sweeps counts a run's deep sweeps, the posts they checked, and names the
// accounts whose sweep did not check everything (stopped by the page
// budget, or by an error).
func sweeps(rep *crawler.Report) (swept, checked int, short []string) {
	for _, a := range rep.Accounts {
		if !a.Sweep {
			continue
		}
		swept++
		checked += a.SweepChecked
		if !a.SweepComplete {
			short = append(short, a.ID)
		}
	}
	return swept, checked, short
}

// warcDirFor is the default WARC folder of an archive (see besideArchive).
func warcDirFor(spec string) string { return besideArchive(spec, "warc") }

// besideArchive is the default folder of something kept beside an archive:
// for a .duckdb file NAME-WHAT, for a server ./vigia-WHAT.
func besideArchive(spec, what string) string {
	if strings.HasSuffix(spec, ".duckdb") {
		return strings.TrimSuffix(spec, ".duckdb") + "-" + what
	}
	return "vigia-" + what
}

// crawlOnce runs one crawl, showing progress on a terminal.
func crawlOnce(ctx context.Context, e *env, cr *crawler.Crawler, dir *directory.Directory, accounts []directory.Account, showProgress bool) (*crawler.Report, error) {
	stop := func() {}
	if showProgress && isTerminal(e.stderr) {
		stop = startProgress(e.printer(), e.stderr, cr.Progress)
	}
	rep, err := cr.Once(ctx, dir, accounts)
	stop()
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	return rep, nil
}

func printCrawlReport(p printer, w io.Writer, rep *crawler.Report) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p.Fprintf(tw, "ACCOUNT\tNETWORK\tPAGES\tPOSTS\tNEW VERSIONS\tDELETED\tRESULT\n")
	for _, a := range rep.Accounts {
		result := p.text("ok")
		switch {
		case a.Skipped:
			result = p.text("not crawled (stopping)")
		case a.Err != nil:
			result = p.text("error (see above)")
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\n", a.ID, a.Network, a.Pages, a.Posts, a.Versions, a.Deleted, result)
	}
	tw.Flush()
	r := rep.Run
	p.Fprintf(w, "\nrun %s: %s, %s, %s, %s, %s\n",
		r.ID, runAccounts(p, r.Accounts, r.AccountsFailed), p.Sprintf("%d requests", r.Fetches), p.Sprintf("%d posts seen", r.PostsSeen),
		p.Sprintf("%d new versions", r.VersionsNew), r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond))
	if swept, checked, short := sweeps(rep); swept > 0 {
		p.Fprintf(w, "deep sweep of %s: %s checked", p.Sprintf("%d accounts", swept), p.Sprintf("%d archived posts", checked))
		if len(short) > 0 {
			p.Fprintf(w, "; not every post checked (page budget or an error): %s", strings.Join(short, ", "))
		}
		fmt.Fprintln(w)
	}
}

// parseShard reads I/N; an empty value is the whole directory (1/1).
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 1, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return 0, 0, badInput("--shard %q: expected I/N with 1 ≤ I ≤ N, e.g. 2/8", s)
	}
	return i, n, nil
}

// shardAccounts keeps the accounts of shard i of n, assigned by a hash of
// the account id so that adding an account does not move the others.
func shardAccounts(all []directory.Account, i, n int) []directory.Account {
	if n == 1 {
		return all
	}
	var out []directory.Account
	for _, a := range all {
		h := fnv.New32a()
		h.Write([]byte(a.ID))
		if int(h.Sum32()%uint32(n)) == i-1 {
			out = append(out, a)
		}
	}
	return out
}

// restoreAccountHealth sets the crawler's account gauges from the
// archive's health records, so that a restarted crawler still tells when
// each account last succeeded. An archive it cannot read (not yet made,
// or busy) leaves them to the crawls.
func restoreAccountHealth(ctx context.Context, e *env, spec string, m *crawler.Metrics, accounts []directory.Account) {
	if strings.HasSuffix(spec, ".duckdb") {
		if _, err := os.Stat(spec); errors.Is(err, os.ErrNotExist) {
			return // the first crawl makes it
		}
	}
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		e.printer().Fprintf(e.stderr, "vigia crawl: the account health gauges start empty: %v\n", err)
		return
	}
	defer store.Close()
	health, err := store.Health(ctx)
	if err != nil {
		e.printer().Fprintf(e.stderr, "vigia crawl: the account health gauges start empty: %v\n", err)
		return
	}
	m.RestoreHealth(health, accounts)
}

// listenMetrics listens on a --metrics-addr, before anything else is
// opened, so that a bad address touches nothing.
func listenMetrics(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, badInput("--metrics-addr %q: %v", addr, err)
	}
	return ln, nil
}

// serveMetrics serves the registry at http://ADDR/metrics on ln, saying
// where, until stop is called.
func serveMetrics(command string, ln net.Listener, reg *prometheus.Registry, e *env) (stop func()) {
	e.printer().Fprintf(e.stderr, "vigia %s: metrics at http://%s/metrics\n", command, ln.Addr())
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(e.stderr, "metrics server: %v\n", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}
}
