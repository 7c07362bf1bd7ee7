package directory

import (
	"fmt"
	"strings"
)

// NoteKind is what an import did to read a file or a cell.
type NoteKind int

const (
	// ReadAs: the cell written Written was read as Read (an account's
	// handle from its address, an id, a network's name).
	ReadAs NoteKind = iota
	// ReadDayMonthYear: a date written dd/mm/aaaa, read day first.
	ReadDayMonthYear
	// ReadDateOnly: a date written with a time of day; the time is not kept.
	ReadDateOnly
	// ReadWindows1252: the file is not UTF-8 and was read as Windows-1252.
	ReadWindows1252
	// ReadUTF16: the file was read as UTF-16 (Excel's "Texto Unicode").
	ReadUTF16
	// SkippedRows: N rows above the header row (a title) were not read.
	SkippedRows
	// OtherSheets: the workbook's first sheet, Read, was read; its N
	// other sheets were not.
	OtherSheets
)

// Note is one thing an import read another way than written, for the
// office to check.
type Note struct {
	File  string
	Line  int    // the CSV line or sheet row; 0 for the whole file
	Cell  string // in an .xlsx sheet, e.g. "Hoja1!C5"
	Field string // the column's header as written in the file
	Kind  NoteKind
	// Written is the cell as written; Read, what it was read as.
	Written, Read string
	N             int
}

// String says the note in English, as the CLI prints it.
func (n Note) String() string {
	var b strings.Builder
	b.WriteString(n.File)
	switch {
	case n.Cell != "":
		fmt.Fprintf(&b, ", %s", n.Cell)
	case n.Line > 0:
		fmt.Fprintf(&b, ":%d", n.Line)
	}
	b.WriteString(": ")
	if n.Field != "" {
		b.WriteString(n.Field + ": ")
	}
	switch n.Kind {
	case ReadAs:
		fmt.Fprintf(&b, "%q: read as %q", n.Written, n.Read)
	case ReadDayMonthYear:
		fmt.Fprintf(&b, "%q: read as %q (day/month/year)", n.Written, n.Read)
	case ReadDateOnly:
		fmt.Fprintf(&b, "%q: read as %q (the time of day is not kept)", n.Written, n.Read)
	case ReadWindows1252:
		b.WriteString(`the file is not UTF-8: read as Windows-1252 (Latin-1), as Excel saves "CSV (delimitado por comas)"; check the accents`)
	case ReadUTF16:
		b.WriteString(`read as UTF-16 (Excel's "Texto Unicode")`)
	case SkippedRows:
		fmt.Fprintf(&b, "the %d row(s) above the header row were skipped", n.N)
	case OtherSheets:
		fmt.Fprintf(&b, "read the first sheet, %q; the workbook's other %d sheet(s) were not read", n.Read, n.N)
	}
	return b.String()
}
