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
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/review"
)

// A directory in Cancún's time zone (an hour ahead of Mexico City's): a
// post at 05:30 UTC on 2026-11-30 is after a term ending 2026-11-29 there,
// inside it in Mexico City.
const testDirectory = `subject: Ayuntamiento de Ejemplo
timezone: America/Cancun
accounts:
  - id: gobierno
    network: mastodon
    handle: "@gobierno@social.example"
    type: official
    area: Comunicación Social
  - id: obras
    network: mastodon
    handle: "@obras_jorge@social.example"
    type: personal
    area: Obras Públicas
    servant: {name: Jorge Ibarra, position: Director de Obras Públicas, level: 2}
    office: {from: 2024-10-01, to: 2026-11-29}
    registered_on: 2024-10-03
  - id: presidenta
    network: bluesky
    handle: presidenta.ejemplo.mx
    type: personal
    area: Presidencia Municipal
    administered_by_area: true
    servant: {name: Laura Méndez Ruiz, position: Presidenta Municipal, level: 0}
    office: {from: 2024-10-01, to: 2026-11-29}
    registered_on: 2024-10-03
`

// testPolicy is the embedded policy renamed, as an office would write
// another (--policy FILE): other clause names, another version.
func testPolicy(t *testing.T) *classifier.Policy {
	t.Helper()
	data, err := os.ReadFile("../classifier/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("politicas-2019-v1", "ley-2025-v1", "Tercera", "Artículo 3", "Sexta", "Artículo 6", "Décima novena", "Artículo 19").Replace(string(data))
	path := filepath.Join(t.TempDir(), "politica.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	pol, err := classifier.LoadPolicy(path)
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// TestEveryEntryPointDecidesAlike decides the same posts as the crawl does
// (directory facts), as a reclassification does (the archive's snapshots of
// the accounts, read back from an archive) and as a person does, under a
// policy other than the embedded one, and gets the same decisions.
func TestEveryEntryPointDecidesAlike(t *testing.T) {
	ctx := context.Background()
	pol := testPolicy(t)
	nets := directory.Networks{mastodon.Network, bluesky.Network}
	dir, err := directory.Parse("directorio.yaml", []byte(testDirectory), nets)
	if err != nil {
		t.Fatal(err)
	}
	inTerm := time.Date(2026, 6, 18, 17, 0, 0, 0, time.UTC)
	late := time.Date(2026, 11, 30, 5, 30, 0, 0, time.UTC)
	post := func(acct, id, text string, at time.Time) archive.Post {
		p := archivetest.Post(acct, id, 1, text, at)
		if acct == "presidenta" {
			p.Network = archive.Bluesky
			p.ContentSHA256 = p.ContentHash()
		}
		return p
	}
	repost := post("obras", "5", "", inTerm)
	repost.RepostOf = "https://social.example/@gobierno/9"
	repost.ContentSHA256 = repost.ContentHash()
	cases := []struct {
		name  string
		post  archive.Post
		basis string // of the decision; "" when the content model decides
		by    string // the prefix of DecidedBy
	}{
		{"official account", post("gobierno", "1", "Aviso: corte de agua en la colonia Oblatos el martes", inTerm), "Artículo 3", "rule:ley-2025-v1"},
		{"mentions of official accounts", post("obras", "2", "Con @gobierno y @gobierno@social.example revisamos el avance del colector Patria; la obra concluye en diciembre.", inTerm), "Artículo 6", "model:"},
		{"personal content", post("obras", "3", "Feliz cumpleaños a mi mamá, nos vemos en la comida del domingo", inTerm), "Artículo 6", "model:"},
		{"after the term in the directory's time zone", post("obras", "4", "Con @gobierno cerramos la gestión: entregamos el informe de obras al cabildo.", late), "Artículo 6", "rule:ley-2025-v1"},
		{"repost", repost, "Artículo 6", "rule:ley-2025-v1"},
		{"administered by an area, inside the term", post("presidenta", "6", "Hoy inauguramos el parque lineal de la calzada", inTerm), "Artículo 19", "rule:ley-2025-v1"},
		{"administered by an area, after the term", post("presidenta", "7", "Gracias a todas y todos por estos años", late), "Artículo 6", "rule:ley-2025-v1"},
	}

	// The crawl's judge.
	crawl := decision.ForDirectory(pol, classifier.DefaultModel(), dir, nets)
	var judge crawler.Judge = crawl.Crawled
	account := func(id string) *directory.Account {
		for i := range dir.Accounts {
			if dir.Accounts[i].ID == id {
				return &dir.Accounts[i]
			}
		}
		t.Fatalf("no account %q", id)
		return nil
	}

	// The archive's snapshots, written and read back, as a reclassification
	// reads them.
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), duckdb.WriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b archive.Batch
	for i := range dir.Accounts {
		b.Accounts = append(b.Accounts, dir.Snapshot(&dir.Accounts[i], inTerm))
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
	reclassify, facts := decision.ForArchive(pol, classifier.DefaultModel(), snaps, dir.Location, nets)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := judge(account(c.post.AccountID), &c.post)
			if got.Basis != c.basis || !strings.HasPrefix(got.DecidedBy, c.by) || got.ContentSHA256 != c.post.ContentSHA256 || !got.DecidedAt.Equal(c.post.CapturedAt) {
				t.Errorf("the crawl decides %+v, want basis %q by %q", got, c.basis, c.by)
			}
			if again := reclassify.Decide(facts[c.post.AccountID], &c.post, c.post.CapturedAt); !reflect.DeepEqual(again, got) {
				t.Errorf("reclassifying decides\n%+v\nthe crawl\n%+v", again, got)
			}
			d, _, err := review.Decide(ctx, st, pol, c.post.Key(), archive.Personal, "revisado", "lucia", late)
			if err != nil {
				t.Fatal(err)
			}
			want := "Artículo 6"
			if c.post.AccountID == "gobierno" {
				want = "Artículo 3"
			}
			if d.Basis != want || d.ContentSHA256 != c.post.ContentSHA256 {
				t.Errorf("a person's decision: basis %q on %s, want %q on %s", d.Basis, d.ContentSHA256, want, c.post.ContentSHA256)
			}
			if b := decision.Basis(pol, decision.FromDirectory(account(c.post.AccountID))); b != d.Basis {
				t.Errorf("a person's basis from the directory's facts %q, from the archive's %q", b, d.Basis)
			}
		})
	}
}

func TestOfficialMentions(t *testing.T) {
	nets := directory.Networks{mastodon.Network, bluesky.Network}
	dir, err := directory.Parse("directorio.yaml", []byte(testDirectory), nets)
	if err != nil {
		t.Fatal(err)
	}
	var fromDir []decision.Account
	var fromArchive []decision.Account
	for i := range dir.Accounts {
		fromDir = append(fromDir, decision.FromDirectory(&dir.Accounts[i]))
		fromArchive = append(fromArchive, decision.FromArchive(dir.Snapshot(&dir.Accounts[i], time.Now())))
	}
	m := decision.OfficialMentions(nets, fromDir)
	if other := decision.OfficialMentions(nets, fromArchive); !reflect.DeepEqual(m, other) {
		t.Errorf("mentions from the directory %v, from the archive %v", m, other)
	}
	for text, want := range map[string]int{
		"Con @gobierno y @Gobierno@social.example.":  2,
		"(@gobierno) ¡gracias @gobierno!":            2,
		"Con @obras_jorge, un servidor y no oficial": 0,
		"correo gobierno@social.example":             0,
		"sin menciones":                              0,
	} {
		if got := m.Count(text); got != want {
			t.Errorf("Count(%q) = %d, want %d", text, got, want)
		}
	}
}
