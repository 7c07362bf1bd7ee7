package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/web"
)

type serveCommand struct{}

func (*serveCommand) synopsis() string {
	return "serve the web application and the JSON API (/api/v1/) for archivists and transparency officers"
}

func (*serveCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [--archive A] [--listen 127.0.0.1:8080] [--crawl-every 15m --directory FILE] [--policy FILE] [--metrics-addr ADDR]",
		`Serves the web application (Spanish, server-rendered, usable without
JavaScript) and the JSON API under /api/v1/: search with facets, each post's
versions, events, decisions and raw capture, the review queue, the directory
with each account's crawl health, and access-request packages.

The public role reads public information only: a post the content model
decided function only at or above the publication threshold of --policy
(classifier.publish_threshold, default 0.75); below it the post waits for a
person, first in the review queue.

Users sign in with the accounts "vigia users add" creates; scripts send
"Authorization: Bearer TOKEN" with a token from "vigia users token". Every
search, view, export and decision is written to the audit log beside the
archive (NAME-audit.jsonl, or VIGIA_AUDIT), each line signed with the audit
key (see "vigia audit verify"); a login that cannot be written there is
refused. Put it behind a TLS-terminating proxy to serve
beyond this machine: cookies are marked Secure unless it listens on loopback.

With --crawl-every 15m --directory FILE the same process also crawls the
directory's accounts every 15 minutes, as "vigia crawl --every" would: the
way to run an office on one machine. It holds the archive, crawling into it
and serving from it at once (an embedded archive admits one writing process:
vigia search and show wait for it, and a separate vigia crawl waits until it
stops). It reads the directory again before each slot, so that a directory
replaced from the browser is crawled without a restart; one with problems is
reported and the last good one kept. SIGINT or SIGTERM finishes the fetches
under way, archives them and stops both.`)
	arcFlag := archiveFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	warcDir := fs.String("warc-dir", "", "folder of the WARC files, which --crawl-every writes to (default: beside the archive, NAME-warc/)")
	exports := fs.String("exports", "", "folder of access-request packages (default: beside the archive, NAME-exports/)")
	af := addAccessFlags(fs)
	dirFile := fs.String("directory", "", "directory of accounts (YAML) that admins may check and replace from the browser; a replaced version is kept beside it. With --crawl-every, the accounts crawled, read again before each slot")
	subject := fs.String("subject", "", "the obligated body, for reports")
	insecure := fs.Bool("insecure-cookies", false, "send session cookies over plain HTTP even when not on loopback (never in production)")
	timezone := timeZoneFlag(fs, "of the dates shown")
	policy := policyFlag(fs)
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics, apart from the application (e.g. 127.0.0.1:9465); with --crawl-every, the crawler's too")
	var crawl serveCrawl
	crawl.register(fs, policy)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	if err := crawl.prepare(*dirFile); err != nil {
		return err
	}
	loc, err := timeZone(*timezone)
	if err != nil {
		return err
	}
	c, public, err := af.load() // bad files stop it before anything is opened
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	spec := archiveSpec(e, *arcFlag)
	if crawl.on() {
		unlock, err := lockCrawler(ctx, e, spec, "serve --crawl-every")
		if err != nil {
			return err
		}
		defer unlock()
	}
	open, closeAll, err := archiveOpener(ctx, e, spec, crawl.on())
	if err != nil {
		return err
	}
	defer closeAll()
	usersPath := usersFile(e, spec)
	users, err := auth.OpenUsers(usersPath)
	if err != nil {
		return err
	}
	audit, err := openAudit(e, spec)
	if err != nil {
		return err
	}
	defer audit.Close()
	for _, d := range audit.TailDamage() {
		e.printer().Fprintf(e.stderr, "vigia serve: audit log: %v (kept, skipped when read; new entries chain over it; see vigia audit verify)\n", d)
	}
	if *warcDir == "" {
		*warcDir = warcDirFor(spec)
	}
	if *exports == "" {
		*exports = besideArchive(spec, "exports")
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return badInput("--listen %q: %v", *listen, err)
	}
	defer ln.Close()
	var metrics *web.Metrics
	var reg *prometheus.Registry
	if *metricsAddr != "" {
		mln, err := listenMetrics(*metricsAddr)
		if err != nil {
			return err
		}
		defer mln.Close()
		reg = prometheus.NewRegistry()
		metrics = newServeRegistry(reg, open, audit, archive.Visibility{Threshold: pol.PublishThreshold()})
		defer serveMetrics("serve", mln, reg, e)()
	}
	var store archive.Store // the crawler's: the one handle the requests share
	if crawl.on() {
		var creg prometheus.Registerer
		if reg != nil {
			creg = reg
		}
		closer, err := crawl.open(e, spec, *warcDir, creg)
		if err != nil {
			return err
		}
		defer closer.Close()
		if store, err = open(ctx, true); err != nil {
			return err
		}
	}
	secure := !*insecure && !isLoopback(ln.Addr())
	app, err := web.New(web.Config{
		Open: open, WARCDir: *warcDir, ExportDir: *exports, DirectoryFile: *dirFile, Networks: networks(),
		Users: users, Sessions: auth.NewSessions(users, auth.SessionOptions{Secure: secure}), Audit: audit,
		Calendar: c, Public: public, Subject: *subject, Location: loc, Logger: e.logger(), Metrics: metrics,
		Policy: pol,
	})
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	e.printer().Fprintf(e.stderr, "vigia serve: %s (archive %s; users %s)\n", servedAt(ln.Addr()), spec, usersPath)
	if secure {
		e.printer().Fprintf(e.stderr, "vigia serve: session cookies are Secure: browsers send them only over HTTPS, so put a TLS reverse proxy in front (docs/operations.md); --insecure-cookies only on a trusted network\n")
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	crawled := make(chan struct{})
	crawlCtx, stopCrawl := context.WithCancel(ctx)
	defer stopCrawl()
	go func() {
		defer close(crawled)
		if crawl.on() {
			crawl.run(crawlCtx, e, store, spec)
		}
	}()
	// Stopping stops both: the crawl archives what it fetched (the
	// archive is closed after it), the server answers the requests under
	// way.
	select {
	case err = <-done:
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdown)
	}
	stopCrawl()
	<-crawled
	return err
}

// servedAt says where a browser reaches the application listening on a:
// its address, or for all interfaces (0.0.0.0, ::) this machine's name
// and loopback, never the unusable http://[::]:PORT/.
func servedAt(a net.Addr) string {
	t, ok := a.(*net.TCPAddr)
	if !ok || !t.IP.IsUnspecified() {
		return fmt.Sprintf("http://%s/", a)
	}
	port := strconv.Itoa(t.Port)
	at := "http://" + net.JoinHostPort("localhost", port) + "/"
	if host, err := os.Hostname(); err == nil && host != "" {
		at = "http://" + net.JoinHostPort(host, port) + "/ or " + at
	}
	return at + " (every interface of this machine)"
}

func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// archiveOpener gives what the web application opens the archive with. A
// ClickHouse archive is one connection pool shared by every request, and so
// is an embedded archive when serve crawls (own): it is opened once, for
// writing, and the crawler and every request use that handle. Otherwise an
// embedded archive is opened for each request and closed after it, so that
// a separate crawl can write between requests; a request that finds it
// being written waits (openDuckDB).
func archiveOpener(ctx context.Context, e *env, spec string, own bool) (func(context.Context, bool) (archive.Store, error), func(), error) {
	if own || strings.HasPrefix(spec, "clickhouse://") {
		st, err := openArchive(ctx, e, spec, false)
		if err != nil {
			return nil, nil, err
		}
		return func(context.Context, bool) (archive.Store, error) { return sharedStore(st), nil }, func() { st.Close() }, nil
	}
	// Fail now, not at the first request, when the archive is not there.
	st, err := openArchive(ctx, e, spec, true)
	if err != nil && !errors.Is(err, archive.ErrLocked) {
		return nil, nil, err
	}
	if st != nil {
		st.Close()
	}
	return func(ctx context.Context, write bool) (archive.Store, error) {
		return openArchive(ctx, e, spec, !write)
	}, func() {}, nil
}

// shared is a store the requests share: closing it is the server's business.
type shared struct{ archive.Store }

func (shared) Close() error { return nil }

// sharedFull is a shared store that also reads many histories at once and
// keeps adopted models, as both engines do.
type sharedFull struct {
	shared
	archive.HistoryReader
	archive.ModelAdopter
}

// sharedStore returns st for the requests to share, keeping what it can do
// beyond archive.Store.
func sharedStore(st archive.Store) archive.Store {
	hr, ok1 := st.(archive.HistoryReader)
	ma, ok2 := st.(archive.ModelAdopter)
	if ok1 && ok2 {
		return sharedFull{shared{st}, hr, ma}
	}
	return shared{st}
}
