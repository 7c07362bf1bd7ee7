package directory

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong in a directory file.
type Problem struct {
	File string
	Line int
	// Cell is where in an .xlsx workbook, e.g. "Hoja1!C5" or "Hoja1 row 5";
	// "" for a YAML or CSV file, whose Line says where.
	Cell    string
	Field   string // path of the field, e.g. "accounts[2].servant.level"
	Value   string // the value as written; empty when the field is missing
	Message string
	// Spanish is Message in Spanish (problem_es.go), for the web
	// application; "" where the catalogue has no words for it.
	Spanish string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	switch {
	case p.Cell != "":
		fmt.Fprintf(&b, ", %s", p.Cell)
	case p.Line > 0:
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	if p.Value != "" {
		fmt.Fprintf(&b, "%q: ", p.Value)
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError holds every problem found in a directory.
type ValidationError struct {
	File     string
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	lines = append(lines, fmt.Sprintf("directory %s: %d problem(s)", e.File, len(e.Problems)))
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// Spanish is Error in Spanish, for a person working under a Spanish
// locale: each problem's Spanish words where the catalogue has them
// (problem_es.go), its English message otherwise.
func (e *ValidationError) Spanish() string {
	n := "1 problema"
	if len(e.Problems) != 1 {
		n = fmt.Sprintf("%d problemas", len(e.Problems))
	}
	lines := make([]string, 0, len(e.Problems)+1)
	lines = append(lines, fmt.Sprintf("directorio %s: %s", e.File, n))
	for _, p := range e.Problems {
		if p.Spanish != "" {
			p.Message = p.Spanish
		}
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// problems collects Problems while a file is read and checked.
type problems struct {
	file string
	list []Problem
}

func (ps *problems) add(line int, field, value, format string, args ...any) {
	ps.list = append(ps.list, Problem{
		File: ps.file, Line: line, Field: field, Value: value,
		Message: fmt.Sprintf(format, args...), Spanish: spanishMessage(format, args...),
	})
}

// addAt adds a problem at a spreadsheet's cell.
func (ps *problems) addAt(line int, cell, field, value, format string, args ...any) {
	ps.add(line, field, value, format, args...)
	ps.list[len(ps.list)-1].Cell = cell
}

// err returns the collected problems, sorted by line, or nil when there are none.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sort.SliceStable(ps.list, func(i, j int) bool { return ps.list[i].Line < ps.list[j].Line })
	return &ValidationError{File: ps.file, Problems: ps.list}
}
