package access

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/directory"
)

// A versión pública keeps the mentions of the directory's accounts and of
// the public handles given, and masks the others.
func TestRedactPublic(t *testing.T) {
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), duckdb.WriterOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	if err := st.Append(ctx, &archive.Batch{Accounts: []archive.Account{
		{ID: "ana", Network: archive.Mastodon, Handle: "@ana@social.example", Type: "personal", ServantLevel: 1, RecordedAt: at},
	}}); err != nil {
		t.Fatal(err)
	}
	// the directory's account is mentioned as @ana@social.example, and
	// by its local name @ana on its own instance; neither is masked
	nets := directory.Networks{{Name: archive.Mastodon, Mention: directory.AtMention}}
	redact, err := RedactPublic(ctx, st, Masking{Public: []string{"@congreso"}, Networks: nets})
	if err != nil {
		t.Fatal(err)
	}
	h := &archive.Hit{Post: archive.Post{Network: archive.Mastodon, AccountID: "ana", PostID: "1",
		Text: "Con @ana@social.example, @ana y @congreso; gracias a @vecina.particular"}}
	text, marks := redact(h)
	if want := "Con @ana@social.example, @ana y @congreso; gracias a [mención testada]"; text != want {
		t.Errorf("redacted: %q, want %q", text, want)
	}
	def := classifier.DefaultPolicy().Answer.Masking.Mention
	if len(marks) != 1 || marks[0].PostID != "1" || marks[0].Basis != def || !strings.HasPrefix(def, "Artículo 115 ") {
		t.Errorf("marks: %+v, want one citing %q", marks, def)
	}
}
