package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/review"
)

type reviewCommand struct{}

func (*reviewCommand) synopsis() string {
	return "list the posts awaiting a person's decision, or record one"
}

func (*reviewCommand) run(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "review", `A person's decision on a post's latest version supersedes any rule's or
model's on that version everywhere (search, web, export), and is kept with
who and when. It binds to the text decided: an edit of the post is decided
afresh and comes back to the list. Nothing is overwritten: a later decision
supersedes it in turn.

POST is the post's URL, ACCOUNT/ID, or its id alone when that is unique.`, []subcommand{
		{"list", "the posts awaiting a person: edits of posts a person decided, the model's function below the publication threshold, undetermined or low-confidence decisions; what would most change the public view first", reviewList},
		{"decide", "record a person's decision on a post's latest version: vigia review decide POST function|personal --reason TEXT", reviewDecide},
	}, args)
}

func reviewList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "review list", "review list [--archive A] [--below 0.75] [--policy FILE] [--limit 50] [--format table|jsonl]",
		`Lists the posts awaiting a person's decision: no person has decided their
latest version, and a person decided an earlier version (an edit is decided
afresh), or the content model decided it function with a confidence below
the policy's publication threshold (classifier.publish_threshold, default
0.75: hidden from the public until a person decides, whatever --below
says), or its decision is undetermined or has a confidence below --below.

What would most change the public view comes first:
  1. edits of posts a person decided (hidden from the public since the edit);
  2. the model's function decisions below the publication threshold, the
     closest to it first (one decision away from publication);
  3. undetermined decisions;
  4. the rest (decisions below --below);
oldest first within each group.`)
	arcFlag := archiveFlag(fs)
	below := fs.Float64("below", 0.75, "confidence under which a model's decision is listed for review (0 < below ≤ 1)")
	limit := fs.Int("limit", 50, "posts listed at most (0: all)")
	format := formatFlag(fs, "table or jsonl", "table", "jsonl")
	timezone := timeZoneFlag(fs, "of the table's dates")
	policy := policyFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	if *below <= 0 || *below > 1 {
		return badInput("--below %v: expected a confidence above 0 and at most 1", *below)
	}
	loc, err := timeZone(*timezone)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	spec := archiveSpec(e, *arcFlag)
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		return err
	}
	defer store.Close()
	q := archive.Query{NeedsReview: *below, Visibility: archive.Visibility{Threshold: pol.PublishThreshold()}, Limit: *limit}
	res, err := store.Search(ctx, q)
	if err != nil {
		return err
	}
	if err := auditPersonal(e, spec, "vigia review list", q, res.Hits); err != nil {
		return err
	}
	if *format == "jsonl" {
		return writeJSONL(e.stdout, res)
	}
	writeReviewTable(e.printer(), terminalSafe(e.stdout), res, loc)
	return nil
}

func writeReviewTable(p printer, w io.Writer, res *archive.Result, loc *time.Location) {
	p.Fprintf(w, "%d posts await review", res.Total)
	if len(res.Hits) < res.Total {
		p.Fprintf(w, " (the first %d shown)", len(res.Hits))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p.Fprintf(tw, "POST\tPUBLISHED\tDECISION\tCONFIDENCE\tTEXT\n")
	for _, h := range res.Hits {
		text := rowText(&h.Post)
		fmt.Fprintf(tw, "%s/%s\t%s\t%s\t%.2f\t%s\n", h.AccountID, h.PostID, when(h.PublishedAt, loc), p.label(h.Decision.Label),
			h.Decision.Confidence, oneLine(text, 70))
	}
	tw.Flush()
}

func reviewDecide(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "review decide", `review decide POST function|personal --reason "…" [--by NAME] [--policy FILE] [--archive A]`,
		`Records a person's decision on the latest version of a post, with its reason,
who and when. It supersedes any rule's or model's decision everywhere.`)
	arcFlag := archiveFlag(fs)
	reason := fs.String("reason", "", "why, in words the requester will read (required)")
	by := fs.String("by", "", "who decides (default: the operating-system user); the audit log records both")
	policy := policyFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return badInput("expected POST and function or personal")
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	ref, label := fs.Arg(0), archive.Label(fs.Arg(1))
	if label != archive.Function && label != archive.Personal {
		return badInput("decision %q: expected function or personal", fs.Arg(1))
	}
	if strings.TrimSpace(*reason) == "" {
		return badInput("--reason is required: a decision must say why")
	}
	who := strings.TrimSpace(*by)
	if who == "" {
		who = osUser(e)
	}
	spec := archiveSpec(e, *arcFlag)
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	defer store.Close()
	key, err := lookupOne(ctx, store, ref)
	if err != nil {
		return err
	}
	// The decision goes to the audit log first: one that cannot be
	// audited is not made.
	entry := auth.Entry{User: who, Action: "decision", Target: string(key.Network) + "/" + key.AccountID + "/" + key.PostID,
		Detail: string(label) + ": " + strings.TrimSpace(*reason), Results: 1}
	if err := recordCLI(e, spec, entry); err != nil {
		return err
	}
	d, version, err := review.Decide(ctx, store, pol, key, label, *reason, who, time.Now())
	if err != nil {
		entry.Action, entry.Detail, entry.Results = "decision_failed", err.Error(), 0
		err = errors.Join(err, recordCLI(e, spec, entry))
	}
	if errors.Is(err, review.ErrInvalid) {
		return badInput("%v", err)
	}
	if err != nil {
		return err
	}
	e.printer().Fprintf(e.stdout, "%s/%s (version %d): %s, basis %s, decided by %s at %s\n",
		key.AccountID, key.PostID, version, e.printer().label(label), d.Basis, who, d.DecidedAt.Format(time.RFC3339))
	return nil
}

// lookupOne resolves a post reference to exactly one post.
func lookupOne(ctx context.Context, store archive.Reader, ref string) (archive.Key, error) {
	keys, err := store.Lookup(ctx, ref)
	if err != nil {
		return archive.Key{}, err
	}
	switch len(keys) {
	case 0:
		return archive.Key{}, badInput("post %q is not in the archive", ref)
	case 1:
		return keys[0], nil
	}
	var names []string
	for _, k := range keys {
		names = append(names, k.AccountID+"/"+k.PostID+" ("+string(k.Network)+")")
	}
	return archive.Key{}, badInput("post %q names %d posts; give ACCOUNT/ID: %s", ref, len(keys), strings.Join(names, ", "))
}
