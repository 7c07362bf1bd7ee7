package clickhouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// Run (scripts/clickhouse starts a server):
//   eval "$(scripts/clickhouse start)"; go test ./archive/clickhouse -run '^$' -bench . -benchtime 3x
// On the test cluster (scripts/clickhouse-cluster), through the Distributed
// tables of its first server:
//   eval "$(scripts/clickhouse-cluster start)"; VIGIA_BENCH_CLUSTER=1 go test ./archive/clickhouse -run '^$' -bench . -benchtime 3x

func benchOpen(b *testing.B) archive.Store {
	u, params := os.Getenv("VIGIA_TEST_CLICKHOUSE"), ""
	if os.Getenv("VIGIA_BENCH_CLUSTER") != "" {
		u, _, _ = strings.Cut(os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER_SERVERS"), " ")
		params = "?cluster=" + os.Getenv("VIGIA_TEST_CLICKHOUSE_CLUSTER")
	}
	if u == "" {
		b.Skip("no ClickHouse server (scripts/clickhouse start)")
	}
	var r [6]byte
	_, _ = rand.Read(r[:])
	db := "vigia_bench_" + hex.EncodeToString(r[:])
	s, err := Open(context.Background(), strings.TrimRight(u, "/")+"/"+db+params, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { // the benchmark has closed s by now
		if c, err := Open(context.Background(), strings.TrimRight(u, "/")+"/"+db+params, ""); err == nil {
			on := ""
			if c.cluster != "" {
				on = " ON CLUSTER " + c.cluster
			}
			_ = c.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db+on)
			c.Close()
		}
	})
	return s
}

func BenchmarkAppend(b *testing.B) { archivetest.BenchAppend(b, benchOpen) }
func BenchmarkSearch(b *testing.B) { archivetest.BenchSearch(b, benchOpen) }
