package archivetest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// BenchBatch is what a crawl appends for n new posts: each post version
// with ~2 KB of raw JSON, its capture, event and decision. One post in a
// hundred mentions night-time pothole repairs (what the text search looks
// for) and one in fifty awaits review (undetermined, confidence 0.5).
func BenchBatch(n, offset int) *archive.Batch {
	b := &archive.Batch{}
	raw := []byte(`{"id":"` + strings.Repeat("x", 2000) + `"}`)
	for i := 0; i < n; i++ {
		id := fmt.Sprint(offset + i)
		text := "Arrancan los trabajos de rehabilitación de la calzada, con reducción a un carril por sentido durante tres semanas. " + id
		if (offset+i)%100 == 0 {
			text += " Bacheo nocturno en la zona."
		}
		p := Post(fmt.Sprintf("acct%04d", (offset+i)%1000), id, 1, text, t0.Add(time.Duration(offset+i)*time.Minute))
		p.Raw = raw
		b.Posts = append(b.Posts, p)
		b.Captures = append(b.Captures, archive.Capture{Network: p.Network, AccountID: p.AccountID, PostID: id, CapturedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256, SourceURL: p.SourceURL, RunID: "r"})
		b.Events = append(b.Events, archive.Event{Network: p.Network, AccountID: p.AccountID, PostID: id, Kind: archive.FirstSeen, ObservedAt: p.CapturedAt, ContentSHA256: p.ContentSHA256, Evidence: "version 1 seen in " + p.SourceURL, RunID: "r"})
		d := Decide(p, archive.Function, "model vbench", p.CapturedAt)
		if (offset+i)%50 == 25 {
			d.Label, d.Confidence = archive.Undetermined, 0.5
		}
		b.Decisions = append(b.Decisions, d)
	}
	return b
}

// BenchOpen opens a new, empty store for one benchmark.
type BenchOpen func(b *testing.B) archive.Store

// BenchAppend measures post versions archived per second, with their
// capture, event and decision rows, at batch sizes of 1k, 10k and 100k.
func BenchAppend(b *testing.B, open BenchOpen) {
	for _, size := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			s := open(b)
			defer s.Close()
			batches := make([]*archive.Batch, b.N)
			for i := range batches {
				batches[i] = BenchBatch(size, i*size)
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

// BenchSearch measures searches over an archive of 100,000 posts of 1,000
// accounts (VIGIA_BENCH_POSTS changes the number): one account's latest
// page, a text search, and the review queue; and the facets of the whole
// archive, of its function posts, of what the public reads, and of one
// account; each with its median
// time (ms-p50) beside the mean.
func BenchSearch(b *testing.B, open BenchOpen) {
	s := open(b)
	defer s.Close()
	posts := 100_000
	if v, err := strconv.Atoi(os.Getenv("VIGIA_BENCH_POSTS")); err == nil && v > 0 {
		posts = v
	}
	for i := 0; i < posts/10000; i++ {
		if err := s.Append(context.Background(), BenchBatch(10000, i*10000)); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []struct {
		name string
		q    archive.Query
	}{
		{"account", archive.Query{Account: "acct0042", Limit: 50}},
		{"text", archive.Query{Text: "BACHEO NOCTURNO", Limit: 50}},                                              // 1 % of posts
		{"review", archive.Query{NeedsReview: 0.75, Visibility: archive.Visibility{Threshold: 0.75}, Limit: 50}}, // 2 %
	} {
		b.Run(q.name, func(b *testing.B) {
			var total int
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				r, err := s.Search(context.Background(), q.q)
				if err != nil {
					b.Fatal(err)
				}
				took, total = append(took, time.Since(start)), r.Total
			}
			b.ReportMetric(float64(total), "matches")
			reportMedian(b, took)
		})
	}
	for _, q := range []struct {
		name string
		q    archive.Query
	}{
		{"facets/all", archive.Query{}},
		{"facets/function", archive.Query{Labels: []archive.Label{archive.Function}}},
		{"facets/public", archive.Query{Public: true, Visibility: archive.Visibility{Threshold: 0.75}}},
		{"facets/account", archive.Query{Account: "acct0042"}},
	} {
		b.Run(q.name, func(b *testing.B) {
			var total int
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				f, err := s.Facets(context.Background(), q.q)
				if err != nil {
					b.Fatal(err)
				}
				took, total = append(took, time.Since(start)), f.Total
			}
			b.ReportMetric(float64(total), "matches")
			reportMedian(b, took)
		})
	}
}

// reportMedian reports the median of the times as ms-p50: targets are for
// the median, which the mean of a few runs on a shared machine misstates.
func reportMedian(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/float64(time.Millisecond), "ms-p50")
}
