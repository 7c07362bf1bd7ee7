package archive

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestFieldsAreTheJSONContract: HitJSON has a field for every Field of the
// contract, in the same order, and every Field is complete.
func TestFieldsAreTheJSONContract(t *testing.T) {
	var names []string
	for _, f := range SearchColumns() {
		names = append(names, f.Name)
	}
	var tags []string
	ht := reflect.TypeFor[HitJSON]()
	for i := range ht.NumField() {
		tags = append(tags, jsonName(ht.Field(i)))
	}
	if got, want := strings.Join(tags, ","), strings.Join(names, ","); got != want {
		t.Errorf("HitJSON fields:\n%s\nwant, as Fields:\n%s", got, want)
	}
	seen := map[string]bool{}
	for _, f := range Fields {
		if f.Name == "" || f.Value == nil || seen[f.Name] {
			t.Errorf("field %q: no name or value, or listed twice", f.Name)
		}
		seen[f.Name] = true
	}
}

// TestNewHitJSON: every field of a hit reaches the JSON, and a CSV cell is
// the JSON's value written plainly.
func TestNewHitJSON(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CST", -6*3600))
	h := &Hit{
		Post: Post{Network: Mastodon, AccountID: "a", PostID: "1", URL: "https://x.example/1", Author: "@a@x.example",
			PublishedAt: at, EditedAt: at.Add(time.Hour), CapturedAt: at.Add(2 * time.Hour), Text: "hola <b>&</b>",
			Language: "es", ReplyTo: "r", RepostOf: "p", Media: []Media{{Kind: "image", URL: "u"}}, Metrics: Metrics{"likes": 3},
			Shared:        &Shared{Kind: Repost, URL: "https://y.example/9", Author: "@b@y.example", Text: "palabras de otra cuenta"},
			ContentSHA256: "abc", WARC: WARCRef{File: "f.warc.gz", RecordID: "<urn:uuid:1>"}},
		Decision: Decision{Label: Function, Confidence: 0.75, Basis: "Tercera", Rationale: "why", DecidedBy: "rule"},
		Versions: 2, DeletedAtSource: at.Add(3 * time.Hour), AccountType: "official", Area: "Obras",
	}
	b, err := json.Marshal(NewHitJSON(h))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range SearchColumns() {
		v, ok := m[f.Name]
		if !ok {
			t.Errorf("%s missing from the JSON", f.Name)
			continue
		}
		if cell := f.Cell(h); cell == "" || (f.Name != "media" && f.Name != "metrics" && f.Name != "shared" && cell != fmt.Sprint(v)) {
			t.Errorf("%s: cell %q, JSON %v", f.Name, cell, v)
		}
	}
	if got, want := m["published_at"], "2026-03-01T18:00:00Z"; got != want {
		t.Errorf("published_at = %v, want %v (UTC)", got, want)
	}
	if got, want := NewHitJSON(&Hit{}).Media, []Media{}; !reflect.DeepEqual(got, want) {
		t.Errorf("no media gives %#v, want an empty list", got)
	}
	if sh, _ := m["shared"].(map[string]any); sh["text"] != "palabras de otra cuenta" || sh["kind"] != "repost" {
		t.Errorf("shared in the JSON = %v", m["shared"])
	}
	if f, _ := FieldNamed("shared"); f.Cell(&Hit{}) != "" || !strings.Contains(f.Cell(h), `"author":"@b@y.example"`) {
		t.Errorf("shared cell: none %q, one %q", f.Cell(&Hit{}), f.Cell(h))
	}
	if got := NewHitJSON(&Hit{}).Shared; got != nil {
		t.Errorf("no shared post gives %#v, want null", got)
	}
	if f, _ := FieldNamed("edited"); f.CellES(h) != "sí" {
		t.Errorf("edited in Spanish = %q", f.CellES(h))
	}
	if f, _ := FieldNamed("warc_record_id"); f.Cell(h) != "<urn:uuid:1>" {
		t.Errorf("warc_record_id = %q", f.Cell(h))
	}
}
