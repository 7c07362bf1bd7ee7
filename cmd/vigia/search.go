package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/spreadsheet"
)

type searchCommand struct{}

func (*searchCommand) synopsis() string { return "search the archive (latest version of each post)" }

func (*searchCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "search", "search [--archive A] [filters] [--format table|jsonl|csv]",
		`Searches the archive and prints the latest version of each matching post,
newest first, with the decision that stands for it (label, confidence, legal
basis, rationale), its number of versions and when it was deleted at its
source, if it was. Dates are YYYY-MM-DD (read in --timezone) or RFC 3339;
--to includes its whole day. Times are printed in RFC 3339, UTC. Results
that include personal or undetermined posts are printed only once the audit
log (see "vigia audit verify") records who read them.`)
	arcFlag := archiveFlag(fs)
	filters := addFilterFlags(fs, true)
	format := formatFlag(fs, "table, jsonl (one JSON object per line) or csv (a cell that would run as a spreadsheet formula starts with ')", "table", "jsonl", "csv")
	limit := fs.Int("limit", -1, "at most this many posts (default: 50 for table, all for jsonl and csv)")
	offset := fs.Int("offset", 0, "skip this many posts first")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q (use --text to search text)", fs.Arg(0))
	}
	q, loc, err := filters.query()
	if err != nil {
		return err
	}
	q.Offset = *offset
	var write func(io.Writer, *archive.Result) error
	switch *format {
	case "table":
		write = func(w io.Writer, r *archive.Result) error { return writeTable(e.printer(), w, r, q.Offset, loc) }
		if *limit < 0 {
			*limit = 50
		}
	case "jsonl":
		write = writeJSONL
	case "csv":
		write = writeCSV
	}
	if *limit > 0 {
		q.Limit = *limit
	}
	if *offset < 0 {
		return badInput("--offset %d: must be 0 or more", *offset)
	}
	spec := archiveSpec(e, *arcFlag)
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := store.Search(ctx, q)
	if err != nil {
		return err
	}
	if err := auditPersonal(e, spec, "vigia search", q, res.Hits); err != nil {
		return err
	}
	w := e.stdout
	if *format == "table" {
		w = terminalSafe(w)
	}
	return write(w, res)
}

// filterFlags are the search filters of search and export.
type filterFlags struct {
	account, network, label, from, to, text, area, servant, basis, timezone *string
	edited, deleted                                                         *bool
}

// addFilterFlags defines the search filters on fs; label only when withLabel.
func addFilterFlags(fs *flag.FlagSet, withLabel bool) *filterFlags {
	f := &filterFlags{
		account:  fs.String("account", "", "only this directory account `ID`"),
		network:  fs.String("network", "", networkUsage+networkList().String()),
		from:     fs.String("from", "", "published on or after this `DATE`"),
		to:       fs.String("to", "", "published on or before this `DATE`"),
		text:     fs.String("text", "", "text contains `Q` (ignoring case and accents)"),
		area:     fs.String("area", "", "only accounts of this area of the directory"),
		servant:  fs.String("servant", "", "only accounts of servants whose name contains this"),
		basis:    fs.String("basis", "", "only posts whose standing decision has this legal basis (e.g. Sexta)"),
		edited:   fs.Bool("edited", false, "only posts edited at their source"),
		deleted:  fs.Bool("deleted", false, "only posts deleted at their source"),
		timezone: timeZoneFlag(fs, "of date-only --from/--to values and of the dates shown"),
	}
	empty := ""
	f.label = &empty
	if withLabel {
		f.label = fs.String("label", "", "only this label `L`: function, personal or undetermined")
	}
	return f
}

// query is the archive query the flags ask for, and their time zone.
func (f *filterFlags) query() (archive.Query, *time.Location, error) {
	loc, err := timeZone(*f.timezone)
	if err != nil {
		return archive.Query{}, nil, err
	}
	q := archive.Query{Account: *f.account, Network: archive.Network(*f.network), Label: archive.Label(*f.label), Text: *f.text,
		Area: *f.area, Servant: *f.servant, Basis: *f.basis, Edited: *f.edited, Deleted: *f.deleted}
	if q.Network != "" && !q.Network.Valid() {
		return q, nil, badInput("--network %q: expected %s", *f.network, networkList())
	}
	switch q.Label {
	case "", archive.Function, archive.Personal, archive.Undetermined:
	default:
		return q, nil, badInput("--label %q: expected function, personal or undetermined", *f.label)
	}
	if q.From, err = parseDateFlag("--from", *f.from, loc, false); err != nil {
		return q, nil, err
	}
	if q.To, err = parseDateFlag("--to", *f.to, loc, true); err != nil {
		return q, nil, err
	}
	return q, loc, nil
}

// parseDateFlag reads YYYY-MM-DD in loc (the end of the day when end is set)
// or an RFC 3339 time.
func parseDateFlag(name, v string, loc *time.Location, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, badInput("%s %q: expected a date YYYY-MM-DD or an RFC 3339 time", name, v)
}

func writeJSONL(w io.Writer, r *archive.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range r.Hits {
		if err := enc.Encode(archive.NewHitJSON(&r.Hits[i])); err != nil {
			return errorf("write jsonl: %w", err)
		}
	}
	return nil
}

// writeCSV writes a header and a row per post, the columns of
// archive.SearchColumns; a cell a spreadsheet would run as a formula starts
// with "'" (see internal/spreadsheet).
func writeCSV(w io.Writer, r *archive.Result) error {
	cw := spreadsheet.NewWriter(w)
	cols := archive.SearchColumns()
	row := make([]string, len(cols))
	for i, f := range cols {
		row[i] = f.Name
	}
	if err := cw.Write(row); err != nil {
		return errorf("write csv: %w", err)
	}
	for i := range r.Hits {
		for j, f := range cols {
			row[j] = f.Cell(&r.Hits[i])
		}
		if err := cw.Write(row); err != nil {
			return errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeTable(p printer, w io.Writer, r *archive.Result, offset int, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p.Fprintf(tw, "PUBLISHED\tNETWORK\tACCOUNT\tLABEL\tBASIS\tV\tTEXT\n")
	for _, h := range r.Hits {
		text := rowText(&h.Post)
		if !h.DeletedAtSource.IsZero() {
			text = p.text("[deleted at source] ") + text
		}
		published := ""
		if !h.PublishedAt.IsZero() {
			published = h.PublishedAt.In(loc).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", published, h.Network, h.AccountID, p.label(h.Decision.Label),
			h.Decision.Basis, h.Versions, oneLine(text, 70))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	p.Fprintf(w, "\n%d of %s", len(r.Hits), p.Sprintf("%d posts", r.Total))
	if offset > 0 || len(r.Hits) < r.Total {
		p.Fprintf(w, " (from %d; use --limit and --offset to page, --format jsonl for everything)", offset+1)
	}
	fmt.Fprintln(w)
	return nil
}

// oneLine flattens s and cuts it to n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
