package clickhouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// cluster returns the name of the test cluster and its servers' URLs (shard
// 1 replica 1, shard 1 replica 2, shard 2 replica 1, shard 2 replica 2),
// started by scripts/clickhouse-cluster (scripts/test does when it can:
// VIGIA_TEST_CLICKHOUSE_CLUSTER, …_SERVERS). Without one the tests are
// skipped, unless VIGIA_REQUIRE_CLUSTER is set (as in CI), where that fails.
func cluster(t *testing.T) (name string, servers []string) {
	t.Helper()
	name, servers = os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER"), strings.Fields(os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER_SERVERS"))
	if name == "" || len(servers) != 4 {
		if os.Getenv("VIGIA_REQUIRE_CLUSTER") != "" {
			t.Fatal("VIGIA_REQUIRE_CLUSTER is set but VIGIA_TEST_CLICKHOUSE_CLUSTER(_SERVERS) name no cluster: scripts/test starts one")
		}
		t.Skip("no ClickHouse cluster: scripts/test starts one (eval \"$(scripts/clickhouse-cluster start)\")")
	}
	return name, servers
}

// openCluster opens a new database on the test cluster through server i
// (0..3) and returns a function that opens the same database through any
// other server; the database is dropped ON CLUSTER when the test ends.
// params are added to the URL.
func openCluster(t *testing.T, i int, params string) (*Store, func(i int) *Store) {
	t.Helper()
	name, servers := cluster(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "vigia_test_" + hex.EncodeToString(b[:])
	open := func(i int) *Store {
		s, err := Open(context.Background(), servers[i]+"/"+db+"?cluster="+name+params, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	s := open(i)
	t.Cleanup(func() { _ = s.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db+" ON CLUSTER "+name) })
	return s, open
}

// TestConformanceOnCluster runs the conformance suite on the 2 x 2 cluster,
// each case through the next server. The suite reads what it has just
// appended through the same server: the cluster's servers read and write
// the first live replica of each shard (load_balancing = in_order in their
// profile, as docs/scale.md advises), so an append is read back at once;
// the other replica follows within the time replication takes.
func TestConformanceOnCluster(t *testing.T) {
	var next atomic.Int32
	archivetest.Run(t, func(t *testing.T) archive.Store {
		s, _ := openCluster(t, int(next.Add(1))%4, "")
		return s
	})
}

// TestClusterReadsThroughEveryReplica appends through one server and reads
// the same answers through each of the four, once the replicas have caught
// up: every record of the batch is on its account's shard, on both its
// replicas.
func TestClusterReadsThroughEveryReplica(t *testing.T) {
	s, open := openCluster(t, 0, "")
	ctx := context.Background()
	b := archivetest.BenchBatch(400, 0)
	b.ID = "c1"
	if err := s.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	want, err := s.Search(ctx, archive.Query{Text: "calzada"})
	if err != nil {
		t.Fatal(err)
	}
	if want.Total == 0 {
		t.Fatal("a search through the server that took the batch finds nothing")
	}
	var perShard []uint64
	for i := 0; i < 4; i++ {
		r := open(i)
		if err := r.conn.Exec(ctx, "SYSTEM SYNC REPLICA "+r.db+".post_versions_local"); err != nil {
			t.Fatalf("server %d: sync replica: %v", i+1, err)
		}
		var local uint64
		if err := r.conn.QueryRow(ctx, "SELECT count() FROM "+r.db+".post_versions_local").Scan(&local); err != nil {
			t.Fatal(err)
		}
		perShard = append(perShard, local)
		got, err := r.Search(ctx, archive.Query{Text: "calzada"})
		if err != nil {
			t.Fatalf("search through server %d: %v", i+1, err)
		}
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Errorf("search through server %d: %d posts, want %d", i+1, got.Total, want.Total)
		}
	}
	// Replicas of a shard hold the same rows; the shards, the whole batch.
	if perShard[0] != perShard[1] || perShard[2] != perShard[3] || perShard[0]+perShard[2] != uint64(len(b.Posts)) || perShard[0] == 0 || perShard[2] == 0 {
		t.Errorf("post_versions_local rows per server: %v; want two equal pairs adding up to %d", perShard, len(b.Posts))
	}
}

// TestClusterReplayCompletesAShard: a batch whose rows reached one shard and
// not the other (a distributed insert fails shard by shard) is completed by
// its replay, each post once. Before, the replay saw rows of the batch in
// the table and skipped it, losing the other shard's share.
func TestClusterReplayCompletesAShard(t *testing.T) {
	s, _ := openCluster(t, 0, "")
	ctx := context.Background()
	// Two accounts on different shards (the Distributed tables put a row
	// on shard cityHash64(account_id) % 2).
	accounts := map[uint8]string{}
	for i := 0; len(accounts) < 2; i++ {
		id := "cuenta-" + string(rune('a'+i))
		var shard uint8
		if err := s.conn.QueryRow(ctx, "SELECT toUInt8(cityHash64(?) % 2)", id).Scan(&shard); err != nil {
			t.Fatal(err)
		}
		if _, ok := accounts[shard]; !ok {
			accounts[shard] = id
		}
	}
	at := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	var posts []archive.Post
	for n, acct := range []string{accounts[0], accounts[1]} {
		for j := 0; j < 3; j++ {
			posts = append(posts, archivetest.Post(acct, string(rune('1'+j)), 1, "Bacheo en la calzada", at.Add(time.Duration(n*3+j)*time.Hour)))
		}
	}
	// What got in before the failure: the first shard's share.
	if err := s.Append(ctx, &archive.Batch{ID: "b1", Posts: posts[:3]}); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ { // the replay, and a replay of the replay
		if err := s.Append(ctx, &archive.Batch{ID: "b1", Replayed: true, Posts: posts}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Search(ctx, archive.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 6 {
		t.Errorf("after the replays: %d posts, want 6", r.Total)
	}
	for _, h := range r.Hits {
		if h.Versions != 1 {
			t.Errorf("post %s/%s: %d versions, want 1", h.Post.AccountID, h.Post.PostID, h.Versions)
		}
	}
	var rows uint64
	if err := s.conn.QueryRow(ctx, "SELECT count() FROM "+s.db+".post_versions").Scan(&rows); err != nil || rows != 6 {
		t.Errorf("post_versions rows = %d, %v; want 6 (each post once)", rows, err)
	}
}

// TestClusterInsertQuorumInURL: insert_quorum=N is read from the URL, only
// with a cluster, and an append waits for N replicas.
func TestClusterInsertQuorumInURL(t *testing.T) {
	name, servers := cluster(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "vigia_test_" + hex.EncodeToString(b[:])
	s, err := Open(context.Background(), servers[2]+"/"+db+"?cluster="+name+"&insert_quorum=2", "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	defer s.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db+" ON CLUSTER "+name) //nolint:errcheck
	batch := archivetest.BenchBatch(50, 0)
	if err := s.Append(context.Background(), batch); err != nil {
		t.Fatalf("append with insert_quorum=2: %v", err)
	}
	// Both replicas of each shard have the rows when the append returns.
	for i, u := range servers {
		r, err := Open(context.Background(), u+"/"+db+"?cluster="+name, "")
		if err != nil {
			t.Fatal(err)
		}
		var n uint64
		err = r.conn.QueryRow(context.Background(), "SELECT count() FROM "+db+".post_versions_local").Scan(&n)
		r.Close()
		if err != nil || n == 0 {
			t.Errorf("server %d holds %d rows (%v) right after the append", i+1, n, err)
		}
	}
	for _, u := range []string{servers[0] + "/" + db + "?insert_quorum=2", servers[0] + "/" + db + "?cluster=" + name + "&insert_quorum=x"} {
		if _, err := Open(context.Background(), u, ""); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
}

// TestClusterOpensWithTheSchemaInPlace: reopening an archive whose tables
// all exist sends no DDL ON CLUSTER (which waits for every server, 180 s
// with one down), and the schema check names every table.
func TestClusterOpensWithTheSchemaInPlace(t *testing.T) {
	s, open := openCluster(t, 1, "")
	ctx := context.Background()
	present, err := s.schemaPresent(ctx)
	if err != nil || !present {
		t.Fatalf("schemaPresent after Open = %v, %v; want true", present, err)
	}
	// A table missing on this server: Open creates it again.
	if err := s.conn.Exec(ctx, "DROP TABLE "+s.db+".post_heads_from_events"); err != nil {
		t.Fatal(err)
	}
	if present, err := s.schemaPresent(ctx); err != nil || present {
		t.Fatalf("schemaPresent without a view = %v, %v; want false", present, err)
	}
	again := open(1)
	if present, err := again.schemaPresent(ctx); err != nil || !present {
		t.Errorf("schemaPresent after reopening = %v, %v; want true", present, err)
	}
}

// TestNoAggregateAliasedAsItsColumn: no query of this package names an
// aggregate after the column it reads unqualified (maxIfMerge(latest_version)
// AS latest_version): the analyzer of current ClickHouse releases resolves
// that name to the alias, 18.16 to the column; the queries qualify it.
func TestNoAggregateAliasedAsItsColumn(t *testing.T) {
	selfAlias := regexp.MustCompile(`\b\w+\((\w+)(?:, [\w.]+)*\) AS (\w+)\b`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range selfAlias.FindAllStringSubmatch(string(src), -1) {
			if m[1] == m[2] {
				t.Errorf("%s: %q reads the column under its own alias: qualify it with the table's alias", f, m[0])
			}
		}
	}
}
