package crawler_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/crawler/telegram"
)

// TestReparsedNotEdited: an archive made by a vigia that stored Telegram
// forwards without their text and link previews not at all is crawled by
// this one. The forwards and the link preview get a new version each,
// recorded as reparsed, never as edited by the account; every other post is
// left alone. A real change afterwards (a forward's text, the text of the
// post with a link preview) is an edit.
func TestReparsedNotEdited(t *testing.T) {
	ctx := context.Background()
	page := string(telegramFixtures.ReadFile(t, "avisos_gdl.html"))
	first := string(telegramFixtures.ReadFile(t, "avisos_gdl_before_9.html"))
	var mu sync.Mutex
	srv := serveHost(t)
	srv.handle(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Query().Get("before") == "9" {
			_, _ = w.Write([]byte(first))
			return
		}
		_, _ = w.Write([]byte(page))
	})

	arc, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "a.duckdb"), duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()

	// The archive as the earlier vigia left it: every post of the newest
	// page in the form it read.
	posts, _, err := telegram.ParsePage([]byte(page), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)
	old := &archive.Batch{}
	for _, p := range posts {
		e, _ := telegram.New().Earlier(&p)
		e.Network, e.AccountID, e.CapturedAt, e.Version = archive.Telegram, "avisos", at, 1
		e.ContentSHA256 = e.ContentHash()
		old.Posts = append(old.Posts, e)
		old.Events = append(old.Events, archive.Event{Network: e.Network, AccountID: e.AccountID, PostID: e.PostID,
			Kind: archive.FirstSeen, ObservedAt: at, ContentSHA256: e.ContentSHA256})
	}
	if err := arc.Append(ctx, old); err != nil {
		t.Fatal(err)
	}

	crawl := func() {
		t.Helper()
		dir := directoryOf(t, []string{entry("avisos", archive.Telegram, "avisos_gdl", srv.URL)})
		rep, err := hostileCrawler(hostileClient(true, &evidenceLog{}), arc, 1).Once(ctx, dir, dir.Accounts)
		if err != nil || rep.Accounts[0].Err != nil {
			t.Fatalf("crawl: %v %+v", err, rep)
		}
	}
	// kinds gives, for each post, the kinds of its events after since.
	kinds := func(since time.Time) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, p := range posts {
			h, err := arc.History(ctx, archive.Key{Network: archive.Telegram, AccountID: "avisos", PostID: p.PostID})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range h.Events {
				if e.ObservedAt.After(since) {
					out[p.PostID] += string(e.Kind) + " "
				}
			}
		}
		return out
	}

	crawl()
	got := kinds(at)
	want := map[string]string{"11": "reparsed ", "22": "reparsed ", "24": "reparsed "}
	if len(got) != len(want) || got["11"] != want["11"] || got["22"] != want["22"] || got["24"] != want["24"] {
		t.Errorf("events of the first crawl by this vigia: %v, want %v", got, want)
	}
	h, err := arc.History(ctx, archive.Key{Network: archive.Telegram, AccountID: "avisos", PostID: "11"})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 2 || h.Versions[0].Text != "" || !strings.HasPrefix(h.Versions[1].Text, "Aviso por lluvias") ||
		h.Versions[1].Shared == nil || h.Versions[1].Shared.AuthorName != "Protección Civil Jalisco" {
		t.Errorf("forward 11: versions %+v", h.Versions)
	}
	for _, e := range h.Events {
		if e.Kind == archive.Reparsed && !strings.Contains(e.Evidence, "not an edit") {
			t.Errorf("reparsed event's evidence: %q", e.Evidence)
		}
	}

	second := time.Now().UTC()
	crawl()
	if got := kinds(second); len(got) != 0 {
		t.Errorf("a crawl of the same page found %v", got)
	}

	// The account changes the post with the link preview, and the page
	// now shows another text for the forward.
	mu.Lock()
	page = strings.Replace(page, "el mapa interactivo", "el nuevo mapa interactivo", 1)
	page = strings.Replace(page, "Evita cruzar pasos a desnivel inundados.", "Evita cruzar pasos a desnivel.", 1)
	mu.Unlock()
	third := time.Now().UTC()
	crawl()
	if got := kinds(third); len(got) != 2 || got["11"] != "edited " || got["24"] != "edited " {
		t.Errorf("after real changes: %v, want edited 11 and 24", got)
	}
}
