package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vigia-mx/vigia/internal/suggest"
	"github.com/vigia-mx/vigia/internal/yamlcheck"
)

// Keys of a calendar file, in the order the package documentation shows them.
const (
	keyDaysAllowed = "dias_habiles"
	keyZone        = "zona_horaria"
	keyNonWorking  = "inhabiles"
	keyWorking     = "habiles"
	keyNoStatutory = "sin_feriados_de_ley"
)

var knownKeys = []string{keyDaysAllowed, keyZone, keyNonWorking, keyWorking, keyNoStatutory}

// Limits that catch typing mistakes rather than legal ones: no access term
// and no declared period lasts more than a year.
const (
	maxDaysAllowed = 366
	maxRangeDays   = 366
)

// Problem is one thing wrong in a calendar file.
type Problem = yamlcheck.Problem

// ValidationError lists every problem found in a calendar file.
type ValidationError = yamlcheck.ValidationError

// problems collects Problems while a file is read.
type problems = yamlcheck.Problems

// Load reads a calendar from the YAML file at path (see the package
// documentation for the format). Missing keys keep their defaults. When the
// file has problems the error is a *ValidationError listing all of them.
func Load(path string) (*Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	return parse(path, data)
}

// parse reads a calendar from data; name is used in messages.
func parse(name string, data []byte) (*Calendar, error) {
	c := Default()
	ps := &problems{What: "calendar"}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return c, nil
		}
		line, msg := yamlcheck.SyntaxError(err)
		ps.Add(line, "", "", "%s", msg)
		return nil, ps.Err(name)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		line := more.Line
		if err != nil {
			line, _ = yamlcheck.SyntaxError(err)
		}
		ps.Add(line, "", "", "a second YAML document (after ---): a calendar is one document")
		return nil, ps.Err(name)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return c, nil
	}
	if root.Kind != yaml.MappingNode {
		ps.Add(root.Line, "", "", "expected keys such as %s", strings.Join(knownKeys, ", "))
		return nil, ps.Err(name)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !slices.Contains(knownKeys, k.Value) {
			ps.Add(k.Line, k.Value, "", "unknown key%s; known keys: %s", suggest.DidYouMean(k.Value, knownKeys), strings.Join(knownKeys, ", "))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			ps.Add(k.Line, k.Value, "", "repeated key (first at line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		if v.Tag == "!!null" {
			continue // written without a value: keep the default
		}
		switch k.Value {
		case keyDaysAllowed:
			c.DaysAllowed = daysAllowed(ps, k.Value, v)
		case keyZone:
			c.Location = zone(ps, k.Value, v)
		case keyNonWorking:
			c.NonWorking = dayList(ps, k.Value, v)
		case keyWorking:
			c.Working = dayList(ps, k.Value, v)
		case keyNoStatutory:
			c.NoStatutory = boolean(ps, k.Value, v)
		}
	}
	if err := ps.Err(name); err != nil {
		return nil, err
	}
	return c, nil
}

func daysAllowed(ps *problems, key string, v *yaml.Node) int {
	s, ok := scalar(ps, key, v)
	if !ok {
		return DefaultDaysAllowed
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxDaysAllowed {
		ps.Add(v.Line, key, s, "expected a whole number of business days between 1 and %d", maxDaysAllowed)
		return DefaultDaysAllowed
	}
	return n
}

func zone(ps *problems, key string, v *yaml.Node) *time.Location {
	s, ok := scalar(ps, key, v)
	if !ok {
		return mexicoCity()
	}
	// LoadLocation reads "" as UTC and "Local" as the machine's zone:
	// neither names where the body counts its days.
	loc, err := time.LoadLocation(s)
	if err != nil || s == "" || s == "Local" {
		ps.Add(v.Line, key, s, "unknown time zone; expected an IANA name such as %s", DefaultZone)
		return mexicoCity()
	}
	return loc
}

func boolean(ps *problems, key string, v *yaml.Node) bool {
	s, ok := scalar(ps, key, v)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "sí", "si":
		return true
	case "false", "no":
		return false
	}
	ps.Add(v.Line, key, s, "expected true or false")
	return false
}

// dayList reads a list of days and inclusive ranges "YYYY-MM-DD..YYYY-MM-DD",
// expanding the ranges.
func dayList(ps *problems, key string, v *yaml.Node) []Day {
	if v.Kind != yaml.SequenceNode {
		ps.Add(v.Line, key, "", "expected a list of days, one per line starting with \"- \"")
		return nil
	}
	var days []Day
	for i, item := range v.Content {
		field := fmt.Sprintf("%s[%d]", key, i)
		s, ok := scalar(ps, field, item)
		if !ok {
			continue
		}
		from, to, isRange := strings.Cut(s, "..")
		first, err1 := ParseDay(strings.TrimSpace(from))
		last := first
		var err2 error
		if isRange {
			last, err2 = ParseDay(strings.TrimSpace(to))
		}
		switch {
		case err1 != nil || err2 != nil:
			ps.Add(item.Line, field, s, "expected a day YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD")
		case last.Compare(first) < 0:
			ps.Add(item.Line, field, s, "the range ends before it begins")
		case last.Compare(first.AddDays(maxRangeDays)) >= 0:
			ps.Add(item.Line, field, s, "the range is longer than a year; check the years")
		default:
			for d := first; d.Compare(last) <= 0; d = d.AddDays(1) {
				days = append(days, d)
			}
		}
	}
	return days
}

// scalar returns v's value, trimmed, or reports that v is a list or mapping.
func scalar(ps *problems, key string, v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode {
		ps.Add(v.Line, key, "", "expected a single value, not a list or mapping")
		return "", false
	}
	return strings.TrimSpace(v.Value), true
}
