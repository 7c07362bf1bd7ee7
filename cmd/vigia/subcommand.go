package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// subcommand is one row of a command's table of subcommands ("vigia
// archive copy"): its name, the one line "vigia archive -h" shows for it,
// and what runs it with the arguments that follow its name.
type subcommand struct {
	name, synopsis string
	run            func(ctx context.Context, e *env, args []string) error
}

// dispatch runs the subcommand of "vigia NAME" that args name. With -h,
// --help or help, or with no subcommand (then bad input), it lists them
// on stdout with their synopses, then about; "help SUB" is "SUB -h".
func dispatch(ctx context.Context, e *env, name, about string, subs []subcommand, args []string) error {
	p := e.printer()
	if len(args) == 0 {
		printSubcommands(p, e.stdout, name, about, subs)
		return badInput("missing subcommand: expected %s", subcommandNames(subs))
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "-h", "--help", "help":
		if sub == "help" && len(rest) > 0 {
			sub, rest = rest[0], []string{"-h"}
			break
		}
		printSubcommands(p, e.stdout, name, about, subs)
		return nil
	}
	var names []string
	for _, s := range subs {
		names = append(names, s.name)
		if s.name != sub {
			continue
		}
		if err := s.run(ctx, e, rest); err != nil {
			return &subcommandError{name: name + " " + sub, err: err}
		}
		return nil
	}
	return badInput("unknown subcommand %q%s; expected %s", sub, didYouMean(sub, names), subcommandNames(subs))
}

// subcommandError is what a subcommand returned, with its name on the
// command line ("archive copy"), which run writes before the message.
type subcommandError struct {
	name string
	err  error
}

func (e *subcommandError) Error() string { return e.err.Error() }
func (e *subcommandError) Unwrap() error { return e.err }

// printSubcommands is the help of a command made of subcommands.
func printSubcommands(p printer, w io.Writer, name, about string, subs []subcommand) {
	p.Fprintf(w, "Usage: vigia %s SUBCOMMAND [flags]\n\nSubcommands:\n", name)
	width := 0
	for _, s := range subs {
		width = max(width, len(s.name))
	}
	for _, s := range subs {
		lines := wrap(p.text(s.synopsis), 76-width)
		for i, l := range lines {
			if i == 0 {
				fmt.Fprintf(w, "  %-*s  %s\n", width, s.name, l)
			} else {
				fmt.Fprintf(w, "  %-*s  %s\n", width, "", l)
			}
		}
	}
	if about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(p.text(about)))
	}
	p.Fprintf(w, "\nRun \"vigia %s SUBCOMMAND -h\" for a subcommand's flags.\n", name)
}

// subcommandNames is "a, b or c".
func subcommandNames(subs []subcommand) orList {
	var names []string
	for _, s := range subs {
		names = append(names, s.name)
	}
	return orList(names)
}
