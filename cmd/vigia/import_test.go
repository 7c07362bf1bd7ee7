package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/samplenet"
)

// importDirectory registers one account of each network read from exports:
// three official ones and a servant's personal Instagram.
const importDirectory = `subject: Ayuntamiento de Guadalajara (muestra)
accounts:
  - {id: gdl-x, network: x, handle: GobiernoGDL, type: official, area: Comunicación Social}
  - {id: gdl-fb, network: facebook, handle: GobiernoDeGuadalajara, type: official, area: Comunicación Social}
  - id: presidenta-ig
    network: instagram
    handle: presidenta.gdl
    type: personal
    area: Presidencia Municipal
    servant: {name: Laura Méndez Ruiz, position: Presidenta Municipal, level: 0}
    office: {from: 2024-10-01, to: }
    registered_on: 2024-10-03
  - {id: gdl-tiktok, network: tiktok, handle: gobiernogdl, type: official, area: Comunicación Social}
`

// exportCase is one network's export, generated from its documented layout.
type exportCase struct {
	account, handle string
	network         archive.Network
	build           func(samplenet.ExportSpec) []byte
	posts           int
	// whole: the export says it is whole (an X archive), so posts missing
	// from a later one are deleted at the source; the others' are reported.
	whole bool
}

var exportCases = []exportCase{
	{"gdl-x", "GobiernoGDL", archive.X, samplenet.XArchive, 3000, true},
	{"gdl-fb", "GobiernoDeGuadalajara", archive.Facebook, samplenet.FacebookExport, 2000, false},
	{"presidenta-ig", "presidenta.gdl", archive.Instagram, samplenet.InstagramExport, 2000, false},
	{"gdl-tiktok", "gobiernogdl", archive.TikTok, samplenet.TikTokExport, 2000, false},
}

// TestImportExports imports, with the built binary, an export of each
// network of realistic size into a DuckDB file and into ClickHouse, then a
// later export of each with edits, deletions and new posts, and reads the
// result back with search, show, export and verify.
func TestImportExports(t *testing.T) {
	bin := buildVigia(t)
	t.Run("duckdb", func(t *testing.T) {
		testImports(t, bin, filepath.Join(t.TempDir(), "a.duckdb"))
	})
	t.Run("clickhouse", func(t *testing.T) {
		testImports(t, bin, clickhouseArchive(t))
	})
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func testImports(t *testing.T, bin, arc string) {
	tmp := t.TempDir()
	dirFile := writeFile(t, tmp, "directorio.yaml", []byte(importDirectory))
	warcDir := filepath.Join(tmp, "warc")
	run := func(args ...string) (string, string, int) {
		t.Helper()
		return runBin(t, bin, append(args, "--archive", arc)...)
	}
	imp := func(account, received, file string) (string, string, int) {
		t.Helper()
		return run("import", "--account", account, "--directory", dirFile, "--warc-dir", warcDir, "--received", received, file)
	}
	end := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for i, c := range exportCases {
		t.Run(string(c.network), func(t *testing.T) {
			posts := samplenet.SampleExportPosts(c.posts, end, 1850000000000000000+int64(i)*1e15, uint64(i+1))
			if c.network == archive.X { // the archive keeps two edits and a post deleted within its own life
				posts[10].Edits, posts[10].EditAt = []string{posts[10].Text + " (actualizado)"}, []time.Time{posts[10].At.Add(9 * time.Minute)}
				posts[20].Deleted = posts[20].At.Add(time.Hour)
			}
			spec := samplenet.ExportSpec{Handle: c.handle, Name: "Gobierno de Guadalajara", Generated: end, Posts: posts}
			first := writeFile(t, tmp, string(c.network)+"-1.zip", c.build(spec))

			started := time.Now()
			out, errs, code := imp(c.account, "2026-11-03", first)
			took := time.Since(started)
			if code != 0 {
				t.Fatalf("import: exit %d\n%s%s", code, out, errs)
			}
			t.Logf("%s: %d posts imported in %s (%s)", c.network, c.posts, took.Round(time.Millisecond), strings.TrimPrefix(arc, filepath.Dir(arc)))
			stored := c.posts // an X post deleted within the archive's life is archived too, as deleted
			hits := searchBin(t, bin, arc, "--account", c.account)
			if len(hits) != stored {
				t.Fatalf("search finds %d posts of %s, want %d\n%s", len(hits), c.account, stored, out)
			}
			for _, h := range hits {
				if h["provenance"] != "importado de la exportación del titular, entregada el 2026-11-03" || h["network"] != string(c.network) || h["label"] == "" {
					t.Fatalf("post %v", h)
				}
			}
			if c.network == archive.X {
				edited := findHit(t, hits, exportPostID(c.network, posts[10]))
				if edited["versions"] != float64(2) || edited["edited"] != true || !strings.HasSuffix(edited["text"].(string), "(actualizado)") {
					t.Errorf("the post edited within the archive: %v", edited)
				}
				if gone := findHit(t, hits, exportPostID(c.network, posts[20])); gone["deleted_at_source"] == nil {
					t.Errorf("the post of deleted-tweets.js is not deleted at the source: %v", gone)
				}
			}

			// A later export: five posts edited, three deleted (X lists them
			// in deleted-tweets.js; the others' exports just lack them), two
			// missing, ten new.
			later := append([]samplenet.ExportPost(nil), posts...)
			for _, k := range []int{100, 200, 300, 400, 500} {
				later[k].Edits = append(append([]string(nil), later[k].Edits...), later[k].Text+" Fe de erratas: el horario es de 8 a 14 h.")
				later[k].EditAt = append(append([]time.Time(nil), later[k].EditAt...), end.Add(24*time.Hour))
			}
			for _, k := range []int{600, 700, 800} {
				later[k].Deleted = end.Add(36 * time.Hour)
			}
			missing := []samplenet.ExportPost{later[900], later[1000]}
			later = append(later[:1000], later[1001:]...)
			later = append(later[:900], later[901:]...)
			later = append(later, samplenet.SampleExportPosts(10, end.Add(30*24*time.Hour), 1860000000000000000+int64(i)*1e15, uint64(i+100))...)
			spec.Posts, spec.Generated = later, end.Add(30*24*time.Hour)
			second := writeFile(t, tmp, string(c.network)+"-2.zip", c.build(spec))
			out, errs, code = imp(c.account, "2026-12-01", second)
			if code != 0 {
				t.Fatalf("second import: exit %d\n%s%s", code, out, errs)
			}
			if !strings.Contains(out, "10 new, 5 changed") {
				t.Errorf("the later export's summary:\n%s", out)
			}
			hits = searchBin(t, bin, arc, "--account", c.account)
			if len(hits) != stored+10 {
				t.Errorf("after the later export search finds %d posts, want %d\n%s", len(hits), stored+10, out)
			}
			for _, k := range []int{100, 500} {
				h := findHit(t, hits, exportPostID(c.network, posts[k]))
				if h["versions"] != float64(2) || !strings.Contains(h["text"].(string), "Fe de erratas") ||
					h["provenance"] != "importado de la exportación del titular, entregada el 2026-12-01" {
					t.Errorf("edited post %s: %v", posts[k].ID, h)
				}
			}
			for _, k := range []int{600, 700, 800} {
				if h := findHit(t, hits, exportPostID(c.network, posts[k])); h["deleted_at_source"] == nil {
					if c.network == archive.X {
						t.Errorf("post %s listed as deleted is not deleted at the source: %v", posts[k].ID, h)
					}
				} else if c.network != archive.X && !c.whole {
					t.Errorf("post %s missing from a %s export was taken as deleted", posts[k].ID, c.network)
				}
			}
			for _, m := range missing {
				h := findHit(t, hits, exportPostID(c.network, m))
				if deleted := h["deleted_at_source"] != nil; deleted != c.whole {
					t.Errorf("post %s missing from the later export: deleted at the source %v, want %v\n%s", m.ID, deleted, c.whole, out)
				}
				if !strings.Contains(out, exportPostID(c.network, m)) {
					t.Errorf("the import does not report missing post %s:\n%s", exportPostID(c.network, m), out)
				}
			}
			show, errs, code := run("show", c.account+"/"+exportPostID(c.network, missing[0]))
			wantEvent := "missing_from_export"
			if c.whole {
				wantEvent = "deleted_at_source"
			}
			if code != 0 || !strings.Contains(show, wantEvent) || !strings.Contains(show, "sha256") ||
				!strings.Contains(show, "importado de la exportación del titular, entregada el 2026-11-03") {
				t.Errorf("show of a missing post: exit %d, want the event %s with the export as evidence\n%s%s", code, wantEvent, show, errs)
			}
		})
	}

	t.Run("a partial-looking whole export deletes nothing", func(t *testing.T) {
		later := end.AddDate(2, 0, 0)
		posts := samplenet.SampleExportPosts(400, later, 1870000000000000000, 77)
		spec := samplenet.ExportSpec{Handle: "GobiernoGDL", Generated: later, Posts: posts}
		if _, errs, code := imp("gdl-x", "2028-11-02", writeFile(t, tmp, "x-3.zip", samplenet.XArchive(spec))); code != 0 {
			t.Fatal(errs)
		}
		// The 300 posts between its oldest 50 and newest 50 missing: three
		// quarters of its span, though its manifest says it is whole.
		spec.Posts = append(append([]samplenet.ExportPost(nil), posts[:50]...), posts[350:]...)
		out, errs, code := imp("gdl-x", "2028-11-03", writeFile(t, tmp, "x-4.zip", samplenet.XArchive(spec)))
		if code != 0 || !strings.Contains(out, "missing from this export, not taken as deleted (300)") {
			t.Fatalf("exit %d\n%s%s", code, out, errs)
		}
		for _, h := range searchBin(t, bin, arc, "--account", "gdl-x", "--from", "2028-01-01") {
			if h["deleted_at_source"] != nil {
				t.Fatalf("a post missing from a partial-looking export was deleted: %v", h)
			}
		}
	})

	t.Run("bad exports archive nothing", func(t *testing.T) {
		before := len(searchBin(t, bin, arc))
		fb := writeFile(t, tmp, "facebook.zip", samplenet.FacebookExport(samplenet.ExportSpec{Handle: "GobiernoDeGuadalajara",
			Posts: samplenet.SampleExportPosts(5, end, 1, 9)}))
		other := writeFile(t, tmp, "otra.zip", samplenet.XArchive(samplenet.ExportSpec{Handle: "OtraCuenta",
			Posts: samplenet.SampleExportPosts(5, end, 1880000000000000000, 9)}))
		whole := samplenet.XArchive(samplenet.ExportSpec{Handle: "GobiernoGDL", Posts: samplenet.SampleExportPosts(50, end, 1890000000000000000, 9)})
		cut := writeFile(t, tmp, "cortado.zip", whole[:len(whole)/2])
		for _, c := range []struct {
			account, file string
			want          []string
		}{
			{"gdl-x", fb, []string{fb, "a Facebook export", `account "gdl-x" is registered on x`}},
			{"gdl-x", other, []string{"data/manifest.js", "field userInfo.userName", `"OtraCuenta"`, "another account's export"}},
			{"gdl-x", cut, []string{cut, "not a whole zip file"}},
			{"gdl-x", filepath.Join(tmp, "no-existe.zip"), []string{"no-existe.zip", "cannot open"}},
		} {
			out, errs, code := imp(c.account, "2026-12-05", c.file)
			if code != 2 {
				t.Errorf("import %s: exit %d, want 2\n%s%s", c.file, code, out, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(errs, w) {
					t.Errorf("import %s: the error does not say %q:\n%s", filepath.Base(c.file), w, errs)
				}
			}
		}
		if after := len(searchBin(t, bin, arc)); after != before {
			t.Errorf("bad exports changed the archive: %d posts, then %d", before, after)
		}
	})

	t.Run("evidence", func(t *testing.T) {
		if out, errs, code := run("verify", "--warc-dir", warcDir); code != 0 {
			t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
		}
		out := filepath.Join(tmp, "respuesta")
		if stdout, errs, code := run("export", "--warc-dir", warcDir, "--request", "UT/0101/2026", "--account", "gdl-tiktok",
			"--no-redact", "--from", "2026-11-25", "--out", out); code != 0 {
			t.Fatalf("export: exit %d\n%s%s", code, stdout, errs)
		}
		zr, err := zip.OpenReader(out + ".zip")
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		var evidence, rows []byte
		for _, f := range zr.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			r.Close()
			switch {
			case strings.HasSuffix(f.Name, "evidencia.warc.gz"):
				zr, err := gzip.NewReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				evidence, _ = io.ReadAll(zr)
			case strings.HasSuffix(f.Name, "publicaciones.jsonl"):
				rows = b
			}
		}
		if n := bytes.Count(rows, []byte("\n")); n != 10 || !bytes.Contains(rows, []byte("importado de la exportación del titular")) {
			t.Errorf("the package delivers %d posts:\n%s", n, rows)
		}
		// Each delivered post's part of the export, made from the whole.
		if got := bytes.Count(evidence, []byte("WARC-Type: resource")); got != 10 || !bytes.Contains(evidence, []byte("WARC-Target-URI: urn:vigia:export:tiktok:sha256:")) ||
			!bytes.Contains(evidence, []byte("WARC-Concurrent-To:")) {
			t.Errorf("the package's evidence holds %d resource records of the export, want 10", got)
		}
	})
}

// exportPostID is the id vigia gives a generated post: the others' exports carry
// none, so Facebook's is its second of publication.
func exportPostID(n archive.Network, p samplenet.ExportPost) string {
	switch n {
	case archive.Facebook:
		return fmt.Sprint(p.At.Unix())
	case archive.Instagram:
		return fmt.Sprint(p.At.Unix())
	}
	return p.ID
}

func findHit(t *testing.T, hits []map[string]any, id string) map[string]any {
	t.Helper()
	for _, h := range hits {
		if h["post_id"] == id {
			return h
		}
	}
	t.Fatalf("post %s not found among %d", id, len(hits))
	return nil
}

// searchBin runs vigia search --format jsonl with the binary.
func searchBin(t *testing.T, bin, arc string, args ...string) []map[string]any {
	t.Helper()
	out, errs, code := runBin(t, bin, append([]string{"search", "--format", "jsonl", "--archive", arc}, args...)...)
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, errs)
	}
	var hits []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var h map[string]any
		if err := dec.Decode(&h); err != nil {
			t.Fatal(err)
		}
		hits = append(hits, h)
	}
	return hits
}
