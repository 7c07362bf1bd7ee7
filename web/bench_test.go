package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/auth"
)

// Run: VIGIA_BENCH_POSTS=1000000 go test ./web -run '^$' -bench . -benchtime 20x

// benchArchive is a DuckDB archive of VIGIA_BENCH_POSTS posts (default
// 100,000) of 1,000 accounts, as archivetest.BenchBatch makes them.
func benchArchive(b *testing.B) string {
	posts := 100_000
	if v, err := strconv.Atoi(os.Getenv("VIGIA_BENCH_POSTS")); err == nil && v > 0 {
		posts = v
	}
	path := filepath.Join(b.TempDir(), "bench.duckdb")
	st, err := duckdb.Open(context.Background(), path, duckdb.WriterOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for i := 0; i < posts; i += 10000 {
		if err := st.Append(context.Background(), archivetest.BenchBatch(min(10000, posts-i), i)); err != nil {
			b.Fatal(err)
		}
	}
	return path
}

// BenchmarkSearchPage measures the search page of a signed-in archivist,
// facets included, as the browser asks for it, and reports p50 and p95.
func BenchmarkSearchPage(b *testing.B) {
	path := benchArchive(b)
	dir := b.TempDir()
	users, err := auth.OpenUsers(filepath.Join(dir, "users.json"))
	if err != nil {
		b.Fatal(err)
	}
	if err := users.Add("ana", auth.Archivist, []byte(password)); err != nil {
		b.Fatal(err)
	}
	token, err := users.NewToken("ana")
	if err != nil {
		b.Fatal(err)
	}
	audit, err := auth.OpenAudit(filepath.Join(dir, "audit.jsonl"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer audit.Close()
	app, err := New(Config{
		Open: func(ctx context.Context, write bool) (archive.Store, error) {
			return duckdb.Open(ctx, path, duckdb.Options{ReadOnly: !write})
		},
		Users: users, Sessions: auth.NewSessions(users, auth.SessionOptions{}), Audit: audit,
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, page := range []struct{ name, query string }{
		{"account", "account=acct0042"},
		{"text", "text=bacheo+nocturno"},
		{"account+month", "account=acct0042&from=2026-09-01&to=2026-09-30"},
		// What the page opens on (the last 30 days) where a month holds
		// 43,000 posts (the benchmark's posts run into 2028, so the real
		// landing page would read most of them), and the whole archive.
		{"month", "from=2027-06-01&to=2027-06-30"},
		{"all", "from="},
	} {
		b.Run(page.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				u := srv.URL + "/"
				if page.query != "" {
					u += "?" + page.query
				}
				req, _ := http.NewRequest("GET", u, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				start := time.Now()
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("%v %v", resp, err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Milliseconds()), "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Milliseconds()), "p95-ms")
		})
	}
}

// BenchmarkExport measures building the package of a request over 10,000
// posts (one in fifty awaiting review is left out), redaction included.
func BenchmarkExport(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.duckdb")
	st, err := duckdb.Open(context.Background(), path, duckdb.WriterOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Append(context.Background(), archivetest.BenchBatch(10000, 0)); err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	n := 0
	for b.Loop() {
		n++
		req := access.Request{Folio: fmt.Sprintf("F-%d", n), Received: time.Now(), Deadline: time.Now().AddDate(0, 1, 0), DaysAllowed: 20}
		pkg, err := access.Answer(context.Background(), st, archive.Query{}, req, filepath.Join(out, req.Folio),
			access.Options{Redact: func(h *archive.Hit) (string, []access.Redaction) { return h.Text, nil }})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(pkg.Delivered), "posts")
	}
}
