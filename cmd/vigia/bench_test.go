package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vigia-mx/vigia/samplenet"
)

// The end-to-end benchmark of docs/benchmarks.md: `vigia crawl --once
// --host-rate 0` against a loopback Mastodon of 1,000 accounts × 40 posts,
// next to a bare loop that only fetches and decodes the same pages.
// Run: go test ./cmd/vigia -run '^$' -bench 'Crawl|Bare' -benchtime 3x

const (
	benchAccounts = 1000
	benchPosts    = 40
)

var (
	farmOnce sync.Once
	farmURL  string
	farmDir  string
)

// benchFarm serves the synthetic Mastodon for the whole benchmark run.
func benchFarm(b *testing.B) (baseURL, directoryFile string) {
	farmOnce.Do(func() {
		farm := samplenet.NewMastodonFarm(benchAccounts, benchPosts)
		srv := httptest.NewServer(farm.Handler()) // lives until the process ends
		farmURL = srv.URL
		dir, err := os.MkdirTemp("", "vigia-bench")
		if err != nil {
			panic(err)
		}
		farmDir = filepath.Join(dir, "farm.yaml")
		if err := os.WriteFile(farmDir, farm.Directory(srv.URL), 0o644); err != nil {
			panic(err)
		}
	})
	return farmURL, farmDir
}

// BenchmarkCrawlMastodonFarm runs the vigia binary as a separate process,
// so that its peak RSS is its own: as by default (WARC evidence and the
// images of one post in seven fetched), without media, and without WARC
// either, to measure what evidence costs.
func BenchmarkCrawlMastodonFarm(b *testing.B) {
	_, dirFile := benchFarm(b)
	bin := filepath.Join(b.TempDir(), "vigia")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build vigia: %v\n%s", err, out)
	}
	b.Run("warc+media", func(b *testing.B) { benchCrawlProcess(b, bin, dirFile) })
	b.Run("warc", func(b *testing.B) { benchCrawlProcess(b, bin, dirFile, "--media-max-bytes", "-1") })
	b.Run("no-warc", func(b *testing.B) { benchCrawlProcess(b, bin, dirFile, "--media-max-bytes", "-1", "--no-warc") })
}

func benchCrawlProcess(b *testing.B, bin, dirFile string, extra ...string) {
	var elapsed, cpu time.Duration
	var peakKB int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		arc := filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.duckdb", i))
		cmd := exec.Command(bin, append([]string{"crawl", "--once", "--host-rate", "0", "--allow-private-networks",
			"--directory", dirFile, "--archive", arc, "--progress=false"}, extra...)...)
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("vigia crawl: %v\n%s", err, stderr.String())
		}
		elapsed += time.Since(start)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKB = max(peakKB, ru.Maxrss)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(float64(benchAccounts*benchPosts*b.N)/elapsed.Seconds(), "posts/s")
	b.ReportMetric(float64(peakKB)/1024, "peak-RSS-MB")
	// The crawl process's CPU time (user + system): on a machine shared
	// with other work it varies less than the wall-clock time.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkCrawlMastodonFarmInProcess is the same crawl inside the test
// process, for CPU and memory profiles (-cpuprofile, -memprofile).
func BenchmarkCrawlMastodonFarmInProcess(b *testing.B) {
	_, dirFile := benchFarm(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		arc := filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.duckdb", i))
		var errs strings.Builder
		code := run(context.Background(), []string{"crawl", "--once", "--host-rate", "0", "--allow-private-networks",
			"--directory", dirFile, "--archive", arc, "--progress=false"},
			&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errs, getenv: func(string) string { return "" }})
		if code != 0 {
			b.Fatalf("vigia crawl: exit %d\n%s", code, errs.String())
		}
	}
	b.ReportMetric(float64(benchAccounts*benchPosts*b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkRecrawlUnchanged measures what a crawl of accounts that did not
// change costs: requests and time per account, once the archive holds them.
func BenchmarkRecrawlUnchanged(b *testing.B) {
	_, dirFile := benchFarm(b)
	arc := filepath.Join(b.TempDir(), "recrawl.duckdb")
	crawl := func() string {
		var out, errs strings.Builder
		code := run(context.Background(), []string{"crawl", "--once", "--host-rate", "0", "--allow-private-networks",
			"--directory", dirFile, "--archive", arc, "--progress=false"},
			&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, getenv: func(string) string { return "" }})
		if code != 0 {
			b.Fatalf("vigia crawl: exit %d\n%s", code, errs.String())
		}
		return out.String()
	}
	crawl()
	requests := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := crawl()
		var n int
		if _, err := fmt.Sscanf(out[strings.LastIndex(out, "failed), ")+len("failed), "):], "%d requests", &n); err != nil {
			b.Fatalf("read the run line: %v\n%s", err, out)
		}
		if !strings.Contains(out, " 0 new versions") {
			b.Fatalf("an unchanged re-crawl archived new versions:\n%s", out[strings.LastIndex(out, "run "):])
		}
		requests += n
	}
	b.ReportMetric(float64(requests)/float64(b.N*benchAccounts), "requests/account")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*benchAccounts), "ms/account")
}

// BenchmarkBareFetchDecode is the ceiling: the same requests with net/http
// and a JSON decode of each page into the status fields a post needs,
// nothing else.
func BenchmarkBareFetchDecode(b *testing.B) {
	base, _ := benchFarm(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get := func(url string, v any) (http.Header, error) {
		resp, err := client.Get(url)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return resp.Header, json.NewDecoder(resp.Body).Decode(v)
	}
	type status struct {
		ID        string `json:"id"`
		CreatedAt string `json:"created_at"`
		URL       string `json:"url"`
		Content   string `json:"content"`
		Account   struct {
			Acct string `json:"acct"`
		} `json:"account"`
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var g errgroup.Group
		g.SetLimit(8)
		var mu sync.Mutex
		posts := 0
		for a := 1; a <= benchAccounts; a++ {
			g.Go(func() error {
				var acct struct {
					ID string `json:"id"`
				}
				if _, err := get(fmt.Sprintf("%s/api/v1/accounts/lookup?acct=user%04d", base, a), &acct); err != nil {
					return err
				}
				next := fmt.Sprintf("%s/api/v1/accounts/%s/statuses?limit=40", base, acct.ID)
				for next != "" {
					var page []status
					h, err := get(next, &page)
					if err != nil {
						return err
					}
					mu.Lock()
					posts += len(page)
					mu.Unlock()
					next = ""
					if l := h.Get("Link"); len(page) > 0 && strings.Contains(l, `rel="next"`) {
						next = strings.Trim(strings.SplitN(l, ";", 2)[0], "<>")
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		if posts != benchAccounts*benchPosts {
			b.Fatalf("decoded %d posts, want %d", posts, benchAccounts*benchPosts)
		}
	}
	b.ReportMetric(float64(benchAccounts*benchPosts*b.N)/b.Elapsed().Seconds(), "posts/s")
}
