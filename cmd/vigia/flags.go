package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/internal/suggest"
)

// newFlagSet returns the flag set of "vigia NAME": it reports errors
// instead of exiting, and its help (-h, --help) is the usage line, the
// description and the flags, written with two dashes, on stdout.
func newFlagSet(e *env, name, usageLine, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags reports errors; fs.Usage prints help
	fs.Usage = func() { printHelp(e.printer(), e.stdout, fs, usageLine, description) }
	return fs
}

// parseFlags parses args, turning flag errors into bad input that names
// the flag as it was typed. On -h or --help, or "help" alone, it prints
// fs.Usage and returns flag.ErrHelp. Flags may come before or after the positional arguments
// ("import FILE --subject S"); after "--" everything is positional.
// fs.Args() returns the positionals.
func parseFlags(fs *flag.FlagSet, args []string) error {
	help := fs.Usage
	fs.Usage = func() {} // the flag package calls it on every error, not only -h
	defer func() { fs.Usage = help }()
	if len(args) == 1 && args[0] == "help" {
		help()
		return flag.ErrHelp
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				help()
				return err
			}
			return flagError(fs, err, args[:len(args)-len(fs.Args())])
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Parse once more with no flags, so that fs.Args() holds the positionals.
	return fs.Parse(append([]string{"--"}, positional...))
}

// flagError rewrites an error of fs.Parse in the words of vigia's help:
// the flag as typed (--bogus, not -bogus), its value, and what to do.
// consumed are the arguments the flag package read, the faulty flag among
// the last two.
func flagError(fs *flag.FlagSet, err error, consumed []string) error {
	msg := err.Error()
	typed, name := "", ""
	for i := len(consumed) - 1; i >= 0 && i >= len(consumed)-2; i-- {
		t, _, _ := strings.Cut(consumed[i], "=")
		n := strings.TrimLeft(t, "-")
		if n != "" && n != t && (strings.HasSuffix(msg, " -"+n) || strings.Contains(msg, " -"+n+": ")) {
			typed, name = t, n
			break
		}
	}
	switch {
	case name == "":
	case strings.HasPrefix(msg, "flag provided but not defined"):
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		return badInput("unknown flag %s%s; run \"vigia %s -h\" for the flags", typed, flagHint{suggest.Closest(name, names)}, fs.Name())
	case strings.HasPrefix(msg, "flag needs an argument"):
		return badInput("%s needs a value", typed)
	case strings.HasPrefix(msg, "invalid "):
		// invalid [boolean] value "x" for [flag] -name: reason
		_, quoted, _ := strings.Cut(msg, "value ")
		value, qerr := strconv.QuotedPrefix(quoted)
		_, reason, found := strings.Cut(quoted[len(value):], ": ")
		if qerr == nil && found {
			var why any = reason
			if c, ok := fs.Lookup(name).Value.(*choice); ok {
				why = c.refusal()
			} else if kind, _ := flag.UnquoteUsage(fs.Lookup(name)); reason == "parse error" && expects(kind) != "" {
				why = errorf("expected %s", expects(kind))
			}
			return badInput("%s %s: %s", typed, value, why)
		}
	}
	return &badInputError{err}
}

// expects says what a flag of a kind of value (flag.UnquoteUsage) expects,
// for the message of a value the flag package cannot parse; "" for others.
func expects(kind string) msgText {
	switch kind {
	case "int":
		return msgText("a whole number")
	case "uint":
		return msgText("a whole number, 0 or more")
	case "float":
		return msgText("a number")
	case "duration":
		return msgText("a duration such as 90s, 15m or 168h")
	case "":
		return msgText("true or false")
	}
	return ""
}

// flagHint is the end of the message about a misspelt flag: the flag
// meant, written with two dashes, or nothing.
type flagHint struct{ best string }

func (h flagHint) String() string { return h.localize(printer{language.English}) }

func (h flagHint) localize(p printer) string {
	if h.best == "" {
		return ""
	}
	return p.Sprintf(" (did you mean --%s?)", h.best)
}

// printHelp writes the help of a command: its usage line, its description
// and its flags as printFlags writes them.
func printHelp(p printer, w io.Writer, fs *flag.FlagSet, usageLine, description string) {
	p.Fprintf(w, "Usage: vigia %s\n\n%s\n", p.text(usageLine), p.text(description))
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		p.Fprintf(w, "\nFlags:\n")
		printFlags(p, w, fs)
	}
}

// printFlags writes the flags of fs as the usage line and the docs write
// them, in the order of flag.PrintDefaults: "--name VALUE", then the help
// text and the default, wrapped. VALUE is the back-quoted word of the help
// text (flag.UnquoteUsage), or the kind of value in capitals.
func printFlags(p printer, w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		translated := *f
		translated.Usage = p.flagUsage(f.Usage)
		value, usage := flag.UnquoteUsage(&translated)
		line := "  --" + f.Name
		if value != "" {
			line += " " + p.valueName(strings.ToUpper(value))
		}
		if !isZeroDefault(f) && !strings.Contains(f.Usage, "(default") {
			usage += p.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintln(w, line)
		for _, l := range wrap(usage, 72) {
			fmt.Fprintf(w, "      %s\n", l)
		}
	})
}

// flagUsage is a flag's usage in p's language; the shared flags' usages
// are a fixed beginning and the command's words.
func (p printer) flagUsage(usage string) string {
	if tr := p.text(usage); tr != usage {
		return tr
	}
	for _, prefix := range []string{formatUsage, timeZoneUsage, networkUsage, roleUsage, crawlEveryUsage} {
		if rest, ok := strings.CutPrefix(usage, prefix); ok {
			if tr := p.text(rest); tr != rest {
				return p.text(prefix) + tr
			}
			return p.text(prefix) + strings.ReplaceAll(rest, " or ", p.text(" or ")) // a list of codes
		}
	}
	return p.text(usage)
}

// valueName is the name of a flag's value in p's language: the
// back-quoted word of its usage as written, or the kind of value.
func (p printer) valueName(name string) string {
	switch name {
	case "INT", "UINT":
		return p.text("INT")
	case "DURATION":
		return p.text("DURATION")
	case "STRING":
		return p.text("STRING")
	case "FLOAT":
		return p.text("FLOAT")
	case "VALUE":
		return p.text("VALUE")
	}
	return name
}

// isZeroDefault tells whether a flag's default is its type's zero value,
// which the help leaves unsaid.
func isZeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "0s", "[]":
		return true
	}
	return false
}

// wrap breaks text into lines of at most width runes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// The flags several commands share, each defined once.

// archiveFlag declares --archive, the archive a command reads or writes;
// archiveSpec resolves it.
func archiveFlag(fs *flag.FlagSet) *string {
	return fs.String("archive", "", "the archive `A`: .duckdb file or clickhouse://host:port/db URL (default ./vigia.duckdb, or VIGIA_ARCHIVE)")
}

// formatFlag declares --format, one of formats, the first by default;
// another value is bad input when the flags are parsed. usage says what
// each format is; "" lists them.
func formatFlag(fs *flag.FlagSet, usage string, formats ...string) *string {
	c := &choice{value: formats[0], choices: formats}
	fs.Var(c, "format", formatUsage+usage)
	return &c.value
}

// The beginnings of the usages of --format, --timezone, --network,
// --role and serve's crawl flags, which the command or the code
// completes. (TestCatalog reads the constants named *Usage as messages.)
const (
	formatUsage     = "`FORMAT` of the output: "
	timeZoneUsage   = "`ZONE` (IANA name) "
	networkUsage    = "only this network `N`: "
	roleUsage       = "`ROLE` of the user: "
	crawlEveryUsage = "with --crawl-every: "
)

// choice is a flag's value that must be one of choices.
type choice struct {
	value   string
	choices []string
}

func (c *choice) String() string { return c.value }

func (c *choice) Set(s string) error {
	if !slices.Contains(c.choices, s) {
		return c.refusal()
	}
	c.value = s
	return nil
}

// refusal is the error of a value that is none of the choices.
func (c *choice) refusal() error { return errorf("expected %s", orList(c.choices)) }

// orList is "a, b or c" ("a, b o c" in Spanish).
type orList []string

func (l orList) String() string { return l.localize(printer{language.English}) }

func (l orList) localize(p printer) string {
	if len(l) == 1 {
		return l[0]
	}
	return strings.Join(l[:len(l)-1], ", ") + p.text(" or ") + l[len(l)-1]
}

// msgText is a message without arguments given as an argument of
// another, written in the user's language.
type msgText string

func (m msgText) String() string { return string(m) }

func (m msgText) localize(p printer) string { return p.text(string(m)) }

// timeZoneFlag declares --timezone, the directory's default; usage says
// what is read or written in it. timeZone loads the value.
func timeZoneFlag(fs *flag.FlagSet, usage string) *string {
	return fs.String("timezone", directory.DefaultTimezone, timeZoneUsage+usage)
}

// timeZone loads a --timezone value.
func timeZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, badInput("--timezone %q: unknown time zone", name)
	}
	return loc, nil
}

// policyFlag declares --policy; loadPolicy reads the file.
func policyFlag(fs *flag.FlagSet) *string {
	return fs.String("policy", "", "`FILE` of the policy: its clauses, account rules and publication threshold (default: the embedded policy of 2019, threshold 0.75)")
}
