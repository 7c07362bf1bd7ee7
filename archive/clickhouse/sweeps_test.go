package clickhouse

import (
	"context"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// TestOpenAddsSweepColumns: an archive whose account_crawls predate deep
// sweeps gets the sweep columns when a newer vigia opens it; its old crawls
// read back as no sweep, and a sweep recorded afterwards is the account's
// last sweep.
func TestOpenAddsSweepColumns(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	acct := archive.Account{ID: "a", Network: archive.Telegram, Handle: "canal", Type: "official", ServantLevel: -1, RecordedAt: at}
	acct.FactsSHA256 = acct.FactsHash()
	crawl := archive.AccountCrawl{RunID: "r1", AccountID: "a", Network: archive.Telegram, StartedAt: at, FinishedAt: at.Add(time.Minute), Status: archive.CrawlOK, Pages: 1}
	if err := s.Append(ctx, &archive.Batch{Accounts: []archive.Account{acct}, Crawls: []archive.AccountCrawl{crawl}}); err != nil {
		t.Fatal(err)
	}
	// the archive as an older vigia left it
	for _, c := range []string{"sweep", "sweep_complete", "sweep_checked"} {
		if err := s.conn.Exec(ctx, "ALTER TABLE "+s.db+".account_crawls DROP COLUMN "+c); err != nil {
			t.Fatal(err)
		}
	}
	again, err := Open(ctx, server(t)+"/"+s.db, "")
	if err != nil {
		t.Fatalf("reopen an archive without the sweep columns: %v", err)
	}
	defer again.Close()
	h, err := again.Health(ctx)
	if err != nil || len(h) != 1 || !h[0].LastSweep.IsZero() || !h[0].LastSuccess.Equal(crawl.FinishedAt) {
		t.Fatalf("health of the old crawls: %+v, %v; want a success and no sweep", h, err)
	}
	sweep := crawl
	sweep.RunID, sweep.FinishedAt, sweep.Sweep, sweep.SweepComplete, sweep.SweepChecked = "r2", at.Add(time.Hour), true, true, 42
	if err := again.Append(ctx, &archive.Batch{Crawls: []archive.AccountCrawl{sweep}}); err != nil {
		t.Fatal(err)
	}
	h, err = again.Health(ctx)
	if err != nil || !h[0].LastSweep.Equal(sweep.FinishedAt) || h[0].LastSweepChecked != 42 || !h[0].LastSweepComplete {
		t.Errorf("health after a sweep: %+v, %v; want the sweep at +1h, 42 checked, complete", h, err)
	}
	var back []archive.AccountCrawl
	if err := again.Export(ctx, 100, func(b *archive.Batch) error { back = append(back, b.Crawls...); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 {
		t.Fatalf("exported %d crawls, want 2", len(back))
	}
	for _, c := range back {
		if want := c.RunID == "r2"; c.Sweep != want || c.SweepComplete != want || (c.SweepChecked == 42) != want {
			t.Errorf("exported crawl %s: %+v", c.RunID, c)
		}
	}
}
