package archivetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// fullPost returns a post version with every field of archive.Post set to
// something other than its zero value.
func fullPost() archive.Post {
	p := archive.Post{
		Network: archive.Telegram, AccountID: "avisos", PostID: "1234",
		URL: "https://t.me/avisos_gdl/1234", Author: "avisos_gdl",
		PublishedAt: t0, EditedAt: t0.Add(10 * time.Minute), Edited: true, CapturedAt: t0.Add(time.Hour),
		Text: "Corte de agua en la colonia Americana, 9 a 14 h.", Raw: []byte(`<div class="tgme_widget_message">…</div>`),
		RawType: "text/html", Language: "es", ReplyTo: "https://t.me/avisos_gdl/1200", RepostOf: "https://t.me/sapas/88",
		Media: []archive.Media{{Kind: "image", URL: "https://cdn.example/a.jpg", PreviewURL: "https://cdn.example/a_t.jpg",
			Alt: "mapa", MimeType: "image/jpeg", ID: "m-1", WARCFile: "m.warc.gz", WARCRecordID: "<urn:uuid:m1>",
			WARCOffset: 77, WARCDigest: "sha256:MM", Bytes: 2048, Note: "recortada"}},
		Metrics: archive.Metrics{"views": 33400, "reposts": 2},
		Shared: &archive.Shared{Kind: archive.Forward, URL: "https://t.me/sapas/88", Author: "sapas", AuthorName: "SAPAS Guadalajara",
			PublishedAt: t0.Add(-time.Hour), Text: "Texto de la publicación compartida.",
			Media: []archive.Media{{Kind: "link", URL: "https://sapas.example/aviso", Alt: "Aviso del SAPAS"}}},
		SourceURL: "https://t.me/s/avisos_gdl", Version: 1, CrawlerVersion: "vigia/test", RunID: "run-full",
		WARC: archive.WARCRef{File: "a.warc.gz", RecordID: "<urn:uuid:full>", Offset: 4321, Digest: "sha256:FF"},
	}
	p.ContentSHA256 = p.ContentHash()
	return p
}

// testWholePost writes a post with every field set and reads it back from
// Search (the hit) and History (the version): every field must come back as
// written, so an engine that drops or mangles a field fails. The fields are
// walked by reflection: a field added to archive.Post is covered as soon as
// fullPost sets it, and the test fails until it does.
func testWholePost(t *testing.T, s archive.Store) {
	p := fullPost()
	pv := reflect.ValueOf(p)
	for i := range pv.NumField() {
		if pv.Field(i).IsZero() {
			t.Errorf("fullPost leaves archive.Post.%s zero: set it so that the round trip covers it", pv.Type().Field(i).Name)
		}
	}
	d := Decide(p, archive.Function, "rule:v1", p.CapturedAt)
	mustAppend(t, s, &archive.Batch{
		Posts:     []archive.Post{p},
		Captures:  []archive.Capture{{Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, CapturedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256}},
		Decisions: []archive.Decision{d},
	})
	ctx := context.Background()
	res, err := s.Search(ctx, archive.Query{Account: p.AccountID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("Search found %d hits, want 1", len(res.Hits))
	}
	// A hit leaves out the raw capture (archive.Hit): History has it.
	hit := res.Hits[0].Post
	hit.Raw, hit.RawType = p.Raw, p.RawType
	comparePost(t, "Search", hit, p)
	hj := res.Hits[0]
	if hj.Decision.Label != d.Label || hj.Decision.Basis != d.Basis || hj.Decision.Rationale != d.Rationale || hj.Versions != 1 {
		t.Errorf("Search: decision %+v, %d versions; want %+v, 1", hj.Decision, hj.Versions, d)
	}
	h, err := s.History(ctx, p.Key())
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 1 {
		t.Fatalf("History has %d versions, want 1", len(h.Versions))
	}
	comparePost(t, "History", h.Versions[0], p)
}

// comparePost compares every field of got with want: times as instants,
// the rest as values.
func comparePost(t *testing.T, where string, got, want archive.Post) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range wv.NumField() {
		name := wv.Type().Field(i).Name
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		if wt, ok := w.(time.Time); ok {
			if gt := g.(time.Time); !gt.Equal(wt) {
				t.Errorf("%s: %s = %v, want %v", where, name, gt, wt)
			}
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s = %#v, want %#v", where, name, g, w)
		}
	}
}
