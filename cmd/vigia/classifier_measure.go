package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vigia-mx/vigia/classifier"
)

// labelPaths is a repeatable --labels flag: files or folders of labelled
// posts, read in the order given.
type labelPaths []string

func (l *labelPaths) String() string { return strings.Join(*l, ",") }

func (l *labelPaths) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// read reads every path's labelled posts into one set.
func (l labelPaths) read() (*classifier.LabelSet, error) {
	all := &classifier.LabelSet{}
	for _, p := range l {
		set, err := classifier.ReadLabels(p)
		if err != nil {
			return nil, &badInputError{err}
		}
		all.Examples = append(all.Examples, set.Examples...)
		all.Skipped += set.Skipped
	}
	return all, nil
}

// printReliability prints, per band of confidence, how often the more likely
// label was right.
func printReliability(w io.Writer, ev *classifier.Evaluation) {
	if len(ev.Reliability) == 0 {
		return
	}
	fmt.Fprintf(w, "\nreliability (the more likely label, decided or in the review band):\n\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONFIDENCE\tPOSTS\tMEAN CONFIDENCE\tRIGHT")
	for _, b := range ev.Reliability {
		if b.Count == 0 {
			fmt.Fprintf(tw, "%.1f–%.1f\t0\t-\t-\n", b.Low, b.High)
			continue
		}
		fmt.Fprintf(tw, "%.1f–%.1f\t%d\t%.3f\t%.3f\n", b.Low, b.High, b.Count, b.MeanConfidence, b.Accuracy)
	}
	tw.Flush()
}

// printExposure prints what a publication threshold shows and hides.
func printExposure(w io.Writer, x classifier.Exposure) {
	fmt.Fprintf(w, "\nat the publication threshold %.2f:\n", x.Threshold)
	fmt.Fprintf(w, "  personal posts decided function (shown to the public unreviewed): %d of %d (%.1f %%)\n",
		x.PersonalPublished, x.Personal, 100*x.PersonalPublishedShare)
	fmt.Fprintf(w, "  function posts decided personal (hidden from the public): %d of %d (%.1f %%)\n",
		x.FunctionHidden, x.Function, 100*x.FunctionHiddenShare)
	fmt.Fprintf(w, "  function posts decided function (published without a person): %d of %d (%.1f %%)\n",
		x.FunctionPublished, x.Function, 100*x.FunctionPublishedShare)
}
