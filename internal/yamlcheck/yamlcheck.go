// Package yamlcheck reports what is wrong in a YAML file an office writes
// (a business-day calendar, a campaign calendar): every problem at once,
// each with its file, line, key and value, sorted by line.
package yamlcheck

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong in a file.
type Problem struct {
	Line    int    // 1-based line in the file; 0 when it concerns the whole file
	Key     string // the key's path, e.g. "procesos[1].campanas[0].periodo"; empty for the whole file
	Value   string // the value as written, if any
	Message string
}

func (p Problem) format(file string) string {
	var b strings.Builder
	b.WriteString(file)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	if p.Value != "" {
		fmt.Fprintf(&b, "%q: ", p.Value)
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem found in a file.
type ValidationError struct {
	What     string // what the file is, e.g. "calendar"
	File     string
	Problems []Problem // sorted by line
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.What + " " + e.Problems[0].format(e.File)
	}
	lines := []string{fmt.Sprintf("%s %s: %d problems", e.What, e.File, len(e.Problems))}
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.format(e.File))
	}
	return strings.Join(lines, "\n")
}

// Problems collects the problems of a file of kind What while it is read.
type Problems struct {
	What string
	list []Problem
}

// Add records a problem at line of key, with the value as written.
func (ps *Problems) Add(line int, key, value, format string, args ...any) {
	ps.list = append(ps.list, Problem{Line: line, Key: key, Value: value, Message: fmt.Sprintf(format, args...)})
}

// Len is how many problems are recorded.
func (ps *Problems) Len() int { return len(ps.list) }

// Err returns the collected problems of file sorted by line, as a
// *ValidationError, or nil when there are none.
func (ps *Problems) Err(file string) error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b Problem) int { return a.Line - b.Line })
	return &ValidationError{What: ps.What, File: file, Problems: ps.list}
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// SyntaxError splits a YAML syntax error into its line (0 if it names none)
// and the message without the line.
func SyntaxError(err error) (line int, msg string) {
	msg = err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	line, _ = strconv.Atoi(m[1])
	return line, msg[len(m[0]):]
}
