package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
)

// The publication threshold, through the user's path: the built-in sample
// crawled with the default policy, then read under a policy whose
// classifier.publish_threshold is 0.99, so that real model decisions of
// function fall below it. The public role (API, pages) finds none of those
// posts by listing, text, facets, the directory's counts or their address;
// archivists read them; the versión pública of a package delivers none
// (files, evidence, WACZ) and says why in Spanish; review list puts them
// first, closest to the threshold first. Once a person decides one, the
// public reads it. On both engines.
func TestAGuessIsNeverPublished(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) {
		_, _, dirFile, arc := liveSample(t)
		testGuessNeverPublished(t, dirFile, arc, cli{})
	})
	t.Run("clickhouse", func(t *testing.T) {
		arc := clickhouseArchive(t)
		_, _, dirFile, local := liveSample(t)
		t.Setenv("VIGIA_SPOOL_DIR", local+"-spool")
		testGuessNeverPublished(t, dirFile, arc, cli{"VIGIA_USERS": local + "-users.json", "VIGIA_AUDIT": local + "-audit.jsonl", "VIGIA_SPOOL_DIR": local + "-spool"})
	})
}

// threshold is the high publication threshold of the test's policy.
const threshold = 0.99

// highPolicy writes the embedded policy with publish_threshold 0.99.
func highPolicy(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "classifier", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "publish_threshold: 0.75", "publish_threshold: 0.99", 1)
	if !strings.Contains(text, "publish_threshold: 0.99") {
		t.Fatal("the embedded policy sets no publish_threshold: 0.75 to raise")
	}
	path := filepath.Join(t.TempDir(), "politica.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type thresholdHit struct {
	Network    string  `json:"network"`
	Account    string  `json:"account"`
	PostID     string  `json:"post_id"`
	Text       string  `json:"text"`
	Label      string  `json:"label"`
	Confidence float64 `json:"confidence"`
	DecidedBy  string  `json:"decided_by"`
}

func (h thresholdHit) key() string { return h.Network + "/" + h.Account + "/" + h.PostID }

func testGuessNeverPublished(t *testing.T, dirFile, arc string, c cli) {
	warcDir := filepath.Join(filepath.Dir(dirFile), "warc")
	if _, errs, code := c.run(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0", "--once"); code != 0 {
		t.Fatalf("crawl: exit %d: %s", code, errs)
	}
	policy := highPolicy(t)
	// Everything, as an archivist reads it.
	out, errs, code := c.run(t, "", "search", "--format", "jsonl", "--archive", arc)
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, errs)
	}
	var all, guesses, public []thresholdHit
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var h thresholdHit
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatalf("search line %q: %v", line, err)
		}
		all = append(all, h)
		switch {
		case h.Label != "function":
		case strings.HasPrefix(h.DecidedBy, "rule:") || h.Confidence >= threshold:
			public = append(public, h)
		case strings.HasPrefix(h.DecidedBy, "model:"):
			guesses = append(guesses, h)
		}
	}
	if len(guesses) == 0 || len(public) == 0 {
		t.Fatalf("the sample has %d model decisions of function below %v and %d public posts; want some of each", len(guesses), threshold, len(public))
	}
	t.Logf("%d posts: %d public at threshold %v, %d model guesses below it", len(all), len(public), threshold, len(guesses))
	// What is only a guess's: its runs of four words that no public post
	// holds, as a search folds them (a repost carries an official post's
	// words).
	var publicText strings.Builder
	for _, h := range public {
		publicText.WriteString(archive.FoldText(h.Text) + "\n")
	}
	own := map[string][]string{}
	for _, g := range guesses {
		for _, p := range phrases(g.Text) {
			if !strings.Contains(publicText.String(), archive.FoldText(p)) {
				own[g.key()] = append(own[g.key()], p)
			}
		}
	}

	publicToken := c.newToken(t, arc, "ciudadana", "public")
	archivist := c.newToken(t, arc, "lucia", "archivist")
	base := startServe(t, c.getenv, "--archive", arc, "--warc-dir", warcDir, "--policy", policy)

	// The public's listing is exactly the public posts.
	code, body := apiGet(t, base, "/api/v1/posts?limit=1000", publicToken)
	var listing struct {
		Total int            `json:"total"`
		Posts []thresholdHit `json:"posts"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &listing) != nil {
		t.Fatalf("public listing: %d %.300s", code, body)
	}
	var got, want []string
	for _, h := range listing.Posts {
		got = append(got, h.key())
	}
	for _, h := range public {
		want = append(want, h.key())
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || listing.Total != len(want) {
		t.Errorf("public listing: %d posts %v, want the %d public ones %v", listing.Total, got, len(want), want)
	}
	// Facets and the directory count the same.
	code, body = apiGet(t, base, "/api/v1/facets", publicToken)
	var facets struct {
		Total    int `json:"total"`
		Accounts []struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"accounts"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &facets) != nil || facets.Total != len(public) {
		t.Errorf("public facets: %d total %d, want %d: %.300s", code, facets.Total, len(public), body)
	}
	code, body = apiGet(t, base, "/api/v1/accounts", publicToken)
	var accounts struct {
		Accounts []struct {
			Account string `json:"account"`
			Posts   int    `json:"posts"`
		} `json:"accounts"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &accounts) != nil {
		t.Fatalf("public directory: %d %.300s", code, body)
	}
	perAccount := map[string]int{}
	for _, h := range public {
		perAccount[h.Account]++
	}
	for _, a := range accounts.Accounts {
		if a.Posts != perAccount[a.Account] {
			t.Errorf("public directory: %s has %d posts, want its %d public ones", a.Account, a.Posts, perAccount[a.Account])
		}
	}
	for _, g := range guesses {
		path := "/api/v1/posts/" + g.key()
		if code, body := apiGet(t, base, path, publicToken); code != http.StatusNotFound {
			t.Errorf("public read of %s (model, function %.2f): %d, want 404: %.200s", g.key(), g.Confidence, code, body)
		}
		if code, body := apiGet(t, base, "/publicaciones/"+g.key(), publicToken); code != http.StatusNotFound || strings.Contains(body, g.PostID) {
			t.Errorf("public page of %s: %d, want 404", g.key(), code)
		}
		if code, body := apiGet(t, base, path, archivist); code != 200 || !strings.Contains(body, g.PostID) {
			t.Errorf("archivist read of %s: %d %.200s", g.key(), code, body)
		}
		for _, p := range own[g.key()] {
			code, body := apiGet(t, base, "/api/v1/posts?text="+url.QueryEscape(p), publicToken)
			if code != 200 || !strings.Contains(body, `"total":0`) {
				t.Errorf("public text search for %q, of %s: %d %.200s", p, g.key(), code, body)
			}
			if code, body := apiGet(t, base, "/?from=&text="+url.QueryEscape(p), publicToken); code != 200 || strings.Contains(body, g.PostID) {
				t.Errorf("public search page for %q finds %s: %d", p, g.key(), code)
			}
		}
	}
	// The public's pages of the public posts carry nothing of a guess (a
	// quote, a repost block, a history).
	for _, h := range public {
		_, body := apiGet(t, base, "/publicaciones/"+h.key(), publicToken)
		for k, ps := range own {
			for _, p := range ps {
				if strings.Contains(body, p) {
					t.Errorf("the public page of %s holds %q, of the guess %s", h.key(), p, k)
				}
			}
		}
	}

	// The versión pública of a package of everything.
	dir := filepath.Join(t.TempDir(), "paquete")
	stdout, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--policy", policy, "--request", "UT/0099/2026", "--out", dir)
	if code != 0 {
		t.Fatalf("export: exit %d: %s%s", code, stdout, errs)
	}
	if !strings.Contains(stdout, "below the publication threshold left out") {
		t.Errorf("export says nothing of the threshold: %s", stdout)
	}
	report, err := os.ReadFile(filepath.Join(dir, "respuesta.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), "por debajo del umbral de publicación (0.99)") {
		t.Errorf("respuesta.html does not say that posts wait under the publication threshold")
	}
	files := map[string][]byte{"respuesta.html": report}
	for _, name := range []string{"publicaciones.csv", "publicaciones.jsonl"} {
		if files[name], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	files["evidencia.warc.gz"] = readGzip(t, filepath.Join(dir, "evidencia.warc.gz"))
	for name, data := range readWACZ(t, filepath.Join(dir, "evidencia.wacz")) {
		files["evidencia.wacz:"+name] = data
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "publicaciones", "*.html"))
	for _, p := range pages {
		if files[p], err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	}
	var rows int
	for _, line := range strings.Split(strings.TrimSpace(string(files["publicaciones.jsonl"])), "\n") {
		var h thresholdHit
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(want, h.key()) {
			t.Errorf("the package delivers %s, not public at %v (%s %.2f by %s)", h.key(), threshold, h.Label, h.Confidence, h.DecidedBy)
		}
		rows++
	}
	if rows != len(public) {
		t.Errorf("the package delivers %d posts, want the %d public ones", rows, len(public))
	}
	for k, ps := range own {
		for _, p := range ps {
			for name, data := range files {
				if bytes.Contains(data, []byte(p)) {
					t.Errorf("the package's %s holds %q, of the guess %s", name, p, k)
				}
			}
		}
	}

	// A package asked for a guess's words delivers nothing: not the guess,
	// nor a post that carries it (a quote of it would say that its words
	// are what was asked).
	for k, ps := range own {
		if len(ps) == 0 {
			continue
		}
		dir := filepath.Join(t.TempDir(), "texto")
		stdout, errs, code := c.run(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--policy", policy, "--request", "UT/0100/2026", "--out", dir, "--text", ps[0])
		if code != 0 || !strings.Contains(stdout, ": 0 posts delivered") {
			t.Errorf("export --text %q (of %s): exit %d: %s%s", ps[0], k, code, stdout, errs)
		}
	}

	// The review queue puts the guesses first, closest to the threshold
	// first (no person decided anything: nothing comes before them).
	out, errs, code = c.run(t, "", "review", "list", "--archive", arc, "--policy", policy, "--limit", "0", "--format", "jsonl")
	if code != 0 {
		t.Fatalf("review list: exit %d: %s", code, errs)
	}
	var queue []thresholdHit
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var h thresholdHit
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatalf("review list line %q: %v", line, err)
		}
		queue = append(queue, h)
	}
	if len(queue) < len(guesses) {
		t.Fatalf("review list: %d posts, want at least the %d guesses", len(queue), len(guesses))
	}
	var first, guessKeys []string
	for i, h := range queue[:len(guesses)] {
		first = append(first, h.key())
		if i > 0 && h.Confidence > queue[i-1].Confidence {
			t.Errorf("review list: %s (%.3f) after %s (%.3f): want the closest to the threshold first", h.key(), h.Confidence, queue[i-1].key(), queue[i-1].Confidence)
		}
	}
	for _, g := range guesses {
		guessKeys = append(guessKeys, g.key())
	}
	slices.Sort(first)
	slices.Sort(guessKeys)
	if !slices.Equal(first, guessKeys) {
		t.Errorf("review list begins with %v, want the guesses %v", first, guessKeys)
	}
	for _, h := range queue[len(guesses):] {
		if h.Label == "function" && strings.HasPrefix(h.DecidedBy, "model:") && h.Confidence < threshold {
			t.Errorf("review list: the guess %s comes after another kind of post", h.key())
		}
	}

	// and so does the web application's (the API of the review page)
	code, body = apiGet(t, base, "/api/v1/review?limit=1000", archivist)
	var webQueue struct {
		Posts []thresholdHit `json:"posts"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &webQueue) != nil || len(webQueue.Posts) != len(queue) {
		t.Fatalf("web review queue: %d, %d posts, want %d: %.300s", code, len(webQueue.Posts), len(queue), body)
	}
	for i := range queue {
		if webQueue.Posts[i].key() != queue[i].key() {
			t.Errorf("web review queue: %s at %d, review list has %s", webQueue.Posts[i].key(), i, queue[i].key())
		}
	}

	// A person decides the closest guess function: the public reads it.
	g := queue[0]
	if _, errs, code := c.run(t, "", "review", "decide", g.Account+"/"+g.PostID, "function", "--reason", "Relacionada con las funciones", "--by", "lucia", "--archive", arc); code != 0 {
		t.Fatalf("review decide: exit %d: %s", code, errs)
	}
	if code, body := apiGet(t, base, "/api/v1/posts/"+g.key(), publicToken); code != 200 || !strings.Contains(body, g.PostID) {
		t.Errorf("public read of %s once a person decided it: %d %.200s", g.key(), code, body)
	}
}

// readWACZ returns the files of a WACZ, each gzip member of its WARC files
// decompressed.
func readWACZ(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name, ".gz") {
			gz, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			if data, err = io.ReadAll(gz); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
		out[f.Name] = data
	}
	return out
}

// A publication threshold outside 0.5–1 stops every command that reads
// what the public sees, naming the file and the setting, before the
// archive is touched.
func TestPublishThresholdOutOfRange(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "classifier", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "politica.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), "publish_threshold: 0.75", "publish_threshold: 0.3", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	arc := filepath.Join(t.TempDir(), "a.duckdb")
	for _, args := range [][]string{
		{"serve", "--listen", "127.0.0.1:0"},
		{"export", "--request", "UT/1/2026", "--out", filepath.Join(t.TempDir(), "p")},
		{"review", "list"},
		{"show", "obras/1"},
	} {
		_, errs, code := cli{}.run(t, "", append(args, "--archive", arc, "--policy", path)...)
		if code != 2 || !strings.Contains(errs, path+": classifier.publish_threshold: 0.3: expected a confidence from 0.5 to 1") {
			t.Errorf("%s with a threshold of 0.3: exit %d, want 2 naming the file and setting: %s", args[0], code, errs)
		}
	}
	if _, err := os.Stat(arc); !os.IsNotExist(err) {
		t.Errorf("the archive was touched: %v", err)
	}
}
