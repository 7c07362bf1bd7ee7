package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestHelpOfEveryCommand asks every command and subcommand for its help,
// as -h, --help, help after it and vigia help before it: it is printed on stdout, exits 0, writes flags
// with two dashes, and describes --archive as either engine.
func TestHelpOfEveryCommand(t *testing.T) {
	noArchive := map[string]bool{"version": true, "classifier train": true, "classifier eval": true, "classifier curve": true,
		"directory validate": true, "archive copy": true, "directory import": true, "verify-package": true, "verificar-paquete": true}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	for len(names) > 0 {
		name := names[0]
		names = names[1:]
		t.Run(name, func(t *testing.T) {
			args := strings.Fields(name)
			out, errs, code := vigia(t, "", slices.Concat(args, []string{"-h"})...)
			if code != 0 || errs != "" || !strings.HasPrefix(out, "Usage: vigia "+name) {
				t.Fatalf("vigia %s -h: exit %d, stderr %q, stdout:\n%s", name, code, errs, out)
			}
			for _, variant := range [][]string{slices.Concat(args, []string{"--help"}), slices.Concat(args, []string{"help"}), slices.Concat([]string{"help"}, args)} {
				if o, _, c := vigia(t, "", variant...); c != 0 || o != out {
					t.Errorf("vigia %s: exit %d and a help other than -h's:\n%s", strings.Join(variant, " "), c, o)
				}
			}
			if subs := subcommandsIn(out); len(subs) > 0 {
				for _, s := range subs {
					names = append(names, name+" "+s)
				}
				return
			}
			if m := regexp.MustCompile(`(?m)^\s+-[^-\s]`).FindString(out); m != "" {
				t.Errorf("a flag written with one dash (%q):\n%s", m, out)
			}
			if noArchive[name] {
				return
			}
			_, flags, _ := strings.Cut(out, "\nFlags:\n")
			if !strings.Contains(flags, "  --archive A\n") || !strings.Contains(flags, "clickhouse://host:port/db") {
				t.Errorf("no --archive A that names a clickhouse:// URL among the flags:\n%s", out)
			}
		})
	}
}

// subcommandsIn reads the names of the Subcommands: section of a help.
func subcommandsIn(help string) []string {
	_, list, ok := strings.Cut(help, "\nSubcommands:\n")
	if !ok {
		return nil
	}
	var names []string
	for _, line := range strings.Split(list, "\n") {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		if f := strings.Fields(line); !strings.HasPrefix(line, "   ") && len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}

func TestArchiveHelpListsItsSubcommands(t *testing.T) {
	out, _, code := vigia(t, "", "archive", "-h")
	subs := subcommandsIn(out)
	for _, want := range []string{"flush", "copy"} {
		if !strings.Contains(strings.Join(subs, " "), want) {
			t.Errorf("vigia archive -h lists %v, not %s:\n%s", subs, want, out)
		}
	}
	if code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestBadUsageNamesWhatWasTyped(t *testing.T) {
	dirFile, arc := filepath.Join(t.TempDir(), "directory.yaml"), filepath.Join(t.TempDir(), "a.duckdb")
	os.WriteFile(dirFile, []byte("subject: S\naccounts:\n  - id: a\n    network: rss\n    handle: https://example.org/feed.xml\n    type: official\n    area: A\n"), 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"search", "--bogus"}, `unknown flag --bogus; run "vigia search -h"`},
		{[]string{"search", "-bogus"}, "unknown flag -bogus;"},
		{[]string{"search", "--txt", "x"}, "unknown flag --txt (did you mean --text?)"},
		{[]string{"search", "--limit", "x"}, `--limit "x": expected a whole number`},
		{[]string{"search", "--archive"}, "--archive needs a value"},
		{[]string{"search", "--edited=maybe"}, `--edited "maybe": expected true or false`},
		{[]string{"review", "list", "--format", "csv"}, `--format "csv": expected table or jsonl`},
		{[]string{"archive", "copy", "--bogus"}, `vigia archive copy: unknown flag --bogus; run "vigia archive copy -h"`},
		{[]string{"serach"}, `unknown command "serach" (did you mean "search"?)`},
		{[]string{"archive"}, "missing subcommand: expected flush, copy or wacz"},
		{[]string{"archive", "cpy"}, `unknown subcommand "cpy" (did you mean "copy"?); expected flush, copy or wacz`},
		{[]string{"users", "list", "--role", "admin"}, "unknown flag --role"},
		{[]string{"crawl", "--directory", dirFile, "--archive", arc, "--media-max-bytes", "0"}, "--media-max-bytes 0: write -1 to keep no media"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errs, code := vigia(t, "", tt.args...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tt.want)
			}
		})
	}
	if _, err := os.Stat(arc); err == nil {
		t.Error("a crawl with bad flags created the archive")
	}
}
