package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/vigia-mx/vigia/directory"
)

type directoryCommand struct{}

func (*directoryCommand) synopsis() string {
	return "check a directory of accounts, or import one from the office's spreadsheet (CSV)"
}

func (*directoryCommand) run(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "directory", `The directory is the body's register of accounts (policies Quinta, Séptima and
Décima novena). See docs/directory.md for its fields.`, []subcommand{
		{"validate", "check a directory (YAML) and list every problem with its line", directoryValidate},
		{"import", "turn the office's spreadsheet (CSV, one account per row) into directory YAML", directoryImport},
	}, args)
}

func directoryValidate(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "directory validate", "directory validate FILE",
		`Checks a directory of accounts: strict YAML (unknown keys are errors), the
network and handle of every account, the register's rules (a personal account
needs a servant of level 0 to 4, policy Quinta; an account administered by an
area needs the servant's term, policy Décima novena), the servants' leaves
and candidacies (each candidacy must be a process of the campaign calendar:
the embedded one plus the file named by campaigns:). Every problem is listed
with file:line, field and value; the exit code is 2 when there is any. A valid
directory's leaves and candidacies are listed, each candidacy with the
campaign the calendar gives it, for the office to check the dates.`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badInput("expected one directory file, got %d arguments", fs.NArg())
	}
	dir, err := directory.Load(fs.Arg(0), networks())
	if err != nil {
		return &badInputError{err}
	}
	counts := map[string]int{}
	for _, a := range dir.Accounts {
		counts[a.Type]++
	}
	fmt.Fprintf(e.stdout, "%s: %d accounts of %q (%d official, %d personal): valid\n",
		dir.File, len(dir.Accounts), dir.Subject, counts[directory.Official], counts[directory.Personal])
	for _, a := range dir.Accounts {
		for _, l := range a.Leaves {
			to := l.To.String()
			if to == "" {
				to = "(open)"
			}
			fmt.Fprintf(e.stdout, "  %s: leave %s..%s\n", a.ID, l.From, to)
		}
		for _, c := range a.Candidacies {
			office := ""
			if c.Office != "" {
				office = ", " + c.Office
			}
			veda := ""
			if !c.Veda.IsZero() {
				veda = ", veda " + c.Veda.String()
			}
			fmt.Fprintf(e.stdout, "  %s: candidacy in %s (%s%s): campaign %s%s\n", a.ID, c.Process, c.Jurisdiction, office, c.Campaign, veda)
		}
	}
	return nil
}

func directoryImport(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "directory import", "directory import FILE.csv --subject NAME [--out FILE.yaml]",
		`Reads the transparency office's spreadsheet, saved as CSV (comma or semicolon
separated, UTF-8), with a header row naming the columns: id, network, handle,
endpoint, allow_private_network, type, area, administered_by_area,
servant_name, servant_position, servant_level, office_from, office_to,
registered_on, sweep_pages, jurisdiction. Checks it like
"directory validate" (problems name the CSV line) and writes the directory
as YAML to --out or to standard output.`)
	subject := fs.String("subject", "", "the obligated body the directory belongs to (required)")
	out := fs.String("out", "", "write the YAML here instead of standard output (refuses to overwrite)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badInput("expected one CSV file, got %d arguments", fs.NArg())
	}
	if *subject == "" {
		return badInput("--subject is required: name the obligated body")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return badInput("open spreadsheet: %v", err)
	}
	defer f.Close()
	dir, err := directory.ImportCSV(fs.Arg(0), f, *subject, networks())
	if err != nil {
		return &badInputError{err}
	}
	var buf bytes.Buffer
	if err := dir.WriteYAML(&buf); err != nil {
		return err
	}
	if *out == "" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	of, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return badInput("write directory: %v", err)
	}
	if _, err := of.Write(buf.Bytes()); err != nil {
		of.Close()
		return fmt.Errorf("write directory %s: %w", *out, err)
	}
	if err := of.Close(); err != nil {
		return fmt.Errorf("write directory %s: %w", *out, err)
	}
	fmt.Fprintf(e.stderr, "wrote %d accounts to %s\n", len(dir.Accounts), *out)
	return nil
}
