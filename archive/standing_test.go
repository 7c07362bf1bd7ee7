package archive

import (
	"slices"
	"testing"
	"time"
)

func TestStanding(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	v1, v2 := Post{ContentSHA256: "a", Version: 1}, Post{ContentSHA256: "b", Version: 2}
	model := func(sha string, l Label, at time.Duration) Decision {
		return Decision{ContentSHA256: sha, Label: l, Confidence: 0.9, DecidedBy: "model v1", DecidedAt: t0.Add(at)}
	}
	guess := func(sha string, l Label, at time.Duration) Decision {
		d := model(sha, l, at)
		d.Confidence = 0.74
		return d
	}
	rule := func(sha string, l Label, at time.Duration) Decision {
		return Decision{ContentSHA256: sha, Label: l, Confidence: 1, DecidedBy: "rule:v1", DecidedAt: t0.Add(at)}
	}
	person := func(sha string, l Label, at time.Duration) Decision {
		return Decision{ContentSHA256: sha, Label: l, DecidedBy: "person:ana", DecidedAt: t0.Add(at)}
	}
	for _, c := range []struct {
		name      string
		versions  []Post
		decisions []Decision
		want      Label
		by        string
		public    []int // versions the public may read
	}{
		{"no decision", []Post{v1}, nil, Undetermined, "", nil},
		{"latest on the latest version", []Post{v1}, []Decision{model("a", Personal, 0), model("a", Function, time.Hour)}, Function, "model v1", []int{1}},
		{"decisions on an older version do not stand", []Post{v1, v2}, []Decision{model("a", Function, 0)}, Undetermined, "", []int{1}},
		{"a person's on an older version does not stand for an edit", []Post{v1, v2}, []Decision{person("a", Function, 0)}, Undetermined, "", []int{1}},
		// (and the public waits for a person to read an edit of a post a person decided)
		{"a person's on an older version does not outrank a model's on the latest", []Post{v1, v2}, []Decision{person("a", Personal, 0), model("b", Function, time.Hour)}, Function, "model v1", nil},
		{"a person's on each version", []Post{v1, v2}, []Decision{person("a", Personal, 0), person("b", Function, time.Hour)}, Function, "person:ana", []int{2}},
		{"a model's alone is public", []Post{v1, v2}, []Decision{model("a", Function, 0), model("b", Function, time.Hour)}, Function, "model v1", []int{1, 2}},
		{"a person's on the latest version outranks a later model's", []Post{v1, v2}, []Decision{person("b", Personal, 0), model("b", Function, time.Hour)}, Personal, "person:ana", nil},
		{"a model's below the threshold waits for a person", []Post{v1, v2}, []Decision{model("a", Function, 0), guess("b", Function, time.Hour)}, Function, "model v1", []int{1}},
		{"a model's at the threshold is public", []Post{v1}, []Decision{{ContentSHA256: "a", Label: Function, Confidence: 0.75, DecidedBy: "model:x", DecidedAt: t0}}, Function, "model:x", []int{1}},
		{"a person's over a guess is public", []Post{v1}, []Decision{guess("a", Function, 0), person("a", Function, time.Hour)}, Function, "person:ana", []int{1}},
		{"a rule's is public", []Post{v1}, []Decision{rule("a", Function, 0)}, Function, "rule:v1", []int{1}},
		{"the latest person's stands", []Post{v1}, []Decision{person("a", Personal, 0), person("a", Function, time.Minute)}, Function, "person:ana", []int{1}},
	} {
		h := &PostHistory{Versions: c.versions, Decisions: c.decisions}
		if got := h.Standing(); got.Label != c.want || got.DecidedBy != c.by {
			t.Errorf("%s: %s by %q, want %s by %q", c.name, got.Label, got.DecidedBy, c.want, c.by)
		}
		var public []int
		for _, v := range h.PublicVersions(Visibility{Threshold: 0.75}) {
			public = append(public, v.Version)
		}
		if !slices.Equal(public, c.public) {
			t.Errorf("%s: public versions %v, want %v", c.name, public, c.public)
		}
	}
}

func TestVisibilityFailsClosed(t *testing.T) {
	sure := Decision{Label: Function, Confidence: 1, DecidedBy: "model:x"}
	rule := Decision{Label: Function, Confidence: 1, DecidedBy: "rule:v1"}
	for _, v := range []Visibility{{}, {Threshold: -1}, {Threshold: 1.5}} {
		if v.Admits(sure, false) || !v.BelowThreshold(sure) {
			t.Errorf("threshold %v admits a model's decision", v.Threshold)
		}
		if !v.Admits(rule, false) {
			t.Errorf("threshold %v does not admit a rule's decision", v.Threshold)
		}
	}
}
