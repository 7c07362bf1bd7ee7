package main

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/auth"
)

func TestExposedMetrics(t *testing.T) {
	got := exposedMetrics()
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("exposedMetrics is not sorted and unique: %v", got)
	}
	for _, want := range []string{
		"vigia_build_info", "go_goroutines", "process_resident_memory_bytes",
		"vigia_crawler_requests_total", "vigia_crawler_request_duration_seconds", "vigia_crawler_deletions_total",
		"vigia_crawler_edits_total", "vigia_crawler_decisions_total",
		"vigia_crawler_account_last_success_timestamp_seconds", "vigia_crawler_account_consecutive_failures",
		"vigia_directory_accounts", "vigia_spool_batches", "vigia_spool_oldest_age_seconds",
		"vigia_archive_insert_rows_total", "vigia_archive_insert_errors_total", "vigia_archive_insert_duration_seconds",
		"vigia_review_backlog", "vigia_review_backlog_oldest_age_seconds", "vigia_review_backlog_errors_total",
		"vigia_http_requests_total", "vigia_http_request_duration_seconds", "vigia_audit_entries",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("exposedMetrics lacks %s", want)
		}
	}
	for _, n := range got {
		if strings.HasSuffix(n, "_bucket") || strings.HasSuffix(n, "_count") || strings.HasSuffix(n, "_sum") {
			t.Errorf("exposedMetrics names %s, not a family's base name", n)
		}
	}
}

// The registries of both commands lint clean, build info included (the
// packages' tests lint each of their metrics with samples in them).
func TestRegistriesLint(t *testing.T) {
	sp, err := spool.Open(t.TempDir(), spool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	crawl := prometheus.NewRegistry()
	m := newCrawlRegistry(crawl, sp)
	m.crawler.DirectoryAccounts(nil)
	serve := prometheus.NewRegistry()
	audit, err := auth.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Close()
	newServeRegistry(serve, func(context.Context, bool) (archive.Store, error) { return nil, archive.ErrLocked }, audit, archive.Visibility{Threshold: 0.75})
	for name, reg := range map[string]*prometheus.Registry{"crawl": crawl, "serve": serve} {
		problems, err := testutil.GatherAndLint(reg)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s: metric %s: %s", name, p.Metric, p.Text)
		}
	}
	for name, reg := range map[string]*prometheus.Registry{"crawl": crawl, "serve": serve} {
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		info := false
		for _, f := range families {
			info = info || (f.GetName() == "vigia_build_info" && f.GetMetric()[0].GetGauge().GetValue() == 1)
		}
		if !info {
			t.Errorf("%s: vigia_build_info is not 1", name)
		}
	}
}

// scrape fetches url's metrics and returns each series' value by its name
// and labels as exposed (labels sorted by name), after linting them.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	problems, err := promlint.New(strings.NewReader(string(body))).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "vigia_") {
			t.Errorf("metric %s: %s", p.Metric, p.Text)
		}
	}
	series := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return series
}

// waitFor waits until re matches what out holds and returns its first group.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for re.FindStringSubmatch(out.String()) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30 s:\n%s", re, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	m := re.FindStringSubmatch(out.String())
	return m[len(m)-1]
}

// A crawl restarted after changes at the source: its metrics count the
// edit, the decisions, the deletion by label and the archive's inserts,
// and remember when each account last succeeded, even the one that is
// unreachable now.
func TestCrawlMetrics(t *testing.T) {
	sn, srvURL, dirFile, arc := liveSample(t)
	flags := []string{"--directory", dirFile, "--archive", arc, "--allow-private-networks",
		"--host-rate", "0", "--mirror", srvURL, "--relist-window", "8760h", "--progress=false"}
	if out, errs, code := vigia(t, "", append([]string{"crawl"}, flags...)...); code != 0 {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	firstDone := float64(time.Now().UnixNano()) / 1e9
	changeSample(t, sn)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errs syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"crawl", "--every", "1m", "--spread", "0", "--metrics-addr", "127.0.0.1:0"}, flags...),
			&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, getenv: func(string) string { return "" }})
	}()
	addr := waitFor(t, &errs, regexp.MustCompile(`vigia crawl: metrics at (http://127\.0\.0\.1:\d+/metrics)`))
	waitFor(t, &out, regexp.MustCompile(`run .* new versions`))
	got := scrape(t, addr)
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("crawl --every exit %d after interrupt:\n%s", c, errs.String())
	}

	for series, want := range map[string]float64{
		`vigia_crawler_edits_total{network="mastodon"}`:                                       1,
		`vigia_crawler_decisions_total{basis="Tercera",label="function"}`:                     2,
		`vigia_crawler_deletions_total{label="function",network="bluesky"}`:                   1,
		`vigia_crawler_account_consecutive_failures{account="tesorero",network="telegram"}`:   1,
		`vigia_crawler_account_consecutive_failures{account="avisos-gdl",network="telegram"}`: 0,
		`vigia_crawler_account_crawls_total{network="telegram",result="error"}`:               1,
		`vigia_directory_accounts{network="mastodon"}`:                                        3,
		`vigia_directory_accounts{network="rss"}`:                                             2,
		`vigia_archive_insert_rows_total{table="runs"}`:                                       1,
		`vigia_archive_insert_rows_total{table="post_versions"}`:                              2,
		`vigia_archive_insert_rows_total{table="account_crawls"}`:                             11,
		`vigia_archive_insert_errors_total`:                                                   0,
		`vigia_spool_batches`:                                                                 0,
		`vigia_review_backlog_errors_total`:                                                   0,
	} {
		if v, ok := got[series]; !ok || v != want {
			t.Errorf("%s = %v (exposed: %v), want %v", series, v, ok, want)
		}
	}
	for _, series := range []string{"vigia_archive_insert_duration_seconds_count", "vigia_review_backlog"} {
		if got[series] == 0 {
			t.Errorf("%s = 0, want more", series)
		}
	}
	if _, ok := got["vigia_review_backlog_oldest_age_seconds"]; !ok {
		t.Error("no vigia_review_backlog_oldest_age_seconds")
	}
	accounts := 0
	for series, v := range got {
		name, labels, _ := strings.Cut(series, "{")
		switch name {
		case "vigia_build_info":
			if v != 1 || !strings.Contains(labels, `version="`) || !strings.Contains(labels, `goversion="go`) {
				t.Errorf("%s = %v", series, v)
			}
		case "vigia_crawler_account_last_success_timestamp_seconds":
			accounts++
			// The unreachable account keeps the success of the crawl before the restart.
			if restored := strings.Contains(labels, `"tesorero"`); v <= 0 || (restored && v > firstDone) || (!restored && v < firstDone-1) {
				t.Errorf("%s = %v (first crawl done at %v)", series, v, firstDone)
			}
		}
	}
	if accounts != 11 {
		t.Errorf("last success of %d accounts, want the sample's 11", accounts)
	}
}

// vigia serve --metrics-addr: build info and the review backlog, and the
// requests counted by route pattern, never by path.
func TestServeMetrics(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "demo.duckdb")
	if _, errs, code := vigia(t, "", "demo", "--archive", arc); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errs syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--archive", arc, "--listen", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"},
			&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, getenv: func(string) string { return "" }})
	}()
	metricsURL := waitFor(t, &errs, regexp.MustCompile(`vigia serve: metrics at (http://127\.0\.0\.1:\d+/metrics)`))
	base := waitFor(t, &errs, regexp.MustCompile(`vigia serve: (http://127\.0\.0\.1:\d+)/ `))

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/publicaciones/mastodon/x/1", "/publicaciones/bluesky/y/2", "/no-existe"} {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// A failed login is the audit log's one entry.
	resp, err := client.PostForm(base+"/entrar", url.Values{"usuario": {"nadie"}, "contrasena": {"no es la clave"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := scrape(t, metricsURL)
	cancel()
	if c := <-done; c != 0 {
		t.Errorf("serve exit %d after interrupt: %s", c, errs.String())
	}

	for series, want := range map[string]float64{
		`vigia_http_requests_total{code="303",route="GET /publicaciones/{network}/{account}/{id}"}`: 2,
		`vigia_http_requests_total{code="404",route="other"}`:                                       1,
		`vigia_review_backlog_errors_total`:                                                         0,
		`vigia_audit_entries`:                                                                       1,
	} {
		if v, ok := got[series]; !ok || v != want {
			t.Errorf("%s = %v (exposed: %v), want %v", series, v, ok, want)
		}
	}
	if got["vigia_review_backlog"] == 0 || got["vigia_review_backlog_oldest_age_seconds"] == 0 {
		t.Errorf("review backlog %v, oldest %v s; want the demo's posts awaiting review",
			got["vigia_review_backlog"], got["vigia_review_backlog_oldest_age_seconds"])
	}
	info := false
	for series, v := range got {
		if strings.Contains(series, "/publicaciones/mastodon/x") {
			t.Errorf("a path became a label: %s", series)
		}
		info = info || (strings.HasPrefix(series, "vigia_build_info{") && v == 1)
	}
	if !info {
		t.Error("no vigia_build_info")
	}
}

// exposedMetricsFile lists exposedMetrics for the dashboards' tests, which
// check that every PromQL expression of the dashboards and alerts names
// only these (dashboards/lint_test.go).
const exposedMetricsFile = "../../dashboards/testdata/exposed-metrics.txt"

var updateExposedMetrics = flag.Bool("update-metrics", false, "rewrite "+exposedMetricsFile+" from the registries")

// TestExposedMetricsFile checks that dashboards/testdata/exposed-metrics.txt
// lists what the registries expose; -update-metrics rewrites it.
func TestExposedMetricsFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("# The metric families vigia crawl and vigia serve expose (a histogram by its\n" +
		"# base name): what the dashboards and alerts may name. Kept equal to the\n" +
		"# registries by cmd/vigia's TestExposedMetricsFile; after adding a metric:\n" +
		"# go test ./cmd/vigia -run TestExposedMetricsFile -update-metrics\n")
	for _, n := range exposedMetrics() {
		b.WriteString(n + "\n")
	}
	if *updateExposedMetrics {
		if err := os.WriteFile(exposedMetricsFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(exposedMetricsFile)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), b.String(); got != want {
		t.Errorf("%s does not list what vigia exposes (go test ./cmd/vigia -run TestExposedMetricsFile -update-metrics rewrites it):\n got %q\nwant %q", exposedMetricsFile, got, want)
	}
}
