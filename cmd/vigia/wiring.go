package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/clickhouse"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/graph"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/crawler/rss"
	"github.com/vigia-mx/vigia/crawler/telegram"
	"github.com/vigia-mx/vigia/crawler/xapi"
	"github.com/vigia-mx/vigia/crawler/youtube"
	"github.com/vigia-mx/vigia/dataexport"
	"github.com/vigia-mx/vigia/dataexport/facebook"
	"github.com/vigia-mx/vigia/dataexport/instagram"
	"github.com/vigia-mx/vigia/dataexport/tiktok"
	"github.com/vigia-mx/vigia/dataexport/x"
	"github.com/vigia-mx/vigia/directory"
)

// This file is where engines and networks are wired: one explicit switch
// each.

const defaultArchive = "vigia.duckdb"

// archiveSpec returns the archive named by a flag, VIGIA_ARCHIVE, or the default.
func archiveSpec(e *env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("VIGIA_ARCHIVE"); v != "" {
		return v
	}
	return defaultArchive
}

// openArchive opens the archive an --archive value names, read-only for
// commands that only read. Writers bound the embedded engine's memory
// (VIGIA_DUCKDB_MEMORY_LIMIT changes the bound).
func openArchive(ctx context.Context, e *env, spec string, readOnly bool) (archive.Store, error) {
	switch {
	case strings.HasPrefix(spec, "clickhouse://"):
		// Read-only is the server's users' business: the same connection reads and writes.
		s, err := clickhouse.Open(ctx, spec, e.getenv("VIGIA_CLICKHOUSE_PASSWORD"))
		switch {
		case errors.Is(err, clickhouse.ErrBadURL):
			return nil, &badInputError{err}
		case err != nil:
			return nil, err
		}
		return s, nil
	case strings.HasSuffix(spec, ".duckdb"):
		opts := duckdb.Options{ReadOnly: true}
		if !readOnly {
			opts = duckdb.WriterOptions()
			if v := e.getenv("VIGIA_DUCKDB_MEMORY_LIMIT"); v != "" {
				opts.MemoryLimit = v
			}
		}
		s, err := openDuckDB(ctx, e, spec, opts)
		switch {
		case errors.Is(err, archive.ErrNotFound):
			return nil, badInput("archive %q does not exist: run \"vigia demo\" or \"vigia crawl\" first, or name another with --archive", spec)
		case errors.Is(err, archive.ErrLocked):
			return nil, errorf("%w (another vigia writes to it: a vigia serve --crawl-every holds it while it runs, so read it through that server's application and API; a vigia crawl holds it only while it appends)", err)
		}
		return s, err
	default:
		return nil, badInput("archive %q: expected a path ending in .duckdb or a clickhouse://host:port/db URL", spec)
	}
}

// wire returns network n's adapter and what the register knows of it (its
// spec: handles, mentions, what it can confirm). Adding a network adds a
// case here; TestNetworks fails for a network missing one. A network vigia
// does not list has no adapter: its posts come from the holder's data
// export (exportReader), and the crawl leaves its accounts out. X, Facebook
// and Instagram have both: an account's capture: says which (the crawl
// lists only capture: api ones).
func wire(n archive.Network) (crawler.Adapter, directory.NetworkSpec) {
	switch n {
	case archive.Mastodon:
		return mastodon.New(), mastodon.Network
	case archive.Bluesky:
		return bluesky.New(), bluesky.Network
	case archive.Telegram:
		return telegram.New(), telegram.Network
	case archive.YouTube:
		return youtube.New(), youtube.Network
	case archive.RSS:
		return rss.New(), rss.Network
	case archive.X:
		return xapi.New(), withAPI(x.Network)
	case archive.Facebook:
		return graph.NewPages(), withAPI(facebook.Network)
	case archive.Instagram:
		return graph.NewInstagram(), withAPI(instagram.Network)
	case archive.TikTok:
		spec := tiktok.Network
		spec.Captures = []directory.Capture{directory.CaptureExport}
		return nil, spec
	default:
		panic(fmt.Sprintf("network %q has no adapter", n))
	}
}

// withAPI is the spec of a network read from its holders' exports by
// default (capture: export) and, for official accounts, through its
// official API with the office's token (capture: api).
func withAPI(spec directory.NetworkSpec) directory.NetworkSpec {
	spec.Captures = []directory.Capture{directory.CaptureExport, directory.CaptureAPI}
	return spec
}

// adapters returns the adapter of every network vigia lists.
func adapters() map[archive.Network]crawler.Adapter {
	m := map[archive.Network]crawler.Adapter{}
	for _, n := range archive.Networks {
		if ad, _ := wire(n); ad != nil {
			m[n] = ad
		}
	}
	return m
}

// exportReader returns the reader of network n's data export (vigia
// import); ok is false for a network whose exports vigia does not read.
func exportReader(n archive.Network) (r dataexport.Reader, ok bool) {
	switch n {
	case archive.X:
		return x.Reader, true
	case archive.Facebook:
		return facebook.Reader, true
	case archive.Instagram:
		return instagram.Reader, true
	case archive.TikTok:
		return tiktok.Reader, true
	}
	return dataexport.Reader{}, false
}

// exportReaders returns the reader of every network's data export that
// vigia reads, in archive.Networks order.
func exportReaders() []dataexport.Reader {
	var rs []dataexport.Reader
	for _, n := range archive.Networks {
		if r, ok := exportReader(n); ok {
			rs = append(rs, r)
		}
	}
	return rs
}

// networks returns the spec of every supported network, in archive.Networks
// order: what directories are checked against.
func networks() directory.Networks {
	ns := make(directory.Networks, len(archive.Networks))
	for i, n := range archive.Networks {
		_, ns[i] = wire(n)
	}
	return ns
}

// networkList names the supported networks for help and messages:
// "mastodon, bluesky, telegram, youtube or rss".
func networkList() orList {
	return orList(networks().Names())
}

// loadPolicy returns the policy a --policy flag names, or the embedded one.
func loadPolicy(path string) (*classifier.Policy, error) {
	if path == "" {
		return classifier.DefaultPolicy(), nil
	}
	p, err := classifier.LoadPolicy(path)
	if err != nil {
		return nil, &badInputError{err}
	}
	return p, nil
}

// version is set at build time with -ldflags "-X main.version=…" (the
// Docker image does: deploy/Dockerfile); otherwise it comes from the
// build information Go stamps in the binary (versionFrom).
var version = ""

func vigiaVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return versionFrom(version, bi)
}

// versionFrom names the version of a build: the one set at link time; else
// the module's version (a tagged `go install`); else the commit it was built
// from, with "+dirty" when the working tree had changes (`go build` in a
// clone); else "dev". It is what the WARC files' warcinfo records and the
// User-Agent name.
func versionFrom(linked string, bi *debug.BuildInfo) string {
	if linked != "" {
		return linked
	}
	if bi == nil {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "dev-" + rev
}

type versionCommand struct{}

func (*versionCommand) synopsis() string { return "print vigia's version and archive schema version" }

func (*versionCommand) run(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "version", "Prints the version of vigia and of the archive schema it writes.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	e.printer().Fprintf(e.stdout, "vigia %s (archive schema %d)\n", vigiaVersion(), duckdb.SchemaVersion())
	return nil
}

// withCluster adds a --cluster value to a clickhouse:// archive URL, where it
// is the cluster= parameter (docs/scale.md). It is bad input for a .duckdb
// archive.
func withCluster(spec, cluster string) (string, error) {
	if cluster == "" {
		return spec, nil
	}
	if !strings.HasPrefix(spec, "clickhouse://") {
		return "", badInput("--cluster %q: only a clickhouse:// archive runs on a cluster", cluster)
	}
	sep := "?"
	if strings.Contains(spec, "?") {
		sep = "&"
	}
	return spec + sep + "cluster=" + cluster, nil
}

// openSpool opens the spool of an archive: VIGIA_SPOOL_DIR, or beside a
// .duckdb file NAME-spool, for a server ./vigia-spool; VIGIA_SPOOL_MAX_BYTES
// bounds it (no bound but the disk's by default). Torn frames found in it
// are reported.
func openSpool(e *env, spec string) (*spool.Spool, string, error) {
	dir := spoolDir(e, spec)
	var opts spool.Options
	if v := e.getenv("VIGIA_SPOOL_MAX_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, "", badInput("VIGIA_SPOOL_MAX_BYTES %q: expected a number of bytes", v)
		}
		opts.MaxBytes = n
	}
	sp, err := spool.Open(dir, opts)
	if err != nil {
		return nil, "", err
	}
	for _, p := range sp.Problems() {
		fmt.Fprintf(e.stderr, "vigia: spool: %v\n", p)
	}
	return sp, dir, nil
}

// spoolDir is the folder of an archive's spool: VIGIA_SPOOL_DIR, or beside
// a .duckdb file NAME-spool, for a server ./vigia-spool.
func spoolDir(e *env, spec string) string {
	if dir := e.getenv("VIGIA_SPOOL_DIR"); dir != "" {
		return dir
	}
	return besideArchive(spec, "spool")
}

// deliverSpool delivers to store what waits in the spool, saying so.
func deliverSpool(ctx context.Context, e *env, sp *spool.Spool, dir string, store archive.Appender, spec string) error {
	waiting, _ := sp.Pending()
	if waiting == 0 {
		return nil
	}
	n, err := flushWaiting(ctx, e, sp, dir, store, spec)
	if n > 0 {
		e.printer().Fprintf(e.stderr, "delivered %d batches from the spool at %s to %s\n", n, dir, spec)
	}
	if errors.Is(err, spool.ErrUnreachable) { // a crawl goes on into the spool
		return nil
	}
	if err != nil {
		return errorf("deliver the %d batches waiting in the spool at %s: %w", waiting-n, dir, err)
	}
	return nil
}
