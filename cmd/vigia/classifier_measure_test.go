package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// labelledPosts is a small realistic file of labelled posts: four authors
// (a mayor, a governor, a senator, and someone who wrote first without
// office and then as a councillor), with author and office columns.
const labelledPosts = "testdata/classifier/etiquetados.tsv"

type evalOutput struct {
	Model   string `json:"model"`
	Skipped int    `json:"skipped"`
	Offices bool   `json:"offices"`
	Result  struct {
		Total, Undetermined int
		Confusion           map[string]map[string]int
		MacroF1             float64
		Reliability         []struct {
			Low, High      float64
			Count          int
			MeanConfidence float64
			Accuracy       float64
		}
	} `json:"result"`
	Exposure struct {
		Threshold                   float64
		PersonalPublished, Personal int
		FunctionHidden, Function    int
		FunctionPublished           int
		PersonalPublishedShare      float64
		FunctionHiddenShare         float64
	} `json:"exposure"`
}

func evalJSON(t *testing.T, args ...string) evalOutput {
	t.Helper()
	out, errs, code := vigia(t, "", append([]string{"classifier", "eval", "--labels", labelledPosts, "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("classifier eval %v: exit %d\n%s", args, code, errs)
	}
	var ev evalOutput
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("classifier eval --format json: %v\n%s", err, out)
	}
	return ev
}

func TestClassifierEvalReliabilityAndExposure(t *testing.T) {
	ev := evalJSON(t)
	if ev.Result.Total != 34 || ev.Skipped != 2 || ev.Offices {
		t.Fatalf("judged %d posts, skipped %d (offices %v), want 34 and the 2 labelled X", ev.Result.Total, ev.Skipped, ev.Offices)
	}
	// "Ok" is too short to judge: undetermined, and in no band.
	if ev.Result.Confusion["personal"]["undetermined"] < 1 {
		t.Errorf("the post \"Ok\" was decided: %v", ev.Result.Confusion)
	}
	if len(ev.Result.Reliability) != 5 {
		t.Fatalf("%d reliability bands, want 0.5–0.6 … 0.9–1.0", len(ev.Result.Reliability))
	}
	banded := 0
	for _, b := range ev.Result.Reliability {
		banded += b.Count
		if b.Count > 0 && (b.MeanConfidence < b.Low || b.MeanConfidence > b.High) {
			t.Errorf("band %.1f–%.1f has mean confidence %.3f", b.Low, b.High, b.MeanConfidence)
		}
	}
	if banded == 0 || banded >= ev.Result.Total {
		t.Errorf("%d posts in the reliability bands of %d, want all but those too short to judge", banded, ev.Result.Total)
	}
	x := ev.Exposure
	if x.Threshold != 0.75 || x.Personal != 16 || x.Function != 18 {
		t.Errorf("exposure %+v, want the default threshold 0.75 over 16 personal and 18 function posts", x)
	}
	if x.PersonalPublished > ev.Result.Confusion["personal"]["function"] || x.FunctionHidden > ev.Result.Confusion["function"]["personal"] ||
		x.FunctionPublished > ev.Result.Confusion["function"]["function"] || x.FunctionPublished == 0 {
		t.Errorf("exposure %+v counts more than the decisions %v", x, ev.Result.Confusion)
	}

	strict := evalJSON(t, "--publish-threshold", "0.99")
	if strict.Exposure.Threshold != 0.99 || strict.Exposure.PersonalPublished > x.PersonalPublished || strict.Exposure.FunctionHidden > x.FunctionHidden {
		t.Errorf("at 0.99: %+v; at 0.75: %+v", strict.Exposure, x)
	}

	// Honouring offices, the posts written without office are personal by
	// the term rule: none of them is published.
	offices := evalJSON(t, "--offices")
	if !offices.Offices || offices.Result.Confusion["personal"]["personal"] < 5 || offices.Exposure.PersonalPublished > x.PersonalPublished {
		t.Errorf("with --offices: %v, exposure %+v", offices.Result.Confusion, offices.Exposure)
	}

	table, errs, code := vigia(t, "", "classifier", "eval", "--labels", labelledPosts)
	for _, want := range []string{"reliability", "CONFIDENCE", "0.9–1.0", "at the publication threshold 0.75", "personal posts decided function", "published without a person"} {
		if code != 0 || !strings.Contains(table, want) {
			t.Errorf("classifier eval table lacks %q: exit %d\n%s%s", want, code, table, errs)
		}
	}
	if _, errs, code := vigia(t, "", "classifier", "eval", "--labels", labelledPosts, "--publish-threshold", "0.3"); code != 2 || !strings.Contains(errs, "--publish-threshold") {
		t.Errorf("a threshold below 0.5: exit %d, %s", code, errs)
	}
}

func TestClassifierTrainValidatesAcrossAuthors(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	out, errs, code := vigia(t, "", "classifier", "train", "--labels", labelledPosts, "--labels", "../../classifier/testdata/real", "--out", model, "--validate")
	if code != 0 {
		t.Fatalf("classifier train --validate: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"posts (", "validation across authors", "macro-F1", "reliability", "at the publication threshold 0.75"} {
		if !strings.Contains(out, want) {
			t.Errorf("train --validate output lacks %q:\n%s", want, out)
		}
	}
	// The model written is read back and measured.
	ev := evalJSON(t, "--model", model)
	if !strings.HasPrefix(ev.Model, "es-") || ev.Result.Total != 34 {
		t.Errorf("eval of the trained model: %+v", ev)
	}
	if ev.Result.MacroF1 < 0.7 {
		t.Errorf("a model trained on these very posts scores macro-F1 %.3f on them", ev.Result.MacroF1)
	}
}
