package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vigia-mx/vigia/auth"
)

type usersCommand struct{}

func (*usersCommand) synopsis() string {
	return "add users of the web application and API, list them, issue API tokens"
}

// usersFile is where an archive's users are kept: VIGIA_USERS, or beside
// the archive, NAME-users.json.
func usersFile(e *env, spec string) string {
	if path := e.getenv("VIGIA_USERS"); path != "" {
		return path
	}
	return besideArchive(spec, "users.json")
}

func (*usersCommand) run(ctx context.Context, e *env, args []string) error {
	p := e.printer()
	return dispatch(ctx, e, "users", p.Sprintf(`Roles:
%s
Users live in NAME-users.json beside the archive (VIGIA_USERS to
choose another file), passwords hashed with argon2id, tokens as SHA-256.`, rolesHelp(p)), []subcommand{
		{"add", "add a user NAME with a --role; the password is read from stdin (its first line)", usersAdd},
		{"token", "print a new API token for NAME", usersToken},
		{"list", "users, roles and tokens", usersList},
		{"disable", "no more logins, sessions or tokens for NAME", usersDisable},
	}, args)
}

// openUsers parses the flags and arguments of "vigia users SUB" and opens
// the users file; names is how many user names the subcommand takes.
func openUsers(fs *flag.FlagSet, e *env, args []string, names int) (*auth.Users, string, error) {
	arcFlag := archiveFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return nil, "", err
	}
	if fs.NArg() != names || (names == 1 && fs.Arg(0) == "") {
		if names == 0 {
			return nil, "", badInput("unexpected argument %q", fs.Arg(0))
		}
		return nil, "", badInput("expected one user NAME")
	}
	path := usersFile(e, archiveSpec(e, *arcFlag))
	users, err := auth.OpenUsers(path)
	return users, path, err
}

const usersFileHelp = `The users are those of the archive: NAME-users.json beside it, or
VIGIA_USERS.`

func usersAdd(_ context.Context, e *env, args []string) error {
	roles := strings.Join(auth.RoleNames(), ", ")
	p := e.printer()
	fs := newFlagSet(e, "users add", p.Sprintf("users add NAME --role %s [--archive A] < password", strings.Join(auth.RoleNames(), "|")),
		p.Sprintf("Adds a user of the web application and API. The password is the first line\nof stdin.\n\nRoles:\n%s\n%s", rolesHelp(p), p.text(usersFileHelp)))
	role := fs.String("role", "", roleUsage+roles)
	users, path, err := openUsers(fs, e, args, 1)
	if err != nil {
		return err
	}
	name := fs.Arg(0)
	r, err := auth.ParseRole(*role)
	if err != nil {
		return badInput("--role %q: expected %s", *role, roles)
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	if err := users.Add(name, r, password); err != nil {
		return badInput("users add %s: %v", name, err)
	}
	e.printer().Fprintf(e.stderr, "user %s added with role %s (in %s)\n", name, r, path)
	return nil
}

func usersToken(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "users token", "users token NAME [--archive A]",
		"Prints a new API token for NAME (Authorization: Bearer TOKEN). Only its\nSHA-256 is kept.\n\n"+usersFileHelp)
	users, _, err := openUsers(fs, e, args, 1)
	if err != nil {
		return err
	}
	tok, err := users.NewToken(fs.Arg(0))
	if err != nil {
		return badInput("users token %s: %v", fs.Arg(0), err)
	}
	fmt.Fprintln(e.stdout, tok)
	return nil
}

func usersDisable(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "users disable", "users disable NAME [--archive A]",
		"Disables NAME: no more logins, sessions or tokens.\n\n"+usersFileHelp)
	users, _, err := openUsers(fs, e, args, 1)
	if err != nil {
		return err
	}
	if err := users.Disable(fs.Arg(0)); err != nil {
		return badInput("users disable %s: %v", fs.Arg(0), err)
	}
	return nil
}

func usersList(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "users list", "users list [--archive A]",
		"Lists the users, their roles, whether they are active and how many API\ntokens each holds.\n\n"+usersFileHelp)
	users, _, err := openUsers(fs, e, args, 0)
	if err != nil {
		return err
	}
	list, err := users.List()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	p := e.printer()
	p.Fprintf(tw, "USER\tROLE\tSTATE\tTOKENS\n")
	for _, u := range list {
		state := p.text("active")
		if u.Disabled {
			state = p.text("disabled")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", u.Name, u.Role, state, len(u.Tokens))
	}
	return tw.Flush()
}

// readPassword reads the first line of r.
func readPassword(r io.Reader) ([]byte, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return nil, errorf("read the password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return nil, badInput("no password on stdin (e.g. printf '%%s\\n' \"$PASSWORD\" | vigia users add ...)")
	}
	return []byte(line), nil
}

// rolesHelp lists the roles of auth.Roles and what each may do.
func rolesHelp(p printer) string {
	var b strings.Builder
	for _, row := range auth.Roles {
		for i, line := range wrap(row.Role.Describe(p.spanish()), 66) {
			name := ""
			if i == 0 {
				name = string(row.Role)
			}
			fmt.Fprintf(&b, "  %-10s %s\n", name, line)
		}
	}
	return b.String()
}
