package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
)

type auditCommand struct{}

func (*auditCommand) synopsis() string {
	return "check the audit log: its chain, each line's MAC, and that a head kept elsewhere is still in it"
}

// auditFile is the archive's audit log: VIGIA_AUDIT, or beside the
// archive, NAME-audit.jsonl.
func auditFile(e *env, spec string) string {
	if path := e.getenv("VIGIA_AUDIT"); path != "" {
		return path
	}
	return besideArchive(spec, "audit.jsonl")
}

// auditKeyFile is where the audit key is kept when VIGIA_AUDIT_KEY is not
// set: beside the users file, NAME-audit.key for NAME-users.json.
func auditKeyFile(usersPath string) string {
	if base, ok := strings.CutSuffix(usersPath, "users.json"); ok {
		return base + "audit.key"
	}
	return usersPath + ".audit.key"
}

// auditKey returns the key of the archive's audit log and where it comes
// from: VIGIA_AUDIT_KEY (hex), or the key file beside the users file, made
// when missing if create is set. Without create, a missing file is no key.
func auditKey(e *env, spec string, create bool) ([]byte, string, error) {
	if v := e.getenv("VIGIA_AUDIT_KEY"); v != "" {
		key, err := auth.ParseAuditKey(v)
		if err != nil {
			return nil, "", badInput("VIGIA_AUDIT_KEY: %v", err)
		}
		return key, "VIGIA_AUDIT_KEY", nil
	}
	path := auditKeyFile(usersFile(e, spec))
	key, err := auth.AuditKeyFile(path, create)
	if errors.Is(err, fs.ErrNotExist) && !create {
		return nil, path, nil
	}
	return key, path, err
}

// openAudit opens the archive's audit log with its key.
func openAudit(e *env, spec string) (*auth.Audit, error) {
	key, _, err := auditKey(e, spec, true)
	if err != nil {
		return nil, err
	}
	return auth.OpenAudit(auditFile(e, spec), key)
}

// osUser names the operating-system account running the command.
func osUser(e *env) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := e.getenv("USER"); u != "" {
		return u
	}
	return "uid " + strconv.Itoa(os.Getuid())
}

// recordCLI appends entry to the archive's audit log, with the
// operating-system user, and as its user that one unless entry names who
// acted (--by). A command that cannot record what it is about to show or
// do fails instead: the error says so.
func recordCLI(e *env, spec string, entry auth.Entry) error {
	entry.OSUser = osUser(e)
	if entry.User == "" {
		entry.User = entry.OSUser
	}
	a, err := openAudit(e, spec)
	if err == nil {
		err = errors.Join(a.Record(entry), a.Close())
	}
	if err != nil {
		return errorf("cannot write the audit log (%s), so nothing is shown or changed: %w", auditFile(e, spec), err)
	}
	return nil
}

// auditPersonal records that a command shows personal or undetermined
// posts (those of hits whose decision is not function), before it does.
func auditPersonal(e *env, spec, command string, q archive.Query, hits []archive.Hit) error {
	n := 0
	for i := range hits {
		if hits[i].Decision.Label != archive.Function {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	target := access.Describe(q)
	if q.Label != "" {
		target = "etiqueta: " + string(q.Label) + "; " + target
	}
	return recordCLI(e, spec, auth.Entry{Action: "view_personal", Target: target, Detail: command + ": personal or undetermined posts shown", Results: n})
}

func (*auditCommand) run(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "audit", auditAbout, []subcommand{
		{"verify", "check the audit log's chain and each line's MAC, print its head, check a head kept earlier", auditVerify},
	}, args)
}

const auditAbout = `The audit log is NAME-audit.jsonl beside the archive (VIGIA_AUDIT to choose
another file); the key is VIGIA_AUDIT_KEY (hex, 32 bytes or more), or else
NAME-audit.key beside the users file, which vigia makes (mode 0600) the
first time it writes the log. Lines written before the log had a key carry
no MAC: they are checked as a chain and counted apart.`

func auditVerify(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "audit verify", "audit verify [--archive A] [--anchor] [--expect-head SEQ:HASH]",
		`Reads the whole audit log and checks that every line is an entry, that seq
counts 1, 2, … and each line names the SHA-256 of the one before, and that
each line's MAC (HMAC-SHA256 under the audit key) verifies. Prints the
entries checked and the head: the last entry's seq and the SHA-256 of its
line. Exits 1 naming FILE:LINE of each problem.

Keep the head somewhere the log's writer cannot change (a mail, a report,
another machine): --anchor prints it alone on stdout for that, and
--expect-head checks later that the log still holds that very line, which
shows lines cut off its end. A log rewritten by someone holding the key,
after the last head kept elsewhere, cannot be told from the real one.

`+auditAbout)
	arcFlag := archiveFlag(fs)
	anchor := fs.Bool("anchor", false, "print the head alone on stdout (SEQ:HASH), to keep elsewhere")
	expect := fs.String("expect-head", "", "a head kept earlier (`SEQ:HASH`): fail unless the log still holds that line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	var kept auth.Head
	if *expect != "" {
		var err error
		if kept, err = auth.ParseHead(*expect); err != nil {
			return badInput("--expect-head: %v", err)
		}
	}
	spec := archiveSpec(e, *arcFlag)
	path := auditFile(e, spec)
	if _, err := os.Stat(path); err != nil {
		return badInput("audit log %s: %v", path, err)
	}
	key, keyFrom, err := auditKey(e, spec, false)
	if err != nil {
		return err
	}
	v, err := auth.VerifyChain(path, key, kept)
	var chain *auth.ChainError
	if err != nil && !errors.As(err, &chain) {
		return err
	}
	report := e.stdout
	if *anchor {
		report = e.stderr
	}
	for _, problem := range v.Problems {
		fmt.Fprintln(e.stderr, problem)
	}
	p := e.printer()
	if more := v.ProblemCount - len(v.Problems); more > 0 {
		p.Fprintf(e.stderr, "… and %d more problems\n", more)
	}
	p.Fprintf(report, "%s: %s, %s: %d signed and verified", path, p.Sprintf("%d lines", v.Lines), p.Sprintf("%d entries", v.Entries), v.Signed)
	if v.Unsigned > 0 {
		p.Fprintf(report, ", %d without a MAC (written before the log had a key: checked as a chain only)", v.Unsigned)
	}
	if v.Unchecked > 0 {
		p.Fprintf(report, ", %d with a MAC not checked (no key: set VIGIA_AUDIT_KEY or restore %s)", v.Unchecked, keyFrom)
	}
	p.Fprintf(report, "\nhead %s\n", v.Head)
	if kept.Seq > 0 && err == nil {
		p.Fprintf(report, "the kept head %s is in the log\n", kept)
	}
	if *anchor {
		fmt.Fprintln(e.stdout, v.Head)
	}
	switch {
	case err != nil:
		return errorf("the audit log does not verify: %d problems, the first at %s:%d", v.ProblemCount, chain.Path, chain.Line)
	case v.Unchecked > 0:
		return errorf("%d lines carry a MAC that could not be checked: no audit key (VIGIA_AUDIT_KEY or %s)", v.Unchecked, keyFrom)
	}
	return nil
}
