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

	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/internal/suggest"
)

// newFlagSet returns the flag set of "vigia NAME": it reports errors
// instead of exiting, and its help (-h, --help) is the usage line, the
// description and the flags, written with two dashes, on stdout.
func newFlagSet(e *env, name, usageLine, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags reports errors; fs.Usage prints help
	fs.Usage = func() { printHelp(e.stdout, fs, usageLine, description) }
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
		hint := strings.ReplaceAll(suggest.DidYouMean(name, names), `"`, "")
		hint = strings.Replace(hint, "mean ", "mean --", 1)
		return badInput("unknown flag %s%s; run \"vigia %s -h\" for the flags", typed, hint, fs.Name())
	case strings.HasPrefix(msg, "flag needs an argument"):
		return badInput("%s needs a value", typed)
	case strings.HasPrefix(msg, "invalid "):
		// invalid [boolean] value "x" for [flag] -name: reason
		_, quoted, _ := strings.Cut(msg, "value ")
		value, qerr := strconv.QuotedPrefix(quoted)
		_, reason, found := strings.Cut(quoted[len(value):], ": ")
		if qerr == nil && found {
			if kind, _ := flag.UnquoteUsage(fs.Lookup(name)); reason == "parse error" && expects(kind) != "" {
				reason = "expected " + expects(kind)
			}
			return badInput("%s %s: %s", typed, value, reason)
		}
	}
	return &badInputError{err}
}

// expects says what a flag of a kind of value (flag.UnquoteUsage) expects,
// for the message of a value the flag package cannot parse; "" for others.
func expects(kind string) string {
	switch kind {
	case "int":
		return "a whole number"
	case "uint":
		return "a whole number, 0 or more"
	case "float":
		return "a number"
	case "duration":
		return "a duration such as 90s, 15m or 168h"
	case "":
		return "true or false"
	}
	return ""
}

// printHelp writes the help of a command: its usage line, its description
// and its flags as printFlags writes them.
func printHelp(w io.Writer, fs *flag.FlagSet, usageLine, description string) {
	fmt.Fprintf(w, "Usage: vigia %s\n\n%s\n", usageLine, description)
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		printFlags(w, fs)
	}
}

// printFlags writes the flags of fs as the usage line and the docs write
// them, in the order of flag.PrintDefaults: "--name VALUE", then the help
// text and the default, wrapped. VALUE is the back-quoted word of the help
// text (flag.UnquoteUsage), or the kind of value in capitals.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if value != "" {
			line += " " + strings.ToUpper(value)
		}
		if !isZeroDefault(f) && !strings.Contains(usage, "(default") {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintln(w, line)
		for _, l := range wrap(usage, 72) {
			fmt.Fprintf(w, "      %s\n", l)
		}
	})
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
	if usage == "" {
		usage = c.list()
	}
	fs.Var(c, "format", "`FORMAT` of the output: "+usage)
	return &c.value
}

// choice is a flag's value that must be one of choices.
type choice struct {
	value   string
	choices []string
}

func (c *choice) String() string { return c.value }

func (c *choice) Set(s string) error {
	if !slices.Contains(c.choices, s) {
		return fmt.Errorf("expected %s", c.list())
	}
	c.value = s
	return nil
}

// list is "a, b or c".
func (c *choice) list() string {
	if len(c.choices) == 1 {
		return c.choices[0]
	}
	return strings.Join(c.choices[:len(c.choices)-1], ", ") + " or " + c.choices[len(c.choices)-1]
}

// timeZoneFlag declares --timezone, the directory's default; usage says
// what is read or written in it. timeZone loads the value.
func timeZoneFlag(fs *flag.FlagSet, usage string) *string {
	return fs.String("timezone", directory.DefaultTimezone, "`ZONE` (IANA name) "+usage)
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
