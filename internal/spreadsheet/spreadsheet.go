// Package spreadsheet writes CSV that a spreadsheet opens as data: a cell
// that Excel, LibreOffice or Google Sheets would read as a formula (it
// begins with '=', '+', '-', '@', a tab or a carriage return) is written
// with a leading apostrophe, so that a post's text such as
// =HYPERLINK("http://…") is shown, never run, on the officer's machine.
package spreadsheet

import (
	"encoding/csv"
	"io"
	"strings"
)

// formulaStart holds the first characters that make a spreadsheet read a
// cell as a formula (OWASP, "CSV Injection").
const formulaStart = "=+-@\t\r"

// Cell returns s as it is written: with a leading apostrophe when it
// begins like a formula.
func Cell(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer whose every cell goes through Cell.
type Writer struct {
	w   *csv.Writer
	row []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: csv.NewWriter(w)}
}

// Write writes one row.
func (w *Writer) Write(row []string) error {
	w.row = w.row[:0]
	for _, s := range row {
		w.row = append(w.row, Cell(s))
	}
	return w.w.Write(w.row)
}

// Flush writes what is buffered; Error tells whether it, or a Write, failed.
func (w *Writer) Flush() { w.w.Flush() }

// Error returns the error of a Write or Flush before, if any.
func (w *Writer) Error() error { return w.w.Error() }
