package spool

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/clickhouse"
	"github.com/vigia-mx/vigia/archive/duckdb"
)

// Run: go test ./archive/spool -run '^$' -bench . -benchtime 3x
// (with VIGIA_TEST_CLICKHOUSE set, the flush into ClickHouse too)

// BenchmarkAppend is the spool's cost on the way to the archive: a batch of
// 10,000 post versions with their capture, event and decision, encoded,
// checksummed and fsynced.
func BenchmarkAppend(b *testing.B) {
	sp, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Close()
	batches := make([]*archive.Batch, b.N)
	for i := range batches {
		batches[i] = archivetest.BenchBatch(10000, i*10000)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := sp.Append(batches[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "versions/s")
}

// BenchmarkFlushAfterOutage delivers 100,000 post versions (10 batches of
// 10,000) that waited in the spool, as after an outage: replays, so each is
// checked against what the archive holds.
func BenchmarkFlushAfterOutage(b *testing.B) {
	stores := map[string]func(b *testing.B) archive.Store{
		"duckdb": func(b *testing.B) archive.Store {
			s, err := duckdb.Open(context.Background(), filepath.Join(b.TempDir(), "a.duckdb"), duckdb.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	if u := os.Getenv("VIGIA_TEST_CLICKHOUSE"); u != "" {
		stores["clickhouse"] = func(b *testing.B) archive.Store {
			var r [6]byte
			_, _ = rand.Read(r[:])
			s, err := clickhouse.Open(context.Background(), strings.TrimRight(u, "/")+"/vigia_bench_"+hex.EncodeToString(r[:]), "")
			if err != nil {
				b.Fatal(err)
			}
			return s
		}
	}
	for name, open := range stores {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := b.TempDir()
				sp, err := Open(dir, Options{})
				if err != nil {
					b.Fatal(err)
				}
				for j := 0; j < 10; j++ {
					if err := sp.Append(archivetest.BenchBatch(10000, j*10000)); err != nil {
						b.Fatal(err)
					}
				}
				sp.Close()
				sp, err = Open(dir, Options{}) // read back: every batch a replay
				if err != nil {
					b.Fatal(err)
				}
				s := open(b)
				b.StartTimer()
				if n, err := sp.Flush(context.Background(), s); err != nil || n != 10 {
					b.Fatalf("flush: %d, %v", n, err)
				}
				b.StopTimer()
				s.Close()
			}
			b.ReportMetric(float64(100000*b.N)/b.Elapsed().Seconds(), "versions/s")
		})
	}
}

// BenchmarkHeadCache is the cost of the head cache for an archive of
// 100,000 posts of 500 accounts: writing heads.gob whole (at each crawl's
// start and end), and reading it back when the spool is opened.
func BenchmarkHeadCache(b *testing.B) {
	dir := b.TempDir()
	sp, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	heads := map[archive.Key]archive.Head{}
	for i := 0; i < 100000; i++ {
		k := archive.Key{Network: archive.Mastodon, AccountID: "cuenta-" + strings.Repeat("x", i%7) + string(rune('a'+i%500%26)) + hex.EncodeToString([]byte{byte(i % 500), byte(i % 500 >> 8)}), PostID: hex.EncodeToString([]byte{byte(i), byte(i >> 8), byte(i >> 16)}) + "113456789012345678"}
		heads[k] = archive.Head{ContentSHA256: strings.Repeat("ab", 32), Version: 1 + i%3}
	}
	sp.heads.refreshHeads(nil, heads, nil)
	b.Run("save", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sp.heads.dirty = true
			if err := sp.heads.Save(); err != nil {
				b.Fatal(err)
			}
		}
		st, _ := os.Stat(filepath.Join(dir, headsFile))
		b.ReportMetric(float64(st.Size()), "file-bytes")
	})
	b.Run("open", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			h, problem := openHeads(dir)
			if problem != nil || h.Len() != len(heads) {
				b.Fatalf("read back %d heads (%v), want %d", h.Len(), problem, len(heads))
			}
		}
	})
}
