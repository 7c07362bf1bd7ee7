package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/dataexport"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
)

type importCommand struct{}

func (*importCommand) synopsis() string {
	return "import the data export (X, Facebook, Instagram, TikTok) an account's holder handed in"
}

func (*importCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "import", "import --account ID --directory FILE [--archive A] [--received DATE] [--warc-dir DIR] FILE",
		`Imports the data export that the holder of an account of the directory
handed in: X's archive (a zip with data/tweets.js), Facebook's or
Instagram's "Download your information" in JSON, TikTok's user data in JSON.
FILE is the zip as downloaded, the folder it unpacks to, or TikTok's
user_data_tiktok.json. The platform is told by the layout.

Each post becomes a post version as a crawled one does: compared with what
the archive holds (new, edited, restored), decided by the same rules and
model, searchable, reviewable and delivered in access packages, marked
"importado de la exportación del titular, entregada el DATE". The export is
kept whole in the WARC evidence with its SHA-256, and each version's part of
it (the post as the export holds it) in a record made from it.

Posts the export lists as deleted (X's deleted-tweets.js) are recorded as
deleted at the source, with the export as evidence. Posts an earlier export
had and this one lacks, inside the span of time this one covers, are
listed one by one: deleted at the source only when the export says it is
whole (an X archive's manifest) and holds most of what the archive has in
that span; otherwise reported (missing_from_export), never deleted.

An export of another network than the account's, cut short, or of another
account (its username is not the directory's handle) is refused, naming the
file and the field; nothing is archived from it. See docs/import.md.`)
	account := fs.String("account", "", "`ID` of the account in the directory whose export FILE is")
	dirFile := fs.String("directory", "", "directory of accounts, a YAML `FILE`")
	arcFlag := archiveFlag(fs)
	received := fs.String("received", "", "`DATE` (YYYY-MM-DD) the office received the export (default: today)")
	warcDir := fs.String("warc-dir", "", "folder `DIR` of the WARC evidence (default: beside the archive, NAME-warc/)")
	policy := policyFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0:
		return badInput("name the export to import: vigia import --account ID --directory FILE EXPORT.zip")
	case fs.NArg() > 1:
		return badInput("unexpected argument %q: import one export at a time", fs.Arg(1))
	case *account == "":
		return badInput("--account: name the account of the directory whose export this is")
	case *dirFile == "":
		return badInput("--directory: name the directory of accounts")
	}
	day := time.Now().UTC().Truncate(24 * time.Hour)
	if *received != "" {
		d, err := time.Parse(time.DateOnly, *received)
		if err != nil {
			return badInput("--received %q: expected a date written YYYY-MM-DD", *received)
		}
		day = d
	}
	dir, err := directory.Load(*dirFile, networks())
	if err != nil {
		return &badInputError{err}
	}
	acct, err := findAccount(dir, *account)
	if err != nil {
		return err
	}
	if _, ok := exportReader(acct.Network); !ok {
		return badInput("account %q is on %s, which vigia crawls: it has no data export to import", acct.ID, acct.Network)
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}

	// Every check of the export runs before anything is written.
	path := fs.Arg(0)
	f, err := dataexport.Open(path)
	if err != nil {
		return importError(path, err)
	}
	reader, err := dataexport.Detect(f, exportReaders())
	if err != nil {
		return importError(path, err)
	}
	exp, err := reader.Read(f.FS)
	if err != nil {
		return importError(path, err)
	}
	im := &dataexport.Import{Directory: dir, Account: acct, File: f, Export: exp, Received: day, Version: "vigia/" + vigiaVersion()}
	if err := im.Check(); err != nil {
		return importError(path, err)
	}

	spec := archiveSpec(e, *arcFlag)
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	defer store.Close()
	model, _, err := archiveModel(ctx, store, "")
	if err != nil {
		return err
	}
	im.Judge = decision.ForDirectory(pol, model, dir, networks()).Crawled
	wdir := *warcDir
	if wdir == "" {
		wdir = warcDirFor(spec)
	}
	w, err := warc.NewWriter(warc.Options{Dir: wdir, Software: "vigia/" + vigiaVersion(), Operator: dir.Subject})
	if err != nil {
		return errorf("open WARC evidence folder: %w", err)
	}
	defer closeEvidence(w, &err)
	if _, err := recoverEvidence(e.stderr, wdir); err != nil {
		return err
	}
	im.Evidence = w
	res, err := im.Run(ctx, store)
	if err != nil {
		return errorf("import %s: %w", path, err)
	}
	printImport(e.printer(), terminalSafe(e.stdout), im, res)
	return nil
}

// findAccount returns the directory's account id.
func findAccount(dir *directory.Directory, id string) (*directory.Account, error) {
	var ids []string
	for i := range dir.Accounts {
		if dir.Accounts[i].ID == id {
			return &dir.Accounts[i], nil
		}
		ids = append(ids, dir.Accounts[i].ID)
	}
	return nil, badInput("--account %q: no such account in %s%s", id, dir.File, didYouMean(id, ids))
}

// importError is a problem of the export handed in: bad input, naming it.
func importError(path string, err error) error {
	var de *dataexport.Error
	if errors.As(err, &de) && de.File == path {
		return badInput("import: %v", err)
	}
	return badInput("import %s: %v", path, err)
}

func printImport(p printer, w io.Writer, im *dataexport.Import, res *dataexport.Result) {
	exp := im.Export
	p.Fprintf(w, "imported %s of %q for account %q, handed in on %s\n", exp.Layout, exp.Handle, im.Account.ID, im.Received.Format(time.DateOnly))
	p.Fprintf(w, "  kept whole: sha256 %s, WARC %s record %s\n", res.Source.SHA256, res.Evidence.File, res.Evidence.RecordID)
	p.Fprintf(w, "  %s: %d new, %d changed, %d unchanged; %s archived (%d edits); %d restored\n",
		p.Sprintf("%d posts", res.Posts), res.New, res.Changed, res.Unchanged, p.Sprintf("%d versions", res.Versions), res.Edited, res.Restored)
	if !res.Span[0].IsZero() {
		p.Fprintf(w, "  covers %s to %s\n", res.Span[0].Format(time.DateOnly), res.Span[1].Format(time.DateOnly))
	}
	if len(res.Deleted) > 0 {
		p.Fprintf(w, "  deleted at the source (%d):\n", len(res.Deleted))
		for _, g := range res.Deleted {
			fmt.Fprintf(w, "    %s  %s  %s\n", g.PostID, g.PublishedAt.Format(time.RFC3339), g.Evidence)
		}
	}
	if len(res.Older) > 0 {
		p.Fprintf(w, "  shown as they were before what the archive last recorded of them (an export older than what the archive holds): not taken as edits back nor restorations (%d):\n", len(res.Older))
		for _, g := range res.Older {
			fmt.Fprintf(w, "    %s  %s\n", g.PostID, g.PublishedAt.Format(time.RFC3339))
		}
	}
	if len(res.Missing) > 0 {
		p.Fprintf(w, "  missing from this export, not taken as deleted (%d): %s\n", len(res.Missing), res.MissingWhy)
		for _, g := range res.Missing {
			fmt.Fprintf(w, "    %s  %s\n", g.PostID, g.PublishedAt.Format(time.RFC3339))
		}
	}
}
