package clickhouse

import (
	"context"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// TestOpenAddsLaterColumns: an archive created before the column shared
// existed gets it when a newer vigia opens it, its old rows read back
// without a shared post, and new rows keep theirs.
func TestOpenAddsLaterColumns(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	old := archive.Post{Network: archive.Telegram, AccountID: "a", PostID: "1", Version: 1, CapturedAt: at, Text: "antes"}
	old.ContentSHA256 = old.ContentHash()
	if err := s.Append(ctx, &archive.Batch{Posts: []archive.Post{old}}); err != nil {
		t.Fatal(err)
	}
	// the archive as an older vigia left it
	if err := s.conn.Exec(ctx, "ALTER TABLE "+s.db+".post_versions DROP COLUMN shared"); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, server(t)+"/"+s.db, "")
	if err != nil {
		t.Fatalf("reopen an archive without the column shared: %v", err)
	}
	defer again.Close()
	var n uint64
	if err := again.conn.QueryRow(ctx, "SELECT count() FROM system.columns WHERE database = ? AND table = 'post_versions' AND name = 'shared'", s.db).Scan(&n); err != nil || n != 1 {
		t.Fatalf("column shared after reopening: %d, %v", n, err)
	}
	fwd := archive.Post{Network: archive.Telegram, AccountID: "a", PostID: "2", Version: 1, CapturedAt: at, Text: "reenviado",
		RepostOf: "https://t.me/otro/5", Shared: &archive.Shared{Kind: archive.Forward, URL: "https://t.me/otro/5", AuthorName: "Otro"}}
	fwd.ContentSHA256 = fwd.ContentHash()
	if err := again.Append(ctx, &archive.Batch{Posts: []archive.Post{fwd}}); err != nil {
		t.Fatal(err)
	}
	res, err := again.Search(ctx, archive.Query{Account: "a", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*archive.Shared{}
	for _, h := range res.Hits {
		got[h.PostID] = h.Shared
	}
	if len(got) != 2 || got["1"] != nil || got["2"] == nil || got["2"].AuthorName != "Otro" || got["2"].Kind != archive.Forward {
		t.Errorf("shared posts read back: %+v", got)
	}
	// opening once more finds the column and adds nothing
	third, err := Open(ctx, server(t)+"/"+s.db, "")
	if err != nil {
		t.Fatalf("open a third time: %v", err)
	}
	third.Close()
}
