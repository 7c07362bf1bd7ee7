package directory

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every problem the package reports has its words in Spanish: each
// format a check passes to add or addAt is in spanishFormats, with as
// many verbs.
func TestEveryProblemInSpanish(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch f := call.Fun.(type) {
			case *ast.SelectorExpr:
				fn = f.Sel.Name
			case *ast.Ident:
				fn = f.Name
			}
			// the format's place: add(line, field, value, format),
			// addAt(line, cell, field, value, format), and a sheet's
			// bad(key, value, format)
			i, ok := map[string]int{"add": 3, "addAt": 4, "bad": 2}[fn]
			if !ok || len(call.Args) <= i {
				return true
			}
			if id, ok := call.Args[i].(*ast.Ident); ok && id.Name == "format" {
				return true // a function passing its own format on
			}
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: a problem's format is not a literal", fset.Position(call.Pos()))
				return true
			}
			format, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			seen++
			if format == "%s" || format == "%v" {
				return true // a message made elsewhere: spanishTexts
			}
			es, ok := spanishFormats[format]
			switch {
			case !ok:
				t.Errorf("%s: %q has no Spanish in spanishFormats", fset.Position(call.Pos()), format)
			case strings.Count(es, "%") != strings.Count(format, "%"):
				t.Errorf("%q and %q do not have the same verbs", format, es)
			}
			return true
		})
	}
	if seen < 50 {
		t.Errorf("only %d problems found in the sources", seen)
	}
}

func TestSpanishMessage(t *testing.T) {
	for _, tc := range []struct {
		format string
		args   []any
		want   string
	}{
		{"breaks policy Quinta: only the head (level 0) and up to %d levels below may register personal accounts", []any{4},
			"contraviene la política Quinta: solo el titular (nivel 0) y hasta 4 niveles debajo pueden registrar cuentas personales"},
		{"unknown network%s; supported: %s", []any{` (did you mean "mastodon"?)`, "mastodon, bluesky"},
			`red desconocida (¿quiso decir "mastodon"?); se admiten: mastodon, bluesky`},
		{"%s", []any{`not a telegram handle; write it "canal"`}, `no es un usuario de Telegram; escríbalo "canal"`},
		{"%s", []any{"something no catalogue knows"}, ""},
	} {
		if got := spanishMessage(tc.format, tc.args...); got != tc.want {
			t.Errorf("spanishMessage(%q) = %q, want %q", tc.format, got, tc.want)
		}
	}
}
