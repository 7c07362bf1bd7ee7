package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// benchBatch is what a crawl appends for n new posts: each post version
// with ~2 KB of raw JSON, its capture, event and decision.
func benchBatch(n, offset int) *archive.Batch {
	b := &archive.Batch{}
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	raw := []byte(`{"id":"` + strings.Repeat("x", 2000) + `"}`)
	for i := 0; i < n; i++ {
		id := fmt.Sprint(offset + i)
		p := archivetest.Post(fmt.Sprintf("acct%04d", (offset+i)%1000), id, 1,
			"Arrancan los trabajos de rehabilitación de la calzada, con reducción a un carril por sentido durante tres semanas. "+id, t0.Add(time.Duration(i)*time.Minute))
		p.Raw = raw
		b.Posts = append(b.Posts, p)
		b.Captures = append(b.Captures, archive.Capture{Network: p.Network, AccountID: p.AccountID, PostID: id, CapturedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256, SourceURL: p.SourceURL, RunID: "r"})
		b.Events = append(b.Events, archive.Event{Network: p.Network, AccountID: p.AccountID, PostID: id, Kind: archive.FirstSeen, ObservedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256, Evidence: "version 1 seen in " + p.SourceURL, RunID: "r"})
		b.Decisions = append(b.Decisions, archivetest.Decide(p, archive.Function, "rule:v1", p.CapturedAt))
	}
	return b
}

// BenchmarkAppend measures post versions archived per second, with their
// capture, event and decision rows, at several batch sizes.
func BenchmarkAppend(b *testing.B) {
	for _, size := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			s, err := Open(context.Background(), filepath.Join(b.TempDir(), "a.duckdb"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			batches := make([]*archive.Batch, b.N)
			for i := range batches {
				batches[i] = benchBatch(size, i*size)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.Append(context.Background(), batches[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size*b.N)/b.Elapsed().Seconds(), "versions/s")
		})
	}
}
