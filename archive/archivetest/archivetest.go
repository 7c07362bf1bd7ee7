// Package archivetest is the conformance suite every archive engine passes:
// the same records in, the same answers out.
package archivetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// Open returns a new, empty store for one test; the suite closes it.
type Open func(t *testing.T) archive.Store

// Run runs the suite against an engine.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s archive.Store)
	}{
		{"HeadsFollowVersions", testHeads},
		{"SearchLatestVersionAndFilters", testSearch},
		{"PeriodReadsTheLatestDate", testPeriod},
		{"PersonDecisionSupersedes", testPersonDecision},
		{"DecisionsStandForTheirVersion", testVersionDecisions},
		{"DeletedAtSource", testDeleted},
		{"AccountsLatestSnapshot", testAccounts},
		{"Summary", testSummary},
		{"EmptyArchive", testEmpty},
		{"ConcurrentAppends", testConcurrentAppends},
		{"HeadsKnowDeletions", testHeadsDeleted},
		{"Health", testHealth},
		{"LookupAndHistory", testHistory},
		{"WholePostRoundTrip", testWholePost},
		{"WARCRefs", testWARCRefs},
		{"ReviewQueue", testReviewQueue},
		{"ThresholdKeepsGuessesFromThePublic", testThreshold},
		{"ReplayIsIdempotent", testReplay},
		{"FiltersAndFacetsAgree", testFilters},
		{"FacetsCount", testFacets},
		{"FacetsOrderAndLimit", testFacetsOrder},
		{"RandomHistoriesSearchAndFacets", testRandomHistories},
		{"ExportCopiesEverything", func(t *testing.T, s archive.Store) {
			to := open(t)
			defer to.Close()
			testExport(t, s, to)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

var t0 = time.Date(2026, 9, 1, 15, 0, 0, 0, time.UTC)

// Post returns a post version with every field set.
func Post(account, id string, version int, text string, published time.Time) archive.Post {
	p := archive.Post{
		Network: archive.Mastodon, AccountID: account, PostID: id,
		URL: "https://social.example/@" + account + "/" + id, Author: account + "@social.example",
		PublishedAt: published, CapturedAt: published.Add(time.Hour), Text: text,
		Raw: []byte(`{"id":"` + id + `"}`), RawType: "application/json", Language: "es",
		Media:   []archive.Media{{Kind: "image", URL: "https://files.example/" + id + ".jpg", Alt: "foto", ID: id + "-m"}},
		Metrics: archive.Metrics{"likes": 3, "reposts": 1},
		Version: version, CrawlerVersion: "test", RunID: "run-1", SourceURL: "https://social.example/api",
	}
	p.ContentSHA256 = p.ContentHash()
	return p
}

// Decide returns a decision on a post version.
func Decide(p archive.Post, label archive.Label, by string, at time.Time) archive.Decision {
	return archive.Decision{
		Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, ContentSHA256: p.ContentSHA256,
		Label: label, Confidence: 1, Basis: "Tercera", Rationale: "motivo " + by, DecidedBy: by, DecidedAt: at,
	}
}

func mustAppend(t *testing.T, s archive.Store, b *archive.Batch) {
	t.Helper()
	if err := s.Append(context.Background(), b); err != nil {
		t.Fatalf("Append: %v", err)
	}
}

func testHeads(t *testing.T, s archive.Store) {
	v1 := Post("obras", "1", 1, "Bacheo en la avenida", t0)
	v2 := Post("obras", "1", 2, "Bacheo en la avenida Vallarta", t0)
	other := Post("cultura", "9", 1, "Festival", t0)
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{v1, other}})
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{v2}})

	heads, err := s.Heads(context.Background(), []string{"obras"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(heads), 1; got != want {
		t.Fatalf("heads of one account = %d, want %d: %v", got, want, heads)
	}
	got := heads[v2.Key()]
	if got.Version != 2 || got.ContentSHA256 != v2.ContentSHA256 {
		t.Errorf("head = %+v, want version 2 with the second hash", got)
	}
	all, err := s.Heads(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(all), 2; got != want {
		t.Errorf("heads of all accounts = %d, want %d", got, want)
	}
}

// searchIDs runs q and returns the ids of the posts found, in order.
func searchIDs(t *testing.T, s archive.Store, q archive.Query) ([]string, *archive.Result) {
	t.Helper()
	res, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.PostID)
	}
	return ids, res
}

// A period selects posts by the date of their latest version, whichever
// version fell in it; a period narrows the reading of the archive, and this
// checks that narrowing keeps the answer.
func testPeriod(t *testing.T, s archive.Store) {
	moved := Post("obras", "1", 1, "Aviso de corte de agua", t0.Add(72*time.Hour))
	corrected := Post("obras", "1", 2, "Aviso de corte de agua (fecha corregida)", t0.Add(-24*time.Hour))
	inside := Post("obras", "2", 1, "Bacheo en la avenida", t0.Add(48*time.Hour))
	later := Post("cultura", "3", 1, "Concierto en la plaza", t0.Add(96*time.Hour))
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{moved, inside, later},
		Decisions: []archive.Decision{Decide(moved, archive.Function, "rule:v1", t0), Decide(inside, archive.Function, "rule:v1", t0), Decide(later, archive.Personal, "rule:v1", t0)}})
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{corrected}, Decisions: []archive.Decision{Decide(corrected, archive.Function, "rule:v1", t0)}})
	for _, tt := range []struct {
		q    archive.Query
		want []string
	}{
		{archive.Query{From: t0}, []string{"3", "2"}},
		{archive.Query{From: t0, To: t0.Add(72 * time.Hour)}, []string{"2"}},
		{archive.Query{From: t0, Labels: []archive.Label{archive.Function}}, []string{"2"}},
		{archive.Query{From: t0.Add(-48 * time.Hour), Account: "obras"}, []string{"2", "1"}},
		{archive.Query{From: t0.Add(-48 * time.Hour), To: t0}, []string{"1"}},
	} {
		got, res := searchIDs(t, s, tt.q)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || res.Total != len(tt.want) {
			t.Errorf("Search(from %v, to %v, %v) = %v (total %d), want %v", tt.q.From, tt.q.To, tt.q.Labels, got, res.Total, tt.want)
		}
		f, err := s.Facets(context.Background(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if f.Total != len(tt.want) {
			t.Errorf("Facets(from %v, to %v).Total = %d, want %d", tt.q.From, tt.q.To, f.Total, len(tt.want))
		}
	}
}

func testSearch(t *testing.T, s archive.Store) {
	a := Post("obras", "1", 1, "Inauguramos la nueva Línea de agua", t0)
	a2 := Post("obras", "1", 2, "Inauguramos la nueva línea de agua potable", t0)
	b := Post("obras", "2", 1, "Comida con la familia", t0.Add(48*time.Hour))
	c := Post("cultura", "3", 1, "Programa de cine en el barrio", t0.Add(24*time.Hour))
	c.Network = archive.Telegram
	c.ContentSHA256 = c.ContentHash()
	mustAppend(t, s, &archive.Batch{
		Posts:     []archive.Post{a, b, c},
		Decisions: []archive.Decision{Decide(a, archive.Function, "rule:v1", t0), Decide(b, archive.Undetermined, "rule:v1", t0), Decide(c, archive.Function, "rule:v1", t0)},
	})
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{a2}, Decisions: []archive.Decision{Decide(a2, archive.Function, "rule:v1", t0.Add(time.Hour))}})

	tests := []struct {
		name string
		q    archive.Query
		want []string // post ids, newest first
	}{
		{"all", archive.Query{}, []string{"2", "3", "1"}},
		{"account", archive.Query{Account: "obras"}, []string{"2", "1"}},
		{"network", archive.Query{Network: archive.Telegram}, []string{"3"}},
		{"label", archive.Query{Label: archive.Function}, []string{"3", "1"}},
		{"text ignores case and accents", archive.Query{Text: "LINEA DE AGUA POTABLE"}, []string{"1"}},
		{"text of an old version does not match", archive.Query{Text: "Línea de agua", Account: "cultura"}, nil},
		{"from", archive.Query{From: t0.Add(time.Hour)}, []string{"2", "3"}},
		{"to", archive.Query{To: t0.Add(time.Hour)}, []string{"1"}},
		{"limit and offset", archive.Query{Limit: 1, Offset: 1}, []string{"3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := searchIDs(t, s, tt.q)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}

	res, err := s.Search(context.Background(), archive.Query{Account: "obras", Text: "potable"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %d, want 1", len(res.Hits))
	}
	h := res.Hits[0]
	if h.Versions != 2 || h.Version != 2 || h.Text != a2.Text {
		t.Errorf("hit versions=%d version=%d text=%q, want the second of 2 versions", h.Versions, h.Version, h.Text)
	}
	if h.Decision.Label != archive.Function || h.Decision.DecidedBy != "rule:v1" || !h.Decision.DecidedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("decision = %+v, want the one on the latest version", h.Decision)
	}
	if got, want := h.Metrics["likes"], int64(3); got != want {
		t.Errorf("metrics likes = %d, want %d", got, want)
	}
	if len(h.Media) != 1 || h.Media[0].Alt != "foto" {
		t.Errorf("media = %+v, want the image", h.Media)
	}
	if !h.PublishedAt.Equal(t0) || !h.CapturedAt.Equal(a2.CapturedAt) {
		t.Errorf("times = %v/%v, want %v/%v", h.PublishedAt, h.CapturedAt, t0, a2.CapturedAt)
	}
	paged, err := s.Search(context.Background(), archive.Query{Limit: 1, Offset: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := paged.Total, 3; got != want || len(paged.Hits) != 0 {
		t.Errorf("past the last page: total %d hits %d, want total %d and no hits", got, len(paged.Hits), want)
	}
}

func testPersonDecision(t *testing.T, s archive.Store) {
	p := Post("obras", "1", 1, "Reunión con vecinos", t0)
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{p}, Decisions: []archive.Decision{Decide(p, archive.Undetermined, "rule:v1", t0)}})
	person := Decide(p, archive.Function, "person:ana", t0.Add(time.Hour))
	later := Decide(p, archive.Personal, "model v2", t0.Add(2*time.Hour))
	mustAppend(t, s, &archive.Batch{Decisions: []archive.Decision{person, later}})
	res, err := s.Search(context.Background(), archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Hits[0].Decision; got.DecidedBy != "person:ana" || got.Label != archive.Function {
		t.Errorf("standing decision = %s by %s, want function by person:ana", got.Label, got.DecidedBy)
	}
}

// testVersionDecisions checks that a decision stands for the content it was
// made on: a person's decision on version 1 does not stand for an edit, so
// a reader of function posts no longer finds the post when the edit is
// undecided, and the edit awaits a person however sure a model is; the
// public (Query.Public) reads it only once a person has decided it.
func testVersionDecisions(t *testing.T, s archive.Store) {
	ctx := context.Background()
	public := archive.Query{Labels: []archive.Label{archive.Function}}
	vis := archive.Visibility{Threshold: 0.75}
	published := archive.Query{Public: true, Visibility: vis}
	review := archive.Query{NeedsReview: 0.8, Visibility: vis}
	// post 1: a person says function; the edit is personal, undecided
	v1 := Post("obras", "1", 1, "Bacheo en la colonia Centro", t0)
	v2 := Post("obras", "1", 2, "Feliz cumpleaños a mi hija, llámenme al 33 1234 5678", t0)
	// post 2: a person says personal; the edit is decided function by a sure model
	w1 := Post("obras", "2", 1, "Con mi familia en la playa", t0.Add(time.Hour))
	w2 := Post("obras", "2", 2, "Licitación pública de alumbrado", t0.Add(time.Hour))
	sure := Decide(w2, archive.Function, "model v1", t0.Add(3*time.Hour))
	sure.Confidence = 0.99
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{v1, w1}, Decisions: []archive.Decision{
		Decide(v1, archive.Undetermined, "model v1", t0), Decide(w1, archive.Undetermined, "model v1", t0),
		Decide(v1, archive.Function, "person:ana", t0.Add(time.Hour)), Decide(w1, archive.Personal, "person:ana", t0.Add(time.Hour)),
	}})
	if got, _ := searchIDs(t, s, public); fmt.Sprint(got) != "[1]" {
		t.Fatalf("before the edits, function posts = %v, want [1]", got)
	}
	if got, _ := searchIDs(t, s, published); fmt.Sprint(got) != "[1]" {
		t.Fatalf("before the edits, public search = %v, want [1]", got)
	}
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{v2, w2}, Decisions: []archive.Decision{
		Decide(v2, archive.Undetermined, "model v1", t0.Add(2*time.Hour)), sure,
	}})
	if got, _ := searchIDs(t, s, public); fmt.Sprint(got) != "[2]" {
		t.Errorf("after the edits, function posts = %v, want [2]: the undecided edit of 1 is not, the function edit of 2 is", got)
	}
	if got, _ := searchIDs(t, s, published); len(got) != 0 {
		t.Errorf("after the edits, public search = %v, want none: each edit of a post a person decided awaits a person", got)
	}
	if got, _ := searchIDs(t, s, archive.Query{Labels: []archive.Label{archive.Function}, Text: "cumpleaños"}); len(got) != 0 {
		t.Errorf("public search for the edit's personal words = %v, want nothing", got)
	}
	if got, _ := searchIDs(t, s, review); fmt.Sprint(got) != "[1 2]" {
		t.Errorf("review queue = %v, want [1 2]: both edits of posts a person decided", got)
	}
	res, err := s.Search(ctx, archive.Query{Account: "obras", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if !h.Reviewed {
			t.Errorf("post %s: not marked as reviewed by a person", h.PostID)
		}
		want := map[string]archive.Label{"1": archive.Undetermined, "2": archive.Function}[h.PostID]
		if h.Decision.Label != want || h.Decision.ContentSHA256 != h.ContentSHA256 {
			t.Errorf("post %s: standing %s on %.8s, want %s on the latest version %.8s", h.PostID, h.Decision.Label, h.Decision.ContentSHA256, want, h.ContentSHA256)
		}
	}
	hist, err := s.History(ctx, v1.Key())
	if err != nil {
		t.Fatal(err)
	}
	if got := hist.Standing(); got.Label != archive.Undetermined {
		t.Errorf("history of post 1: standing %s by %s, want undetermined", got.Label, got.DecidedBy)
	}
	if pv := hist.PublicVersions(vis); len(pv) != 1 || pv[0].Version != 1 || hist.Public(vis) {
		t.Errorf("history of post 1: public versions %d, public %v; want version 1 only, and the post not public", len(pv), hist.Public(vis))
	}
	// A person decides the edit: it leaves the queue, and stands.
	mustAppend(t, s, &archive.Batch{Decisions: []archive.Decision{Decide(v2, archive.Personal, "person:ana", t0.Add(4*time.Hour))}})
	if got, _ := searchIDs(t, s, review); fmt.Sprint(got) != "[2]" {
		t.Errorf("review queue after deciding post 1's edit = %v, want [2]", got)
	}
	if got, _ := searchIDs(t, s, archive.Query{Label: archive.Personal}); fmt.Sprint(got) != "[1]" {
		t.Errorf("personal posts = %v, want [1]", got)
	}
	// and a person decides the edit of post 2 public: the public reads it
	mustAppend(t, s, &archive.Batch{Decisions: []archive.Decision{Decide(w2, archive.Function, "person:ana", t0.Add(5*time.Hour))}})
	if got, _ := searchIDs(t, s, published); fmt.Sprint(got) != "[2]" {
		t.Errorf("public search once a person decided post 2's edit = %v, want [2]", got)
	}
}

func testDeleted(t *testing.T, s archive.Store) {
	p := Post("obras", "1", 1, "Aviso", t0)
	q := Post("obras", "2", 1, "Aviso dos", t0)
	del := func(id string, kind archive.EventKind, at time.Time) archive.Event {
		return archive.Event{Network: p.Network, AccountID: "obras", PostID: id, Kind: kind, ObservedAt: at}
	}
	mustAppend(t, s, &archive.Batch{Posts: []archive.Post{p, q}, Events: []archive.Event{
		del("1", archive.DeletedAtSource, t0.Add(time.Hour)),
		del("2", archive.DeletedAtSource, t0.Add(time.Hour)),
		del("2", archive.Restored, t0.Add(2*time.Hour)),
	}})
	res, err := s.Search(context.Background(), archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Time{}
	for _, h := range res.Hits {
		got[h.PostID] = h.DeletedAtSource
	}
	if !got["1"].Equal(t0.Add(time.Hour)) || !got["2"].IsZero() {
		t.Errorf("deleted_at_source = %v, want post 1 deleted at %v and post 2 restored", got, t0.Add(time.Hour))
	}
}

func testAccounts(t *testing.T, s archive.Store) {
	a := archive.Account{ID: "obras", Network: archive.Mastodon, Handle: "@obras@social.example", Type: "personal",
		Area: "Obras Públicas", ServantName: "Ana", ServantPosition: "Directora", ServantLevel: 2,
		OfficeFrom: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), RecordedAt: t0}
	a.FactsSHA256 = a.FactsHash()
	b := a
	b.ServantPosition, b.RecordedAt = "Coordinadora", t0.Add(time.Hour)
	b.FactsSHA256 = b.FactsHash()
	official := archive.Account{ID: "gdl", Network: archive.RSS, Handle: "https://gdl.example/rss", Type: "official", ServantLevel: -1, RecordedAt: t0}
	official.FactsSHA256 = official.FactsHash()
	mustAppend(t, s, &archive.Batch{Accounts: []archive.Account{a, official}})
	mustAppend(t, s, &archive.Batch{Accounts: []archive.Account{b}})
	got, err := s.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "gdl" || got[1].ServantPosition != "Coordinadora" {
		t.Fatalf("Accounts = %+v, want gdl and the latest obras snapshot", got)
	}
	if got[0].ServantLevel != -1 || !got[1].OfficeFrom.Equal(a.OfficeFrom) || got[1].FactsSHA256 != b.FactsSHA256 {
		t.Errorf("snapshot fields did not round-trip: %+v", got)
	}
}

func testSummary(t *testing.T, s archive.Store) {
	p1 := Post("obras", "1", 1, "Obra", t0)
	p1b := Post("obras", "1", 2, "Obra terminada", t0)
	p2 := Post("obras", "2", 1, "Domingo de fútbol", t0.Add(time.Hour))
	mustAppend(t, s, &archive.Batch{
		Posts:     []archive.Post{p1, p1b, p2},
		Decisions: []archive.Decision{Decide(p1b, archive.Function, "rule:v1", t0), Decide(p2, archive.Undetermined, "rule:v1", t0)},
		Events: []archive.Event{
			{Network: p1.Network, AccountID: "obras", PostID: "1", Kind: archive.FirstSeen, ObservedAt: t0},
			{Network: p1.Network, AccountID: "obras", PostID: "1", Kind: archive.Edited, ObservedAt: t0},
			{Network: p1.Network, AccountID: "obras", PostID: "2", Kind: archive.FirstSeen, ObservedAt: t0},
		},
	})
	sum, err := s.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sum) != 1 {
		t.Fatalf("summary = %+v, want one account", sum)
	}
	got := sum[0]
	if got.Posts != 2 || got.Versions != 3 || got.Edited != 1 || got.Labels[archive.Function] != 1 || got.Labels[archive.Undetermined] != 1 ||
		got.Events[archive.FirstSeen] != 2 || got.Events[archive.Edited] != 1 {
		t.Errorf("summary = %+v, want 2 posts, 3 versions, 1 edited, 1 function, 1 undetermined, 2 first_seen, 1 edited", got)
	}
	// The newest post of each label: what the public role's directory
	// dates an account's public information by.
	if f, u := got.Newest[archive.Function], got.Newest[archive.Undetermined]; len(got.Newest) != 2 || !f.Equal(t0) || !u.Equal(t0.Add(time.Hour)) {
		t.Errorf("newest by label = %v, want function at %v and undetermined an hour later", got.Newest, t0)
	}
}

func testEmpty(t *testing.T, s archive.Store) {
	res, err := s.Search(context.Background(), archive.Query{Text: "nada"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("empty archive search = %+v", res)
	}
	f, err := s.Facets(context.Background(), archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", *f) != fmt.Sprintf("%+v", archive.Facets{}) {
		t.Errorf("empty archive facets = %+v", *f)
	}
	heads, err := s.Heads(context.Background(), []string{"x"})
	if err != nil || len(heads) != 0 {
		t.Errorf("empty archive heads = %v, %v", heads, err)
	}
	mustAppend(t, s, &archive.Batch{}) // an empty batch is fine
}

func testConcurrentAppends(t *testing.T, s archive.Store) {
	const writers, perWriter = 4, 50
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		go func() {
			var b archive.Batch
			for i := 0; i < perWriter; i++ {
				p := Post(fmt.Sprintf("cuenta%d", w), fmt.Sprint(i), 1, fmt.Sprintf("aviso %d de %d", i, w), t0.Add(time.Duration(i)*time.Minute))
				b.Posts = append(b.Posts, p)
				b.Decisions = append(b.Decisions, Decide(p, archive.Function, "rule:v1", t0))
			}
			errs <- s.Append(context.Background(), &b)
		}()
	}
	for w := 0; w < writers; w++ {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent Append: %v", err)
		}
	}
	res, err := s.Search(context.Background(), archive.Query{Label: archive.Function})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Total, writers*perWriter; got != want {
		t.Errorf("after concurrent appends: %d function posts, want %d", got, want)
	}
}
