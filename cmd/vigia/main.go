// Command vigia keeps public servants' social-media posts as public records:
// it crawls the accounts of a body's directory, tells function-related posts
// (public information) from personal ones, and archives every version as
// evidence. Run "vigia help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"
	_ "time/tzdata" // office dates are read in Mexico's time zones on any machine
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func (e *env) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// command is one subcommand; each lives in a file of its own.
type command interface {
	// synopsis is the one-line description shown by "vigia help".
	synopsis() string
	// run parses the subcommand's arguments and does its work.
	run(ctx context.Context, e *env, args []string) error
}

// commands is the table of contents of vigia.
func commands() []struct {
	name string
	cmd  command
} {
	return []struct {
		name string
		cmd  command
	}{
		{"demo", &demoCommand{}},
		{"crawl", &crawlCommand{}},
		{"import", &importCommand{}},
		{"search", &searchCommand{}},
		{"show", &showCommand{}},
		{"accounts", &accountsCommand{}},
		{"verify", &verifyCommand{}},
		{"classify", &classifyCommand{}},
		{"classifier", &classifierCommand{}},
		{"review", &reviewCommand{}},
		{"export", &exportCommand{}},
		{"verify-package", &verifyPackageCommand{}},
		{"verificar-paquete", &verifyPackageCommand{spanish: true}},
		{"serve", &serveCommand{}},
		{"users", &usersCommand{}},
		{"audit", &auditCommand{}},
		{"archive", &archiveCommand{}},
		{"directory", &directoryCommand{}},
		{"version", &versionCommand{}},
	}
}

// run executes one command line and returns the process exit code: 0 on
// success, 1 when the work failed, 2 for bad input (flags, files, URLs).
func run(ctx context.Context, args []string, e *env) int {
	if len(args) > 1 && args[0] == "help" { // vigia help COMMAND [SUBCOMMAND]
		args = append(slices.Clone(args[1:]), "-h")
	}
	p := e.printer()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(p, e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.cmd.run(ctx, e, args[1:])
		name := c.name
		if se := (*subcommandError)(nil); errors.As(err, &se) {
			name = se.name
		}
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(*badInputError)):
			fmt.Fprintf(e.stderr, "vigia %s: %s\n", name, p.errorText(err))
			return 2
		default:
			fmt.Fprintf(e.stderr, "vigia %s: %s\n", name, p.errorText(err))
			return 1
		}
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	p.Fprintf(e.stderr, "vigia: unknown command %q%s; run \"vigia help\"\n", args[0], didYouMean(args[0], names))
	return 2
}

func usage(p printer, w io.Writer) {
	fmt.Fprint(w, p.text(`vigia keeps public servants' social-media posts as public records.

Usage: vigia COMMAND [flags]

Commands:
`))
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.name))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, p.text(c.cmd.synopsis()))
	}
	fmt.Fprint(w, p.text(`
Run "vigia COMMAND -h" for a command's flags. Start with "vigia demo".
The archive is ./vigia.duckdb unless --archive or VIGIA_ARCHIVE says otherwise.
`))
}

// badInputError marks errors in what the user gave: flags, files, URLs.
// They exit with code 2.
type badInputError struct{ err error }

func (e *badInputError) Error() string { return e.err.Error() }
func (e *badInputError) Unwrap() error { return e.err }

func badInput(format string, args ...any) error {
	return &badInputError{errorf(format, args...)}
}
