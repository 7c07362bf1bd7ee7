package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/decision"
)

// Learning from the office (docs/classifier.md, "Learning from the
// office"): every post of a personal account a person decided is a
// labelled example of the office's own servants. train --from-archive
// trains a candidate on the shipped material plus them, eval --from-archive
// compares it with the model in use on the decisions held out of training,
// adopt records the choice in the archive and reclassifies.

// holdOutOneIn is the share of the person-decided posts held out of
// training for eval and adopt: a version is held out when the hash of its
// content hash is 0 modulo this. The rule needs no record of what was
// trained on, holds for every archive and engine, and keeps a post on the
// same side as the archive grows.
const holdOutOneIn = 5

// officeWeight is how many times a post a person decided counts in
// training beside the shipped material: on the learning curve measured on
// real posts (docs/classifier.md), 25 reviewed posts per author counted once
// gained +0.043 macro-F1, counted 5 times +0.053 (the same model).
const officeWeight = 5

// heldOut reports whether the version with content hash sha is kept for
// evaluation, never for training.
func heldOut(sha string) bool {
	h := fnv.New32a()
	h.Write([]byte(sha))
	return h.Sum32()%holdOutOneIn == 0
}

// officeExamples are the person-decided versions of posts of personal
// accounts an archive holds, split by heldOut.
type officeExamples struct {
	train, held []classifier.Example
	accounts    int // accounts with at least one
	duplicates  int // versions whose content another example had
}

// readOfficeExamples reads every version of a post of a personal account
// whose standing decision is a person's (function or personal): its text
// as an example of that label, the account as its author. A content seen
// twice counts once, with the latest person's decision. The model's own
// decisions are never examples.
func readOfficeExamples(ctx context.Context, store archive.Reader) (*officeExamples, error) {
	var keys []archive.Key
	const page = 5000
	for offset := 0; ; offset += page {
		res, err := store.Search(ctx, archive.Query{Limit: page, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			if h.Reviewed && h.AccountType == "personal" {
				keys = append(keys, h.Post.Key())
			}
		}
		if offset+page >= res.Total {
			break
		}
	}
	hists := map[archive.Key]*archive.PostHistory{}
	if hr, ok := store.(archive.HistoryReader); ok && len(keys) > 0 {
		var err error
		if hists, err = hr.Histories(ctx, keys); err != nil {
			return nil, err
		}
	} else {
		for _, k := range keys {
			h, err := store.History(ctx, k)
			if err != nil {
				return nil, err
			}
			hists[k] = h
		}
	}
	type chosen struct {
		ex classifier.Example
		at time.Time
	}
	bySHA := map[string]chosen{}
	var order []string
	ox := &officeExamples{}
	accounts := map[string]bool{}
	for _, k := range keys {
		h := hists[k]
		if h == nil {
			continue
		}
		for _, v := range h.Versions {
			d := h.StandingOf(v.ContentSHA256)
			if !archive.IsPerson(d.DecidedBy) || strings.TrimSpace(v.Text) == "" {
				continue
			}
			var label classifier.Label
			switch d.Label {
			case archive.Function:
				label = classifier.Function
			case archive.Personal:
				label = classifier.Personal
			default:
				continue
			}
			author := decision.AccountKey(k.Network, k.AccountID)
			c, seen := bySHA[v.ContentSHA256]
			if seen {
				ox.duplicates++
				if !d.DecidedAt.After(c.at) {
					continue
				}
			} else {
				order = append(order, v.ContentSHA256)
			}
			accounts[author] = true
			bySHA[v.ContentSHA256] = chosen{classifier.Example{Text: v.Text, Label: label, Source: "archive", Author: author, Account: author}, d.DecidedAt}
		}
	}
	for _, sha := range order {
		if heldOut(sha) {
			ox.held = append(ox.held, bySHA[sha].ex)
		} else {
			ox.train = append(ox.train, bySHA[sha].ex)
		}
	}
	ox.accounts = len(accounts)
	return ox, nil
}

// auditOfficeRead records that a command read the texts of the posts
// people decided, personal ones among them, before it uses them.
func auditOfficeRead(e *env, spec, command string, ox *officeExamples) error {
	n := len(ox.train) + len(ox.held)
	if n == 0 {
		return nil
	}
	return recordCLI(e, spec, auth.Entry{Action: "view_personal", Target: "publicaciones decididas por personas (cuentas personales)",
		Detail: command + ": texts of person-decided posts read as labelled examples", Results: n})
}

// countLabels counts function and personal examples.
func countLabels(xs []classifier.Example) (f, p int) {
	for _, x := range xs {
		if x.Label == classifier.Function {
			f++
		} else {
			p++
		}
	}
	return f, p
}

// hasFromArchive reports whether a command line of train or eval asks for
// the archive's decisions (--from-archive), which this file's commands
// take over.
func hasFromArchive(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && (name == "from-archive" || strings.HasPrefix(name, "from-archive=")) {
			return true
		}
	}
	return false
}

func classifierTrainFromArchive(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "classifier train", "classifier train --from-archive A [--out MODEL] [--weight N]", e.printer().Sprintf(
		`Trains a candidate model on the material the shipped model is trained on
plus the archive's posts of personal accounts decided by a person: each
version whose standing decision is a person's, as an example of its label,
its account as author (a content decided twice counts once). One in %d of
them, chosen by content hash, is held out for "vigia classifier eval
--from-archive" and never trained on. The model's own decisions are never
examples. Reading the posts is recorded in the audit log. Adopt the model
with "vigia classifier adopt".`, holdOutOneIn))
	from := fs.String("from-archive", "", "the archive `A` whose people's decisions are learnt: .duckdb file or clickhouse://host:port/db URL")
	out := fs.String("out", "", "model file to write (default: vigia-VERSION.model in this folder)")
	weight := fs.Int("weight", officeWeight, "times each person-decided post counts in training (see the learning curve in docs/classifier.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		return badInput("expected --from-archive A and nothing else")
	}
	if *weight < 1 {
		return badInput("--weight %d: must be 1 or more", *weight)
	}
	material, err := classifier.ShippedMaterial()
	if err != nil {
		return err
	}
	store, err := openArchive(ctx, e, *from, true)
	if err != nil {
		return err
	}
	ox, err := readOfficeExamples(ctx, store)
	store.Close()
	if err != nil {
		return err
	}
	if err := auditOfficeRead(e, *from, "vigia classifier train --from-archive", ox); err != nil {
		return err
	}
	examples := append([]classifier.Example(nil), material.Examples...)
	for range *weight {
		examples = append(examples, ox.train...)
	}
	start := time.Now()
	m, err := classifier.Train(examples, classifier.DefaultTrainOptions())
	if err != nil {
		return &badInputError{err}
	}
	path := *out
	if path == "" {
		path = "vigia-" + m.Version + ".model"
	}
	if err := m.Save(path); err != nil {
		return err
	}
	f, p := countLabels(ox.train)
	fmt.Fprintf(e.stdout, "model %s: the shipped material (%d posts) and %d posts decided by people in %d accounts (%d function, %d personal",
		m.Version, len(material.Examples), len(ox.train), ox.accounts, f, p)
	if *weight > 1 {
		fmt.Fprintf(e.stdout, ", each counted %d times", *weight)
	}
	fmt.Fprintf(e.stdout, "); %d held out for evaluation; %d repeated contents counted once; trained in %s, written to %s\n",
		len(ox.held), ox.duplicates, time.Since(start).Round(time.Millisecond), path)
	if len(ox.train) == 0 {
		fmt.Fprintf(e.stdout, "no person has decided posts of personal accounts in %s yet (vigia review decide): the model is the shipped material's\n", *from)
	}
	return nil
}

// comparison is what eval --from-archive prints, and adopt records.
type comparison struct {
	HeldOut   int          `json:"held_out"`
	Accounts  int          `json:"accounts"`
	Rule      string       `json:"rule"`
	Current   modelScores  `json:"current"`
	Candidate *modelScores `json:"candidate,omitempty"`
	At        time.Time    `json:"at"`
	Threshold float64      `json:"threshold"`
	scores    []*classifier.Scores
}

type modelScores struct {
	Version string             `json:"version"`
	Scores  *classifier.Scores `json:"scores"`
}

const holdOutRule = "one in 5 of the person-decided posts of personal accounts, by the FNV-32a hash of the content hash; never trained on by train --from-archive"

// compare scores current and, when given, candidate on the held-out decisions.
func compare(ox *officeExamples, current, candidate *classifier.Model, threshold float64) *comparison {
	accounts := map[string]bool{}
	for _, x := range ox.held {
		accounts[x.Author] = true
	}
	c := &comparison{HeldOut: len(ox.held), Accounts: len(accounts), Rule: holdOutRule, At: time.Now().UTC(), Threshold: threshold,
		Current: modelScores{current.Version, classifier.Score(current, ox.held, threshold)}}
	c.scores = append(c.scores, c.Current.Scores)
	if candidate != nil {
		c.Candidate = &modelScores{candidate.Version, classifier.Score(candidate, ox.held, threshold)}
		c.scores = append(c.scores, c.Candidate.Scores)
	}
	return c
}

func (c *comparison) print(w io.Writer, spec string) {
	fmt.Fprintf(w, "held-out decisions of %s: %d posts of %d accounts (one in %d of the posts people decided, by content hash; never trained on)\n\n",
		spec, c.HeldOut, c.Accounts, holdOutOneIn)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := "\tcurrent " + c.Current.Version
	if c.Candidate != nil {
		head += "\tcandidate " + c.Candidate.Version
	}
	fmt.Fprintln(tw, head)
	row := func(name string, f func(s *classifier.Scores) string) {
		fmt.Fprint(tw, name)
		for _, s := range c.scores {
			fmt.Fprint(tw, "\t"+f(s))
		}
		fmt.Fprintln(tw)
	}
	row("macro-F1", func(s *classifier.Scores) string { return fmt.Sprintf("%.3f", s.MacroF1) })
	for _, cl := range []struct {
		name string
		of   func(s *classifier.Scores) classifier.ClassScore
	}{{"function", func(s *classifier.Scores) classifier.ClassScore { return s.Function }}, {"personal", func(s *classifier.Scores) classifier.ClassScore { return s.Personal }}} {
		row(cl.name+" P/R/F1", func(s *classifier.Scores) string {
			x := cl.of(s)
			return fmt.Sprintf("%.3f / %.3f / %.3f (%d)", x.Precision, x.Recall, x.F1, x.Support)
		})
	}
	row("undetermined", func(s *classifier.Scores) string {
		return fmt.Sprintf("%.1f %% (%d)", 100*s.UndeterminedShare(), s.Undetermined)
	})
	row(fmt.Sprintf("personal decided function ≥ %.2f", c.Threshold), func(s *classifier.Scores) string {
		return fmt.Sprintf("%.1f %% (%d)", 100*s.PersonalPublishedShare(), s.PersonalPublished)
	})
	row(fmt.Sprintf("function decided personal ≥ %.2f", c.Threshold), func(s *classifier.Scores) string {
		return fmt.Sprintf("%.1f %% (%d)", 100*s.FunctionHiddenShare(), s.FunctionHidden)
	})
	tw.Flush()
	if c.HeldOut == 0 {
		fmt.Fprintln(w, "\nno held-out decision yet: people have decided too few posts of personal accounts to compare models")
	}
}

func classifierEvalFromArchive(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "classifier eval", "classifier eval --from-archive A [--model CANDIDATE] [--current MODEL] [--threshold 0.75] [--format table|json]",
		`Compares the model in use for the archive (the adopted one, else the shipped
one) and a candidate on the posts people decided that training from the
archive holds out (one in 5, by content hash: "vigia classifier train
--from-archive" never trains on them), side by side: macro-F1, precision,
recall and F1 per class, the undetermined share, and what the publication
threshold lets through (personal posts decided function with at least that
confidence) or hides. Reading the posts is recorded in the audit log.`)
	from := fs.String("from-archive", "", "the archive `A` whose people's decisions are the measure")
	modelFile := fs.String("model", "", "the candidate model file (default: none, the current model alone)")
	currentFile := fs.String("current", "", "the model to compare with (default: the archive's adopted model, else the shipped one)")
	threshold := fs.Float64("threshold", classifier.DefaultPolicy().PublishThreshold(), "publication threshold: the confidence from which a model's function decision is shown to the public")
	format := formatFlag(fs, "table or json", "table", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		return badInput("expected --from-archive A and nothing else")
	}
	var candidate *classifier.Model
	if *modelFile != "" {
		var err error
		if candidate, err = loadModel(*modelFile); err != nil {
			return err
		}
	}
	store, err := openArchive(ctx, e, *from, true)
	if err != nil {
		return err
	}
	defer store.Close()
	current, _, err := archiveModel(ctx, store, *currentFile)
	if err != nil {
		return err
	}
	ox, err := readOfficeExamples(ctx, store)
	if err != nil {
		return err
	}
	if err := auditOfficeRead(e, *from, "vigia classifier eval --from-archive", ox); err != nil {
		return err
	}
	c := compare(ox, current, candidate, *threshold)
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	c.print(e.stdout, *from)
	return nil
}

// archiveModel returns the model a --model flag names; else the model
// adopted for the archive (with its adoption); else the shipped one.
func archiveModel(ctx context.Context, store archive.Reader, flagValue string) (*classifier.Model, *archive.ModelAdoption, error) {
	if flagValue != "" {
		m, err := loadModel(flagValue)
		return m, nil, err
	}
	ma, ok := store.(archive.ModelAdopter)
	if !ok {
		return classifier.DefaultModel(), nil, nil
	}
	a, err := ma.AdoptedModel(ctx)
	if err != nil || a == nil {
		return classifier.DefaultModel(), nil, err
	}
	if sum := sha256.Sum256(a.Model); hex.EncodeToString(sum[:]) != a.ModelSHA256 {
		return nil, nil, errorf("the model adopted for the archive (%s) does not match its SHA-256 %s: adopt one again", a.Version, a.ModelSHA256)
	}
	m, err := classifier.ReadModel(bytes.NewReader(a.Model))
	if err != nil {
		return nil, nil, errorf("the model adopted for the archive (%s): %w", a.Version, err)
	}
	return m, a, nil
}

func classifierAdopt(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "classifier adopt", `classifier adopt MODEL|--shipped --archive A --by NAME [--reason "…"] [--policy FILE] [--timezone ZONE]
       vigia classifier adopt --list [--archive A]`,
		`Adopts a content model for the archive: the model file is stored in the
archive with what it scores, beside the model in use, on the decisions held
out of training (as vigia classifier eval --from-archive prints them), who
adopted it, when and why; the adoption goes to the audit log. Every crawl
and reclassification of the archive then decides with it unless --model
names another, on any machine that uses the archive. Then the posts whose
standing decision came from a model are reclassified with it, as vigia
classify --reclassify does (give the crawl's --policy and the directory's
--timezone); people's decisions stand. --shipped goes back to the model
shipped in vigia. --list shows the adoptions, oldest first.`)
	arcFlag := archiveFlag(fs)
	by := fs.String("by", "", "who adopts it (required): recorded as person:NAME")
	reason := fs.String("reason", "", "why, in words")
	shipped := fs.Bool("shipped", false, "adopt the model shipped in vigia")
	list := fs.Bool("list", false, "list the adoptions instead")
	threshold := fs.Float64("threshold", classifier.DefaultPolicy().PublishThreshold(), "publication threshold of the evaluation recorded")
	policy := policyFlag(fs)
	timezone := timeZoneFlag(fs, "the directory's, where the archived office dates are read when reclassifying")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	spec := archiveSpec(e, *arcFlag)
	if *list {
		if fs.NArg() > 0 || *shipped {
			return badInput("--list takes no model")
		}
		return listAdoptions(ctx, e, spec)
	}
	if (fs.NArg() == 1) == *shipped || fs.NArg() > 1 {
		return badInput("expected one MODEL file, or --shipped")
	}
	who := strings.TrimSpace(*by)
	if who == "" {
		return badInput("--by is required: an adoption says who made it")
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	loc, err := timeZone(*timezone)
	if err != nil {
		return err
	}
	var data []byte
	if *shipped {
		var buf bytes.Buffer
		if err := classifier.DefaultModel().Write(&buf); err != nil {
			return err
		}
		data = buf.Bytes()
	} else if data, err = os.ReadFile(fs.Arg(0)); err != nil {
		return badInput("model %v", err)
	}
	candidate, err := classifier.ReadModel(bytes.NewReader(data))
	if err != nil {
		return badInput("%s is not a vigia model: %v", fs.Arg(0), err)
	}
	if _, err := os.Stat(spec); strings.HasSuffix(spec, ".duckdb") && err != nil {
		return badInput("archive %q does not exist: adopt a model for an archive that holds decisions", spec)
	}
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	c, err := func() (*comparison, error) {
		defer store.Close()
		ma, ok := store.(archive.ModelAdopter)
		if !ok {
			return nil, errorf("archive %q keeps no adopted models", spec)
		}
		current, _, err := archiveModel(ctx, store, "")
		if err != nil {
			return nil, err
		}
		ox, err := readOfficeExamples(ctx, store)
		if err != nil {
			return nil, err
		}
		if err := auditOfficeRead(e, spec, "vigia classifier adopt", ox); err != nil {
			return nil, err
		}
		c := compare(ox, current, candidate, *threshold)
		evaluation, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		a := &archive.ModelAdoption{Version: candidate.Version, ModelSHA256: hex.EncodeToString(sum[:]), Model: data,
			Evaluation: string(evaluation), AdoptedBy: "person:" + who, AdoptedAt: time.Now().UTC(), Reason: strings.TrimSpace(*reason)}
		// The adoption goes to the audit log first: one that cannot be
		// audited is not made.
		entry := auth.Entry{User: who, Action: "model_adopt", Target: "model:" + a.Version,
			Detail: fmt.Sprintf("vigia classifier adopt (SHA-256 %s, replacing %s): %s", a.ModelSHA256, current.Version, a.Reason), Results: 1}
		if err := recordCLI(e, spec, entry); err != nil {
			return nil, err
		}
		if err := ma.AdoptModel(ctx, a); err != nil {
			entry.Action, entry.Detail, entry.Results = "model_adopt_failed", err.Error(), 0
			return nil, errors.Join(err, recordCLI(e, spec, entry))
		}
		return c, nil
	}()
	if err != nil {
		return err
	}
	c.print(e.stdout, spec)
	fmt.Fprintf(e.stdout, "\nadopted model %s for %s, by %s\n", candidate.Version, spec, who)
	if err := reclassifyArchive(ctx, e, spec, pol, candidate, loc); err != nil {
		return errorf("the model is adopted, but reclassifying failed (run vigia classify --reclassify --archive %s): %w", spec, err)
	}
	return nil
}

func listAdoptions(ctx context.Context, e *env, spec string) error {
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		return err
	}
	defer store.Close()
	ma, ok := store.(archive.ModelAdopter)
	if !ok {
		return errorf("archive %q keeps no adopted models", spec)
	}
	as, err := ma.ModelAdoptions(ctx, false)
	if err != nil {
		return err
	}
	if len(as) == 0 {
		fmt.Fprintf(e.stdout, "no model adopted for %s: it uses the model shipped in vigia, %s\n", spec, classifier.DefaultModel().Version)
		return nil
	}
	tw := tabwriter.NewWriter(terminalSafe(e.stdout), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ADOPTED AT\tMODEL\tBY\tHELD OUT\tMACRO-F1 (BEFORE → AFTER)\tREASON")
	for i, a := range as {
		var c comparison
		scores := "-"
		if json.Unmarshal([]byte(a.Evaluation), &c) == nil && c.Candidate != nil {
			scores = fmt.Sprintf("%.3f → %.3f", c.Current.Scores.MacroF1, c.Candidate.Scores.MacroF1)
		}
		mark := ""
		if i == len(as)-1 {
			mark = " (in use)"
		}
		fmt.Fprintf(tw, "%s\t%s%s\t%s\t%d\t%s\t%s\n", a.AdoptedAt.Format(time.RFC3339), a.Version, mark,
			strings.TrimPrefix(a.AdoptedBy, "person:"), c.HeldOut, scores, a.Reason)
	}
	return tw.Flush()
}

func classifierCurve(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "classifier curve", "classifier curve --labels FILE [--k 10,25,50] [--repeats 3] [--min-test 10] [--weight 5]",
		`Measures how much the model learns from an office's reviews: for every author
of the labelled posts (an "author" column) with at least k + --min-test
posts, k of them (a deterministic sample, --repeats times) join the
shipped training material, and the author's other posts are decided by the
model trained so and by the shipped material's alone (k = 0). Prints
macro-F1 at each k pooled over authors and repetitions, the mean over
authors of each author's macro-F1, and what the publication threshold lets
through.`)
	labels := fs.String("labels", "", "labelled posts with an author column: a TSV or CSV file, or a folder of them")
	ks := fs.String("k", "10,25,50", "reviewed posts per author, comma-separated")
	repeats := fs.Int("repeats", 3, "samples of each author's posts per k")
	minTest := fs.Int("min-test", 10, "posts of the author left to decide, at least")
	weight := fs.Int("weight", officeWeight, "times each reviewed post counts in training")
	threshold := fs.Float64("threshold", classifier.DefaultPolicy().PublishThreshold(), "publication threshold")
	accounts := fs.Bool("accounts", true, "treat each author as an account of the office, as train --from-archive does: the model learns how each reviewed account leans (false: the text alone)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *labels == "" || fs.NArg() > 0 {
		return badInput("expected --labels FILE and nothing else")
	}
	opts := classifier.CurveOptions{Repeats: *repeats, MinTest: *minTest, Weight: *weight, Threshold: *threshold, Accounts: *accounts, Train: classifier.DefaultTrainOptions()}
	for _, s := range strings.Split(*ks, ",") {
		var k int
		if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d", &k); err != nil || k < 1 {
			return badInput("--k %q: expected positive numbers separated by commas", *ks)
		}
		opts.Ks = append(opts.Ks, k)
	}
	if *repeats < 1 || *minTest < 1 || *weight < 1 {
		return badInput("--repeats, --min-test and --weight must be 1 or more")
	}
	set, err := classifier.ReadLabels(*labels)
	if err != nil {
		return &badInputError{err}
	}
	material, err := classifier.ShippedMaterial()
	if err != nil {
		return err
	}
	start := time.Now()
	points, err := classifier.LearningCurve(material.Examples, set.Examples, nil, opts)
	if err != nil {
		return &badInputError{err}
	}
	fmt.Fprintf(e.stdout, "learning curve on %s: %d posts; training material %d posts; %d repetitions, each reviewed post counted %d times; %s\n\n",
		*labels, len(set.Examples), len(material.Examples), *repeats, *weight, time.Since(start).Round(time.Second))
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "k\tAUTHORS\tPOSTS DECIDED\tMACRO-F1 k=0\tMACRO-F1 k\tGAIN\tAUTHOR MEAN k=0 → k (BOTH LABELS)\tUNDETERMINED k=0 → k\tPERSONAL PUBLISHED ≥%.2f k=0 → k\n", *threshold)
	for _, p := range points {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.3f\t%.3f\t%+.3f\t%.3f → %.3f (%d)\t%.1f %% → %.1f %%\t%.1f %% → %.1f %%\n",
			p.K, p.Authors, p.Scored, p.Base.MacroF1, p.Learnt.MacroF1, p.Learnt.MacroF1-p.Base.MacroF1,
			p.AuthorBase, p.AuthorLearnt, p.AuthorsBothLabels,
			100*p.Base.UndeterminedShare(), 100*p.Learnt.UndeterminedShare(),
			100*p.Base.PersonalPublishedShare(), 100*p.Learnt.PersonalPublishedShare())
	}
	return tw.Flush()
}

// useAdopted makes the crawl decide with the model adopted for the archive
// store opens (the shipped one when none is), unless --model named one.
func (f *crawlFlags) useAdopted(ctx context.Context, store archive.Reader) error {
	if f.modelFile == "" {
		m, _, err := archiveModel(ctx, store, "")
		if err != nil {
			return err
		}
		f.model = m
	}
	return nil
}

// copyAdoptions copies the models adopted for src, with their history, to
// dst (vigia archive copy): the copy decides with the same model.
func copyAdoptions(ctx context.Context, src archive.Reader, dst archive.Appender) error {
	from, ok := src.(archive.ModelAdopter)
	to, ok2 := dst.(archive.ModelAdopter)
	if !ok || !ok2 {
		return nil
	}
	as, err := from.ModelAdoptions(ctx, true)
	if err != nil {
		return err
	}
	for i := range as {
		if err := to.AdoptModel(ctx, &as[i]); err != nil {
			return err
		}
	}
	return nil
}
