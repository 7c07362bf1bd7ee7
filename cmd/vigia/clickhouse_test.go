package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// clickhouseArchive names a new database on the test ClickHouse server
// (scripts/test starts one); see archive/clickhouse's tests for the rules.
func clickhouseArchive(t *testing.T) string {
	t.Helper()
	u := os.Getenv("VIGIA_TEST_CLICKHOUSE")
	if u == "" {
		if os.Getenv("VIGIA_REQUIRE_CLICKHOUSE") != "" {
			t.Fatal("VIGIA_REQUIRE_CLICKHOUSE is set but VIGIA_TEST_CLICKHOUSE names no server")
		}
		t.Skip("no ClickHouse server (scripts/test starts one)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return strings.TrimRight(u, "/") + "/vigia_cmd_" + hex.EncodeToString(b[:])
}

// TestSameAnswersOnClickHouse runs the demo into DuckDB and into ClickHouse
// and compares what search, accounts and show say.
func TestSameAnswersOnClickHouse(t *testing.T) {
	ch := clickhouseArchive(t)
	dir := t.TempDir()
	duck := filepath.Join(dir, "a.duckdb")
	for _, arc := range []string{duck, ch} {
		if out, errs, code := vigia(t, "", "demo", "--archive", arc, "--warc-dir", filepath.Join(dir, "warc")); code != 0 {
			t.Fatalf("demo into %s: exit %d\n%s%s", arc, code, out, errs)
		}
	}
	view := func(arc string, args ...string) []string { return searchView(t, arc, args...) }
	for _, args := range [][]string{nil, {"--label", "personal"}, {"--text", "PANTEÓN"}, {"--network", "telegram", "--from", "2026-10-01"}} {
		d, c := view(duck, args...), view(ch, args...)
		if len(d) == 0 && args == nil {
			t.Fatal("the demo archived nothing")
		}
		if !slices.Equal(d, c) {
			t.Errorf("search %v: DuckDB and ClickHouse differ:\n%s\n---\n%s", args, strings.Join(d, "\n"), strings.Join(c, "\n"))
		}
	}
	for _, cmd := range [][]string{{"accounts", "--format", "jsonl"}, {"review", "list", "--format", "jsonl"}} {
		d, _, dc := vigia(t, "", append(cmd, "--archive", duck)...)
		c, errs, cc := vigia(t, "", append(cmd, "--archive", ch)...)
		if dc != 0 || cc != 0 {
			t.Fatalf("%v: exit %d and %d: %s", cmd, dc, cc, errs)
		}
		if strip := func(s string) string { return stripTimes(s) }; strip(d) != strip(c) {
			t.Errorf("%v differs:\nDuckDB:\n%s\nClickHouse:\n%s", cmd, d, c)
		}
	}
}

// stripTimes leaves out what differs between two crawls of the demo: the
// moments of the crawl, RSS handles (feed URLs with the sample's port), and
// where each crawl's WARC files keep a media file.
func stripTimes(s string) string {
	return crawlSpecific.ReplaceAllString(s, "")
}

var crawlSpecific = regexp.MustCompile(`"(last_attempt|last_success|last_sweep|captured_at|lag_seconds|handle|warc_file|warc_record_id|warc_offset|warc_digest)":("[^"]*"|[^,}]*),?`)

func TestClickHouseDown(t *testing.T) {
	_, errs, code := vigia(t, "", "search", "--archive", "clickhouse://127.0.0.1:1/vigia")
	if code != 1 || !strings.Contains(errs, "127.0.0.1:1") {
		t.Errorf("a server that is down: exit %d, %s; want 1 naming it", code, errs)
	}
}

// TestCopyBetweenEngines copies the demo's archive into ClickHouse and back
// into a new DuckDB file; every copy answers searches as the original.
func TestCopyBetweenEngines(t *testing.T) {
	ch := clickhouseArchive(t)
	dir := t.TempDir()
	duck, back := filepath.Join(dir, "a.duckdb"), filepath.Join(dir, "b.duckdb")
	if out, errs, code := vigia(t, "", "demo", "--archive", duck); code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
	}
	for _, c := range [][2]string{{duck, ch}, {ch, back}} {
		// The demo's 88 crawled posts, one of them edited between its two
		// crawls, and the 6 of its X archive, one of them with 2 versions.
		out, errs, code := vigia(t, "", "archive", "copy", "--from", c[0], "--to", c[1], "--batch", "100")
		if code != 0 || !strings.Contains(out, "(96 post versions)") {
			t.Fatalf("copy %s → %s: exit %d\n%s%s", c[0], c[1], code, out, errs)
		}
	}
	want, _, _ := vigia(t, "", "search", "--archive", duck, "--format", "jsonl")
	for _, arc := range []string{ch, back} {
		if got, _, _ := vigia(t, "", "search", "--archive", arc, "--format", "jsonl"); got != want {
			t.Errorf("search of the copy %s differs from the original", arc)
		}
	}
	_, errs, code := vigia(t, "", "archive", "copy", "--from", duck, "--to", back)
	if code != 2 || !strings.Contains(errs, "already holds records") {
		t.Errorf("a copy into an archive with records: exit %d, %s", code, errs)
	}
}

// searchView is what a search says of each post, leaving out what differs
// between two crawls of the same network (capture times, run ids).
func searchView(t *testing.T, arc string, args ...string) []string {
	t.Helper()
	var out []string
	for _, h := range searchJSONL(t, append([]string{"--archive", arc}, args...)...) {
		// When a post was found deleted is a moment of each crawl; that it
		// was is not.
		out = append(out, fmt.Sprint(h["network"], h["account"], h["post_id"], h["published_at"], h["text"], h["label"],
			h["confidence"], h["basis"], h["rationale"], h["versions"], h["deleted_at_source"] != nil, h["account_type"], h["area"], h["media"] != nil))
	}
	return out
}
