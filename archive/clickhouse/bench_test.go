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

func benchOpen(b *testing.B) archive.Store {
	u := os.Getenv("VIGIA_TEST_CLICKHOUSE")
	if u == "" {
		b.Skip("no ClickHouse server (scripts/clickhouse start)")
	}
	var r [6]byte
	_, _ = rand.Read(r[:])
	db := "vigia_bench_" + hex.EncodeToString(r[:])
	s, err := Open(context.Background(), strings.TrimRight(u, "/")+"/"+db, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { // the benchmark has closed s by now
		if c, err := Open(context.Background(), strings.TrimRight(u, "/")+"/"+db, ""); err == nil {
			_ = c.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db)
			c.Close()
		}
	})
	return s
}

func BenchmarkAppend(b *testing.B) { archivetest.BenchAppend(b, benchOpen) }
func BenchmarkSearch(b *testing.B) { archivetest.BenchSearch(b, benchOpen) }
