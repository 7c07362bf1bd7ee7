package classifier

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// LabelSet is a file of labelled posts as read: the examples, and how many
// rows were left out as undecidable.
type LabelSet struct {
	Examples []Example
	Skipped  int // rows labelled X (undecidable) or left blank
}

// ReadLabels reads labelled posts from a TSV or CSV file, or from every
// .tsv and .csv file of a folder, in name order. The first row names the
// columns; "label" and "text" are needed (others are ignored). Labels are F
// or function, P or personal; X, undetermined or blank rows are skipped. A
// TSV is read line by line (its texts are not quoted); a CSV follows RFC
// 4180. An "author" column, when present, groups the posts by who wrote
// them (validation holds out whole authors); without one, the file is the
// group. An "office" column says the office held when the post was written
// ("none": no office).
func ReadLabels(path string) (*LabelSet, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	files := []string{path}
	if st.IsDir() {
		files = nil
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, fmt.Errorf("read labels: %w", err)
		}
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".tsv" || ext == ".csv") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("read labels: no .tsv or .csv file in %s", path)
		}
	}
	set := &LabelSet{}
	for _, f := range files {
		if err := set.readFile(f); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func (s *LabelSet) readFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read labels: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(4096)
	first, _, _ := strings.Cut(strings.TrimPrefix(string(head), "\ufeff"), "\n")
	var next func() ([]string, int, error)
	if strings.Contains(first, "\t") {
		sc := bufio.NewScanner(br)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		line := 0
		next = func() ([]string, int, error) {
			for sc.Scan() {
				line++
				if t := strings.TrimRight(sc.Text(), "\r"); t != "" {
					return strings.Split(strings.TrimPrefix(t, "\ufeff"), "\t"), line, nil
				}
			}
			if err := sc.Err(); err != nil {
				return nil, line, err
			}
			return nil, line, io.EOF
		}
	} else {
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = -1
		next = func() ([]string, int, error) {
			rec, err := cr.Read()
			line, _ := cr.FieldPos(0)
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			}
			return rec, line, err
		}
	}
	header, _, err := next()
	if err == io.EOF {
		return fmt.Errorf("read labels %s: the file is empty", path)
	}
	if err != nil {
		return fmt.Errorf("read labels %s: %w", path, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	li, ti := slices.Index(header, "label"), slices.Index(header, "text")
	ai, oi := slices.Index(header, "author"), slices.Index(header, "office")
	if li < 0 || ti < 0 {
		return fmt.Errorf("read labels %s:1: the header needs columns \"label\" and \"text\" (found %s)", path, strings.Join(header, ", "))
	}
	for {
		rec, line, err := next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read labels %s: %w", path, err)
		}
		if li >= len(rec) || ti >= len(rec) {
			return fmt.Errorf("read labels %s:%d: %d columns, expected at least %d", path, line, len(rec), max(li, ti)+1)
		}
		label, ok := parseLabel(rec[li])
		switch {
		case !ok:
			return fmt.Errorf("read labels %s:%d: label %q: expected F, P or X (function, personal, undetermined)", path, line, rec[li])
		case label == Undetermined:
			s.Skipped++
		default:
			x := Example{Text: rec[ti], Label: label, Source: filepath.Base(path), Author: filepath.Base(path)}
			if ai >= 0 && ai < len(rec) && strings.TrimSpace(rec[ai]) != "" {
				x.Author = strings.TrimSpace(rec[ai])
			}
			if oi >= 0 && oi < len(rec) {
				x.Office = strings.TrimSpace(rec[oi])
			}
			s.Examples = append(s.Examples, x)
		}
	}
}

func parseLabel(s string) (Label, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "f", "function", "funcion", "función":
		return Function, true
	case "p", "personal":
		return Personal, true
	case "x", "undetermined", "indeterminada", "":
		return Undetermined, true
	}
	return "", false
}
