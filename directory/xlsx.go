package directory

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ImportXLSX reads the office's spreadsheet as an Excel workbook (.xlsx):
// its first sheet, laid out as ImportCSV reads a CSV file. Dates may be
// date cells or text; problems and notes name the cell (Hoja1!C5).
func ImportXLSX(name string, r io.Reader, subject string, nets Networks) (*Directory, error) {
	t, err := readXLSX(name, r)
	if err != nil {
		return nil, err
	}
	return importTable(t, subject, nets)
}

// ImportSpreadsheet reads an .xlsx workbook or a CSV file, told apart by
// their first bytes, not by the name.
func ImportSpreadsheet(name string, data []byte, subject string, nets Networks) (*Directory, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return ImportXLSX(name, bytes.NewReader(data), subject, nets)
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		ps := &problems{file: name}
		ps.add(0, "", "", "an Excel 97-2003 workbook (.xls): save it as \"Libro de Excel (.xlsx)\" or \"CSV UTF-8\" and import that")
		return nil, ps.err()
	}
	return ImportCSV(name, bytes.NewReader(data), subject, nets)
}

// IsSpreadsheetName reports whether a file's name is that of a spreadsheet
// ImportSpreadsheet reads rather than of a YAML directory.
func IsSpreadsheetName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".tsv", ".xlsx", ".xls":
		return true
	}
	return false
}

func readXLSX(name string, r io.Reader) (*table, error) {
	ps := &problems{file: name}
	f, err := excelize.OpenReader(io.LimitReader(r, MaxSheetBytes+1), excelize.Options{
		UnzipSizeLimit:    4 * MaxSheetBytes,
		UnzipXMLSizeLimit: MaxSheetBytes,
	})
	if err != nil {
		ps.add(0, "", "", "not a workbook Excel can open (.xlsx): %v", err)
		return nil, ps.err()
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		ps.add(0, "", "", "the workbook has no sheet")
		return nil, ps.err()
	}
	sheet := sheets[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		ps.add(0, "", "", "read sheet %q: %v", sheet, err)
		return nil, ps.err()
	}
	t := &table{file: name, sheet: sheet, serialDates: true}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	for i, cells := range rows {
		t.rows = append(t.rows, tableRow{line: i + 1, cells: cells})
	}
	if len(sheets) > 1 {
		t.notes = append(t.notes, Note{File: name, Kind: OtherSheets, Read: sheet, N: len(sheets) - 1})
	}
	return t, nil
}
