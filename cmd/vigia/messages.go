package main

// The CLI's words in two languages. vigia speaks Spanish when the locale
// is Spanish (LANG=es_MX.UTF-8, as offices set it) and English otherwise:
// help, errors and summaries come from one message catalogue
// (golang.org/x/text/message/catalog).
//
// A message's key is its English text, exactly as the code writes it:
// the code reads as what the user sees, English needs no second copy, and
// a message without a translation still prints in English. (Stable keys
// would survive a reworded English text, but they hide the words from the
// code's reader, and TestCatalog catches the reworded text anyway.) The
// Spanish lives in the messages_es_*.go files, one per area (main: vigia
// help, the flags and errors every command shares; crawl; archive;
// classifier), as a map from the English to the Spanish; messages that
// show a count have their one and other forms in both languages
// (messages_plural.go). TestCatalog fails
// on any message the code uses with no Spanish, and on Spanish that no
// code uses any more (an English text changed without its translation).
//
// To add a message: write it in English through a printer (p.Sprintf,
// p.Fprintf, p.text), errorf or badInput, or as a flag's usage, a
// command's synopsis or a newFlagSet description, then add its Spanish to
// the file of its area. Formatting is fmt's, in both languages: numbers
// print as the code formats them.

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/internal/spanish"
	"github.com/vigia-mx/vigia/internal/suggest"
)

// localeLanguage is the language of the CLI's messages: Spanish when the
// locale that decides messages names Spanish, English otherwise. As POSIX
// reads them, the first of LC_ALL, LC_MESSAGES and LANG that is set
// decides: "es", "es_MX.UTF-8", "es-MX" are Spanish; "C", "POSIX" and any
// other language are English.
func localeLanguage(getenv func(string) string) language.Tag {
	if getenv == nil {
		return language.English
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		lang, _, _ := strings.Cut(strings.ToLower(v), ".")
		lang, _, _ = strings.Cut(lang, "@")
		lang, _, _ = strings.Cut(strings.ReplaceAll(lang, "-", "_"), "_")
		if lang == "es" {
			return language.Spanish
		}
		return language.English
	}
	return language.English
}

// printer writes the CLI's messages in one language.
type printer struct{ lang language.Tag }

// printer is the printer of the user's language.
func (e *env) printer() printer { return printer{localeLanguage(e.getenv)} }

// spanish tells whether p writes Spanish.
func (p printer) spanish() bool { return p.lang == language.Spanish }

// Sprintf formats the message key in p's language with args, as
// fmt.Sprintf does.
// Errors and hints among args are written in p's language too.
func (p printer) Sprintf(key string, args ...any) string {
	args = p.localize(args)
	format, _ := p.lookup(key, args)
	return fmt.Sprintf(format, args...)
}

// localize returns args with the errors and localizers among them
// written in p's language.
func (p printer) localize(args []any) []any {
	out := slices.Clone(args)
	for i, a := range out {
		switch a := a.(type) {
		case localizer:
			out[i] = a.localize(p)
		case error:
			out[i] = p.errorText(a)
		}
	}
	return out
}

// localizer is an argument of a message that has words of its own.
type localizer interface {
	localize(p printer) string
}

// hint is the end of a message about a misspelt name: the name meant, or
// nothing. It prints ` (did you mean "x"?)` in English.
type hint struct{ best string }

// didYouMean is the hint for s among choices (suggest.Closest).
func didYouMean(s string, choices []string) hint {
	return hint{suggest.Closest(s, choices)}
}

func (h hint) String() string { return h.localize(printer{language.English}) }

func (h hint) localize(p printer) string {
	if h.best == "" {
		return ""
	}
	return p.Sprintf(" (did you mean %q?)", h.best)
}

// Fprintf writes the message key in p's language to w.
func (p printer) Fprintf(w io.Writer, key string, args ...any) {
	fmt.Fprint(w, p.Sprintf(key, args...))
}

// text is a message without arguments (a flag's usage, a description),
// which may hold a per cent sign.
func (p printer) text(key string) string {
	s, _ := p.lookup(key, nil)
	return s
}

// lookup returns the message key in p's language, its plural form chosen
// by args; key itself when the catalogue has no such message.
func (p printer) lookup(key string, args []any) (string, bool) {
	r := &renderer{args: args}
	if err := messageCatalogue().Context(p.lang, r).Execute(key); err != nil {
		return key, false
	}
	return r.b.String(), true
}

// renderer collects the text of a message as the catalogue selects it;
// fmt formats it afterwards. (It implements catmsg.Renderer.)
type renderer struct {
	b    strings.Builder
	args []any
}

func (r *renderer) Render(s string) { r.b.WriteString(s) }

func (r *renderer) Arg(i int) any {
	if i < 1 || i > len(r.args) {
		return nil
	}
	return r.args[i-1]
}

// messageCatalogue holds every message's Spanish and the plural forms of
// both languages.
var messageCatalogue = sync.OnceValue(func() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, m := range spanishMessages() {
		for en, es := range m {
			must(b.SetString(language.Spanish, en, es))
		}
	}
	for key, m := range pluralEN {
		must(b.Set(language.English, key, m))
	}
	for key, m := range pluralES {
		must(b.Set(language.Spanish, key, m))
	}
	return b
})

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// spanishMessages are the maps of the Spanish files, one per area.
func spanishMessages() []map[string]string {
	return []map[string]string{esMain, esCrawl, esArchive, esClassifier}
}

// plurals is a message whose count, its argument n (1-based), picks the
// form: one, or other.
func plurals(n int, one, other string) catalog.Message {
	return plural.Selectf(n, "%d", plural.One, one, plural.Other, other)
}

// msgCount is a counted message given as an argument of another
// (an error's, whose words are chosen when it is written).
type msgCount struct {
	key string
	n   int
}

func (m msgCount) String() string { return m.localize(printer{language.English}) }

func (m msgCount) localize(p printer) string { return p.Sprintf(m.key, m.n) }

// The archive's codes as people read them: in Spanish the words the web
// application and the packages use (internal/spanish), in English the
// code itself.

func (p printer) label(l archive.Label) string {
	if p.spanish() {
		return spanish.Label(l)
	}
	return string(l)
}

func (p printer) event(k archive.EventKind) string {
	if p.spanish() {
		return spanish.Event(k)
	}
	return string(k)
}

func (p printer) accountType(t string) string {
	if p.spanish() {
		return spanish.AccountType(t)
	}
	return t
}

// decider is who decided a classification (Decision.DecidedBy).
func (p printer) decider(by string) string {
	if p.spanish() {
		return spanish.Decider(by)
	}
	return by
}

// crawlStatus is how an account's last crawl ended (AccountHealth.Status).
func (p printer) crawlStatus(s string) string {
	switch {
	case s == "never crawled":
		return p.text("never crawled")
	case p.spanish():
		return spanish.CrawlStatus(archive.CrawlStatus(s))
	}
	return s
}

// msgError is an error whose text is a message of the catalogue: Error()
// is its English, and errorText writes it in the user's language.
type msgError struct {
	format string
	args   []any
	err    error // fmt.Errorf(format, args...): the English and what it wraps
}

func (m *msgError) Error() string { return m.err.Error() }
func (m *msgError) Unwrap() error { return m.err }

// errorf is fmt.Errorf for the messages of the catalogue.
func errorf(format string, args ...any) error {
	return &msgError{format: format, args: args, err: fmt.Errorf(format, args...)}
}

// errorText is err's message in p's language: the words of vigia's own
// errors translated, those of other packages as they are.
func (p printer) errorText(err error) string {
	switch x := err.(type) {
	case *badInputError:
		return p.errorText(x.err)
	case *subcommandError:
		return p.errorText(x.err)
	case *directory.ValidationError:
		if p.spanish() {
			return x.Spanish()
		}
	case *msgError:
		args := p.localize(x.args)
		format, _ := p.lookup(x.format, args)
		return fmt.Sprintf(strings.ReplaceAll(format, "%w", "%v"), args...)
	}
	return err.Error()
}
