package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testCluster returns the test cluster's name and its four servers' URLs
// (scripts/clickhouse-cluster; scripts/test starts one when it can), and a
// new database name; see archive/clickhouse's cluster tests for the rules.
func testCluster(t *testing.T) (name string, servers []string, db string) {
	t.Helper()
	name, servers = os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER"), strings.Fields(os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER_SERVERS"))
	if name == "" || len(servers) != 4 {
		if os.Getenv("VIGIA_REQUIRE_CLUSTER") != "" {
			t.Fatal("VIGIA_REQUIRE_CLUSTER is set but VIGIA_TEST_CLICKHOUSE_CLUSTER(_SERVERS) name no cluster")
		}
		t.Skip("no ClickHouse cluster (scripts/test starts one when zookeeper and clickhouse-server are installed)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	db = "vigia_cmd_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		_ = exec.Command("clickhouse-client", "--port", port(servers[0]), "-q", "DROP DATABASE IF EXISTS "+db+" ON CLUSTER "+name).Run()
	})
	return name, servers, db
}

// port is the port of a clickhouse://127.0.0.1:PORT URL.
func port(url string) string { return url[strings.LastIndex(url, ":")+1:] }

// syncReplicas waits until every replica of the cluster has fetched the
// parts of db's tables that the other replica of its shard took.
func syncReplicas(t *testing.T, servers []string, db string) {
	t.Helper()
	for _, u := range servers {
		out, err := exec.Command("clickhouse-client", "--port", port(u), "-q",
			"SELECT name FROM system.tables WHERE database = '"+db+"' AND engine LIKE 'Replicated%'").Output()
		if err != nil {
			t.Fatalf("list the tables of %s: %v", u, err)
		}
		for _, table := range strings.Fields(string(out)) {
			if out, err := exec.Command("clickhouse-client", "--port", port(u), "-q", "SYSTEM SYNC REPLICA "+db+"."+table).CombinedOutput(); err != nil {
				t.Fatalf("sync replica %s.%s on %s: %v %s", db, table, u, err, out)
			}
		}
	}
}

// TestCrawlOnCluster crawls the sample network into the 2 x 2 cluster
// through one server (vigia crawl --cluster) and reads it back through each
// of the four: search says what the same crawl into DuckDB says; accounts,
// show and export answer. Before, --cluster failed at once ("create schema:
// query setting distributed_product_mode has unsupported data type").
func TestCrawlOnCluster(t *testing.T) {
	name, servers, db := testCluster(t)
	dirFile, _ := slowSample(t)
	t.Setenv("VIGIA_SPOOL_DIR", filepath.Join(t.TempDir(), "spool"))
	warcDir := filepath.Join(t.TempDir(), "warc")
	crawl := func(arc string, extra ...string) {
		t.Helper()
		code, out, errs := vigiaEnv(t, append([]string{"crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks",
			"--host-rate", "0", "--mirror", os.Getenv("VIGIA_MIRROR_FOR_TEST"), "--warc-dir", warcDir, "--progress=false"}, extra...)...)
		if code != 0 {
			t.Fatalf("crawl into %s: exit %d\n%s%s", arc, code, out, errs)
		}
	}
	crawl(servers[0]+"/"+db, "--cluster", name)
	duck := filepath.Join(t.TempDir(), "a.duckdb")
	crawl(duck)
	syncReplicas(t, servers, db)
	want := searchView(t, duck)
	if len(want) != 88 {
		t.Fatalf("the crawl into DuckDB holds %d posts, want the sample's 88", len(want))
	}
	for i, u := range servers {
		arc := u + "/" + db + "?cluster=" + name
		if got := searchView(t, arc); !slices.Equal(got, want) {
			t.Errorf("search through server %d differs from DuckDB:\n%s\n---\n%s", i+1, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got, w := searchView(t, arc, "--text", "panteón"), searchView(t, duck, "--text", "panteón"); !slices.Equal(got, w) || len(w) == 0 {
			t.Errorf("search --text panteón through server %d: %v, want %v", i+1, got, w)
		}
		out, errs, code := vigia(t, "", "accounts", "--archive", arc, "--format", "jsonl")
		if code != 0 || strings.Count(out, "\n") != 11 {
			t.Errorf("accounts through server %d: exit %d, %d lines, want 11\n%s%s", i+1, code, strings.Count(out, "\n"), out, errs)
		}
	}
	arc := servers[3] + "/" + db + "?cluster=" + name
	hit := searchJSONL(t, "--archive", arc, "--account", "gobierno-gdl")[0]
	if out, errs, code := vigia(t, "", "show", "--archive", arc, "gobierno-gdl/"+hit["post_id"].(string)); code != 0 || !strings.Contains(out, hit["post_id"].(string)) {
		t.Errorf("show through server 4: exit %d\n%s%s", code, out, errs)
	}
	pkg := filepath.Join(t.TempDir(), "paquete")
	if out, errs, code := vigia(t, "", "export", "--archive", arc, "--warc-dir", warcDir, "--request", "UT/0042/2026", "--out", pkg,
		"--account", "gobierno-gdl"); code != 0 || !strings.Contains(out, " delivered, ") {
		t.Errorf("export through server 4: exit %d\n%s%s", code, out, errs)
	}
}

// ownCluster starts a cluster of the test's own (scripts/clickhouse-cluster),
// one of whose servers the test may kill and start again.
func ownCluster(t *testing.T) (servers []string, kill, restart func(n int)) {
	t.Helper()
	testCluster(t) // skips without one
	out, err := exec.Command("../../scripts/clickhouse-cluster", "start").Output()
	if err != nil { // once more: on a loaded machine a server may start too late
		t.Logf("start a ClickHouse cluster: %v; trying again", err)
		out, err = exec.Command("../../scripts/clickhouse-cluster", "start").Output()
	}
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("start a ClickHouse cluster: %v\n%s", err, stderr)
	}
	var dir, stop string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "export VIGIA_TEST_CLICKHOUSE_CLUSTER_SERVERS="); ok {
			servers = strings.Fields(strings.Trim(v, "'"))
		}
		if v, ok := strings.CutPrefix(line, "export VIGIA_TEST_CLICKHOUSE_CLUSTER_DIR="); ok {
			dir = v
		}
		if v, ok := strings.CutPrefix(line, "export VIGIA_CLICKHOUSE_CLUSTER_STOP="); ok {
			stop = strings.Trim(v, "'")
		}
	}
	t.Cleanup(func() { _ = exec.Command("bash", "-c", stop).Run() })
	pidOf := func(n int) int {
		b, _ := os.ReadFile(filepath.Join(dir, "s"+strconv.Itoa(n), "pid"))
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		return pid
	}
	kill = func(n int) {
		if err := syscall.Kill(pidOf(n), syscall.SIGKILL); err != nil {
			t.Fatalf("kill server %d: %v", n, err)
		}
	}
	restart = func(n int) {
		cmd := exec.Command("clickhouse-server", "--config-file="+filepath.Join(dir, "s"+strconv.Itoa(n), "config.xml"))
		if err := cmd.Start(); err != nil {
			t.Fatalf("restart server %d: %v", n, err)
		}
		go cmd.Wait() //nolint:errcheck // reaped when it ends
		_ = os.WriteFile(filepath.Join(dir, "s"+strconv.Itoa(n), "pid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
		for i := 0; i < 120; i++ {
			if exec.Command("clickhouse-client", "--port", port(servers[n-1]), "-q", "SELECT 1").Run() == nil {
				return
			}
			time.Sleep(500 * time.Millisecond)
		}
		t.Fatalf("server %d did not come back", n)
	}
	return servers, kill, restart
}

// TestReplicasDieMidCrawl kills (SIGKILL) the second replica of each shard
// in the middle of a crawl through the first: the crawl ends well, every
// post is there once through the surviving servers, and once the dead
// replicas are back they hold the same. The log says how much longer the
// crawl took than the same crawl with every replica up.
func TestReplicasDieMidCrawl(t *testing.T) {
	servers, kill, restart := ownCluster(t)
	dirFile, served := slowSample(t)
	timed := func(db string, killAt int64) time.Duration {
		t.Helper()
		t.Setenv("VIGIA_SPOOL_DIR", filepath.Join(t.TempDir(), "spool"))
		start := time.Now()
		wait := crawlAsync(t, dirFile, servers[0]+"/"+db+"?cluster=vigia")
		if killAt > 0 {
			for served.Load() < killAt {
				time.Sleep(5 * time.Millisecond)
			}
			kill(2)
			kill(4)
		}
		code, out, errs := wait()
		if code != 0 {
			t.Fatalf("crawl into %s: exit %d\n%s\n%s", db, code, out, errs)
		}
		return time.Since(start)
	}
	calm := timed("vigia_calm", 0)
	served.Store(0)
	stormy := timed("vigia", 10)
	t.Logf("crawl of the sample: %v with every replica up, %v with one replica of each shard killed mid-crawl", calm.Round(time.Millisecond), stormy.Round(time.Millisecond))
	for _, n := range []int{1, 3} {
		onceEach(t, servers[n-1]+"/vigia?cluster=vigia")
	}
	want := searchView(t, servers[0]+"/vigia?cluster=vigia")
	restart(2)
	restart(4)
	syncReplicas(t, servers, "vigia")
	// Through each revived replica alone: its own shard from itself, the
	// other from the first replica (in_order); so both revived cover all.
	for _, n := range []int{2, 4} {
		if got := searchView(t, servers[n-1]+"/vigia?cluster=vigia"); !slices.Equal(got, want) {
			t.Errorf("search through revived server %d: %d posts, differs from server 1's %d", n, len(got), len(want))
		}
	}
	var rows [4]int
	for i, u := range servers {
		out, err := exec.Command("clickhouse-client", "--port", port(u), "-q", "SELECT count() FROM vigia.post_versions_local").Output()
		if err != nil {
			t.Fatal(err)
		}
		rows[i], _ = strconv.Atoi(strings.TrimSpace(string(out)))
	}
	if rows[0] != rows[1] || rows[2] != rows[3] || rows[0]+rows[2] != 88 {
		t.Errorf("post_versions_local rows per server %v: want two equal pairs adding up to 88", rows)
	}
}
