package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/directory"
)

// TestReclassifyAfterCrawlChangesNothing crawls the sample network under a
// policy file of its own, with a directory in a time zone other than the
// default and posts that mention official accounts, and reclassifies the
// archive as the crawl would decide: no decision changes. A post published
// on the last evening of a servant's term in Mexico City's time, already
// after it in Cancún's, is decided outside the term by both. A person's
// decision takes its basis from the same policy.
func TestReclassifyAfterCrawlChangesNothing(t *testing.T) {
	sn, srvURL, dirFile, arc := liveSample(t)
	data, err := os.ReadFile("../../classifier/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(t.TempDir(), "politica.yaml")
	renamed := strings.NewReplacer("politicas-2019-v1", "ley-2025-v1", "Tercera", "Artículo 3", "Sexta", "Artículo 6", "Décima novena", "Artículo 19").Replace(string(data))
	if err := os.WriteFile(policy, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	late := time.Date(2026, 11, 30, 5, 30, 0, 0, time.UTC) // 23:30 on the 29th in Mexico City, 00:30 on the 30th in Cancún
	for _, p := range []struct{ acct, key, text string }{
		{"obras-director", "cierre-gestion", "Con @gobierno cerramos la gestión: entregamos el informe de obras del colector Patria al cabildo."},
		{"bacheo-jefa", "bacheo-mencion", "Junto con @obras_jorge y @gobierno atendimos 40 baches en la colonia Oblatos esta semana."},
	} {
		if err := sn.Publish(p.acct, p.key, p.text, late); err != nil {
			t.Fatal(err)
		}
	}
	d, err := directory.Load(dirFile, networks())
	if err != nil {
		t.Fatal(err)
	}
	d.Timezone = "America/Cancun"
	for i := range d.Accounts {
		if d.Accounts[i].ID == "obras-director" {
			if d.Accounts[i].Office.To, err = directory.ParseDate("2026-11-29"); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := d.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dirFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0",
		"--mirror", srvURL, "--progress=false", "--policy", policy); code != 0 {
		t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
	}
	decisions := func() map[string]string {
		m := map[string]string{}
		for _, h := range searchJSONL(t, "--archive", arc) {
			m[h["account"].(string)+"/"+h["post_id"].(string)] = h["label"].(string) + " " + h["basis"].(string) + " " + h["decided_by"].(string) + ": " + h["rationale"].(string)
		}
		return m
	}
	before := decisions()
	if got := searchJSONL(t, "--archive", arc, "--text", "cerramos la gestión"); len(got) != 1 {
		t.Fatalf("%d posts published after the term, want 1", len(got))
	}
	for _, h := range searchJSONL(t, "--archive", arc, "--text", "cerramos la gestión") {
		if h["label"] != "personal" || h["decided_by"] != "rule:ley-2025-v1" || h["basis"] != "Artículo 6" {
			t.Errorf("a post after the term in the directory's time zone: %v by %v (%v); want personal by the rule", h["label"], h["decided_by"], h["rationale"])
		}
	}
	if got := searchJSONL(t, "--archive", arc, "--text", "atendimos 40 baches"); len(got) != 1 {
		t.Fatalf("%d posts mentioning official accounts, want 1", len(got))
	}
	for _, h := range searchJSONL(t, "--archive", arc, "--text", "atendimos 40 baches") {
		if !strings.HasPrefix(h["decided_by"].(string), "model:") {
			t.Errorf("a post mentioning official accounts: decided by %v, want the model", h["decided_by"])
		}
	}
	out, errs, code := vigia(t, "", "classify", "--archive", arc, "--reclassify", "--timezone", "America/Cancun", "--policy", policy)
	if code != 0 || !strings.Contains(out, ": 0 new decisions") {
		t.Fatalf("reclassify after a crawl: exit %d, want 0 new decisions\n%s%s", code, out, errs)
	}
	after := decisions()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: decided %q by the crawl, %q after reclassifying", k, v, after[k])
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d posts before reclassifying, %d after", len(before), len(after))
	}
	// Read in Mexico City's time (what reclassifying did before it took
	// the directory's), the last post falls inside the term: it changes.
	out, errs, code = vigia(t, "", "classify", "--archive", arc, "--reclassify", "--timezone", "America/Mexico_City", "--policy", policy)
	if code != 0 || !strings.Contains(out, ": 1 new decisions") {
		t.Errorf("reclassify in another time zone: exit %d, want 1 new decision\n%s%s", code, out, errs)
	}

	// A person decides under the same policy.
	for _, c := range []struct{ text, basis string }{{"cerramos la gestión", "Artículo 6"}, {"", "Artículo 3"}} {
		args := []string{"--archive", arc, "--text", c.text}
		if c.text == "" {
			args = []string{"--archive", arc, "--account", "gobierno-gdl"}
		}
		hits := searchJSONL(t, args...)
		if len(hits) == 0 {
			t.Fatalf("no post for %v", args)
		}
		ref := hits[0]["account"].(string) + "/" + hits[0]["post_id"].(string)
		out, errs, code := vigia(t, "", "review", "decide", ref, "function", "--reason", "Informa de la gestión", "--by", "ana.lopez", "--archive", arc, "--policy", policy)
		if code != 0 || !strings.Contains(out, "basis "+c.basis+",") {
			t.Errorf("review decide %s: exit %d, want basis %s\n%s%s", ref, code, c.basis, out, errs)
		}
	}
}
