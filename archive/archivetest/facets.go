package archivetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// appendFacetPosts fills s with nine posts of four accounts, of every label,
// edited and deleted or not, for the filters and facets to tell apart:
//
//	id account  network  label         basis    area                 other
//	1  obras    mastodon function      Tercera  Obras Públicas       2 versions; v1 was personal (Sexta)
//	2  obras    mastodon personal      Sexta    Obras Públicas
//	3  obras    mastodon function      Tercera  Obras Públicas       marked edited; deleted
//	4  cultura  telegram function      Tercera  Cultura
//	5  cultura  telegram undetermined  —        Cultura              no decision; deleted, then restored
//	6  cultura  telegram personal      Sexta    Cultura              deleted
//	7  prensa   rss      function      Cuarta   Comunicación Social
//	8  huerfana mastodon function      Tercera  —                    no account snapshot
//	9  obras    mastodon function      Segunda  Obras Públicas       a person's decision over the model's (personal, Sexta)
//
// Post N is published N hours after t0. The latest snapshot of obras
// names José Núñez in Obras Públicas; an earlier one named Ana Ruiz in
// Cultura. cultura's names María Pérez; prensa, an official account, none.
func appendFacetPosts(t *testing.T, s archive.Store) {
	t.Helper()
	texts := []string{"", "Bacheo en la avenida", "Comida con la familia", "Cierre de la calle Juárez", "Programa de cine en el barrio",
		"Algo que decir", "Domingo de fútbol", "Boletín de prensa", "Aviso de poda", "Reunión con vecinos"}
	networks := map[string]archive.Network{"obras": archive.Mastodon, "cultura": archive.Telegram, "prensa": archive.RSS, "huerfana": archive.Mastodon}
	accounts := []string{"", "obras", "obras", "obras", "cultura", "cultura", "cultura", "prensa", "huerfana", "obras"}
	post := func(id, version int, text string) archive.Post {
		p := Post(accounts[id], fmt.Sprint(id), version, text, t0.Add(time.Duration(id)*time.Hour))
		p.Network = networks[p.AccountID]
		p.ContentSHA256 = p.ContentHash()
		return p
	}
	decide := func(p archive.Post, label archive.Label, basis, by string, at time.Time) archive.Decision {
		d := Decide(p, label, by, at)
		d.Basis = basis
		return d
	}
	var posts []archive.Post
	for id := 1; id <= 9; id++ {
		posts = append(posts, post(id, 1, texts[id]))
	}
	p1v2 := post(1, 2, texts[1]+" Vallarta")
	posts = append(posts, p1v2)
	posts[2].Edited = true
	posts[2].ContentSHA256 = posts[2].ContentHash()
	event := func(id int, kind archive.EventKind, hours int) archive.Event {
		p := posts[id-1]
		return archive.Event{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, Kind: kind, ObservedAt: t0.Add(time.Duration(hours) * time.Hour)}
	}
	account := func(id, area, servant string, at time.Time) archive.Account {
		a := archive.Account{ID: id, Network: networks[id], Handle: "@" + id, Type: "personal", Area: area, ServantName: servant, ServantLevel: 2, RecordedAt: at}
		if servant == "" {
			a.Type, a.ServantLevel = "official", -1
		}
		a.FactsSHA256 = a.FactsHash()
		return a
	}
	mustAppend(t, s, &archive.Batch{
		Posts: posts,
		Decisions: []archive.Decision{
			decide(posts[0], archive.Personal, "Sexta", "rule:v1", t0),
			decide(p1v2, archive.Function, "Tercera", "rule:v1", t0.Add(time.Hour)),
			decide(posts[1], archive.Personal, "Sexta", "model v2", t0),
			decide(posts[2], archive.Function, "Tercera", "rule:v1", t0),
			decide(posts[3], archive.Function, "Tercera", "rule:v1", t0),
			decide(posts[5], archive.Personal, "Sexta", "model v2", t0),
			decide(posts[6], archive.Function, "Cuarta", "rule:v1", t0),
			decide(posts[7], archive.Function, "Tercera", "rule:v1", t0),
			decide(posts[8], archive.Personal, "Sexta", "model v2", t0),
			decide(posts[8], archive.Function, "Segunda", "person:ana", t0.Add(time.Minute)),
		},
		Events: []archive.Event{
			event(3, archive.DeletedAtSource, 20),
			event(5, archive.DeletedAtSource, 20), event(5, archive.Restored, 21),
			event(6, archive.DeletedAtSource, 20),
		},
		Accounts: []archive.Account{
			account("obras", "Cultura", "Ana Ruiz", t0),
			account("cultura", "Cultura", "María Pérez", t0),
			account("prensa", "Comunicación Social", "", t0),
		},
	})
	mustAppend(t, s, &archive.Batch{Accounts: []archive.Account{account("obras", "Obras Públicas", "José Núñez", t0.Add(time.Hour))}})
}

// testFilters checks each filter of a query alone and combined, and that
// Facets counts exactly the posts Search finds.
func testFilters(t *testing.T, s archive.Store) {
	appendFacetPosts(t, s)
	function := []archive.Label{archive.Function}
	tests := []struct {
		name string
		q    archive.Query
		want string // post ids, newest first
	}{
		{"area", archive.Query{Area: "Obras Públicas"}, "9 3 2 1"},
		{"area of the latest account snapshot", archive.Query{Area: "Cultura"}, "6 5 4"},
		{"area exactly", archive.Query{Area: "Obras"}, ""},
		{"servant ignores case and accents", archive.Query{Servant: "NUNEZ"}, "9 3 2 1"},
		{"servant substring", archive.Query{Servant: "maría pe"}, "6 5 4"},
		{"servant of an earlier snapshot", archive.Query{Servant: "Ruiz"}, ""},
		{"basis", archive.Query{Basis: "Tercera"}, "8 4 3 1"},
		{"basis of the standing decision", archive.Query{Basis: "Sexta"}, "6 2"},
		{"basis of a person's decision", archive.Query{Basis: "Segunda"}, "9"},
		{"basis exactly", archive.Query{Basis: "tercera"}, ""},
		{"edited", archive.Query{Edited: true}, "3 1"},
		{"deleted", archive.Query{Deleted: true}, "6 3"},
		{"labels", archive.Query{Labels: function}, "9 8 7 4 3 1"},
		{"labels of the rest", archive.Query{Labels: []archive.Label{archive.Personal, archive.Undetermined}}, "6 5 2"},
		{"label outside labels", archive.Query{Label: archive.Personal, Labels: function}, ""},
		{"label within labels", archive.Query{Label: archive.Personal, Labels: []archive.Label{archive.Function, archive.Personal}}, "6 2"},
		{"area and labels", archive.Query{Area: "Obras Públicas", Labels: function}, "9 3 1"},
		{"area and servant", archive.Query{Area: "Cultura", Servant: "pérez"}, "6 5 4"},
		{"area and another's servant", archive.Query{Area: "Cultura", Servant: "núñez"}, ""},
		{"servant, edited and deleted", archive.Query{Servant: "josé", Edited: true, Deleted: true}, "3"},
		{"basis and network", archive.Query{Basis: "Tercera", Network: archive.Mastodon}, "8 3 1"},
		{"deleted and labels", archive.Query{Deleted: true, Labels: function}, "3"},
		{"account, basis and deleted", archive.Query{Account: "cultura", Basis: "Sexta", Deleted: true}, "6"},
		{"area and text", archive.Query{Area: "Cultura", Text: "CINE"}, "4"},
		{"servant and text", archive.Query{Servant: "Núñez", Text: "cine"}, ""},
		{"from and deleted", archive.Query{From: t0.Add(4 * time.Hour), Deleted: true}, "6"},
		{"edited and labels of the rest", archive.Query{Edited: true, Labels: []archive.Label{archive.Personal}}, ""},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := hitIDs(res.Hits); got != tt.want {
				t.Errorf("Search(%+v) = %q, want %q", tt.q, got, tt.want)
			}
			if res.Total != len(res.Hits) {
				t.Errorf("Search(%+v) total = %d, want %d", tt.q, res.Total, len(res.Hits))
			}
			f, err := s.Facets(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if want := tally(res.Hits); !reflect.DeepEqual(f, want) {
				t.Errorf("Facets(%+v) =\n%+v\nwant the counts of the posts Search finds:\n%+v", tt.q, f, want)
			}
		})
	}
}

// testFacets checks the counts of the whole archive and of its function
// posts only (what a public reader may see), and that Facets ignores Limit
// and Offset.
func testFacets(t *testing.T, s archive.Store) {
	appendFacetPosts(t, s)
	ctx := context.Background()
	counts := func(s string) []archive.FacetCount {
		var out []archive.FacetCount
		for _, f := range strings.Fields(s) {
			value, n, _ := strings.Cut(f, "=")
			var c archive.FacetCount
			fmt.Sscan(n, &c.Count)
			c.Value = strings.ReplaceAll(value, "_", " ")
			out = append(out, c)
		}
		return out
	}
	tests := []struct {
		name string
		q    archive.Query
		want archive.Facets
	}{
		{"all", archive.Query{}, archive.Facets{
			Total:    9,
			Labels:   counts("function=6 personal=2 undetermined=1"),
			Networks: counts("mastodon=5 telegram=3 rss=1"),
			Areas:    counts("Obras_Públicas=4 Cultura=3 Comunicación_Social=1"),
			Accounts: counts("obras=4 cultura=3 huerfana=1 prensa=1"),
			Bases:    counts("Tercera=4 Sexta=2 Cuarta=1 Segunda=1"),
			Edited:   2, Deleted: 2,
		}},
		// obras and cultura also have personal posts, and cultura an
		// undetermined one: none of them is counted.
		{"function only", archive.Query{Labels: []archive.Label{archive.Function}}, archive.Facets{
			Total:    6,
			Labels:   counts("function=6"),
			Networks: counts("mastodon=4 rss=1 telegram=1"),
			Areas:    counts("Obras_Públicas=3 Comunicación_Social=1 Cultura=1"),
			Accounts: counts("obras=3 cultura=1 huerfana=1 prensa=1"),
			Bases:    counts("Tercera=4 Cuarta=1 Segunda=1"),
			Edited:   2, Deleted: 1,
		}},
		{"function only, a page of it", archive.Query{Labels: []archive.Label{archive.Function}, Limit: 1, Offset: 2}, archive.Facets{
			Total:    6,
			Labels:   counts("function=6"),
			Networks: counts("mastodon=4 rss=1 telegram=1"),
			Areas:    counts("Obras_Públicas=3 Comunicación_Social=1 Cultura=1"),
			Accounts: counts("obras=3 cultura=1 huerfana=1 prensa=1"),
			Bases:    counts("Tercera=4 Cuarta=1 Segunda=1"),
			Edited:   2, Deleted: 1,
		}},
		{"personal only", archive.Query{Label: archive.Personal}, archive.Facets{
			Total:    2,
			Labels:   counts("personal=2"),
			Networks: counts("mastodon=1 telegram=1"),
			Areas:    counts("Cultura=1 Obras_Públicas=1"),
			Accounts: counts("cultura=1 obras=1"),
			Bases:    counts("Sexta=2"),
			Deleted:  1,
		}},
		{"none", archive.Query{Text: "nada de nada"}, archive.Facets{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Facets(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Facets(%+v) =\n%+v\nwant\n%+v", tt.q, *got, tt.want)
			}
			res, err := s.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != res.Total {
				t.Errorf("Facets(%+v) total = %d, Search's = %d", tt.q, got.Total, res.Total)
			}
		})
	}
}

// testFacetsOrder checks that each list is sorted by count, then value,
// and holds no more than archive.FacetLimit values.
func testFacetsOrder(t *testing.T, s archive.Store) {
	var b archive.Batch
	add := func(account string, n int) {
		for i := range n {
			p := Post(account, fmt.Sprintf("%s-%d", account, i), 1, "Aviso", t0.Add(time.Duration(len(b.Posts))*time.Minute))
			b.Posts = append(b.Posts, p)
			b.Decisions = append(b.Decisions, Decide(p, archive.Function, "rule:v1", t0))
		}
	}
	// 60 accounts, listed backwards: c59 with 3 posts, c30 with 2, the
	// rest with 1.
	for i := 59; i >= 0; i-- {
		n := 1
		switch i {
		case 59:
			n = 3
		case 30:
			n = 2
		}
		add(fmt.Sprintf("c%02d", i), n)
	}
	mustAppend(t, s, &b)
	f, err := s.Facets(context.Background(), archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := []archive.FacetCount{{Value: "c59", Count: 3}, {Value: "c30", Count: 2}}
	for i := 0; len(want) < archive.FacetLimit; i++ {
		if i != 30 {
			want = append(want, archive.FacetCount{Value: fmt.Sprintf("c%02d", i), Count: 1})
		}
	}
	if !slices.Equal(f.Accounts, want) {
		t.Errorf("accounts = %v,\nwant %v", f.Accounts, want)
	}
	if f.Total != 63 || len(f.Areas) != 0 || !slices.Equal(f.Bases, []archive.FacetCount{{Value: "Tercera", Count: 63}}) {
		t.Errorf("facets = %+v, want 63 posts, no area, all Tercera", f)
	}
}

// tally counts hits as Facets does.
func tally(hits []archive.Hit) *archive.Facets {
	f := &archive.Facets{Total: len(hits)}
	labels, networks, areas, accounts, bases := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, h := range hits {
		labels[string(h.Decision.Label)]++
		networks[string(h.Network)]++
		accounts[h.AccountID]++
		if h.Area != "" {
			areas[h.Area]++
		}
		if h.Decision.Basis != "" {
			bases[h.Decision.Basis]++
		}
		if h.Edited || h.Versions > 1 {
			f.Edited++
		}
		if !h.DeletedAtSource.IsZero() {
			f.Deleted++
		}
	}
	list := func(m map[string]int) []archive.FacetCount {
		var out []archive.FacetCount
		for v, n := range m {
			out = append(out, archive.FacetCount{Value: v, Count: n})
		}
		slices.SortFunc(out, func(a, b archive.FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		return out[:min(len(out), archive.FacetLimit)]
	}
	f.Labels, f.Networks, f.Areas, f.Accounts, f.Bases = list(labels), list(networks), list(areas), list(accounts), list(bases)
	return f
}

func hitIDs(hits []archive.Hit) string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.PostID
	}
	return strings.Join(ids, " ")
}
