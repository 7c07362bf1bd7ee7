package decision_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/review"
)

// A regidora of Guadalajara, candidate in Jalisco's 2024 local process for
// the ayuntamiento, who took a leave in May; an administered account's
// servant with a leave too.
const electoralDirectory = `subject: Ayuntamiento de Guadalajara
jurisdiction: MX-JAL
accounts:
  - id: gobierno
    network: mastodon
    handle: "@gobierno@social.example"
    type: official
    area: Comunicación Social
  - id: regidora
    network: mastodon
    handle: "@regidora_ana@social.example"
    type: personal
    area: Regidurías
    servant: {name: Ana Torres Vidal, position: Regidora, level: 1}
    office: {from: 2021-10-01}
    registered_on: 2021-10-05
    leave: [{from: 2024-05-01, to: 2024-05-15}]
    candidacy: {election: 2024-06-02, office: ayuntamiento}
  - id: presidenta
    network: mastodon
    handle: "@presidenta@social.example"
    type: personal
    area: Presidencia Municipal
    administered_by_area: true
    servant: {name: Laura Méndez Ruiz, position: Presidenta Municipal, level: 0}
    office: {from: 2021-10-01}
    registered_on: 2021-10-05
    leave: [{from: 2024-03-01}]
`

// TestElectoralDecisions decides posts of a candidate and of a servant on
// leave as the crawl, a reclassification from the archive's snapshots and
// the rationale's reader see them.
func TestElectoralDecisions(t *testing.T) {
	ctx := context.Background()
	nets := directory.Networks{mastodon.Network, bluesky.Network}
	dir, err := directory.Parse("directorio.yaml", []byte(electoralDirectory), nets)
	if err != nil {
		t.Fatal(err)
	}
	pol, model := classifier.DefaultPolicy(), classifier.DefaultModel()
	crawl := decision.ForDirectory(pol, model, dir, nets)
	account := func(id string) *directory.Account {
		for i := range dir.Accounts {
			if dir.Accounts[i].ID == id {
				return &dir.Accounts[i]
			}
		}
		t.Fatalf("no account %q", id)
		return nil
	}
	gdl := dir.Location
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, gdl) }

	function := "Con @gobierno revisamos el avance del colector Patria; la obra concluye en diciembre y evitará inundaciones en Oblatos."
	campaign := "¡Este 2 de junio vota por el cambio! Gracias a las vecinas de Oblatos por recibirnos en el mitin de esta tarde."
	// What the content model alone reads in the function text.
	alone := classifier.New(pol, model).Classify(classifier.Account{}, classifier.Post{Text: function, OfficialMentions: 1})

	type want struct {
		label     archive.Label
		rationale string // a part of it
	}
	cases := []struct {
		name string
		post archive.Post
		want want
	}{
		{"campaign post during the campaign",
			archivetest.Post("regidora", "1", 1, campaign, at(2024, 4, 12, 19, 0)),
			want{archive.Personal, "Publicada el 2024-04-12, durante la campaña del Proceso Electoral Local Concurrente 2023-2024 de Jalisco (del 2024-03-31 al 2024-05-29), en el que la persona servidora pública es candidata: el contenido electoral no es ejercicio de funciones."}},
		{"first minute of the campaign, Guadalajara time",
			archivetest.Post("regidora", "2", 1, campaign, at(2024, 3, 31, 0, 1)),
			want{archive.Personal, "durante la campaña del Proceso Electoral Local Concurrente 2023-2024 de Jalisco"}},
		{"the veda",
			archivetest.Post("regidora", "3", 1, campaign, at(2024, 6, 1, 23, 30)),
			want{archive.Personal, "durante la veda electoral del Proceso Electoral Local Concurrente 2023-2024 de Jalisco (del 2024-05-30 al 2024-06-01)"}},
		{"an open leave on an administered account",
			archivetest.Post("presidenta", "5", 1, function, at(2024, 4, 2, 9, 0)),
			want{archive.Personal, "durante una licencia de la persona servidora pública (desde el 2024-03-01, sin fecha de término)"}},
		{"inside the leave, during the campaign",
			archivetest.Post("regidora", "9", 1, function, at(2024, 5, 2, 12, 0)),
			want{archive.Personal, "Publicada el 2024-05-02, durante una licencia de la persona servidora pública (del 2024-05-01 al 2024-05-15): mientras no ejerce el cargo, lo que publica no deriva del ejercicio de funciones. Publicada el 2024-05-02, durante la campaña del Proceso Electoral Local Concurrente 2023-2024 de Jalisco (del 2024-03-31 al 2024-05-29), en el que la persona servidora pública es candidata"}},
		{"official account during the campaign",
			archivetest.Post("gobierno", "6", 1, campaign, at(2024, 4, 12, 19, 0)),
			want{archive.Function, "Cuenta oficial"}},
	}
	// Function vocabulary during the candidate's campaign goes to a person
	// with the model's evidence, unless the model itself does not read it
	// as function.
	fc := struct {
		name string
		post archive.Post
		want want
	}{"function vocabulary during the campaign", archivetest.Post("regidora", "7", 1, function, at(2024, 4, 20, 10, 0)),
		want{archive.Personal, "durante la campaña del Proceso Electoral Local Concurrente 2023-2024 de Jalisco"}}
	if alone.Label == classifier.Function {
		fc.want = want{archive.Undetermined, "una persona debe decidir si es información pública (protección civil, salud, educación, servicios) o propaganda electoral. " + alone.Rationale}
	}
	cases = append(cases, fc)
	// After the campaign and the veda, the model decides again.
	after := archivetest.Post("regidora", "8", 1, campaign, at(2024, 6, 2, 12, 0))

	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), duckdb.WriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b archive.Batch
	for i := range dir.Accounts {
		b.Accounts = append(b.Accounts, dir.Snapshot(&dir.Accounts[i], time.Now()))
	}
	for _, c := range cases {
		b.Posts = append(b.Posts, c.post)
	}
	if err := st.Append(ctx, &b); err != nil {
		t.Fatal(err)
	}
	snaps, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reclassify, facts := decision.ForArchive(pol, model, snaps, gdl, nets)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := crawl.Crawled(account(c.post.AccountID), &c.post)
			if got.Label != c.want.label || !strings.Contains(got.Rationale, c.want.rationale) || !strings.HasPrefix(got.DecidedBy, "rule:") {
				t.Errorf("decided %s by %s: %q\nwant %s saying %q", got.Label, got.DecidedBy, got.Rationale, c.want.label, c.want.rationale)
			}
			if got.Label != archive.Undetermined && got.Confidence != 1 || got.Label == archive.Undetermined && got.Confidence != 0 {
				t.Errorf("confidence %v for %s", got.Confidence, got.Label)
			}
			if again := reclassify.Decide(facts[c.post.AccountID], &c.post, c.post.CapturedAt); !reflect.DeepEqual(again, got) {
				t.Errorf("reclassifying from the archive decides\n%+v\nthe crawl\n%+v", again, got)
			}
			// A person's decision rests on the clause of the account's type.
			d, _, err := review.Decide(ctx, st, pol, c.post.Key(), archive.Function, "revisado", "lucia", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if want := decision.Basis(pol, decision.FromDirectory(account(c.post.AccountID))); d.Basis != want || d.ContentSHA256 != c.post.ContentSHA256 {
				t.Errorf("a person's decision: basis %q on %s, want %q on %s", d.Basis, d.ContentSHA256, want, c.post.ContentSHA256)
			}
		})
	}
	if d := crawl.Crawled(account("regidora"), &after); !strings.HasPrefix(d.DecidedBy, "model:") {
		t.Errorf("after the veda: decided by %s: %q, want the model", d.DecidedBy, d.Rationale)
	}
}

// TestPolicyWithoutElectoralRules: a policy file written before the
// electoral rules, under other clause names, still loads; it gets the
// embedded rules' texts on the basis of its own clauses.
func TestPolicyWithoutElectoralRules(t *testing.T) {
	data, err := os.ReadFile("../classifier/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("Tercera", "Artículo 3", "Sexta", "Artículo 6").Replace(string(data))
	start, end := strings.Index(s, "  leave:\n"), strings.Index(s, "\n\n# The publication threshold")
	if start < 0 || end < start {
		t.Fatal("policy.yaml: the electoral rules are not where the test looks for them")
	}
	old, err := classifier.ParsePolicy("vieja.yaml", []byte(s[:start]+s[end+1:]))
	if err != nil {
		t.Fatal(err)
	}
	def := classifier.DefaultPolicy().Rules
	for _, c := range []struct {
		name      string
		got, want classifier.Rule
	}{{"leave", old.Rules.Leave, def.Leave}, {"candidacy", old.Rules.Candidacy, def.Candidacy}, {"candidacy_review", old.Rules.CandidacyReview, def.CandidacyReview}} {
		if c.got.Label != c.want.Label || c.got.Rationale != c.want.Rationale || c.got.Basis != "Artículo 6" {
			t.Errorf("%s: %+v, want %+v on Artículo 6", c.name, c.got, c.want)
		}
	}
}
