package directory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// MaxSheetBytes bounds a spreadsheet an import reads: a directory is a few
// hundred rows.
const MaxSheetBytes = 32 << 20

// ImportCSV reads the transparency office's spreadsheet saved as CSV: one
// account per row, a header row naming the columns in Spanish or English
// (cuenta or id, red or network, usuario or handle, tipo, área, nombre,
// cargo, nivel, desde, hasta, …: ColumnsHelp), separated by semicolons,
// commas or tabs, in UTF-8 (with or without BOM), UTF-16 (Excel's "Texto
// Unicode") or, when it is not valid UTF-8, Windows-1252 (Excel's "CSV
// (delimitado por comas)" in Spanish). Accounts, dates and yes/no are read
// as offices write them; Directory.Notes lists what was read another way
// than written. The result passes the same checks as a YAML directory;
// problems name the CSV line.
func ImportCSV(name string, r io.Reader, subject string, nets Networks) (*Directory, error) {
	t, err := readCSV(name, r)
	if err != nil {
		return nil, err
	}
	return importTable(t, subject, nets)
}

func readCSV(name string, r io.Reader) (*table, error) {
	ps := &problems{file: name}
	data, err := io.ReadAll(io.LimitReader(r, MaxSheetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxSheetBytes {
		ps.add(0, "", "", "larger than %d MiB: a directory is one row per account", MaxSheetBytes>>20)
		return nil, ps.err()
	}
	t := &table{file: name}
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		data, err = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			ps.add(0, "", "", "the file begins as UTF-16 but is not: %v", err)
			return nil, ps.err()
		}
		t.notes = append(t.notes, Note{File: name, Kind: ReadUTF16})
	case !utf8.Valid(data):
		data, _ = charmap.Windows1252.NewDecoder().Bytes(data)
		t.notes = append(t.notes, Note{File: name, Kind: ReadWindows1252})
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				ps.add(pe.Line, "", "", "%v", pe.Err)
				return nil, ps.err()
			}
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		t.rows = append(t.rows, tableRow{line: line, cells: rec})
	}
	return t, nil
}

// separator is the character that separates most cells in the first line
// that is not blank: ';' (Excel in Spanish), ',' or a tab.
func separator(data []byte) rune {
	first := data
	for len(first) > 0 {
		var line []byte
		line, first, _ = bytes.Cut(first, []byte("\n"))
		if len(bytes.TrimSpace(line)) > 0 {
			first = line
			break
		}
	}
	best, n := ',', bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(first, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}
