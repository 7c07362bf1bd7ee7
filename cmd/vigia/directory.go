package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vigia-mx/vigia/directory"
)

type directoryCommand struct{}

func (*directoryCommand) synopsis() string {
	return "check a directory of accounts, or import one from the office's spreadsheet (.xlsx or CSV)"
}

func (*directoryCommand) run(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "directory", `The directory is the body's register of accounts (policies Quinta, Séptima and
Décima novena). See docs/directory.md for its fields.`, []subcommand{
		{"validate", "check a directory (YAML) and list every problem with its line", directoryValidate},
		{"import", "turn the office's spreadsheet (.xlsx or CSV, one account per row) into directory YAML", directoryImport},
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
	p := e.printer()
	p.Fprintf(e.stdout, "%s: %s of %q (%d official, %d personal): valid\n",
		dir.File, p.Sprintf("%d accounts", len(dir.Accounts)), dir.Subject, counts[directory.Official], counts[directory.Personal])
	for _, a := range dir.Accounts {
		for _, l := range a.Leaves {
			to := l.To.String()
			if to == "" {
				to = p.text("(open)")
			}
			p.Fprintf(e.stdout, "  %s: leave %s..%s\n", a.ID, l.From, to)
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
			p.Fprintf(e.stdout, "  %s: candidacy in %s (%s%s): campaign %s%s\n", a.ID, c.Process, c.Jurisdiction, office, c.Campaign, veda)
		}
	}
	return nil
}

func directoryImport(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "directory import", "directory import FILE.csv|FILE.xlsx --subject NAME [--out FILE.yaml]",
		e.printer().Sprintf(`Reads the transparency office's spreadsheet: an Excel workbook (.xlsx, its
first sheet) or a CSV file (separated by semicolons, commas or tabs; UTF-8,
or Windows-1252 as Excel saves "CSV (delimitado por comas)", converted).
The header row names the columns in Spanish or English:
%s
Accounts are read as offices write them (@canal, t.me/canal,
https://bsky.app/profile/…, https://instancia/@usuario, a YouTube
channel's @handle or address, a feed's address without https://), dates
as dd/mm/aaaa (never month first), YYYY-MM-DD or Excel date cells, types
as oficial or personal.
Each change made to read a cell is listed on standard error with its line
(or cell). The directory is checked like "directory validate" (problems
name the line, or the sheet's cell) and written as YAML to --out or to
standard output.`, wrapText(directory.ColumnsHelp()+".", 78)))
	subject := fs.String("subject", "", "the obligated body the directory belongs to (required)")
	out := fs.String("out", "", "write the YAML here instead of standard output (refuses to overwrite)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badInput("expected one spreadsheet (.csv or .xlsx), got %d arguments", fs.NArg())
	}
	if *subject == "" {
		return badInput("--subject is required: name the obligated body")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return badInput("open spreadsheet: %v", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, directory.MaxSheetBytes+1))
	f.Close()
	if err != nil {
		return badInput("read spreadsheet: %v", err)
	}
	dir, err := directory.ImportSpreadsheet(fs.Arg(0), data, *subject, networks())
	if err != nil {
		return &badInputError{err}
	}
	if n := len(dir.Notes); n > 0 {
		e.printer().Fprintf(e.stderr, "%s: %s read another way than written:\n", fs.Arg(0), e.printer().Sprintf("%d things", n))
		for _, note := range dir.Notes {
			fmt.Fprintf(e.stderr, "  %s\n", note)
		}
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
		return errorf("write directory %s: %w", *out, err)
	}
	if err := of.Close(); err != nil {
		return errorf("write directory %s: %w", *out, err)
	}
	e.printer().Fprintf(e.stderr, "wrote %s to %s\n", e.printer().Sprintf("%d accounts", len(dir.Accounts)), *out)
	return nil
}

// wrapText breaks s into lines of at most width bytes, between words.
func wrapText(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
