package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
)

type verifyCommand struct{}

func (*verifyCommand) synopsis() string {
	return "check the fixity of the WARC evidence and of every reference to it"
}

// maxReported bounds the problems printed and kept in the fixity record.
const maxReported = 1000

func (*verifyCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "verify", "verify [--archive A] [--warc-dir DIR]",
		`Re-reads every WARC file, recomputes each record's SHA-256 block and payload
digests and compares them with the record's headers; then checks that every
reference the archive holds (post versions, fetched exchanges, media files)
points at a record that is there, intact, with the digest the archive noted.
A revisit record (a payload identical to an earlier capture of its URL) is
checked with the response it refers to: there, intact, with its payload.
The check is recorded in the archive (table fixity_checks). Exits 1 when any
problem is found, naming the file, offset and record.

The WARC file a running crawl writes ends in ".open" and is checked once the
crawl closes it; files left ".open" by a crawl that died (kill -9, a power
cut) are recovered first: given their final names, then checked.`)
	arcFlag := archiveFlag(fs)
	warcDir := fs.String("warc-dir", "", "folder of the WARC files (default: beside the archive, NAME-warc/)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	spec := archiveSpec(e, *arcFlag)
	dir := *warcDir
	if dir == "" {
		dir = warcDirFor(spec)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return badInput("WARC folder %q not found: name it with --warc-dir", dir)
	}
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := recoverEvidence(e.stderr, dir); err != nil {
		return err
	}

	started := time.Now()
	ix, problems, err := warc.Verify(ctx, dir, func(file string) {
		if isTerminal(e.stderr) {
			fmt.Fprintf(e.stderr, "\rreading %-60s", file)
		}
	})
	if isTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "\r%-70s\r", "")
	}
	if err != nil {
		return err
	}
	report := make([]string, 0, len(problems))
	for _, p := range problems {
		report = append(report, p.Error())
	}
	refs := 0
	err = store.WARCRefs(ctx, func(u archive.WARCUse) error {
		refs++
		err := ix.CheckRef(warc.Ref{File: u.Ref.File, RecordID: u.Ref.RecordID, Offset: u.Ref.Offset, BlockDigest: u.Ref.Digest})
		if errors.Is(err, warc.ErrFileMissing) {
			if _, serr := os.Stat(filepath.Join(dir, u.Ref.File+".open")); serr == nil {
				err = errorf("%w; %s.open is there: a running crawl is still writing it (verify again when it stops)", err, u.Ref.File)
			}
		}
		if err != nil {
			report = append(report, fmt.Sprintf("%s %s: %v", u.Table, u.What, err))
		}
		return nil
	})
	if err != nil {
		return err
	}
	check := archive.FixityCheck{
		CheckedAt: started.UTC(), WARCDir: dir, Files: ix.Files, Records: ix.Records,
		References: refs, Problems: len(report), Report: strings.Join(report[:min(len(report), maxReported)], "\n"),
	}
	if err := store.Append(context.WithoutCancel(ctx), &archive.Batch{Fixity: []archive.FixityCheck{check}}); err != nil {
		return errorf("record the fixity check: %w", err)
	}
	p := e.printer()
	for i, line := range report {
		if i == maxReported {
			p.Fprintf(e.stdout, "… and %d more\n", len(report)-maxReported)
			break
		}
		p.Fprintf(e.stdout, "PROBLEM %s\n", line)
	}
	p.Fprintf(e.stdout, "%s: %s (%.1f MB), %s, %s checked in %s: ",
		dir, p.Sprintf("%d WARC files", ix.Files), float64(ix.Bytes)/1e6, p.Sprintf("%d records", ix.Records),
		p.Sprintf("%d archive references", refs), time.Since(started).Round(time.Millisecond))
	if len(report) > 0 {
		p.Fprintf(e.stdout, "%s\n", p.Sprintf("%d problems", len(report)))
		return errFixity
	}
	p.Fprintf(e.stdout, "all intact\n")
	return nil
}

var errFixity = errors.New("fixity check failed: evidence is damaged or missing (see PROBLEM lines)")
