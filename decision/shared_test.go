package decision_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
)

// TestSharedPosts: a forward's text is read by the content model as any
// text (it is what the account published), a repost without text of its
// own goes to the repost rule, and the rationale of each says that the
// words are someone else's, naming no one.
func TestSharedPosts(t *testing.T) {
	nets := directory.Networks{mastodon.Network, bluesky.Network}
	dir, err := directory.Parse("directorio.yaml", []byte(testDirectory), nets)
	if err != nil {
		t.Fatal(err)
	}
	judge := decision.ForDirectory(testPolicy(t), classifier.DefaultModel(), dir, nets)
	var obras *directory.Account
	for i := range dir.Accounts {
		if dir.Accounts[i].ID == "obras" {
			obras = &dir.Accounts[i]
		}
	}
	at := time.Date(2026, 6, 18, 17, 0, 0, 0, time.UTC)
	shared := func(id, text string, sh *archive.Shared) archive.Post {
		p := archivetest.Post("obras", id, 1, text, at)
		p.RepostOf, p.Shared = "https://social.example/@vecina/9", sh
		p.ContentSHA256 = p.ContentHash()
		return p
	}
	tests := []struct {
		name string
		post archive.Post
		by   string // the prefix of DecidedBy
		note string
	}{
		{"forward with text", shared("1", "Con @gobierno revisamos el avance del colector Patria; la obra concluye en diciembre.",
			&archive.Shared{Kind: archive.Forward, AuthorName: "Vecina Ana López"}), "model:", "lo escribió otra cuenta"},
		{"forward without text", shared("2", "", &archive.Shared{Kind: archive.Forward, AuthorName: "Vecina Ana López"}), "rule:", "sin texto"},
		{"repost", shared("3", "", &archive.Shared{Kind: archive.Repost, Author: "@vecina@social.example", AuthorName: "Vecina Ana López", Text: "Mi gato se perdió"}),
			"rule:", "compartido por esta sin texto propio"},
		{"quote", shared("4", "Con @gobierno revisamos el colector Patria.", &archive.Shared{Kind: archive.Quote, Author: "@vecina@social.example", Text: "¿Y el colector?"}),
			"model:", "no el citado"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := judge.Crawled(obras, &tt.post)
			if !strings.HasPrefix(d.DecidedBy, tt.by) || !strings.Contains(d.Rationale, tt.note) {
				t.Errorf("decided by %q: %q; want %s… saying %q", d.DecidedBy, d.Rationale, tt.by, tt.note)
			}
			if strings.Contains(d.Rationale, "Vecina") || strings.Contains(d.Rationale, "vecina") {
				t.Errorf("the rationale names the other author: %q", d.Rationale)
			}
		})
	}
}
