package review

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/classifier"
)

func TestDecide(t *testing.T) {
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), duckdb.WriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	v1 := archivetest.Post("ana", "7", 1, "Hoy en la sesión de cabildo", t0)
	v2 := archivetest.Post("ana", "7", 2, "Hoy en la sesión de cabildo aprobamos el presupuesto", t0)
	gob := archivetest.Post("gobierno", "8", 1, "Aviso de corte de agua", t0)
	if err := st.Append(ctx, &archive.Batch{
		Accounts: []archive.Account{
			{ID: "ana", Network: archive.Mastodon, Type: "personal", ServantLevel: 1, RecordedAt: t0},
			{ID: "gobierno", Network: archive.Mastodon, Type: "official", ServantLevel: -1, RecordedAt: t0},
		},
		Posts:     []archive.Post{v1, v2, gob},
		Decisions: []archive.Decision{archivetest.Decide(v2, archive.Undetermined, "model v1", t0)},
	}); err != nil {
		t.Fatal(err)
	}
	pol := classifier.DefaultPolicy()
	rules := pol.Rules
	at := t0.Add(time.Hour)
	d, version, err := Decide(ctx, st, pol, v2.Key(), archive.Function, "  informa de una sesión de cabildo ", "lucia", at)
	if err != nil {
		t.Fatal(err)
	}
	if version != 2 || d.ContentSHA256 != v2.ContentSHA256 || d.Basis != rules.Personal.Basis || d.DecidedBy != "person:lucia" ||
		d.Rationale != "informa de una sesión de cabildo" || d.Confidence != 1 || !d.DecidedAt.Equal(at) {
		t.Errorf("decision on a personal account's post: version %d, %+v", version, d)
	}
	res, err := st.Search(ctx, archive.Query{Account: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Decision.DecidedBy != "person:lucia" || res.Hits[0].Decision.Label != archive.Function {
		t.Errorf("the person's decision does not stand: %+v", res.Hits)
	}
	if d, _, err := Decide(ctx, st, pol, gob.Key(), archive.Personal, "saludo", "lucia", at); err != nil || d.Basis != rules.Official.Basis {
		t.Errorf("decision on an official account's post: basis %q, %v; want %q", d.Basis, err, rules.Official.Basis)
	}
	for _, c := range []struct {
		label       archive.Label
		reason, who string
	}{{archive.Undetermined, "dudoso", "lucia"}, {archive.Function, " ", "lucia"}, {archive.Function, "motivo", ""}} {
		if _, _, err := Decide(ctx, st, pol, v2.Key(), c.label, c.reason, c.who, at); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decide(%q, %q, %q) = %v, want ErrInvalid", c.label, c.reason, c.who, err)
		}
	}
	if _, _, err := Decide(ctx, st, pol, archive.Key{Network: archive.Mastodon, AccountID: "ana", PostID: "99"}, archive.Function, "motivo", "lucia", at); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("a post not archived: %v, want ErrNotFound", err)
	}
}
