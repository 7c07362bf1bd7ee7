package archivetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// testThreshold checks the publication threshold (archive.Visibility): a
// model's function decision below it keeps the post from the public in
// search, text search, facets and per-account counts, and puts it in the
// review queue, ordered by what deciding would most change in the public
// view; rules and people are not held to it; a zero Visibility publishes
// no model decision. The Go side (Hit.Public, PostHistory.Public,
// ReviewRank) says the same as the engine.
func testThreshold(t *testing.T, s archive.Store) {
	ctx := context.Background()
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	var posts []archive.Post
	var decisions []archive.Decision
	post := func(id string, h int, text string) archive.Post {
		p := Post("regidora", id, 1, text, at(h))
		posts = append(posts, p)
		return p
	}
	decide := func(p archive.Post, label archive.Label, by string, conf float64, h int) {
		d := Decide(p, label, by, at(h))
		d.Confidence = conf
		decisions = append(decisions, d)
	}
	const model = "model:es-1"
	decide(post("a", 1, "Inauguramos el mercado municipal"), archive.Function, model, 0.74, 10)
	decide(post("b", 2, "Sesión de cabildo"), archive.Function, model, 0.75, 10)
	decide(post("c", 3, "Programa de bacheo"), archive.Function, model, 0.9, 10)
	decide(post("d", 4, "Aviso oficial"), archive.Function, "rule:v1", 1, 10)
	e := post("e", 5, "Informe de obras")
	decide(e, archive.Function, model, 0.6, 10)
	decide(e, archive.Function, "person:ana", 1, 11)
	decide(post("f", 6, "Con mi familia"), archive.Personal, model, 0.9, 10)
	decide(post("g", 7, "Hoy"), archive.Undetermined, model, 0.5, 10)
	h1 := post("h", 8, "Licitación de alumbrado")
	decide(h1, archive.Function, "person:ana", 1, 11)
	decide(post("i", 9, "Reunión vecinal"), archive.Function, model, 0.6, 10)
	decide(post("j", 10, "Partido del domingo"), archive.Personal, model, 0.6, 10)
	k1 := post("k", 11, "Convocatoria de becas")
	decide(k1, archive.Function, model, 0.9, 10)
	mustAppend(t, s, &archive.Batch{Posts: posts, Decisions: decisions})
	// the edits: h's, of a post a person decided, sure to the model; k's,
	// below the threshold
	h2 := Post("regidora", "h", 2, "Licitación de alumbrado, llámenme", at(8))
	k2 := Post("regidora", "k", 2, "Convocatoria de becas para mi sobrina", at(11))
	hd := Decide(h2, archive.Function, model, at(12))
	hd.Confidence = 0.99
	kd := Decide(k2, archive.Function, model, at(12))
	kd.Confidence = 0.7
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{h2, k2}, Decisions: []archive.Decision{hd, kd}})

	sorted := func(q archive.Query) []string {
		t.Helper()
		ids, _ := searchIDs(t, s, q)
		slices.Sort(ids)
		return ids
	}
	for _, tc := range []struct {
		vis  archive.Visibility
		want string
	}{
		{archive.Visibility{Threshold: 0.75}, "[b c d e]"},
		{archive.Visibility{Threshold: 0.95}, "[d e]"},
		{archive.Visibility{}, "[d e]"}, // fails closed
	} {
		q := archive.Query{Public: true, Visibility: tc.vis}
		if got := sorted(q); fmt.Sprint(got) != tc.want {
			t.Errorf("threshold %v: public search = %v, want %s", tc.vis.Threshold, got, tc.want)
		}
		f, err := s.Facets(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{"[b c d e]": 4, "[d e]": 2}[tc.want]
		if f.Total != n || len(f.Labels) != 1 || f.Labels[0].Count != n || len(f.Accounts) != 1 || f.Accounts[0].Count != n {
			t.Errorf("threshold %v: public facets total %d, labels %v, accounts %v; want %d, all function", tc.vis.Threshold, f.Total, f.Labels, f.Accounts, n)
		}
		counts, err := s.Counts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		newest := map[string]time.Time{"[b c d e]": at(5), "[d e]": at(5)}[tc.want]
		if len(counts) != 1 || counts[0].AccountID != "regidora" || counts[0].Posts != n || !counts[0].Newest.Equal(newest) {
			t.Errorf("threshold %v: public counts %+v, want regidora: %d posts, newest %v", tc.vis.Threshold, counts, n, newest)
		}
		// Go's reading of every hit and history agrees with the engine's.
		all, err := s.Search(ctx, archive.Query{})
		if err != nil {
			t.Fatal(err)
		}
		public := sorted(q)
		for i := range all.Hits {
			hit := &all.Hits[i]
			hist, err := s.History(ctx, hit.Key())
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Contains(public, hit.PostID)
			if hit.Public(tc.vis) != want || hist.Public(tc.vis) != want {
				t.Errorf("threshold %v: post %s: Hit.Public %v, History.Public %v; the engine says %v", tc.vis.Threshold, hit.PostID, hit.Public(tc.vis), hist.Public(tc.vis), want)
			}
		}
	}
	vis := archive.Visibility{Threshold: 0.75}
	// A text search of the public finds nothing of a post below the
	// threshold, nor of an edit below it.
	for _, text := range []string{"mercado", "sobrina", "becas"} {
		if got := sorted(archive.Query{Public: true, Visibility: vis, Text: text}); len(got) != 0 {
			t.Errorf("public text search %q = %v, want nothing", text, got)
		}
	}
	// k's first version was public; its edit is not: the post is hidden,
	// its history keeps version 1 only for a reader who may see the post.
	hist, err := s.History(ctx, k1.Key())
	if err != nil {
		t.Fatal(err)
	}
	if pv := hist.PublicVersions(vis); hist.Public(vis) || len(pv) != 1 || pv[0].Version != 1 {
		t.Errorf("post k: public %v, public versions %d; want hidden, version 1 only public", hist.Public(vis), len(pv))
	}
	// The review queue: the edit of a post a person decided; the model's
	// function below the threshold, closest first; the undetermined; the
	// rest.
	for _, tc := range []struct {
		vis  archive.Visibility
		want string
	}{
		{vis, "[h a k i g j]"},
		{archive.Visibility{Threshold: 0.95}, "[h c b a k i g j]"},
	} {
		got, res := searchIDs(t, s, archive.Query{NeedsReview: 0.75, Visibility: tc.vis})
		if fmt.Sprint(got) != tc.want || res.Total != len(got) {
			t.Errorf("threshold %v: review queue = %v (total %d), want %s", tc.vis.Threshold, got, res.Total, tc.want)
		}
		for i := 1; i < len(res.Hits); i++ {
			if a, b := archive.ReviewRank(&res.Hits[i-1], tc.vis), archive.ReviewRank(&res.Hits[i], tc.vis); a > b {
				t.Errorf("threshold %v: review queue: %s (rank %d) before %s (rank %d)", tc.vis.Threshold, res.Hits[i-1].PostID, a, res.Hits[i].PostID, b)
			}
		}
	}
	// The backlog's counts: the queue's posts, the oldest first published.
	counts, err := s.Counts(ctx, archive.Query{NeedsReview: 0.75, Visibility: vis})
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[0].Posts != 6 || !counts[0].Oldest.Equal(at(1)) || !counts[0].Newest.Equal(at(11)) {
		t.Errorf("review queue counts %+v, want regidora: 6 posts, oldest %v, newest %v", counts, at(1), at(11))
	}
	// A page of the queue is a page of that order.
	if got, res := searchIDs(t, s, archive.Query{NeedsReview: 0.75, Visibility: vis, Limit: 2, Offset: 1}); fmt.Sprint(got) != "[a k]" || res.Total != 6 {
		t.Errorf("review queue page = %v (total %d), want [a k] of 6", got, res.Total)
	}
}
