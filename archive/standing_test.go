package archive

import (
	"testing"
	"time"
)

func TestStanding(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	v1, v2 := Post{ContentSHA256: "a"}, Post{ContentSHA256: "b"}
	model := func(sha string, l Label, at time.Duration) Decision {
		return Decision{ContentSHA256: sha, Label: l, DecidedBy: "model v1", DecidedAt: t0.Add(at)}
	}
	person := Decision{ContentSHA256: "a", Label: Personal, DecidedBy: "person:ana", DecidedAt: t0}
	for _, c := range []struct {
		name      string
		versions  []Post
		decisions []Decision
		want      Label
		by        string
	}{
		{"no decision", []Post{v1}, nil, Undetermined, ""},
		{"latest on the latest version", []Post{v1}, []Decision{model("a", Personal, 0), model("a", Function, time.Hour)}, Function, "model v1"},
		{"decisions on an older version do not stand", []Post{v1, v2}, []Decision{model("a", Function, 0)}, Undetermined, ""},
		{"a person's on any version outranks a later model's", []Post{v1, v2}, []Decision{person, model("b", Function, time.Hour)}, Personal, "person:ana"},
	} {
		h := &PostHistory{Versions: c.versions, Decisions: c.decisions}
		if got := h.Standing(); got.Label != c.want || got.DecidedBy != c.by {
			t.Errorf("%s: %s by %q, want %s by %q", c.name, got.Label, got.DecidedBy, c.want, c.by)
		}
	}
}
