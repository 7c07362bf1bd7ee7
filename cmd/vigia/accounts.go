package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/directory"
)

type accountsCommand struct{}

func (*accountsCommand) synopsis() string {
	return "show each account's crawl health: last success, last error, failures, lag, last deep sweep"
}

func (*accountsCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "accounts", "accounts [--archive A] [--format table|jsonl] [--directory FILE]",
		`Prints, for every account the archive knows, how crawling it has been going:
the result of the last crawl, when it last succeeded, its last error, how
many crawls in a row have failed, the lag since its newest post seen, and
when its last deep sweep (vigia crawl --sweep, or --sweep-every) ended and
how many archived posts it checked ("partial": the page budget or an error
left some unchecked). Then what waits in the spool for the archive (a
ClickHouse server that was down) and since when; with the archive
unreachable, only that, and the exit code is 1.

With --directory, then how each account of the directory is captured
(public: crawled; api: crawled through the platform's official API with
the office's token; export: read from the data export its holder hands in,
vigia import), when its posts last reached the archive (the last crawl
that ended well, or the last export imported), and for exports when the
next one is due (export_every:, by default 30 days after the last one, or
after the account's registration) and whether it is OVERDUE.`)
	arcFlag := archiveFlag(fs)
	format := formatFlag(fs, "table or jsonl", "table", "jsonl")
	timezone := timeZoneFlag(fs, "of the table's dates")
	dirFile := fs.String("directory", "", "the directory `FILE` whose accounts' capture and exports due to show")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	loc, err := timeZone(*timezone)
	if err != nil {
		return err
	}
	spec := archiveSpec(e, *arcFlag)
	// What waits in the spool is told too, on stderr beside JSON lines.
	spoolOut := e.stdout
	if *format == "jsonl" {
		spoolOut = e.stderr
	}
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		if strings.HasPrefix(spec, "clickhouse://") && unreachable(err) {
			writeSpoolBacklog(spoolOut, e, spec, loc)
			return errorf("the archive is unreachable, so the accounts' health cannot be read (what the crawl gathers meanwhile waits in the spool): %w", err)
		}
		return err
	}
	defer store.Close()
	health, err := store.Health(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	var dir *directory.Directory
	if *dirFile != "" {
		if dir, _, err = loadDirectoryFile(*dirFile); err != nil {
			return err
		}
	}
	if *format == "jsonl" {
		err = writeHealthJSONL(e.stdout, health, now)
	} else {
		writeHealthTable(e.printer(), terminalSafe(e.stdout), health, now, loc)
		if dir != nil {
			fmt.Fprintln(e.stdout)
			writeCaptureTable(e.printer(), terminalSafe(e.stdout), captures(dir, health, now), loc)
		}
	}
	writeSpoolBacklog(spoolOut, e, spec, loc)
	return err
}

// writeSpoolBacklog says what waits in the archive's spool (nothing when
// none waits) and since when.
func writeSpoolBacklog(w io.Writer, e *env, spec string, loc *time.Location) {
	dir := spoolDir(e, spec)
	b, _, err := spool.Inspect(dir)
	p := e.printer()
	switch {
	case err != nil:
		p.Fprintf(w, "\nspool at %s: not readable: %v\n", dir, err)
	case b.Batches == 0:
		if strings.HasPrefix(spec, "clickhouse://") {
			p.Fprintf(w, "\nspool at %s: nothing waits for the archive\n", dir)
		}
	default:
		p.Fprintf(w, "\nspool at %s: %d batches (%d records, %d bytes) wait for the archive, the oldest since %s (%s ago); the next crawl or vigia archive flush delivers them when the archive answers\n",
			dir, b.Batches, b.Records, b.Bytes, b.Oldest.In(loc).Format("2006-01-02 15:04:05"), time.Since(b.Oldest).Round(time.Second))
	}
}

func writeHealthJSONL(w io.Writer, health []archive.AccountHealth, now time.Time) error {
	enc := json.NewEncoder(w)
	for _, h := range health {
		if err := enc.Encode(archive.NewHealthJSON(&h, now)); err != nil {
			return err
		}
	}
	return nil
}

func writeHealthTable(p printer, w io.Writer, health []archive.AccountHealth, now time.Time, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p.Fprintf(tw, "ACCOUNT\tNETWORK\tSTATUS\tLAST SUCCESS\tFAILURES\tLAG\tPOSTS\tLAST SWEEP\tCHECKED\tLAST ERROR\n")
	for _, h := range health {
		checked := "-"
		if !h.LastSweep.IsZero() {
			checked = fmt.Sprint(h.LastSweepChecked)
			if !h.LastSweepComplete {
				checked += p.text(" (partial)")
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n", h.AccountID, h.Network, p.crawlStatus(h.Status()),
			when(h.LastSuccess, loc), h.ConsecutiveFailures, lag(h.Lag(now)), h.Posts, when(h.LastSweep, loc), checked, oneLine(h.LastError, 60))
	}
	tw.Flush()
}

func when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// lag prints a duration in the largest whole unit that fits.
func lag(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	default:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
}
