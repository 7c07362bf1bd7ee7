package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
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
	fs := newFlagSet(e, "serve", "serve [--archive A] [--listen 127.0.0.1:8080] [--policy FILE] [--metrics-addr ADDR]",
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
beyond this machine: cookies are marked Secure unless it listens on loopback.`)
	arcFlag := archiveFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	warcDir := fs.String("warc-dir", "", "folder of the WARC files (default: beside the archive, NAME-warc/)")
	exports := fs.String("exports", "", "folder of access-request packages (default: beside the archive, NAME-exports/)")
	af := addAccessFlags(fs)
	dirFile := fs.String("directory", "", "directory of accounts (YAML) that admins may check and replace from the browser; a replaced version is kept beside it")
	subject := fs.String("subject", "", "the obligated body, for reports")
	insecure := fs.Bool("insecure-cookies", false, "send session cookies over plain HTTP even when not on loopback (never in production)")
	timezone := timeZoneFlag(fs, "of the dates shown")
	policy := policyFlag(fs)
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics, apart from the application (e.g. 127.0.0.1:9465)")
	if err := parseFlags(fs, args); err != nil {
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
	open, closeAll, err := archiveOpener(ctx, e, spec)
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
		fmt.Fprintf(e.stderr, "vigia serve: audit log: %v (kept, skipped when read; new entries chain over it; see vigia audit verify)\n", d)
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
	if *metricsAddr != "" {
		mln, err := listenMetrics(*metricsAddr)
		if err != nil {
			return err
		}
		defer mln.Close()
		reg := prometheus.NewRegistry()
		metrics = newServeRegistry(reg, open, audit, archive.Visibility{Threshold: pol.PublishThreshold()})
		defer serveMetrics("serve", mln, reg, e)()
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
	fmt.Fprintf(e.stderr, "vigia serve: http://%s/ (archive %s; users %s)\n", ln.Addr(), spec, usersPath)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// archiveOpener gives what the web application opens the archive with. A
// ClickHouse archive is one connection pool shared by every request. An
// embedded archive is opened for each request and closed after it, so that
// a crawl can write between requests; a request that finds it being
// written waits up to 15 s.
func archiveOpener(ctx context.Context, e *env, spec string) (func(context.Context, bool) (archive.Store, error), func(), error) {
	if strings.HasPrefix(spec, "clickhouse://") {
		st, err := openArchive(ctx, e, spec, false)
		if err != nil {
			return nil, nil, err
		}
		return func(context.Context, bool) (archive.Store, error) { return shared{st}, nil }, func() { st.Close() }, nil
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
		deadline := time.Now().Add(15 * time.Second)
		for {
			st, err := openArchive(ctx, e, spec, !write)
			if !errors.Is(err, archive.ErrLocked) || time.Now().After(deadline) {
				return st, err
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
	}, func() {}, nil
}

// shared is a store the requests share: closing it is the server's business.
type shared struct{ archive.Store }

func (shared) Close() error { return nil }
