package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/samplenet"
)

// ownClickHouse starts a ClickHouse server of the test's own (scripts/clickhouse),
// which the test may kill and start again on the same port and data.
func ownClickHouse(t *testing.T) (url string, kill, restart func()) {
	t.Helper()
	if os.Getenv("VIGIA_TEST_CLICKHOUSE") == "" && os.Getenv("VIGIA_REQUIRE_CLICKHOUSE") == "" {
		t.Skip("no ClickHouse (scripts/test starts one when clickhouse-server is installed)")
	}
	out, err := exec.Command("../../scripts/clickhouse", "start").Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("start a ClickHouse server: %v\n%s", err, stderr)
	}
	var stop string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "export VIGIA_TEST_CLICKHOUSE="); ok {
			url = v
		}
		if v, ok := strings.CutPrefix(line, "export VIGIA_CLICKHOUSE_STOP="); ok {
			stop = strings.Trim(v, "'")
		}
	}
	// stop is "kill PID; rm -rf DIR"
	fields := strings.Fields(strings.NewReplacer(";", " ").Replace(stop))
	pid, _ := strconv.Atoi(fields[1])
	dir := fields[len(fields)-1]
	var proc *os.Process
	proc, _ = os.FindProcess(pid)
	kill = func() {
		_ = proc.Signal(syscall.SIGKILL)
		_, _ = proc.Wait()
	}
	restart = func() {
		cmd := exec.Command("clickhouse-server", "--config-file="+filepath.Join(dir, "config.xml"))
		if err := cmd.Start(); err != nil {
			t.Fatalf("restart ClickHouse: %v", err)
		}
		proc = cmd.Process
		port := strings.TrimPrefix(url, "clickhouse://127.0.0.1:")
		for i := 0; i < 60; i++ {
			if exec.Command("clickhouse-client", "--port", port, "-q", "SELECT 1").Run() == nil {
				return
			}
			time.Sleep(500 * time.Millisecond)
		}
		t.Fatal("ClickHouse did not come back")
	}
	t.Cleanup(func() {
		kill()
		os.RemoveAll(dir)
	})
	return url, kill, restart
}

// slowSample serves the sample network, each response after a pause, so
// that a test can act in the middle of a crawl; served counts responses.
func slowSample(t *testing.T) (dirFile string, served *atomic.Int64) {
	t.Helper()
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	served = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(40 * time.Millisecond)
		served.Add(1)
		sn.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	dirFile = filepath.Join(t.TempDir(), "d.yaml")
	if err := os.WriteFile(dirFile, sn.DirectoryAt(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VIGIA_MIRROR_FOR_TEST", srv.URL)
	return dirFile, served
}

// onceEach checks that the archive holds every post of the sample exactly
// once: one version, one capture (one crawl).
func onceEach(t *testing.T, arc string) {
	t.Helper()
	hits := searchJSONL(t, "--archive", arc)
	if len(hits) != 88 {
		t.Errorf("the archive holds %d posts, want the sample's 88", len(hits))
	}
	for _, h := range hits {
		if h["versions"].(float64) != 1 {
			t.Errorf("post %v: %v versions, want 1", h["post_id"], h["versions"])
		}
	}
	out, _, _ := vigia(t, "", "show", "--archive", arc, "--format", "json", hits[0]["account"].(string)+"/"+hits[0]["post_id"].(string))
	if !strings.Contains(out, `"captures": 1,`) {
		t.Errorf("a post's captures: %s; want 1", out)
	}
}

// TestCrawlWhileClickHouseIsDown stops the archive's server in the middle of
// a crawl: the crawl goes on into the spool and ends well; once the server
// is back, vigia archive flush delivers, and every record is there once.
func TestCrawlWhileClickHouseIsDown(t *testing.T) {
	url, kill, restart := ownClickHouse(t)
	arc := url + "/vigia"
	dirFile, served := slowSample(t)
	t.Setenv("VIGIA_SPOOL_DIR", filepath.Join(t.TempDir(), "spool"))
	wait := crawlAsync(t, dirFile, arc)
	for served.Load() < 10 {
		time.Sleep(10 * time.Millisecond)
	}
	kill() // mid-crawl
	code, out, errs := wait()
	if code != 0 || !strings.Contains(errs, "crawling goes on into the spool") || !strings.Contains(errs, "wait in the spool") {
		t.Fatalf("crawl with the archive down: exit %d\n%s\n%s", code, out, errs)
	}
	restart()
	if fcode, fout, ferrs := vigiaEnv(t, "archive", "flush", "--archive", arc); fcode != 0 || !strings.Contains(fout, "delivered") {
		t.Fatalf("archive flush: exit %d\n%s%s", fcode, fout, ferrs)
	}
	onceEach(t, arc)

	// The same crawl into DuckDB, with nothing going wrong, says the same.
	duck := filepath.Join(t.TempDir(), "a.duckdb")
	if o, e, c := vigia(t, "", "crawl", "--directory", dirFile, "--archive", duck, "--allow-private-networks", "--host-rate", "0",
		"--mirror", os.Getenv("VIGIA_MIRROR_FOR_TEST"), "--progress=false"); c != 0 {
		t.Fatalf("crawl into DuckDB: exit %d\n%s%s", c, o, e)
	}
	if d, c := searchView(t, duck), searchView(t, arc); !slices.Equal(d, c) {
		t.Errorf("search after the outage differs from the same crawl into DuckDB:\n%s\n---\n%s", strings.Join(d, "\n"), strings.Join(c, "\n"))
	}
}

// TestFullSpoolStopsTheCrawl: with the archive down and the spool at its
// limit (a full disk), the crawl stops with a clear error; what the spool
// had accepted is delivered, once, when the archive is back.
func TestFullSpoolStopsTheCrawl(t *testing.T) {
	url, kill, restart := ownClickHouse(t)
	arc := url + "/vigia"
	dirFile, served := slowSample(t)
	t.Setenv("VIGIA_SPOOL_DIR", filepath.Join(t.TempDir(), "spool"))
	t.Setenv("VIGIA_SPOOL_MAX_BYTES", "150000") // a few of the crawl's small batches, not all
	wait := crawlAsync(t, dirFile, arc, "--batch-rows", "40")
	for served.Load() < 3 {
		time.Sleep(5 * time.Millisecond)
	}
	kill()
	code, out, errs := wait()
	if code != 1 || !strings.Contains(errs, "spool full") {
		t.Fatalf("crawl into a full spool: exit %d, want 1 with \"spool full\"\n%s\n%s", code, out, errs)
	}
	restart()
	c, fout, ferrs := vigiaEnv(t, "archive", "flush", "--archive", arc)
	if c != 0 {
		t.Fatalf("archive flush: exit %d\n%s%s", c, fout, ferrs)
	}
	hits := searchJSONL(t, "--archive", arc)
	if len(hits) == 0 {
		t.Fatalf("nothing of what the spool accepted reached the archive:\n%s%s\ncrawl:\n%s", fout, ferrs, errs)
	}
	for _, h := range hits {
		if h["versions"].(float64) != 1 {
			t.Errorf("post %v: %v versions, want 1", h["post_id"], h["versions"])
		}
	}
	t.Logf("%d posts delivered after the spool filled (%s)", len(hits), strings.TrimSpace(fout))
}

// vigiaEnv runs a command line with the process's environment (the test's
// t.Setenv values), where vigia gives an empty one.
func vigiaEnv(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs syncBuffer
	code = run(context.Background(), args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, getenv: os.Getenv})
	return code, out.String(), errs.String()
}

// crawlAsync starts a crawl of the slow sample into arc; wait returns its
// exit code and output once it ends.
func crawlAsync(t *testing.T, dirFile, arc string, extra ...string) (wait func() (int, string, string)) {
	t.Helper()
	warcDir := filepath.Join(t.TempDir(), "warc")
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := vigiaEnv(t, append([]string{"crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks",
			"--host-rate", "0", "--mirror", os.Getenv("VIGIA_MIRROR_FOR_TEST"), "--warc-dir", warcDir, "--progress=false"}, extra...)...)
		done <- result{code, out, errs}
	}()
	return func() (int, string, string) {
		r := <-done
		return r.code, r.out, r.err
	}
}
