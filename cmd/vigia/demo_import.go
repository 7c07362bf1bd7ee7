package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/vigia-mx/vigia/dataexport"
	"github.com/vigia-mx/vigia/dataexport/x"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/samplenet"
)

// demoImport imports, as vigia import does, the X archive the sample
// municipality's communication area hands in: the path of the networks
// that show nothing without an account (docs/import.md). The account joins
// the demo's directory; evidence is the crawl's WARC writer (nothing is
// imported with --no-warc, which keeps no evidence).
func demoImport(ctx context.Context, e *env, store dataexport.Archive, dir *directory.Directory, flags *crawlFlags, evidence any) error {
	w, ok := evidence.(dataexport.Evidence)
	if !ok {
		return nil
	}
	tmp, err := os.MkdirTemp("", "vigia-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "twitter-2026-11-27-GobiernoGDL.zip")
	if err := os.WriteFile(path, samplenet.XSampleArchive(), 0o600); err != nil {
		return err
	}
	f, err := dataexport.Open(path)
	if err != nil {
		return err
	}
	exp, err := x.Reader.Read(f.FS)
	if err != nil {
		return err
	}
	dir.Accounts = append(dir.Accounts, samplenet.XAccount())
	im := &dataexport.Import{Directory: dir, Account: &dir.Accounts[len(dir.Accounts)-1], File: f, Export: exp,
		Received: samplenet.XSampleReceived, Evidence: w, Version: "vigia/" + vigiaVersion(),
		Judge: decision.ForDirectory(flags.pol, flags.model, dir, networks()).Crawled}
	p := e.printer()
	p.Fprintf(e.stdout, "\nX shows nothing without an account: its posts come from the archive the account's holder hands in (vigia import, docs/import.md):\n\n")
	res, err := im.Run(ctx, store)
	if err != nil {
		return errorf("import the sample's X archive: %w", err)
	}
	printImport(p, e.stdout, im, res)
	return nil
}
