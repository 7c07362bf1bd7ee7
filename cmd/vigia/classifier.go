package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/vigia-mx/vigia/classifier"
)

type classifierCommand struct{}

func (*classifierCommand) synopsis() string {
	return "train the content model on labelled posts, or measure it"
}

func (*classifierCommand) run(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "classifier", `Labelled posts are TSV or CSV files whose header names the columns "label"
(F or function, P or personal; X or blank: left out) and "text". The model
shipped in vigia is trained on classifier/testdata/corpus and /real; see
docs/classifier.md.`, []subcommand{
		{"train", "fit a content model on labelled posts", classifierTrain},
		{"eval", "measure a model: precision, recall, F1, undetermined share, confusion matrix", classifierEval},
		{"adopt", "adopt a model for the archive, recorded with its evaluation; reclassify the posts a model decided", classifierAdopt},
		{"curve", "measure the learning curve: macro-F1 on an author's posts with k of them in training", classifierCurve},
	}, args)
}

func classifierTrain(ctx context.Context, e *env, args []string) error {
	if hasFromArchive(args) {
		return classifierTrainFromArchive(ctx, e, args) // classifier_learn.go
	}
	fs := newFlagSet(e, "classifier train", "classifier train --labels FILE|DIR [--labels …] [--out MODEL] [--validate]",
		`Fits a content model (logistic regression over stemmed words, their
character n-grams, hashtags, mentions, links and emoji) on labelled posts,
each author weighing alike (an "author" column; else each file is one),
calibrates its probabilities on folds that hold out whole authors, and
writes it to a versioned model file. The same posts give the same model,
byte for byte. Use the file with --model in crawl, demo, classify and eval.`)
	var labels labelPaths
	fs.Var(&labels, "labels", "labelled posts: a TSV or CSV file, or a folder of them (repeat for several)")
	out := fs.String("out", "", "model file to write (default: vigia-VERSION.model in this folder)")
	opts := classifier.DefaultTrainOptions()
	fs.IntVar(&opts.Epochs, "epochs", opts.Epochs, "passes over the posts")
	fs.Float64Var(&opts.BandLow, "band-low", opts.BandLow, "below this probability of relating to functions, a post is personal")
	fs.Float64Var(&opts.BandHigh, "band-high", opts.BandHigh, "above this probability, a post relates to functions; in between it is undetermined")
	fs.IntVar(&opts.MinWords, "min-words", opts.MinWords, "posts with fewer content words are undetermined (too short to judge)")
	validate := fs.Bool("validate", false, "also estimate the model on posts of authors it never read: train without some authors in turn (a file without an author column is one author), judge their posts, score (slower)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(labels) == 0 || fs.NArg() > 0 {
		return badInput("expected --labels FILE|DIR and nothing else")
	}
	set, err := labels.read()
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := classifier.Train(set.Examples, opts)
	if err != nil {
		return &badInputError{err}
	}
	took := time.Since(start)
	path := *out
	if path == "" {
		path = "vigia-" + m.Version + ".model"
	}
	if err := m.Save(path); err != nil {
		return err
	}
	st, _ := os.Stat(path)
	fmt.Fprintf(e.stdout, "model %s: %d posts (%d function, %d personal; %d left out as undecidable), trained in %s, written to %s (%d KB)\n",
		m.Version, m.Training.Examples, m.Training.Function, m.Training.Personal, set.Skipped, took.Round(time.Millisecond), path, st.Size()/1024)
	if *validate {
		ev, err := classifier.CrossValidate(set.Examples, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nvalidation across authors (each author's posts judged by a model trained without them):\n\n")
		printEvaluation(e.stdout, ev)
		printExposure(e.stdout, ev.AtThreshold(classifier.DefaultPolicy().PublishThreshold()))
	}
	return nil
}

func classifierEval(ctx context.Context, e *env, args []string) error {
	if hasFromArchive(args) {
		return classifierEvalFromArchive(ctx, e, args) // classifier_learn.go
	}
	fs := newFlagSet(e, "classifier eval", "classifier eval --labels FILE|DIR [--model MODEL] [--account-type personal|official] [--publish-threshold P] [--offices] [--format table|json]",
		`Classifies each labelled post as a post of an account of the given type
and prints precision, recall and F1 per class, macro-F1, the share left
undetermined, the calibration of the probabilities (log-loss, Brier, and per
band of confidence how often the label was right), the confusion matrix, and
what the publication threshold would show to the public unreviewed (personal
posts decided function with at least that confidence) and hide from it.
Undetermined decisions count against recall.`)
	var labels labelPaths
	fs.Var(&labels, "labels", "labelled posts: a TSV or CSV file, or a folder of them (repeat for several)")
	modelFile := fs.String("model", "", "model file (default: the model shipped in vigia)")
	acctType := fs.String("account-type", "personal", "personal (the content model decides) or official (policy Tercera decides)")
	threshold := fs.Float64("publish-threshold", classifier.DefaultPolicy().PublishThreshold(), "the least confidence of a function decision that the public sees unreviewed")
	offices := fs.Bool("offices", false, "honour an \"office\" column: a post whose author held no office (none) is outside any term, personal by the term rule")
	format := formatFlag(fs, "table or json", "table", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(labels) == 0 || fs.NArg() > 0 {
		return badInput("expected --labels FILE|DIR and nothing else")
	}
	if !(*threshold >= 0.5 && *threshold <= 1) {
		return badInput("--publish-threshold %v: expected a confidence from 0.5 to 1", *threshold)
	}
	acct, err := accountOfType(*acctType)
	if err != nil {
		return err
	}
	m, err := loadModel(*modelFile)
	if err != nil {
		return err
	}
	set, err := labels.read()
	if err != nil {
		return err
	}
	c := classifier.New(classifier.DefaultPolicy(), m)
	ev := c.Evaluate(set.Examples, acct)
	if *offices {
		ev = c.EvaluateOffices(set.Examples, acct)
	}
	exposure := ev.AtThreshold(*threshold)
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Model    string                 `json:"model"`
			Skipped  int                    `json:"skipped"`
			Offices  bool                   `json:"offices"`
			Result   *classifier.Evaluation `json:"result"`
			Exposure classifier.Exposure    `json:"exposure"`
		}{m.Version, set.Skipped, *offices, ev, exposure})
	}
	how := "as posts of " + *acctType + " accounts"
	if *offices {
		how += ", those of authors without office (office none) outside any term"
	}
	fmt.Fprintf(e.stdout, "labels %s: %d posts (%d left out as undecidable), %s\nmodel %s\n\n",
		labels.String(), ev.Total, set.Skipped, how, m.Version)
	printEvaluation(e.stdout, ev)
	printExposure(e.stdout, exposure)
	return nil
}

func printEvaluation(w io.Writer, ev *classifier.Evaluation) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLASS\tPRECISION\tRECALL\tF1\tSUPPORT")
	for _, c := range []struct {
		name string
		s    classifier.ClassScore
	}{{"function", ev.Function}, {"personal", ev.Personal}} {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\n", c.name, c.s.Precision, c.s.Recall, c.s.F1, c.s.Support)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nmacro-F1 %.3f (%.3f leaving the undetermined out)\nundetermined %d of %d (%.1f %%)\ncalibration: log-loss %.3f, Brier %.3f\n\n",
		ev.MacroF1, ev.MacroF1Decided, ev.Undetermined, ev.Total, 100*ev.UndeterminedShare(), ev.LogLoss, ev.Brier)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LABEL \\ DECISION\tfunction\tpersonal\tundetermined")
	for _, l := range []classifier.Label{classifier.Function, classifier.Personal} {
		row := ev.Confusion[l]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", l, row[classifier.Function], row[classifier.Personal], row[classifier.Undetermined])
	}
	tw.Flush()
	printReliability(w, ev)
}

// accountOfType is the account a text-only decision is made for.
func accountOfType(t string) (classifier.Account, error) {
	switch t {
	case "personal":
		return classifier.Account{}, nil
	case "official":
		return classifier.Account{Official: true}, nil
	}
	return classifier.Account{}, badInput("--account-type %q: expected personal or official", t)
}

// loadModel returns the model a --model flag names, or the shipped one.
func loadModel(path string) (*classifier.Model, error) {
	if path == "" {
		return classifier.DefaultModel(), nil
	}
	m, err := classifier.LoadModel(path)
	if err != nil {
		return nil, &badInputError{err}
	}
	return m, nil
}
