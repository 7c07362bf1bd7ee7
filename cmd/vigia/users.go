package main

import (
	"bufio"
	"context"
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

func (*usersCommand) run(_ context.Context, e *env, args []string) error {
	roles := strings.Join(auth.RoleNames(), "|")
	help := fmt.Sprintf(`Subcommands:
  %-40s password read from stdin (first line)
  token NAME                               print a new API token for NAME
  list                                     users, roles and tokens
  disable NAME                             no more logins, sessions or tokens

Roles:
%s
Users live in NAME-users.json beside the archive (VIGIA_USERS to
choose another file), passwords hashed with argon2id, tokens as SHA-256.`, "add NAME --role "+roles, rolesHelp())
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stdout, "Usage: vigia users add|token|list|disable ...\n\n%s\n", help)
		if len(args) == 0 {
			return badInput("missing subcommand")
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	fs := newFlagSet(e, "users "+sub, "users "+sub+" [--archive A] ...", help)
	arcFlag := fs.String("archive", "", "archive whose users these are (default ./vigia.duckdb, or VIGIA_ARCHIVE)")
	role := fs.String("role", "", strings.ReplaceAll(roles, "|", ", ")+" (add)")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	path := usersFile(e, archiveSpec(e, *arcFlag))
	users, err := auth.OpenUsers(path)
	if err != nil {
		return err
	}
	name := fs.Arg(0)
	if sub != "list" && (fs.NArg() != 1 || name == "") {
		return badInput("users %s: expected one user NAME", sub)
	}
	switch sub {
	case "add":
		r, err := auth.ParseRole(*role)
		if err != nil {
			return badInput("--role %q: expected %s", *role, strings.ReplaceAll(roles, "|", ", "))
		}
		password, err := readPassword(e.stdin)
		if err != nil {
			return err
		}
		if err := users.Add(name, r, password); err != nil {
			return badInput("users add %s: %v", name, err)
		}
		fmt.Fprintf(e.stderr, "user %s added with role %s (in %s)\n", name, r, path)
	case "token":
		tok, err := users.NewToken(name)
		if err != nil {
			return badInput("users token %s: %v", name, err)
		}
		fmt.Fprintln(e.stdout, tok)
	case "disable":
		if err := users.Disable(name); err != nil {
			return badInput("users disable %s: %v", name, err)
		}
	case "list":
		list, err := users.List()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USER\tROLE\tSTATE\tTOKENS")
		for _, u := range list {
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", u.Name, u.Role, state, len(u.Tokens))
		}
		return tw.Flush()
	default:
		return badInput("unknown subcommand %q; expected add, token, list or disable", sub)
	}
	return nil
}

// readPassword reads the first line of r.
func readPassword(r io.Reader) ([]byte, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read the password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return nil, badInput("no password on stdin (e.g. printf '%%s\\n' \"$PASSWORD\" | vigia users add ...)")
	}
	return []byte(line), nil
}

// rolesHelp lists the roles of auth.Roles and what each may do.
func rolesHelp() string {
	var b strings.Builder
	for _, row := range auth.Roles {
		fmt.Fprintf(&b, "  %-10s %s\n", row.Role, row.Role.Describe(false))
	}
	return b.String()
}
