package samplenet

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

var cst = time.FixedZone("CST", -6*3600)

func cstTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// postOf returns a sample post by account id and key.
func postOf(t *testing.T, s *Server, accountID, key string) *post {
	t.Helper()
	for _, p := range s.sample.byID[accountID].posts {
		if p.key == key {
			return p
		}
	}
	t.Fatalf("no post %s/%s", accountID, key)
	return nil
}

// mastodonListing crawls an account's statuses, newest first.
func mastodonListing(t *testing.T, base, acct string) []mStatus {
	t.Helper()
	var all []mStatus
	for _, page := range mastodonCrawl(t, base, acct) {
		all = append(all, page...)
	}
	return all
}

func mastodonGet(t *testing.T, base, id string) (int, mStatus) {
	t.Helper()
	r := get(t, base+"/api/v1/statuses/"+id)
	var st mStatus
	if r.status == http.StatusOK {
		if err := json.Unmarshal(r.body, &st); err != nil {
			t.Fatalf("status %s: %v", id, err)
		}
	} else if string(r.body) != `{"error":"Record not found"}` {
		t.Errorf("status %s: %d %s", id, r.status, r.body)
	}
	return r.status, st
}

func mastodonHistoryOf(t *testing.T, base, id string) []mStatusEdit {
	t.Helper()
	var h []mStatusEdit
	if err := json.Unmarshal(getOK(t, base+"/api/v1/statuses/"+id+"/history").body, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// blueskyFeedBodies returns every page body of an author feed.
func blueskyFeedBodies(t *testing.T, base, actor string) []byte {
	t.Helper()
	var all []byte
	cursor := ""
	for n := 0; n < 20; n++ {
		u := base + "/xrpc/app.bsky.feed.getAuthorFeed?actor=" + url.QueryEscape(actor)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		body := getOK(t, u).body
		all = append(all, body...)
		var out bFeedOutput
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		if out.Cursor == "" {
			break
		}
		cursor = out.Cursor
	}
	return all
}

// blueskyItemOf finds the feed item of a post, not a repost of it.
func blueskyItemOf(t *testing.T, base, actor, uri string) *bFeedItem {
	t.Helper()
	items, _ := blueskyCrawl(t, base, actor)
	for i := range items {
		if items[i].Post.URI == uri && items[i].Reason == nil {
			return &items[i]
		}
	}
	return nil
}

func getPosts(t *testing.T, base string, uris ...string) []bPostView {
	t.Helper()
	var out struct {
		Posts []bPostView `json:"posts"`
	}
	body := getOK(t, base+"/xrpc/app.bsky.feed.getPosts?"+url.Values{"uris": uris}.Encode()).body
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Posts
}

// tgSeen is what a test reads of a t.me message.
type tgSeen struct {
	num      int
	text     string
	edited   bool
	datetime string
	forward  bool
}

func readTgMessage(t *testing.T, n *html.Node) tgSeen {
	t.Helper()
	post, _ := attr(n, "data-post")
	_, id, _ := strings.Cut(post, "/")
	num, err := strconv.Atoi(id)
	if err != nil {
		t.Fatalf("data-post %q", post)
	}
	m := tgSeen{num: num, forward: find(n, "tgme_widget_message_forwarded_from") != nil}
	if body := find(n, "js-message_text"); body != nil {
		m.text = textOf(body)
	}
	m.edited = strings.HasPrefix(textOf(find(n, "tgme_widget_message_meta")), "edited")
	m.datetime, _ = attr(find(n, "time"), "datetime")
	return m
}

// tgChannel crawls a channel and returns its messages, newest page first
// and oldest first within a page, checking that no number repeats.
func tgChannel(t *testing.T, base, channel string) []tgSeen {
	t.Helper()
	nodes, _ := telegramCrawl(t, base, channel)
	var out []tgSeen
	seen := map[int]bool{}
	for _, n := range nodes {
		m := readTgMessage(t, n)
		if seen[m.num] {
			t.Errorf("%s: message %d listed twice", channel, m.num)
		}
		seen[m.num] = true
		out = append(out, m)
	}
	return out
}

func tgFind(msgs []tgSeen, num int) *tgSeen {
	for i := range msgs {
		if msgs[i].num == num {
			return &msgs[i]
		}
	}
	return nil
}

// tgSingle reads t.me/NAME/ID: the message, or nil with "Post not found".
func tgSingle(t *testing.T, base, channel, id string) *tgSeen {
	t.Helper()
	doc := parseHTML(t, getOK(t, base+"/"+channel+"/"+id+"?embed=1").body)
	n := find(doc, "tgme_widget_message")
	if n == nil {
		if e := find(doc, "tgme_widget_message_error"); e == nil || textOf(e) != "Post not found" {
			t.Errorf("t.me/%s/%s: neither a message nor \"Post not found\"", channel, id)
		}
		return nil
	}
	m := readTgMessage(t, n)
	return &m
}

type ytEntriesXML struct {
	Entries []struct {
		VideoID string `xml:"http://www.youtube.com/xml/schemas/2015 videoId"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Group   struct {
			Description string `xml:"http://search.yahoo.com/mrss/ description"`
		} `xml:"http://search.yahoo.com/mrss/ group"`
	} `xml:"entry"`
}

func ytEntries(t *testing.T, base, channel string) ytEntriesXML {
	t.Helper()
	var feed ytEntriesXML
	decodeXML(t, getOK(t, base+"/feeds/videos.xml?channel_id="+channel).body, &feed)
	return feed
}

func rssFeed(t *testing.T, base, path string) rssXML {
	t.Helper()
	var feed rssXML
	decodeXML(t, getOK(t, base+path).body, &feed)
	return feed
}

func atomFeed(t *testing.T, base, path string) atomXML {
	t.Helper()
	var feed atomXML
	decodeXML(t, getOK(t, base+path).body, &feed)
	return feed
}

func TestEditMastodon(t *testing.T) {
	s, ts := newTestServer(t)
	p := postOf(t, s, "gobierno-gdl", "cabildo-julio")
	_, before := mastodonGet(t, ts.URL, p.id)
	at1, at2 := cstTime("2026-11-19T10:00"), cstTime("2026-11-19T11:30")
	must(t, s.Edit("gobierno-gdl", "cabildo-julio", "Sesión de Cabildo reprogramada al 20 de julio. #Cabildo", at1))
	must(t, s.Edit("gobierno-gdl", "cabildo-julio", "Sesión de Cabildo reprogramada al 21 de julio, 10:00 h. #Cabildo", at2))

	status, after := mastodonGet(t, ts.URL, p.id)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	wantContent := `<p>Sesión de Cabildo reprogramada al 21 de julio, 10:00 h. <a href="https://social.guadalajara.example/tags/cabildo" class="mention hashtag" rel="tag">#<span>Cabildo</span></a></p>`
	if after.Content != wantContent || after.EditedAt == nil || *after.EditedAt != "2026-11-19T17:30:00.000Z" ||
		after.CreatedAt != before.CreatedAt || after.ID != before.ID || len(after.Tags) != 1 {
		t.Errorf("edited status: content %s, edited_at %v, created_at %s (was %s)", after.Content, after.EditedAt, after.CreatedAt, before.CreatedAt)
	}
	var listed *mStatus
	for _, st := range mastodonListing(t, ts.URL, "gobierno") {
		if st.ID == p.id {
			listed = &st
		}
	}
	if listed == nil || listed.Content != wantContent || listed.EditedAt == nil {
		t.Errorf("listing: %+v", listed)
	}

	h := mastodonHistoryOf(t, ts.URL, p.id)
	if len(h) != 3 {
		t.Fatalf("history has %d versions, want 3", len(h))
	}
	if h[0].Content != before.Content || h[0].CreatedAt != before.CreatedAt {
		t.Errorf("history[0] = %s at %s, want the original %s at %s", h[0].Content, h[0].CreatedAt, before.Content, before.CreatedAt)
	}
	if !strings.Contains(h[1].Content, "20 de julio") || h[1].CreatedAt != "2026-11-19T16:00:00.000Z" {
		t.Errorf("history[1] = %s at %s", h[1].Content, h[1].CreatedAt)
	}
	if h[2].Content != after.Content || h[2].CreatedAt != *after.EditedAt || h[2].Account.ID != after.Account.ID {
		t.Errorf("history[2] = %s at %s, want the current version", h[2].Content, h[2].CreatedAt)
	}
}

func TestEditBluesky(t *testing.T) {
	s, ts := newTestServer(t)
	pc, pres := s.sample.byID["proteccion-civil"], s.sample.byID["presidenta"]
	alert := postOf(t, s, "proteccion-civil", "alerta-tormenta")
	reply := postOf(t, s, "proteccion-civil", "alerta-tormenta-2")
	uri := blueskyURI(alert)
	before := blueskyItemOf(t, ts.URL, pc.spec.Profile.Handle, uri)
	replyBefore := blueskyItemOf(t, ts.URL, pc.spec.Profile.Handle, blueskyURI(reply))
	if before == nil || replyBefore == nil {
		t.Fatal("posts not in the feed")
	}
	text := "ACTUALIZACIÓN: la alerta por tormenta eléctrica se extiende hasta las 23:00 h. #AlertaGDL"
	// After the replies to it were written.
	must(t, s.Edit("proteccion-civil", "alerta-tormenta", text, cstTime("2026-06-08T20:00")))

	after := blueskyItemOf(t, ts.URL, pc.spec.Profile.Handle, uri)
	if after == nil {
		t.Fatal("edited post gone from the feed")
	}
	if after.Post.CID == before.Post.CID || !strings.HasPrefix(after.Post.CID, "bafyrei") {
		t.Errorf("cid %s after the edit, was %s: want a new record cid", after.Post.CID, before.Post.CID)
	}
	if after.Post.Record.Text != text || after.Post.Record.CreatedAt != before.Post.Record.CreatedAt || after.Post.IndexedAt != before.Post.IndexedAt {
		t.Errorf("record %+v", after.Post.Record)
	}
	if fs := after.Post.Record.Facets; len(fs) != 1 || fs[0].Features[0].Tag != "AlertaGDL" {
		t.Errorf("facets %+v", fs)
	}
	got := getPosts(t, ts.URL, uri)
	if len(got) != 1 || got[0].CID != after.Post.CID || got[0].Record.Text != text {
		t.Errorf("getPosts = %+v", got)
	}
	// The reply's record keeps the strong ref it was written with; its
	// hydrated root shows the post as it is now.
	replyAfter := blueskyItemOf(t, ts.URL, pc.spec.Profile.Handle, blueskyURI(reply))
	if rr := replyAfter.Post.Record.Reply; rr.Parent.CID != before.Post.CID || rr.Root.CID != before.Post.CID {
		t.Errorf("reply record refs %+v, want the original cid %s", rr, before.Post.CID)
	}
	if replyAfter.Reply.Parent.CID != after.Post.CID || replyAfter.Reply.Parent.Record.Text != text {
		t.Errorf("reply's hydrated parent: cid %s, text %q", replyAfter.Reply.Parent.CID, replyAfter.Reply.Parent.Record.Text)
	}
	// The presidenta's repost shows the post as it is now.
	items, _ := blueskyCrawl(t, ts.URL, pres.did)
	var repost *bFeedItem
	for i := range items {
		if items[i].Reason != nil && items[i].Post.URI == uri {
			repost = &items[i]
		}
	}
	if repost == nil || repost.Post.CID != after.Post.CID {
		t.Errorf("repost: %+v", repost)
	}
}

func TestEditTelegram(t *testing.T) {
	s, ts := newTestServer(t)
	p := postOf(t, s, "avisos-gdl", "corte-agua")
	num := tgNumber(p)
	channel := "avisos_gdl_muestra"
	before := tgFind(tgChannel(t, ts.URL, channel), num)
	var forwardBefore *tgSeen
	for _, m := range tgChannel(t, ts.URL, "tesorero_rortega") {
		if m.forward {
			forwardBefore = &m
		}
	}
	if before == nil || before.edited || forwardBefore == nil {
		t.Fatalf("before: %+v, forward %+v", before, forwardBefore)
	}
	text := "Corte de agua reprogramado: jueves de 8:00 a 20:00 h en Providencia."
	// After the treasurer forwarded it.
	must(t, s.Edit("avisos-gdl", "corte-agua", text, cstTime("2026-06-05T13:00")))

	after := tgFind(tgChannel(t, ts.URL, channel), num)
	if after == nil || after.text != text || !after.edited || after.datetime != before.datetime {
		t.Errorf("edited message %+v, want the new text, the edited marker and the original time %s", after, before.datetime)
	}
	if single := tgSingle(t, ts.URL, channel, p.id); single == nil || single.text != text || !single.edited {
		t.Errorf("t.me/%s/%s = %+v", channel, p.id, single)
	}
	// A forward is a copy made before the edit.
	for _, m := range tgChannel(t, ts.URL, "tesorero_rortega") {
		if m.forward && m.text != forwardBefore.text {
			t.Errorf("forward text %q, want the copy %q", m.text, forwardBefore.text)
		}
	}
}

func TestEditFeeds(t *testing.T) {
	s, ts := newTestServer(t)
	at := cstTime("2026-11-19T09:15")

	video := postOf(t, s, "cabildo-gdl", "ordinaria-40")
	before := ytEntries(t, ts.URL, "UCgdlCabildoSesiones2026").Entries[0]
	must(t, s.Edit("cabildo-gdl", "ordinaria-40", "Orden del día corregido:\n1. Lista de asistencia.", at))
	e := ytEntries(t, ts.URL, "UCgdlCabildoSesiones2026").Entries[0]
	if e.VideoID != video.id || e.Title != before.Title || e.Group.Description != "Orden del día corregido:\n1. Lista de asistencia." ||
		e.Updated != "2026-11-19T15:15:00+00:00" {
		t.Errorf("edited video entry %+v", e)
	}

	must(t, s.Edit("boletin-prensa", "inicia-bacheo-2026", "Bacheo 2026: ahora son 45 colonias.", at))
	items := rssFeed(t, ts.URL, "/boletin/rss.xml").Channel.Items
	it := items[len(items)-1]
	if it.Description != "<p>Bacheo 2026: ahora son 45 colonias.</p>" || it.GUID != "https://guadalajara.example/boletin/2026/06/inicia-bacheo-2026.html" {
		t.Errorf("edited rss item %+v", it)
	}

	must(t, s.Edit("cultura-blog", "oaxaca", "Corrección: la muestra de Oaxaca abre el 22 de julio.", at))
	var found bool
	for _, e := range atomFeed(t, ts.URL, "/blog-cultura/atom.xml").Entries {
		if strings.HasSuffix(e.ID, ":oaxaca") {
			found = true
			if e.Updated != "2026-11-19T09:15:00-06:00" || e.Published != "2026-07-20T12:00:00-06:00" ||
				e.Content.Body != "<p>Corrección: la muestra de Oaxaca abre el 22 de julio.</p>" {
				t.Errorf("edited atom entry %+v", e)
			}
		}
	}
	if !found {
		t.Error("edited atom entry missing")
	}
}

func TestDeleteMastodon(t *testing.T) {
	s, ts := newTestServer(t)
	p := postOf(t, s, "gobierno-gdl", "bacheo-junio")
	var boost *post
	for _, q := range s.sample.byID["obras-director"].posts {
		if q.repost == p {
			boost = q
		}
	}
	counts := s.Counts()
	acctBefore := mastodonListing(t, ts.URL, "gobierno")[0].Account
	must(t, s.Delete("gobierno-gdl", "bacheo-junio"))

	for _, id := range []string{p.id, boost.id} {
		if status, _ := mastodonGet(t, ts.URL, id); status != http.StatusNotFound {
			t.Errorf("status %s: %d, want 404", id, status)
		}
		if r := get(t, ts.URL+"/api/v1/statuses/"+id+"/history"); r.status != http.StatusNotFound {
			t.Errorf("history of %s: %d, want 404", id, r.status)
		}
	}
	gob := mastodonListing(t, ts.URL, "gobierno")
	obras := mastodonListing(t, ts.URL, "obras_jorge")
	for _, st := range slices.Concat(gob, obras) {
		if st.ID == p.id || st.ID == boost.id || (st.Reblog != nil && st.Reblog.ID == p.id) {
			t.Errorf("status %s still listed", st.ID)
		}
	}
	if len(gob) != counts["gobierno-gdl"]-1 || len(obras) != counts["obras-director"]-1 {
		t.Errorf("listings hold %d and %d statuses, want one fewer than %d and %d", len(gob), len(obras), counts["gobierno-gdl"], counts["obras-director"])
	}
	if got := gob[0].Account.StatusesCount; got != acctBefore.StatusesCount-1 {
		t.Errorf("statuses_count %d, want %d", got, acctBefore.StatusesCount-1)
	}
	if got := s.Counts(); got["gobierno-gdl"] != counts["gobierno-gdl"]-1 || got["obras-director"] != counts["obras-director"]-1 {
		t.Errorf("Counts %v after the delete", got)
	}
}

func TestDeleteBluesky(t *testing.T) {
	s, ts := newTestServer(t)
	pc, pres := s.sample.byID["proteccion-civil"], s.sample.byID["presidenta"]
	alert := postOf(t, s, "proteccion-civil", "alerta-tormenta")
	second := postOf(t, s, "proteccion-civil", "alerta-tormenta-2")

	// The presidenta's reply answers alerta-tormenta-2, in the thread of
	// alerta-tormenta: once its parent is gone, the parent is a
	// notFoundPost and the grandparent is no longer known.
	must(t, s.Delete("proteccion-civil", "alerta-tormenta-2"))
	if blueskyItemOf(t, ts.URL, pc.spec.Profile.Handle, blueskyURI(second)) != nil {
		t.Error("deleted post still in the feed")
	}
	if got := getPosts(t, ts.URL, blueskyURI(second), blueskyURI(alert)); len(got) != 1 || got[0].URI != blueskyURI(alert) {
		t.Errorf("getPosts = %v, want only the post not deleted", got)
	}
	feed := blueskyFeedBodies(t, ts.URL, pres.did)
	notFound := `"parent":{"$type":"app.bsky.feed.defs#notFoundPost","uri":"` + blueskyURI(second) + `","notFound":true}`
	if !bytes.Contains(feed, []byte(notFound)) {
		t.Errorf("presidenta's feed lacks %s", notFound)
	}
	if bytes.Contains(feed, []byte("grandparentAuthor")) {
		t.Error("grandparentAuthor shown though the parent is gone")
	}

	// Deleting the thread's root removes the presidenta's repost of it.
	must(t, s.Delete("proteccion-civil", "alerta-tormenta"))
	items, _ := blueskyCrawl(t, ts.URL, pres.did)
	for _, it := range items {
		if it.Reason != nil && it.Post.URI == blueskyURI(alert) {
			t.Error("repost of a deleted post still in the feed")
		}
	}
	if got, want := len(items), len(pres.posts)-1; got != want {
		t.Errorf("presidenta's feed has %d items, want %d", got, want)
	}
	if feed := blueskyFeedBodies(t, ts.URL, pres.did); !bytes.Contains(feed, []byte(`"root":{"$type":"app.bsky.feed.defs#notFoundPost","uri":"`+blueskyURI(alert)+`","notFound":true}`)) {
		t.Error("reply root not shown as notFoundPost")
	}
}

func TestDeleteTelegram(t *testing.T) {
	s, ts := newTestServer(t)
	channel := "avisos_gdl_muestra"
	a := s.sample.byID["avisos-gdl"]
	all := tgChannel(t, ts.URL, channel)
	// Delete the oldest message of the newest page (the page's
	// data-before), one inside it, and the forwarded one, on the older page.
	gone := map[int]bool{}
	for _, key := range []string{"vallarta-chapultepec", "descacharrizacion", "corte-agua"} {
		gone[tgNumber(postOf(t, s, "avisos-gdl", key))] = true
		must(t, s.Delete("avisos-gdl", key))
	}
	if !gone[all[0].num] {
		t.Fatalf("test expects vallarta-chapultepec to open the newest page, not %d", all[0].num)
	}
	var want []int
	for _, m := range all {
		if !gone[m.num] {
			want = append(want, m.num)
		}
	}
	var got []int
	for _, m := range tgChannel(t, ts.URL, channel) {
		got = append(got, m.num)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("messages %v after the deletes, want %v", got, want)
	}
	for n := range gone {
		if m := tgSingle(t, ts.URL, channel, strconv.Itoa(n)); m != nil {
			t.Errorf("t.me/%s/%d shows %+v after the delete", channel, n, m)
		}
	}
	// ?before= a deleted number shows the messages below it.
	deleted := tgNumber(postOf(t, s, "avisos-gdl", "descacharrizacion"))
	doc := parseHTML(t, getOK(t, ts.URL+"/s/"+channel+"?before="+strconv.Itoa(deleted)).body)
	var below []int
	for _, n := range findAll(doc, "tgme_widget_message") {
		below = append(below, readTgMessage(t, n).num)
	}
	var wantBelow []int
	for _, p := range slices.Backward(a.posts) {
		if n := tgNumber(p); n < deleted && !gone[n] {
			wantBelow = append(wantBelow, n)
		}
	}
	if !slices.Equal(below, wantBelow) {
		t.Errorf("?before=%d shows %v, want %v", deleted, below, wantBelow)
	}
	// The treasurer's forward of a deleted message is a copy and stays.
	var forward bool
	for _, m := range tgChannel(t, ts.URL, "tesorero_rortega") {
		forward = forward || (m.forward && m.text != "")
	}
	if !forward {
		t.Error("forward of a deleted message gone")
	}
}

func TestDeleteFeeds(t *testing.T) {
	s, ts := newTestServer(t)
	video := postOf(t, s, "cabildo-gdl", "ordinaria-40")
	must(t, s.Delete("cabildo-gdl", "ordinaria-40"))
	entries := ytEntries(t, ts.URL, "UCgdlCabildoSesiones2026").Entries
	if len(entries) != 5 {
		t.Errorf("%d entries after the delete, want 5", len(entries))
	}
	for _, e := range entries {
		if e.VideoID == video.id {
			t.Errorf("deleted video %s still in the feed", video.id)
		}
	}

	must(t, s.Delete("boletin-prensa", "saldo-primer-partido"))
	for _, it := range rssFeed(t, ts.URL, "/boletin/rss.xml").Channel.Items {
		if strings.Contains(it.Link, "saldo-primer-partido") {
			t.Error("deleted rss item still served")
		}
	}
	must(t, s.Delete("cultura-blog", "me-despido"))
	entriesAtom := atomFeed(t, ts.URL, "/blog-cultura/atom.xml").Entries
	if len(entriesAtom) != 6 {
		t.Errorf("%d atom entries, want 6", len(entriesAtom))
	}
	if got := s.Counts(); got["cabildo-gdl"] != 5 || got["cultura-blog"] != 6 {
		t.Errorf("Counts %v", got)
	}
}

// TestRestoreIdentical deletes a post of every network, then restores
// them: every page of the sample is again what it was, byte for byte.
func TestRestoreIdentical(t *testing.T) {
	s, ts := newTestServer(t)
	_, before := sampleBodies(t, s, ts)
	deletes := [][2]string{
		{"gobierno-gdl", "bacheo-junio"}, {"proteccion-civil", "alerta-tormenta"}, {"proteccion-civil", "alerta-tormenta-2"},
		{"avisos-gdl", "tianguis"}, {"cabildo-gdl", "ordinaria-34"}, {"boletin-prensa", "reglamento-arbolado"},
		{"cultura-blog", "oaxaca"},
	}
	for _, d := range deletes {
		must(t, s.Delete(d[0], d[1]))
	}
	if got := s.Counts()["proteccion-civil"]; got != 6 {
		t.Errorf("proteccion-civil lists %d posts, want 6", got)
	}
	for _, d := range deletes {
		must(t, s.Restore(d[0], d[1]))
	}
	_, after := sampleBodies(t, s, ts)
	if len(after) != len(before) {
		t.Fatalf("%d pages after restoring, %d before", len(after), len(before))
	}
	for p, b := range before {
		if !bytes.Equal(after[p], b) {
			t.Errorf("%s differs after restoring", p)
		}
	}
}

func TestPublish(t *testing.T) {
	s, ts := newTestServer(t)
	at := cstTime("2026-11-19T08:00")

	t.Run("mastodon", func(t *testing.T) {
		prev := mastodonListing(t, ts.URL, "gobierno")[0]
		must(t, s.Publish("gobierno-gdl", "aviso-nuevo", "Nuevo horario del Mercado Corona. #Mercados", at))
		all := mastodonListing(t, ts.URL, "gobierno")
		st := all[0]
		if !idBefore(prev.ID, st.ID) || !strings.Contains(st.Content, "Nuevo horario del Mercado Corona") || st.CreatedAt != "2026-11-19T14:00:00.000Z" || st.EditedAt != nil {
			t.Errorf("newest status %s %s %s after %s", st.ID, st.CreatedAt, st.Content, prev.ID)
		}
		if len(all) != s.Counts()["gobierno-gdl"] || st.Account.StatusesCount != int64(len(all)) || *st.Account.LastStatusAt != "2026-11-19" {
			t.Errorf("%d statuses, account %d, last %s", len(all), st.Account.StatusesCount, *st.Account.LastStatusAt)
		}
		if status, one := mastodonGet(t, ts.URL, st.ID); status != http.StatusOK || one.Content != st.Content {
			t.Errorf("GET status %s: %d", st.ID, status)
		}
	})
	t.Run("bluesky", func(t *testing.T) {
		h := "proteccioncivil.guadalajara.example"
		items, _ := blueskyCrawl(t, ts.URL, h)
		must(t, s.Publish("proteccion-civil", "helada", "Aviso por heladas en la zona metropolitana.", at))
		after, _ := blueskyCrawl(t, ts.URL, h)
		rkey := func(uri string) string { return uri[strings.LastIndex(uri, "/")+1:] }
		got := after[0].Post
		if len(after) != len(items)+1 || got.Record.Text != "Aviso por heladas en la zona metropolitana." ||
			len(rkey(got.URI)) != 13 || rkey(got.URI) <= rkey(items[0].Post.URI) {
			t.Errorf("newest item %s (%q), previous %s", got.URI, got.Record.Text, items[0].Post.URI)
		}
		if posts := getPosts(t, ts.URL, got.URI); len(posts) != 1 || posts[0].CID != got.CID {
			t.Errorf("getPosts of the new post: %v", posts)
		}
	})
	t.Run("telegram", func(t *testing.T) {
		// Numbers keep growing past a deleted newest message.
		newest := postOf(t, s, "avisos-gdl", "arbol-navideno")
		must(t, s.Delete("avisos-gdl", "arbol-navideno"))
		must(t, s.Publish("avisos-gdl", "posada", "Posada navideña en Plaza Liberación.", at))
		msgs := tgChannel(t, ts.URL, "avisos_gdl_muestra")
		first := msgs[:telegramPageSize]
		last := first[len(first)-1]
		if last.num != tgNumber(newest)+1 || last.text != "Posada navideña en Plaza Liberación." || last.edited {
			t.Errorf("newest message %+v, want number %d", last, tgNumber(newest)+1)
		}
		if m := tgSingle(t, ts.URL, "avisos_gdl_muestra", strconv.Itoa(last.num)); m == nil || m.text != last.text {
			t.Errorf("single page of the new message: %+v", m)
		}
		if tgFind(msgs, tgNumber(newest)) != nil {
			t.Error("deleted message listed")
		}
	})
	t.Run("youtube", func(t *testing.T) {
		must(t, s.Publish("regidora-orozco", "posada-vlog", "Vlog: la posada del distrito 5\nCon vecinas y vecinos.", at))
		e := ytEntries(t, ts.URL, "UCluciaOrozcoNava_canal1").Entries
		if len(e) != 6 || e[0].Title != "Vlog: la posada del distrito 5" || len(e[0].VideoID) != 11 {
			t.Errorf("%d entries, newest %+v", len(e), e[0])
		}
	})
	t.Run("rss", func(t *testing.T) {
		must(t, s.Publish("boletin-prensa", "cierre-anual", "Cierre del ejercicio 2026.", at))
		it := rssFeed(t, ts.URL, "/boletin/rss.xml").Channel.Items[0]
		if it.Link != "https://guadalajara.example/boletin/2026/11/cierre-anual.html" || it.Title != "Cierre del ejercicio 2026." || it.Description != "<p>Cierre del ejercicio 2026.</p>" {
			t.Errorf("newest item %+v", it)
		}
	})
}

func TestMutationErrors(t *testing.T) {
	s, _ := newTestServer(t)
	at := cstTime("2026-11-19T08:00")
	long := strings.Repeat("a", 301)
	tests := []struct {
		name string
		err  error
		is   error
		want string // in the message
	}{
		{"edit unknown account", s.Edit("nadie", "x", "t", at), ErrUnknownAccount, `"nadie"`},
		{"edit unknown post", s.Edit("gobierno-gdl", "no-existe", "t", at), ErrUnknownPost, `"no-existe"`},
		{"edit keyless post", s.Edit("obras-director", "", "t", at), ErrUnknownPost, `"obras-director"`},
		{"delete unknown post", s.Delete("avisos-gdl", "no-existe"), ErrUnknownPost, `"no-existe" of account "avisos-gdl"`},
		{"restore unknown account", s.Restore("nadie", "x"), ErrUnknownAccount, `"nadie"`},
		{"publish unknown account", s.Publish("nadie", "x", "t", at), ErrUnknownAccount, `"nadie"`},
		{"unreachable unknown account", s.SetUnreachable("nadie", true), ErrUnknownAccount, `"nadie"`},
		{"edit before the post", s.Edit("gobierno-gdl", "grito", "t", cstTime("2026-06-01T00:00")), nil, "not after"},
		{"edit too long", s.Edit("proteccion-civil", "estadio", long, at), nil, "300"},
		{"edit empty", s.Edit("gobierno-gdl", "grito", "  ", at), nil, "empty"},
		{"restore not deleted", s.Restore("gobierno-gdl", "grito"), nil, "not deleted"},
		{"publish old", s.Publish("gobierno-gdl", "viejo", "t", cstTime("2026-07-01T00:00")), nil, "newest"},
		{"publish repeated key", s.Publish("gobierno-gdl", "grito", "t", at), nil, "repeated key"},
		{"publish bad key", s.Publish("gobierno-gdl", "Mal Key", "t", at), nil, "key"},
	}
	for _, tt := range tests {
		switch {
		case tt.err == nil:
			t.Errorf("%s: no error", tt.name)
		case tt.is != nil && !errors.Is(tt.err, tt.is):
			t.Errorf("%s: %v, want %v", tt.name, tt.err, tt.is)
		case !strings.Contains(tt.err.Error(), tt.want):
			t.Errorf("%s: %q does not say %s", tt.name, tt.err, tt.want)
		}
	}
	// A repost has no text to edit; a deleted post cannot be edited or
	// deleted again.
	boost := s.sample.byID["obras-director"].posts[len(s.sample.byID["obras-director"].posts)-1]
	boost.key = "boost"
	if err := s.Edit("obras-director", "boost", "t", at); err == nil || !strings.Contains(err.Error(), "repost") {
		t.Errorf("edit repost: %v", err)
	}
	must(t, s.Delete("gobierno-gdl", "grito"))
	if err := s.Delete("gobierno-gdl", "grito"); err == nil {
		t.Error("second delete: no error")
	}
	if err := s.Edit("gobierno-gdl", "grito", "t", at); err == nil {
		t.Error("edit of a deleted post: no error")
	}
}
