package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// postByDate finds, among an account's archived posts, the one published
// on day (YYYY-MM-DD), and returns its ACCOUNT/ID reference.
func postByDate(t *testing.T, arc, account, day string) string {
	t.Helper()
	for _, h := range searchJSONL(t, "--archive", arc, "--account", account, "--limit", "500") {
		if p, _ := h["published_at"].(string); strings.HasPrefix(p, day) {
			return account + "/" + h["post_id"].(string)
		}
	}
	t.Fatalf("no post of %s published on %s", account, day)
	return ""
}

// deletedAtSource reads a post with vigia show and reports whether it
// shows a deletion at source, and the show output.
func deletedAtSource(t *testing.T, arc, ref string) (bool, string) {
	t.Helper()
	out, errs, code := vigia(t, "", "show", "--archive", arc, ref)
	if code != 0 {
		t.Fatalf("show %s: exit %d\n%s%s", ref, code, out, errs)
	}
	return strings.Contains(out, "deleted_at_source"), out
}

func TestSweepSeesDeletionsOfAnyAge(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) { testSweep(t, "") })
	t.Run("clickhouse", func(t *testing.T) { testSweep(t, clickhouseArchive(t)) })
}

// testSweep: posts older than the re-listed window are deleted at their
// sources (a Mastodon status three pages back, a feed item, a video);
// a crawl does not see it; a sweep stopped by its page budget sees only
// what it listed, one whose listing fails half way sees nothing, a full
// sweep sees every one and nothing more (an item that only left its feed,
// one whose page answers 500, stay); vigia accounts tells when each
// account was swept and how many posts were checked.
func testSweep(t *testing.T, arc string) {
	sn, srvURL, dirFile, duck := liveSample(t)
	if arc == "" {
		arc = duck
	}
	warcDir := filepath.Join(t.TempDir(), "warc")
	crawl := func(mirror string, extra ...string) (string, int) {
		t.Helper()
		args := append([]string{"crawl", "--directory", dirFile, "--archive", arc, "--warc-dir", warcDir, "--allow-private-networks",
			"--host-rate", "0", "--retries", "0", "--mirror", mirror, "--progress=false"}, extra...)
		out, errs, code := vigia(t, "", args...)
		return out + errs, code
	}
	if log, code := crawl(srvURL); code != 0 {
		t.Fatalf("first crawl: exit %d\n%s", code, log)
	}
	oldest := postByDate(t, arc, "gobierno-gdl", "2026-06-02") // bacheo-junio, on the third page
	newer := postByDate(t, arc, "gobierno-gdl", "2026-09-14")  // grito, on the first page
	video := postByDate(t, arc, "cabildo-gdl", "2026-06-11")   // ordinaria-34
	feed := map[string]string{}
	for _, h := range searchJSONL(t, "--archive", arc, "--account", "boletin-prensa") {
		feed[h["url"].(string)] = h["url"].(string) // its id is its URL: show takes the URL
	}
	itemRef := func(key string) string {
		for u, ref := range feed {
			if strings.Contains(u, "/"+key+".html") {
				return ref
			}
		}
		t.Fatalf("no feed item %s among %v", key, feed)
		return ""
	}
	removed, leftFeed, broken := itemRef("reglamento-arbolado"), itemRef("saldo-primer-partido"), itemRef("boletin-semanal-29")
	for _, change := range []error{
		sn.Delete("gobierno-gdl", "bacheo-junio"),
		sn.Delete("gobierno-gdl", "grito"),
		sn.Delete("boletin-prensa", "reglamento-arbolado"),
		sn.Unlist("boletin-prensa", "saldo-primer-partido"),
		sn.Unlist("boletin-prensa", "boletin-semanal-29"),
		sn.SetPageStatus("boletin-prensa", "boletin-semanal-29", http.StatusInternalServerError),
		sn.Delete("cabildo-gdl", "ordinaria-34"),
	} {
		if change != nil {
			t.Fatal(change)
		}
	}
	all := []string{oldest, newer, removed, leftFeed, broken, video}
	check := func(when string, want ...string) {
		t.Helper()
		for _, ref := range all {
			got, out := deletedAtSource(t, arc, ref)
			if w := contains(want, ref); got != w {
				t.Errorf("%s: %s deleted at source: %v, want %v\n%s", when, ref, got, w, out)
			}
		}
	}

	// A plain crawl re-lists a week: none of these posts is that recent.
	if log, code := crawl(srvURL); code != 0 {
		t.Fatalf("second crawl: exit %d\n%s", code, log)
	}
	check("after a plain crawl")

	// A sweep whose listing fails on Mastodon's second page deletes none of
	// gobierno-gdl's posts, not even the one its first page lacks.
	failing := httptest.NewServer(failSecondPage(t, srvURL))
	defer failing.Close()
	log, code := crawl(failing.URL, "--sweep")
	if code != 0 || !strings.Contains(log, "gobierno-gdl") || !strings.Contains(log, "503") {
		t.Fatalf("sweep failing mid-listing: exit %d, want 0 and gobierno-gdl's 503 reported\n%s", code, log)
	}
	check("after a sweep failing mid-listing", removed, video)

	// A sweep of one page sees the post its page lacks, not the older one.
	log, code = crawl(srvURL, "--sweep", "--sweep-pages", "1")
	if code != 0 || !strings.Contains(log, "not every post checked") || !strings.Contains(log, "gobierno-gdl") {
		t.Fatalf("sweep of one page: exit %d\n%s", code, log)
	}
	check("after a sweep of one page", removed, video, newer)

	// A full sweep sees every deletion, whatever its age.
	log, code = crawl(srvURL, "--sweep")
	if code != 0 || !strings.Contains(log, "deep sweep of 11 accounts") {
		t.Fatalf("full sweep: exit %d\n%s", code, log)
	}
	check("after a full sweep", removed, video, newer, oldest)
	if _, out := deletedAtSource(t, arc, oldest); !strings.Contains(out, "deep sweep that listed the account's whole history") || !strings.Contains(out, "404") {
		t.Errorf("the deletion's evidence does not tell the sweep and the 404:\n%s", out)
	}
	if _, out := deletedAtSource(t, arc, video); !strings.Contains(out, "playabilityStatus is ERROR") {
		t.Errorf("the video's deletion does not tell the watch page's answer:\n%s", out)
	}
	if _, out := deletedAtSource(t, arc, removed); !strings.Contains(out, "missing from the feed") || !strings.Contains(out, "404 Not Found") {
		t.Errorf("the feed item's deletion does not tell its 404:\n%s", out)
	}

	// vigia accounts tells when each account was last swept, and how many
	// posts the sweep checked.
	out, errs, code := vigia(t, "", "accounts", "--archive", arc)
	if code != 0 || !strings.Contains(out, "LAST SWEEP") || !strings.Contains(out, "CHECKED") {
		t.Fatalf("accounts: exit %d\n%s%s", code, out, errs)
	}
	t.Logf("vigia accounts:\n%s", out)
	today := time.Now().In(mustLoad(t, "America/Mexico_City")).Format("2006-01-02")
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "gobierno-gdl ") && (!strings.Contains(line, today) || !strings.Contains(line, " 10 ")) {
			t.Errorf("gobierno-gdl's line lacks today's sweep of 10 posts:\n%s", out)
		}
	}
	out, _, _ = vigia(t, "", "accounts", "--archive", arc, "--format", "jsonl")
	swept := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var h struct {
			Account   string  `json:"account"`
			LastSweep *string `json:"last_sweep"`
			Checked   int     `json:"last_sweep_checked"`
			Complete  bool    `json:"last_sweep_complete"`
		}
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatal(err)
		}
		if h.LastSweep != nil {
			swept++
		}
		// posts already known deleted are not checked again
		if h.Account == "gobierno-gdl" && (h.LastSweep == nil || h.Checked != 10 || !h.Complete) {
			t.Errorf("gobierno-gdl in jsonl: %s; want its full sweep, 10 posts checked (9 listed, 1 asked)", line)
		}
		if h.Account == "boletin-prensa" && (h.Checked != 5 || !h.Complete) {
			t.Errorf("boletin-prensa in jsonl: %s; want 5 checked (3 listed, 2 asked)", line)
		}
	}
	if swept != 11 {
		t.Errorf("%d accounts with a last sweep, want the sample's 11:\n%s", swept, out)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// failSecondPage proxies to the sample network, answering 503 to
// Mastodon's listing pages after the first (max_id=): a listing that fails
// half way.
func failSecondPage(t *testing.T, target string) http.Handler {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/statuses") && r.URL.Query().Get("max_id") != "" {
			http.Error(w, "503 Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	})
}

// Bad sweep flags are refused before anything is opened.
func TestSweepFlagsChecked(t *testing.T) {
	dirFile := sampleDirectory(t, "")
	arc := filepath.Join(t.TempDir(), "a.duckdb")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--sweep", "--every", "15m"}, "--sweep is one crawl's"},
		{[]string{"--sweep", "--sweep-pages", "0"}, "--sweep-pages 0: must be 1 or more"},
		{[]string{"--every", "15m", "--sweep-every", "-1h"}, "--sweep-every -1h0m0s"},
	} {
		out, errs, code := vigia(t, "", append([]string{"crawl", "--directory", dirFile, "--archive", arc}, tt.args...)...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("crawl %v: exit %d, want 2 and %q\n%s%s", tt.args, code, tt.want, out, errs)
		}
	}
	if _, err := os.Stat(arc); !os.IsNotExist(err) {
		t.Errorf("a refused crawl made the archive: %v", err)
	}
}
