package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// TestLangFromLocale reads the locale as POSIX does: LC_ALL, then
// LC_MESSAGES, then LANG, the first set deciding.
func TestLangFromLocale(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want language.Tag
	}{
		{nil, language.English},
		{map[string]string{"LANG": "es_MX.UTF-8"}, language.Spanish},
		{map[string]string{"LANG": "es"}, language.Spanish},
		{map[string]string{"LANG": "es-MX"}, language.Spanish},
		{map[string]string{"LANG": "es_ES@euro"}, language.Spanish},
		{map[string]string{"LANG": "C"}, language.English},
		{map[string]string{"LANG": "POSIX"}, language.English},
		{map[string]string{"LANG": "C.UTF-8"}, language.English},
		{map[string]string{"LANG": "en_US.UTF-8"}, language.English},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, language.English},
		{map[string]string{"LANG": "estonian"}, language.English},
		{map[string]string{"LANG": "es_MX.UTF-8", "LC_MESSAGES": "C"}, language.English},
		{map[string]string{"LANG": "C", "LC_MESSAGES": "es_MX.UTF-8"}, language.Spanish},
		{map[string]string{"LANG": "C", "LC_MESSAGES": "C", "LC_ALL": "es_MX.UTF-8"}, language.Spanish},
		{map[string]string{"LANG": "es_MX.UTF-8", "LC_ALL": "C"}, language.English},
		{map[string]string{"LANG": "es_MX.UTF-8", "LC_ALL": ""}, language.Spanish},
	} {
		if got := localeLanguage(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("locale %v: %v, want %v", c.env, got, c.want)
		}
	}
}

// TestCatalog checks the catalogue against the code: every message the
// code writes through it has its Spanish, with the same verbs and
// back-quoted flag values as the English; no Spanish is left that no code
// uses; the counted messages have both their forms in both languages.
func TestCatalog(t *testing.T) {
	used := catalogueMessages(t)
	if len(used) < 100 {
		t.Fatalf("found only %d messages in the code; is the scan broken?", len(used))
	}
	spanish := map[string]string{}
	for _, m := range spanishMessages() {
		for en, es := range m {
			if prev, dup := spanish[en]; dup && prev != es {
				t.Errorf("%q has two Spanish texts: %q and %q", en, prev, es)
			}
			spanish[en] = es
		}
	}
	for _, key := range slices.Sorted(maps.Keys(used)) {
		if !regexp.MustCompile(`\pL`).MatchString(regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z]`).ReplaceAllString(key, "")) {
			continue // no words: "%s: %v"
		}
		_, plain := spanish[key]
		_, counted := pluralES[key]
		switch {
		case !plain && !counted:
			t.Errorf("%s: no Spanish for %q", used[key], key)
		case counted && pluralEN[key] == nil:
			t.Errorf("%s: %q has Spanish forms but no English ones", used[key], key)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(spanish)) {
		if _, ok := used[key]; !ok {
			t.Errorf("Spanish for %q, which no code writes", key)
		}
		if got, want := verbs(spanish[key]), verbs(key); !slices.Equal(got, want) {
			t.Errorf("%q: the Spanish %q has the verbs %v, the English %v", key, spanish[key], got, want)
		}
		if strings.Count(spanish[key], "`") != strings.Count(key, "`") {
			t.Errorf("%q: the Spanish %q does not name the flag's value in back quotes as the English does", key, spanish[key])
		}
	}
	for key := range pluralES {
		if _, ok := used[key]; !ok {
			t.Errorf("Spanish forms for %q, which no code writes", key)
		}
	}
	for key := range pluralEN {
		if pluralES[key] == nil {
			t.Errorf("English forms for %q, without Spanish ones", key)
		}
	}
	// Each counted message in both languages, with 1 and with 3.
	for _, key := range slices.Sorted(maps.Keys(pluralES)) {
		n := strings.Count(key, "%") - 2*strings.Count(key, "%%")
		for _, lang := range []language.Tag{language.English, language.Spanish} {
			for _, count := range []int{1, 3} {
				args := make([]any, n)
				for i := range args {
					args[i] = count
				}
				if got := (printer{lang}).Sprintf(key, args...); strings.Contains(got, "%!") {
					t.Errorf("%v %q with %d: %q", lang, key, count, got)
				}
			}
		}
	}
}

// TestCatalogPlurals: one publicación, three publicaciones.
func TestCatalogPlurals(t *testing.T) {
	es, en := printer{language.Spanish}, printer{language.English}
	for _, c := range []struct{ got, want string }{
		{es.Sprintf("%d posts", 1), "1 publicación"},
		{es.Sprintf("%d posts", 3), "3 publicaciones"},
		{en.Sprintf("%d posts", 1), "1 post"},
		{en.Sprintf("%d posts", 3), "3 posts"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}

// verbs are the formatting verbs of a message, sorted (a translation may
// reorder the words, not the arguments, so the order must match).
func verbs(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z%]`).FindAllString(s, -1) {
		if m != "%%" {
			out = append(out, m)
		}
	}
	return out
}

// catalogueMessages are the messages cmd/vigia writes through the
// catalogue, each with where it is written: the constant text given to a
// printer (Sprintf, Fprintf, text), errorf, badInput, msgText, msgCount, newFlagSet
// (usage line and description), dispatch (about), formatFlag and
// timeZoneFlag, a flag's usage, a subcommand's or command's synopsis. A
// text that is not a constant is an error, unless it forwards a parameter
// of the function it is in, is a translated text already, or is in one of
// the translators.
func catalogueMessages(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, file)
	}
	// The string constants of the package and its functions, by name.
	consts := map[string]string{}
	for range 3 { // constants made of constants declared later
		for _, file := range parsed {
			ast.Inspect(file, func(n ast.Node) bool {
				if d, ok := n.(*ast.GenDecl); ok && d.Tok == token.CONST {
					for _, spec := range d.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, name := range vs.Names {
							if i < len(vs.Values) {
								if v, ok := constString(vs.Values[i], consts); ok {
									consts[name.Name] = v
								}
							}
						}
					}
				}
				return true
			})
		}
	}
	used := map[string]string{}
	for name, v := range consts {
		if strings.HasSuffix(name, "Usage") {
			used[v] = name // the beginning of shared flags' usages
		}
	}
	for _, file := range parsed {
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			params := map[string]bool{}
			ast.Inspect(fn, func(n ast.Node) bool {
				var ft *ast.FuncType
				switch n := n.(type) {
				case *ast.FuncDecl:
					ft = n.Type
				case *ast.FuncLit:
					ft = n.Type
				}
				if ft != nil && ft.Params != nil {
					for _, f := range ft.Params.List {
						for _, name := range f.Names {
							params[name.Name] = true
						}
					}
				}
				return true
			})
			message := func(e ast.Expr) {
				at := fset.Position(e.Pos()).String()
				if v, ok := constString(e, consts); ok {
					if v != "" {
						used[v] = at
					}
					return
				}
				if call, ok := e.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Sprintf" || sel.Sel.Name == "text") {
						return // written in the user's language already
					}
				}
				if be, ok := e.(*ast.BinaryExpr); ok {
					if id, ok := be.X.(*ast.Ident); ok && strings.HasSuffix(id.Name, "Usage") {
						return // a shared flag's usage completed with codes
					}
				}
				if translators[fn.Name.Name] {
					return // the messages it writes are collected where they are written
				}
				forwards := false
				ast.Inspect(e, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok && params[id.Name] {
						forwards = true
					}
					return true
				})
				if !forwards {
					t.Errorf("%s: a message that is not a constant text, which the catalogue cannot hold", at)
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					for _, i := range messageArgs(n) {
						if i < len(n.Args) {
							message(n.Args[i])
						}
					}
				case *ast.CompositeLit:
					if id, ok := n.Type.(*ast.Ident); ok && id.Name == "msgCount" && len(n.Elts) > 0 {
						message(n.Elts[0])
					}
					if isSubcommandList(n.Type) {
						for _, elt := range n.Elts {
							if row, ok := elt.(*ast.CompositeLit); ok && len(row.Elts) > 1 {
								message(row.Elts[1])
							}
						}
					}
				case *ast.ReturnStmt:
					if fn.Name.Name == "synopsis" {
						for _, r := range n.Results {
							message(r)
						}
					}
				}
				return true
			})
		}
	}
	return used
}

// translators are the functions that write, through p.text, messages
// written elsewhere: the synopses, the flags' usages, lists.
var translators = map[string]bool{"usage": true, "printSubcommands": true, "flagUsage": true, "localize": true, "printHelp": true}

// messageArgs are the indexes of the arguments of call that are messages
// of the catalogue.
func messageArgs(call *ast.CallExpr) []int {
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		switch fun.Name {
		case "errorf", "badInput", "msgText":
			return []int{0}
		case "newFlagSet":
			return []int{2, 3}
		case "formatFlag", "timeZoneFlag":
			return []int{1}
		case "dispatch":
			return []int{3}
		}
	case *ast.SelectorExpr:
		if x, ok := fun.X.(*ast.Ident); ok && x.Name == "fmt" {
			return nil
		}
		n := len(call.Args)
		switch fun.Sel.Name {
		case "Sprintf", "text":
			return []int{0}
		case "Fprintf":
			return []int{1}
		case "String", "Bool", "Int", "Int64", "Uint", "Uint64", "Float64", "Duration", "Var":
			if n == 3 {
				return []int{2}
			}
		case "StringVar", "BoolVar", "IntVar", "Int64Var", "UintVar", "Uint64Var", "Float64Var", "DurationVar", "TextVar":
			if n == 4 {
				return []int{3}
			}
		case "Func", "BoolFunc":
			if n == 3 {
				return []int{1}
			}
		}
	}
	return nil
}

// isSubcommandList tells whether a composite literal's type is
// []subcommand.
func isSubcommandList(typ ast.Expr) bool {
	at, ok := typ.(*ast.ArrayType)
	if !ok {
		return false
	}
	id, ok := at.Elt.(*ast.Ident)
	return ok && id.Name == "subcommand"
}

// constString is the value of a constant string expression: literals,
// constants and their concatenations.
func constString(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return constString(e.X, consts)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X, consts)
		b, ok2 := constString(e.Y, consts)
		return a + b, ok1 && ok2
	}
	return "", false
}
