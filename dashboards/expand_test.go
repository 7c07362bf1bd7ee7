package dashboards

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// grafanaQuery turns a panel's SQL into what ClickHouse receives from
// Grafana and the ClickHouse data source plugin (grafana-clickhouse-datasource
// 4.x), in the order they apply:
//
//  1. the plugin's frontend: $__conditionalAll(COND, $var) becomes 1=1 when
//     var is on All (or has no value), else COND (applyConditionalAll in
//     src/data/CHDatasource.ts);
//  2. Grafana's template variables: ${var:singlequote} gives 'a','b' (a
//     quote inside escaped \'), ${var:sqlstring} 'a','b' (quotes doubled),
//     ${var:raw} and ${var:csv} a,b; a bare $var or ${var} is formatted as
//     the plugin's format function does: several values (multi or All)
//     'a','b', one value as it is. All with a custom all value gives that
//     value, unformatted;
//  3. the plugin's backend macros (pkg/macros, applied by sqlds, which
//     splits arguments at commas outside parentheses):
//     $__timeFilter(e) → e >= toDateTime(FROM) AND e <= toDateTime(TO),
//     $__fromTime and $__toTime → toDateTime(SECONDS), $__interval_s → the
//     panel's interval in whole seconds, at least 1.
//
// Anything else that starts with $ is an error, so that the test never sends
// ClickHouse what Grafana would not.
type grafanaQuery struct {
	from, to time.Time
	interval time.Duration
	vars     map[string]variableSelection
}

// variableSelection is a template variable's value in a dashboard.
type variableSelection struct {
	values   []string // the values chosen (not All)
	all      bool
	allValue string   // a custom value for All, if any
	options  []string // every value a query or custom variable offers
	multi    bool
}

// chosen returns the values the selection stands for, and whether Grafana
// passes them as a list (a multi-value variable, or All).
func (s variableSelection) chosen() ([]string, bool) {
	if s.all {
		return s.options, true
	}
	return s.values, s.multi
}

// format renders the selection for ${name:fmtName} ("" for a bare $name).
func (s variableSelection) format(fmtName string) (string, error) {
	if s.all && s.allValue != "" {
		return s.allValue, nil
	}
	vals, list := s.chosen()
	quoted := func(q func(string) string) string {
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = q(v)
		}
		return strings.Join(out, ",")
	}
	switch fmtName {
	case "":
		if list {
			return "'" + strings.Join(vals, "','") + "'", nil
		}
		return strings.Join(vals, ""), nil
	case "singlequote":
		return quoted(func(v string) string { return "'" + strings.ReplaceAll(v, "'", `\'`) + "'" }), nil
	case "sqlstring":
		return quoted(func(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }), nil
	case "raw", "csv":
		return strings.Join(vals, ","), nil
	}
	return "", fmt.Errorf("variable format %q is not one this test knows", fmtName)
}

var (
	// Grafana's forms of a variable reference: $name, [[name:fmt]], ${name:fmt}.
	variableRef = regexp.MustCompile(`\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}`)
	macroRef    = regexp.MustCompile(`\$__(\w+)`)
	// The variable a $__conditionalAll depends on: $name or ${name}.
	conditionalVar = regexp.MustCompile(`^\$\{?(\w+)\}?$`)
)

// expand returns the SQL ClickHouse receives for sql.
func (g *grafanaQuery) expand(sql string) (string, error) {
	sql, err := g.conditionalAll(sql)
	if err != nil {
		return "", err
	}
	var failed error
	sql = variableRef.ReplaceAllStringFunc(sql, func(ref string) string {
		m := variableRef.FindStringSubmatch(ref)
		name, fmtName := m[1]+m[2]+m[4], m[3]+m[5]
		if strings.HasPrefix(name, "__") {
			return ref // a macro, for the backend
		}
		sel, ok := g.vars[name]
		if !ok {
			failed = errors.Join(failed, fmt.Errorf("unknown variable %s", ref))
			return ref
		}
		s, err := sel.format(fmtName)
		failed = errors.Join(failed, err)
		return s
	})
	if failed != nil {
		return "", failed
	}
	return g.macros(sql)
}

// conditionalAll applies $__conditionalAll, innermost last as the plugin
// does (it works from the last occurrence backwards).
func (g *grafanaQuery) conditionalAll(sql string) (string, error) {
	const macro = "$__conditionalAll"
	for {
		i := strings.LastIndex(sql, macro+"(")
		if i < 0 {
			return sql, nil
		}
		args, n, err := macroArgs(sql[i+len(macro):])
		if err != nil || len(args) != 2 {
			return "", fmt.Errorf("%s needs two arguments: %q", macro, sql[i:])
		}
		m := conditionalVar.FindStringSubmatch(args[1])
		if m == nil {
			return "", fmt.Errorf("%s: %q is not a variable", macro, args[1])
		}
		sel, ok := g.vars[m[1]]
		if !ok {
			return "", fmt.Errorf("%s: unknown variable %s", macro, args[1])
		}
		phrase := args[0]
		if vals, _ := sel.chosen(); sel.all || len(vals) == 0 {
			phrase = "1=1"
		}
		sql = sql[:i] + phrase + sql[i+len(macro)+n:]
	}
}

// macros applies the plugin's backend macros.
func (g *grafanaQuery) macros(sql string) (string, error) {
	toDateTime := func(t time.Time) string { return fmt.Sprintf("toDateTime(%d)", t.Unix()) }
	var b strings.Builder
	for {
		loc := macroRef.FindStringSubmatchIndex(sql)
		if loc == nil {
			break
		}
		name := sql[loc[2]:loc[3]]
		args, n, err := macroArgs(sql[loc[1]:])
		if err != nil {
			return "", fmt.Errorf("$__%s: %w", name, err)
		}
		var out string
		switch {
		case name == "timeFilter" && len(args) == 1:
			out = fmt.Sprintf("%s >= %s AND %s <= %s", args[0], toDateTime(g.from), args[0], toDateTime(g.to))
		case name == "fromTime" && n == 0:
			out = toDateTime(g.from)
		case name == "toTime" && n == 0:
			out = toDateTime(g.to)
		case name == "interval_s" && n == 0:
			out = fmt.Sprint(int(math.Max(g.interval.Seconds(), 1)))
		default:
			return "", fmt.Errorf("macro $__%s%s: not one this test expands (or wrong arguments)", name, sql[loc[1]:loc[1]+n])
		}
		b.WriteString(sql[:loc[0]])
		b.WriteString(out)
		sql = sql[loc[1]+n:]
	}
	b.WriteString(sql)
	if strings.Contains(b.String(), "$") {
		return "", fmt.Errorf("something is left unexpanded: %s", b.String())
	}
	return b.String(), nil
}

// macroArgs reads the bracketed arguments at the start of s, if any: the
// arguments, trimmed, split at commas outside inner parentheses, and the
// length read (0 when s does not start with a bracket).
func macroArgs(s string) ([]string, int, error) {
	if !strings.HasPrefix(s, "(") {
		return nil, 0, nil
	}
	var args []string
	depth, start := 0, 1
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return append(args, strings.TrimSpace(s[start:i])), i + 1, nil
			}
		case ',':
			if depth == 1 {
				args = append(args, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return nil, 0, errors.New("no closing bracket")
}

// selection is a dashboard variable's value as saved in the dashboard; a
// ClickHouse query variable's options are its query's answer.
func (g *grafanaQuery) selection(ctx context.Context, conn driver.Conn, v dashboardVariable) (variableSelection, error) {
	sel := variableSelection{multi: v.Multi}
	if v.AllValue != nil {
		sel.allValue = *v.AllValue
	}
	var query string
	if err := json.Unmarshal(v.Query, &query); err != nil {
		return sel, fmt.Errorf("query: %w", err)
	}
	switch v.Type {
	case "constant":
		sel.values = []string{query}
		return sel, nil
	case "custom":
		for _, o := range strings.Split(query, ",") {
			sel.options = append(sel.options, strings.TrimSpace(o))
		}
	case "query":
		if v.Datasource == nil || v.Datasource.Type != dashboardDatasources["vigia-clickhouse"] {
			return sel, fmt.Errorf("a query variable of data source %v, not ClickHouse", v.Datasource)
		}
		sql, err := g.expand(query)
		if err != nil {
			return sel, err
		}
		res, err := runQuery(ctx, conn, sql)
		if err != nil {
			return sel, fmt.Errorf("%w\n%s", err, sql)
		}
		if len(res.columns) == 0 || len(res.columns) > 2 || len(res.rows) == 0 {
			return sel, fmt.Errorf("want one or two columns and some rows, got %q and %d rows", res.columns, len(res.rows))
		}
		for _, row := range res.rows {
			sel.options = append(sel.options, fmt.Sprint(row[0]))
		}
	default:
		return sel, fmt.Errorf("variables of type %q are not ones this test expands", v.Type)
	}
	var current any
	if err := json.Unmarshal(v.Current.Value, &current); err != nil {
		return sel, fmt.Errorf("current value: %w", err)
	}
	switch c := current.(type) {
	case string:
		sel.values = []string{c}
	case []any:
		for _, x := range c {
			sel.values = append(sel.values, fmt.Sprint(x))
		}
	}
	if len(sel.values) == 1 && sel.values[0] == "$__all" {
		sel.values, sel.all = nil, true
	}
	if sel.all && !v.IncludeAll {
		return sel, errors.New("All is chosen but not offered")
	}
	return sel, nil
}

// TestDashboardMacroExpansion pins the expansions to what the plugin
// produces.
func TestDashboardMacroExpansion(t *testing.T) {
	g := grafanaQuery{
		from:     time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC),
		to:       time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC),
		interval: 300 * time.Millisecond,
		vars: map[string]variableSelection{
			"area":  {all: true, options: []string{"Tesorería", "Obras"}, multi: true},
			"one":   {values: []string{"L'Área"}, multi: true},
			"zona":  {values: []string{"America/Mexico_City"}},
			"red":   {all: true, allValue: ".*", options: []string{"rss"}},
			"empty": {multi: true},
		},
	}
	for _, c := range []struct{ in, want string }{
		{"$__timeFilter(toDateTime(intDiv(captured_at, 1000000)))",
			"toDateTime(intDiv(captured_at, 1000000)) >= toDateTime(1793512800) AND toDateTime(intDiv(captured_at, 1000000)) <= toDateTime(1793599200)"},
		{"$__fromTime, $__toTime, $__interval_s", "toDateTime(1793512800), toDateTime(1793599200), 1"},
		{"WHERE $__conditionalAll(area IN (${area:singlequote}), $area)", "WHERE 1=1"},
		{"WHERE $__conditionalAll(area IN (${one:singlequote}), $one)", `WHERE area IN ('L\'Área')`},
		{"WHERE $__conditionalAll(area IN ($one), ${one})", `WHERE area IN ('L'Área')`},
		{"WHERE $__conditionalAll(area IN (${empty:singlequote}), $empty)", "WHERE 1=1"},
		{"IN ($area) AND [[area:sqlstring]] AND ${area:csv}", "IN ('Tesorería','Obras') AND 'Tesorería','Obras' AND Tesorería,Obras"},
		{"toStartOfDay(t, '$zona') '${red}'", "toStartOfDay(t, 'America/Mexico_City') '.*'"},
	} {
		got, err := g.expand(c.in)
		if err != nil || got != c.want {
			t.Errorf("expand(%q) = %q, %v\nwant %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"$nadie", "$__timeGroup(t, 1h)", "$__timeFilter(a, b)", "${area:json}", "$__conditionalAll(x)", "$__timeFilter(t"} {
		if got, err := g.expand(bad); err == nil {
			t.Errorf("expand(%q) = %q, want an error", bad, got)
		}
	}
}
