package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
)

type archiveCommand struct{}

func (*archiveCommand) synopsis() string {
	return "manage the archive itself: deliver its spool, copy it into another engine, write its evidence as WACZ"
}

func (*archiveCommand) run(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "archive", "", []subcommand{
		{"flush", "deliver to the archive what waits in its spool (VIGIA_SPOOL_DIR, or beside the archive)", archiveFlush},
		{"copy", "copy every record of archive A into the new archive B, e.g. from the embedded vigia.duckdb into ClickHouse (clickhouse://HOST:9000/vigia) as a body grows, or back", archiveCopy},
		{"wacz", "write the whole evidence of a selection (every version, personal content included: for archivists) as a WACZ file for ReplayWeb.page", archiveWACZ},
	}, args)
}

func archiveFlush(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "archive flush", "archive flush [--archive A]",
		`Delivers to the archive the batches of records waiting in its spool — left
by a crawl that stopped while the archive was down, or that was killed —
oldest first. A batch the archive may already hold is stored once. The
spool is VIGIA_SPOOL_DIR, or beside the archive (NAME-spool/, ./vigia-spool
for a server).`)
	arcFlag := archiveFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	spec := archiveSpec(e, *arcFlag)
	sp, dir, err := openSpool(e, spec)
	if err != nil {
		return err
	}
	defer sp.Close()
	waiting, oldest := sp.Pending()
	if waiting == 0 {
		e.printer().Fprintf(e.stdout, "the spool at %s is empty\n", dir)
		return nil
	}
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := deliverSpool(ctx, e, sp, dir, store, spec); err != nil {
		return err
	}
	e.printer().Fprintf(e.stdout, "delivered %d batches (the oldest spooled %s) from %s to %s\n", waiting, oldest.Local().Format(time.DateTime), dir, spec)
	return nil
}

var errNotEmpty = errors.New("not empty")

func archiveCopy(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "archive copy", "archive copy --from A --to B",
		`Copies every record of archive A — post versions, captures, events,
decisions, fetches, account snapshots, runs, crawl outcomes, fixity checks —
into archive B, which must be new or empty, so that B gives the same answers
as A. A is only read. The WARC files are not moved: keep them beside B, or
name them with --warc-dir.`)
	from := fs.String("from", "", "the archive `A` to copy: .duckdb file or clickhouse://host:port/db URL")
	to := fs.String("to", "", "the new archive `B`: .duckdb file or clickhouse://host:port/db URL")
	batch := fs.Int("batch", 10_000, "records per append")
	cluster := fs.String("cluster", "", "with a clickhouse:// --to: create its tables ON CLUSTER `NAME` (docs/scale.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return badInput("expected --from A --to B and nothing else")
	}
	if *from == *to {
		return badInput("--from and --to name the same archive")
	}
	target, err := withCluster(*to, *cluster)
	if err != nil {
		return err
	}
	src, err := openArchive(ctx, e, *from, true)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openArchive(ctx, e, target, false)
	if err != nil {
		return err
	}
	defer dst.Close()
	err = dst.Export(ctx, 1, func(*archive.Batch) error { return errNotEmpty })
	switch {
	case errors.Is(err, errNotEmpty):
		return badInput("archive %q already holds records: copy into a new one", *to)
	case err != nil:
		return err
	}
	// Every record, personal content included, leaves A: the audit log of
	// A says so first.
	if err := recordCLI(e, *from, auth.Entry{Action: "archive_copy", Target: *to, Detail: "vigia archive copy: every record"}); err != nil {
		return err
	}
	start := time.Now()
	n, posts := 0, 0
	err = src.Export(ctx, *batch, func(b *archive.Batch) error {
		if err := dst.Append(ctx, b); err != nil {
			return err
		}
		n += b.Len()
		posts += len(b.Posts)
		if isTerminal(e.stderr) {
			e.printer().Fprintf(e.stderr, "\rcopied %d records", n)
		}
		return nil
	})
	if isTerminal(e.stderr) {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return errorf("copy %s to %s: %w (%d records copied; %s is incomplete: copy again into a new archive)", *from, *to, err, n, *to)
	}
	if err := copyAdoptions(ctx, src, dst); err != nil {
		return errorf("copy %s to %s: %w (%s is incomplete: copy again into a new archive)", *from, *to, err, *to)
	}
	e.printer().Fprintf(e.stdout, "copied %d records (%d post versions) from %s to %s in %s\n", n, posts, *from, *to,
		time.Since(start).Round(time.Millisecond))
	return nil
}
