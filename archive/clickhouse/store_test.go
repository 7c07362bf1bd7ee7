package clickhouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// server returns the URL of the ClickHouse server the tests use, started by
// scripts/test (VIGIA_TEST_CLICKHOUSE). Without one the tests are skipped,
// unless VIGIA_REQUIRE_CLICKHOUSE is set (as in CI), where that fails.
func server(t *testing.T) string {
	t.Helper()
	u := os.Getenv("VIGIA_TEST_CLICKHOUSE")
	if u == "" {
		if os.Getenv("VIGIA_REQUIRE_CLICKHOUSE") != "" {
			t.Fatal("VIGIA_REQUIRE_CLICKHOUSE is set but VIGIA_TEST_CLICKHOUSE names no server: scripts/test starts one")
		}
		t.Skip("no ClickHouse server: scripts/test starts one (set VIGIA_TEST_CLICKHOUSE=clickhouse://127.0.0.1:PORT)")
	}
	return strings.TrimRight(u, "/")
}

// openTemp opens a new database for one test, dropped when it ends.
func openTemp(t *testing.T) *Store {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "vigia_test_" + hex.EncodeToString(b[:])
	s, err := Open(context.Background(), server(t)+"/"+db, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db)
		s.Close()
	})
	return s
}

func TestConformance(t *testing.T) {
	archivetest.Run(t, func(t *testing.T) archive.Store { return openTemp(t) })
}

func TestOpenErrors(t *testing.T) {
	for _, u := range []string{"clickhouse:///db", "http://127.0.0.1:9000/db", "clickhouse://127.0.0.1:9000/no-dashes"} {
		if _, err := Open(context.Background(), u, ""); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
	_, err := Open(context.Background(), "clickhouse://user:secreto@127.0.0.1:1/db", "")
	if err == nil || strings.Contains(err.Error(), "secreto") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("a server that is down: %v; want an error naming it without the password", err)
	}
}

func TestReopenKeepsTheSchema(t *testing.T) {
	s := openTemp(t)
	again, err := Open(context.Background(), server(t)+"/"+s.db, "")
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	var n uint64
	if err := again.conn.QueryRow(context.Background(), "SELECT count() FROM "+s.db+".schema_migrations").Scan(&n); err != nil || n != 1 {
		t.Errorf("schema_migrations rows = %d, %v; want 1 after two opens", n, err)
	}
}

// TestClusterDDL checks the text of what --cluster creates (cluster_test.go
// runs it on a real cluster): every statement ON CLUSTER, a replicated
// local table and a Distributed table sharded by account for each record type.
func TestClusterDDL(t *testing.T) {
	single, cluster := DDL("vigia", ""), DDL("vigia", "archivo")
	if !strings.Contains(single[2], "batch_id String") {
		t.Errorf("tables lack the batch column: %s", single[2])
	}
	// each table and schema_migrations, local and Distributed; the
	// database; post_heads, local and Distributed, and its three views
	if got, want := len(cluster), 2*(len(tables)+1)+1+2+len(headsSources); got != want {
		t.Fatalf("%d cluster statements, want %d", got, want)
	}
	for _, stmt := range single {
		if strings.Contains(stmt, "ON CLUSTER") || strings.Contains(stmt, "Replicated") || strings.Contains(stmt, "Distributed") {
			t.Errorf("single-server DDL %q names a cluster", stmt)
		}
	}
	for _, stmt := range cluster {
		if !strings.Contains(stmt, " ON CLUSTER archivo") {
			t.Errorf("statement not ON CLUSTER: %s", stmt)
		}
	}
	joined := strings.Join(cluster, "\n")
	for _, want := range []string{
		"CREATE TABLE IF NOT EXISTS vigia.post_versions_local ON CLUSTER archivo (network String,",
		"ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/vigia/post_versions_local', '{replica}') PARTITION BY toYYYYMM(toDateTime(intDiv(captured_at, 1000000))) ORDER BY (account_id, network, post_id, version)",
		"CREATE TABLE IF NOT EXISTS vigia.post_versions ON CLUSTER archivo AS vigia.post_versions_local ENGINE = Distributed(archivo, vigia, post_versions_local, cityHash64(account_id))",
		"ENGINE = Distributed(archivo, vigia, runs_local, cityHash64(run_id))",
		"ENGINE = Distributed(archivo, vigia, fixity_checks_local, cityHash64(checked_at))",
		"ENGINE = Distributed(archivo, vigia, decisions_local, cityHash64(account_id))",
		"CREATE TABLE IF NOT EXISTS vigia.post_heads_local ON CLUSTER archivo (account_id String,",
		"ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/vigia/post_heads_local', '{replica}') ORDER BY (account_id, network, post_id)",
		"CREATE MATERIALIZED VIEW IF NOT EXISTS vigia.post_heads_from_post_versions ON CLUSTER archivo TO vigia.post_heads_local AS SELECT",
		"FROM vigia.post_versions_local GROUP BY account_id, network, post_id",
		"FROM vigia.events_local WHERE kind IN ('deleted_at_source', 'restored') GROUP BY",
		"CREATE TABLE IF NOT EXISTS vigia.post_heads ON CLUSTER archivo AS vigia.post_heads_local ENGINE = Distributed(archivo, vigia, post_heads_local, cityHash64(account_id))",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("cluster DDL lacks %q", want)
		}
	}
	if _, err := Open(context.Background(), "clickhouse://127.0.0.1:9000/vigia?cluster=no-dashes", ""); !errors.Is(err, ErrBadURL) {
		t.Errorf("a bad cluster name: %v", err)
	}
}

// TestSingleServerDDLRunsOnTheServer creates the schema in a database of the
// test server from the statements DDL gives, as Open does.
func TestSingleServerDDLRunsOnTheServer(t *testing.T) {
	s := openTemp(t)
	var n uint64
	if err := s.conn.QueryRow(context.Background(), "SELECT count() FROM system.tables WHERE database = ?", s.db).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if got, want := int(n), len(tables)+3+len(headsSources); got != want { // and schema_migrations, model_adoptions, post_heads, its views
		t.Errorf("%d tables in the database, want %d", got, want)
	}
}

// TestReplayCompletesAHalfAppend: an append that stopped after its first
// table is completed by the replay, without repeating that table's rows.
func TestReplayCompletesAHalfAppend(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	p := archivetest.Post("obras", "1", 1, "Bacheo", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	c := archive.Capture{Network: p.Network, AccountID: "obras", PostID: "1", CapturedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256}
	if err := s.Append(ctx, &archive.Batch{ID: "b1", Posts: []archive.Post{p}}); err != nil { // what got in before the failure
		t.Fatal(err)
	}
	if err := s.Append(ctx, &archive.Batch{ID: "b1", Replayed: true, Posts: []archive.Post{p}, Captures: []archive.Capture{c}}); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, p.Key())
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 1 || h.Captures != 1 {
		t.Errorf("after the replay: %d versions, %d captures; want 1 and 1", len(h.Versions), h.Captures)
	}
}

// A term found in many posts still searches: the candidates travel as an
// external table, not in the query's text (ten thousand keys there once
// passed ClickHouse's max_query_size of 256 KiB).
func TestSearchManyCandidates(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if err := s.Append(ctx, archivetest.BenchBatch(9000, 0)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []archive.Query{{Text: "CALZADA", Limit: 10}, {NeedsReview: 0.75, Visibility: archive.Visibility{Threshold: 0.75}, Limit: 10, Offset: 175}} {
		r, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		if want := 9000; q.Text != "" && (r.Total != want || len(r.Hits) != 10) {
			t.Errorf("text: %d of %d posts, want 10 of %d", len(r.Hits), r.Total, want)
		}
		if want := 180; q.NeedsReview > 0 && (r.Total != want || len(r.Hits) != 5) {
			t.Errorf("review from 175: %d of %d posts, want 5 of %d", len(r.Hits), r.Total, want)
		}
	}
}
