package crawler

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

func TestMetricsLintAndCount(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	acct := &directory.Account{ID: "uno", Network: archive.Mastodon}
	m.observe(Attempt{Network: archive.Mastodon, Status: 200, Bytes: 512, Duration: 30 * time.Millisecond})
	m.observe(Attempt{Network: archive.Mastodon, Err: errors.New("refused")})
	m.retry(archive.Mastodon)
	m.robotsDenied(archive.YouTube)
	m.posts(archive.Mastodon, 40, 3, 1)
	m.decided(&archive.Decision{Label: archive.Function, Basis: "Tercera"})
	m.decided(&archive.Decision{})
	m.accountDone(acct, archive.CrawlOK, time.Unix(1700000000, 0))
	m.deleted(archive.Mastodon, "")
	m.evidence(100, nil)
	m.evidence(0, errors.New("disk full"))
	m.media(archive.Mastodon, "fetched")
	m.DirectoryAccounts([]directory.Account{*acct})

	problems, err := testutil.CollectAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("metric %s: %s", p.Metric, p.Text)
	}
	if n := testutil.CollectAndCount(reg); n < 17 {
		t.Errorf("%d series collected; the lint saw too few of the metrics", n)
	}
	want := `
# HELP vigia_crawler_requests_total HTTP requests made by the crawler, by network and status code (0: no response).
# TYPE vigia_crawler_requests_total counter
vigia_crawler_requests_total{code="0",network="mastodon"} 1
vigia_crawler_requests_total{code="200",network="mastodon"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "vigia_crawler_requests_total"); err != nil {
		t.Error(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"versions", testutil.ToFloat64(m.versions.WithLabelValues("mastodon")), 3},
		{"edits", testutil.ToFloat64(m.edits.WithLabelValues("mastodon")), 1},
		{"decisions function/Tercera", testutil.ToFloat64(m.decisions.WithLabelValues("function", "Tercera")), 1},
		{"decisions without label or basis", testutil.ToFloat64(m.decisions.WithLabelValues("undetermined", "none")), 1},
		{"deletions of an unknown label", testutil.ToFloat64(m.deletions.WithLabelValues("mastodon", "undetermined")), 1},
		{"last success", testutil.ToFloat64(m.lastSuccess.WithLabelValues("uno", "mastodon")), 1700000000},
		{"directory mastodon", testutil.ToFloat64(m.directory.WithLabelValues("mastodon")), 1},
		{"directory rss", testutil.ToFloat64(m.directory.WithLabelValues("rss")), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	var nilMetrics *Metrics
	nilMetrics.observe(Attempt{}) // a nil *Metrics records nothing and does not panic
	nilMetrics.accountDone(acct, archive.CrawlOK, time.Now())
	nilMetrics.RestoreHealth(nil, nil)
}

// TestMetricsOfACrawl: the counters move as a crawl finds edits, new posts
// and deletions, and the health gauges follow each account's crawls.
func TestMetricsOfACrawl(t *testing.T) {
	c, arc, ad, dir, _ := liveTest(t, Options{})
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	c.metrics = m
	ctx := context.Background()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	// A person decides post 3 is personal (on the version archived); then
	// it is deleted and post 5 edited.
	arc.mu.Lock()
	var sha string
	for _, p := range arc.all.Posts {
		if p.PostID == "3" {
			sha = p.ContentSHA256
		}
	}
	arc.all.Decisions = append(arc.all.Decisions, archive.Decision{Network: archive.Mastodon, AccountID: "uno", PostID: "3",
		ContentSHA256: sha, Label: archive.Personal, Basis: "Sexta", DecidedBy: "person:lucia", DecidedAt: time.Now()})
	arc.mu.Unlock()
	ad.change(func() {
		ad.ids = slices.DeleteFunc(ad.ids, func(id string) bool { return id == "3" || id == "2" })
		ad.text["5"] = "aviso 5, corregido"
	})
	before := time.Now()
	if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"post versions", testutil.ToFloat64(m.versions.WithLabelValues("mastodon")), 6},
		{"edits", testutil.ToFloat64(m.edits.WithLabelValues("mastodon")), 1},
		{"decisions", testutil.ToFloat64(m.decisions.WithLabelValues("function", "none")), 6},
		{"deletions of the person's personal post", testutil.ToFloat64(m.deletions.WithLabelValues("mastodon", "personal")), 1},
		{"deletions of a function post", testutil.ToFloat64(m.deletions.WithLabelValues("mastodon", "function")), 1},
		{"account crawls", testutil.ToFloat64(m.accountCrawls.WithLabelValues("mastodon", "ok")), 2},
		{"consecutive failures", testutil.ToFloat64(m.failures.WithLabelValues("uno", "mastodon")), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	success := testutil.ToFloat64(m.lastSuccess.WithLabelValues("uno", "mastodon"))
	if success < unixSeconds(before) || success > unixSeconds(time.Now()) {
		t.Errorf("last success = %v, want the second crawl's end (after %v)", success, unixSeconds(before))
	}

	ad.change(func() { ad.down = true })
	for range 2 {
		if _, err := c.Once(ctx, dir, dir.Accounts); err != nil {
			t.Fatal(err)
		}
	}
	if got := testutil.ToFloat64(m.failures.WithLabelValues("uno", "mastodon")); got != 2 {
		t.Errorf("consecutive failures after two unreachable crawls = %v, want 2", got)
	}
	if got := testutil.ToFloat64(m.lastSuccess.WithLabelValues("uno", "mastodon")); got != success {
		t.Errorf("last success moved to %v on a failed crawl, want %v", got, success)
	}
}

func TestRestoreHealth(t *testing.T) {
	at := func(s int64) time.Time { return time.Unix(s, 0) }
	health := []archive.AccountHealth{
		{AccountID: "ok", LastAttempt: at(300), LastSuccess: at(300), LastStatus: archive.CrawlOK},
		{AccountID: "down", LastAttempt: at(300), LastSuccess: at(100), LastStatus: archive.CrawlUnreachable, ConsecutiveFailures: 3},
		{AccountID: "partial", LastAttempt: at(300), LastSuccess: at(100), LastStatus: archive.CrawlPartial, ConsecutiveFailures: 1},
		{AccountID: "never-ok", LastAttempt: at(300), LastStatus: archive.CrawlUnreachable, ConsecutiveFailures: 2},
		{AccountID: "other-shard", LastAttempt: at(300), LastSuccess: at(300), LastStatus: archive.CrawlOK},
	}
	var accounts []directory.Account
	for _, id := range []string{"ok", "down", "partial", "never-ok", "never-crawled"} {
		accounts = append(accounts, directory.Account{ID: id, Network: archive.Telegram})
	}
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.RestoreHealth(health, accounts)
	want := `
# HELP vigia_crawler_account_consecutive_failures Crawls of the account in a row that could not list it at all (unreachable), since its last successful crawl.
# TYPE vigia_crawler_account_consecutive_failures gauge
vigia_crawler_account_consecutive_failures{account="down",network="telegram"} 3
vigia_crawler_account_consecutive_failures{account="never-ok",network="telegram"} 2
vigia_crawler_account_consecutive_failures{account="ok",network="telegram"} 0
vigia_crawler_account_consecutive_failures{account="partial",network="telegram"} 0
# HELP vigia_crawler_account_last_success_timestamp_seconds Unix time at which the account's last successful crawl (ok, or partial: some pages listed) finished.
# TYPE vigia_crawler_account_last_success_timestamp_seconds gauge
vigia_crawler_account_last_success_timestamp_seconds{account="down",network="telegram"} 100
vigia_crawler_account_last_success_timestamp_seconds{account="ok",network="telegram"} 300
vigia_crawler_account_last_success_timestamp_seconds{account="partial",network="telegram"} 300
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"vigia_crawler_account_consecutive_failures", "vigia_crawler_account_last_success_timestamp_seconds"); err != nil {
		t.Error(err)
	}
}

func TestExportsDue(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	dir := &directory.Directory{Location: time.UTC, ExportEvery: 30 * 24 * time.Hour}
	registered, _ := directory.ParseDate("2026-10-01")
	accounts := []directory.Account{
		{ID: "fb-api", Network: archive.Facebook, Capture: directory.CaptureAPI},
		{ID: "x-handed", Network: archive.X, Capture: directory.CaptureExport},
		{ID: "tiktok-never", Network: archive.TikTok, Capture: directory.CaptureExport, RegisteredOn: registered},
	}
	last := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	m.ExportsDue(dir, accounts, []archive.AccountHealth{{AccountID: "x-handed", LastSuccess: last}}, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if got, want := testutil.CollectAndCount(m.exportDue), 2; got != want {
		t.Fatalf("%d accounts with an export due, want %d (the API account has none)", got, want)
	}
	if got, want := testutil.ToFloat64(m.exportDue.WithLabelValues("x-handed", "x")), unixSeconds(last.Add(30*24*time.Hour)); got != want {
		t.Errorf("x-handed due at %v, want %v (30 days after its last import)", got, want)
	}
	if got, want := testutil.ToFloat64(m.exportDue.WithLabelValues("tiktok-never", "tiktok")), unixSeconds(time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)); got != want {
		t.Errorf("tiktok-never due at %v, want %v (30 days after its registration: overdue)", got, want)
	}
}
