package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/access/calendar"
	"github.com/vigia-mx/vigia/access/redact"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
)

type exportCommand struct{}

func (*exportCommand) synopsis() string {
	return "build the package that answers an access-to-information request"
}

func (*exportCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "export", "export --request FOLIO [--received DATE] [filters] [--policy FILE] --out DIR",
		`Builds the package that answers an access-to-information request: in DIR
(and DIR.zip) publicaciones.csv and publicaciones.jsonl with the posts that
are public information among those the filters match, evidencia.warc.gz
with their captures, evidencia.wacz (the same captures and a page per
version, to open in ReplayWeb.page; --wacz-only writes it alone),
respuesta.html (the report in Spanish: the request,
what was searched, what was delivered and what was excluded as personal
content under policy Sexta, and the response deadline in business days) and
MANIFIESTO.sha256 ("cd DIR && sha256sum -c MANIFIESTO.sha256"). Only the
office's user may read them (folders 0700, files 0600).

FOLIO is written as the office writes it ("UT/0042/2026"): it goes verbatim
into the report and the manifest; DIR is yours to name.

When the evidence of a delivered post cannot be copied (a WARC file gone or
damaged, a post with no capture), nothing is written and the command exits
1 naming the posts, unless --allow-missing-evidence says to deliver the
package without it; the report then names those posts. Evidence withheld
because its capture holds what the package must not (personal posts, data
masked in a versión pública) is named in the report and does not stop it.

A post the content model decided function with a confidence below the
policy's publication threshold (--policy FILE: classifier.publish_threshold,
default 0.75) is not public information yet: it waits for a person and is
not delivered; the report counts it and says why.`)
	arcFlag := archiveFlag(fs)
	folio := fs.String("request", "", "the request's folio (required), as the office writes it: up to 100 characters")
	received := fs.String("received", "", "date the request was received, YYYY-MM-DD (default: today)")
	scope := fs.String("scope", "", "what was requested, in the requester's words")
	out := fs.String("out", "", "folder to create for the package (required; DIR.zip is written beside it)")
	af := addAccessFlags(fs)
	noRedact := fs.Bool("no-redact", false, "do not mask third-party personal data (e-mails, phones, mentions of private persons)")
	warcDir := fs.String("warc-dir", "", "folder of the WARC files (default: beside the archive, NAME-warc/)")
	subject := fs.String("subject", "", "the obligated body, for the report")
	allowMissing := fs.Bool("allow-missing-evidence", false, "deliver the package even if the evidence of some posts cannot be copied; the report names them")
	by := fs.String("by", "", "who prepares it, for the office's record (default: the operating-system user)")
	var wo waczOnly // wacz.go
	onlyWACZ := fs.Bool("wacz-only", false, "write only the package's evidencia.wacz (for ReplayWeb.page), to --out FILE.wacz: the same posts, withholding and audit as the package")
	filters := addFilterFlags(fs, false)
	policy := policyFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *folio == "" || *out == "" {
		return badInput("--request FOLIO and --out DIR are required")
	}
	q, loc, err := filters.query()
	if err != nil {
		return err
	}
	c, public, err := af.load()
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	when := time.Now().In(loc)
	if *received != "" {
		if when, err = time.ParseInLocation(time.DateOnly, *received, loc); err != nil {
			return badInput("--received %q: expected YYYY-MM-DD", *received)
		}
	}
	who := strings.TrimSpace(*by)
	if who == "" {
		who = osUser(e)
	}
	spec := archiveSpec(e, *arcFlag)
	if *warcDir == "" {
		*warcDir = warcDirFor(spec)
	}
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		return err
	}
	defer store.Close()
	// an account nobody has would answer with an empty package that
	// looks valid
	var unknown *access.UnknownAccountError
	if err := access.CheckAccount(ctx, store, q.Account, nil); errors.As(err, &unknown) {
		return badInput("--account %q: neither in the directory nor in the archive%s; vigia accounts lists the archive's", unknown.Account, hint{unknown.Closest})
	} else if err != nil {
		return err
	}
	opt := access.Options{WARCDir: *warcDir, AllowMissingEvidence: *allowMissing, Visibility: archive.Visibility{Threshold: pol.PublishThreshold()},
		Texts: &pol.Answer}
	if !*noRedact {
		if opt.Redact, err = access.RedactPublic(ctx, store, access.Masking{Public: public, Networks: networks(), Texts: &pol.Answer}); err != nil {
			return err
		}
	}
	days := c.Days()
	req := access.Request{Folio: *folio, Received: when, Scope: *scope, Deadline: c.Deadline(when), DaysAllowed: days,
		Subject: *subject, PreparedBy: who}
	dest := *out
	if *onlyWACZ {
		if dest, err = wo.start(*out); err != nil {
			return err
		}
		defer wo.cleanup()
	}
	pkg, err := access.Answer(ctx, store, q, req, dest, opt)
	var missing *access.MissingEvidenceError
	switch {
	case errors.Is(err, access.ErrBadFolio) || errors.Is(err, access.ErrExists):
		return &badInputError{err}
	case errors.As(err, &missing):
		for _, m := range missing.Posts {
			e.printer().Fprintf(e.stderr, "evidence missing: %s\n", m)
		}
		return errorf("the evidence of %s (listed above) cannot be copied into the package, so %s was not written; "+
			"to deliver it without that evidence, run again with --allow-missing-evidence: the report will name them",
			msgCount{"%d delivered posts", len(missing.Posts)}, *out)
	case err != nil:
		return err
	}
	if err := recordCLI(e, spec, auth.Entry{User: who, Action: "export", Target: *folio, Detail: "vigia export: " + access.Describe(q), Results: pkg.Delivered}); err != nil {
		// an export nobody can find in the log is not left behind
		return errors.Join(err, os.RemoveAll(pkg.Dir), os.RemoveAll(pkg.Zip))
	}
	if *onlyWACZ {
		if err := wo.finish(pkg); err != nil {
			return err
		}
		pkg.Dir, pkg.Zip = *out, *out
	}
	p := e.printer()
	p.Fprintf(e.stdout, "%s: %s, %d personal excluded (Sexta), %d awaiting review left out, %d below the publication threshold left out, %d redactions, %d evidence records\n",
		pkg.Dir, p.Sprintf("%d posts delivered", pkg.Delivered), pkg.Excluded, pkg.Undetermined, pkg.BelowThreshold, len(pkg.Redactions), pkg.EvidenceRecords)
	p.Fprintf(e.stdout, "%s; %d versions of delivered posts withheld (%d personal, %d awaiting review, %d below the publication threshold): respuesta.html counts them\n",
		p.Sprintf("%d versions delivered", pkg.Versions), pkg.WithheldVersions(), pkg.WithheldPersonal, pkg.WithheldPending, pkg.WithheldBelowThreshold)
	p.Fprintf(e.stdout, "deadline: %s (%d business days)\nzip: %s\n", req.Deadline.In(loc).Format("2006-01-02"), days, pkg.Zip)
	if !*onlyWACZ {
		p.Fprintf(e.stdout, "office's record (not delivered: deadline, who prepared it, the zip's SHA-256 %s): %s\n", pkg.ZipSHA256, pkg.Record)
	}
	for _, m := range pkg.Missing {
		p.Fprintf(e.stderr, "evidence missing (delivered without it, as --allow-missing-evidence asks; the report names it): %s\n", m)
	}
	if n := len(pkg.Withheld); n > 0 {
		p.Fprintf(e.stderr, "evidence withheld for %s: their captures hold what the package must not; respuesta.html names them\n", p.Sprintf("%d posts", n))
	}
	return nil
}

// accessFlags are the files that shape an access-request package, for
// export and serve.
type accessFlags struct{ calendar, public *string }

func addAccessFlags(fs *flag.FlagSet) *accessFlags {
	return &accessFlags{
		calendar: fs.String("calendar", "", "YAML calendar of business days for response deadlines (dias_habiles, inhabiles...; default: 20 days, weekends and statutory holidays off)"),
		public:   fs.String("public-accounts", "", "handles of other public bodies and public figures whose mentions are not masked in a versión pública, beside the directory's own accounts (never masked): a file of one per line, or a comma-separated list (@congresojal,@ieperjalisco)"),
	}
}

// load reads the calendar and the list of public accounts the flags name.
func (f *accessFlags) load() (*calendar.Calendar, []string, error) {
	c := calendar.Default()
	var public []string
	var err error
	if *f.calendar != "" {
		if c, err = calendar.Load(*f.calendar); err != nil {
			return nil, nil, &badInputError{err}
		}
	}
	if *f.public != "" {
		if public, err = redact.LoadPublicOrList(*f.public); err != nil {
			return nil, nil, &badInputError{errorf("--public-accounts: %w", err)}
		}
	}
	return c, public, nil
}
