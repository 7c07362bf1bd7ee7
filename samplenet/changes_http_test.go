package samplenet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// jsonKeys returns the keys of a JSON object in the order they are written.
func jsonKeys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %.100s", raw)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestGetPosts(t *testing.T) {
	s, ts := newTestServer(t)
	pc, pres := s.sample.byID["proteccion-civil"], s.sample.byID["presidenta"]
	alert := postOf(t, s, "proteccion-civil", "alerta-tormenta")
	fanFest := postOf(t, s, "presidenta", "fan-fest")
	var repost *post
	for _, p := range pres.posts {
		if p.repost != nil {
			repost = p
		}
	}
	byHandle := "at://" + strings.ToUpper(pres.spec.Profile.Handle[:1]) + pres.spec.Profile.Handle[1:] + "/app.bsky.feed.post/" + fanFest.id
	uris := []string{
		blueskyURI(alert),
		byHandle,
		"at://" + pc.did + "/app.bsky.feed.post/3zzzzzzzzzzzz",    // no such post
		"at://" + pres.did + "/app.bsky.feed.repost/" + repost.id, // not a post
		"at://" + pres.did + "/app.bsky.feed.post/" + repost.id,   // a repost's rkey
		"at://nadie.example/app.bsky.feed.post/" + fanFest.id,     // unknown handle
		"at://" + pc.did,  // a repository
		blueskyURI(alert), // again
		"at://" + pres.did + "/app.bsky.feed.post/" + fanFest.id, // again, by DID
	}
	r := getOK(t, ts.URL+"/xrpc/app.bsky.feed.getPosts?"+url.Values{"uris": uris}.Encode())
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var out struct {
		Posts []json.RawMessage `json:"posts"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	if got := jsonKeys(t, r.body); len(got) != 1 || got[0] != "posts" {
		t.Errorf("output keys %v", got)
	}
	if len(out.Posts) != 2 {
		t.Fatalf("%d posts, want 2: %s", len(out.Posts), r.body)
	}
	// Each is the postView the author feed shows, byte for byte.
	for i, want := range []*post{alert, fanFest} {
		feed := getOK(t, ts.URL+"/xrpc/app.bsky.feed.getAuthorFeed?limit=100&actor="+want.acct.did+"&cursor="+url.QueryEscape(blueskyTime(want.at.Add(time.Millisecond)))).body
		var page struct {
			Feed []struct {
				Post json.RawMessage `json:"post"`
			} `json:"feed"`
		}
		if err := json.Unmarshal(feed, &page); err != nil || len(page.Feed) == 0 {
			t.Fatalf("feed: %v", err)
		}
		if !bytes.Equal(out.Posts[i], page.Feed[0].Post) {
			t.Errorf("posts[%d] =\n%s\nwant the feed's\n%s", i, out.Posts[i], page.Feed[0].Post)
		}
		keys := strings.Join(jsonKeys(t, out.Posts[i]), ",")
		if !strings.HasPrefix(keys, "uri,cid,author,record,") || strings.Contains(keys, "$type") {
			t.Errorf("posts[%d] keys %s", i, keys)
		}
	}
	if !bytes.Contains(out.Posts[1], []byte(`"uri":"at://`+pres.did+`/app.bsky.feed.post/`+fanFest.id+`"`)) {
		t.Error("a post asked for by handle is not named by DID")
	}

	if r := getOK(t, ts.URL+"/xrpc/app.bsky.feed.getPosts?uris="+url.QueryEscape("at://"+pc.did+"/app.bsky.feed.post/3zzzzzzzzzzzz")); string(r.body) != `{"posts":[]}` {
		t.Errorf("nothing found: %s", r.body)
	}
	many := url.Values{}
	for range 25 {
		many.Add("uris", blueskyURI(alert))
	}
	getOK(t, ts.URL+"/xrpc/app.bsky.feed.getPosts?"+many.Encode())
	many.Add("uris", blueskyURI(alert))
	for _, tt := range []struct{ query, want string }{
		{"", `{"error":"InvalidRequest","message":"Error: Params must have the property \"uris\""}`},
		{many.Encode(), `{"error":"InvalidRequest","message":"Error: uris must not have more than 25 elements"}`},
		{url.Values{"uris": {blueskyURI(alert), "https://bsky.app/profile/x/post/y"}}.Encode(), `{"error":"InvalidRequest","message":"Error: uris/1 must be a valid at-uri"}`},
		{"uris=at://", `{"error":"InvalidRequest","message":"Error: uris/0 must be a valid at-uri"}`},
	} {
		r := get(t, ts.URL+"/xrpc/app.bsky.feed.getPosts?"+tt.query)
		if r.status != http.StatusBadRequest || string(r.body) != tt.want {
			t.Errorf("?%.60s: %d %s, want 400 %s", tt.query, r.status, r.body, tt.want)
		}
	}
}

func TestMastodonHistoryFormat(t *testing.T) {
	s, ts := newTestServer(t)
	tests := []struct {
		name     string
		p        *post
		versions int
		media    int
	}{
		{"never edited", postOf(t, s, "gobierno-gdl", "grito"), 1, 0},
		{"edited in the content", postOf(t, s, "gobierno-gdl", "mundial-operativo"), 1, 1},
		{"boost", s.sample.byID["obras-director"].posts[len(s.sample.byID["obras-director"].posts)-1], 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := getOK(t, ts.URL+"/api/v1/statuses/"+tt.p.id+"/history")
			if r.header.Get("X-RateLimit-Limit") == "" {
				t.Error("no rate-limit headers")
			}
			var raw []json.RawMessage
			if err := json.Unmarshal(r.body, &raw); err != nil {
				t.Fatal(err)
			}
			if len(raw) != tt.versions {
				t.Fatalf("%d versions, want %d", len(raw), tt.versions)
			}
			if got, want := strings.Join(jsonKeys(t, raw[0]), ","), "content,spoiler_text,sensitive,created_at,account,media_attachments,emojis"; got != want {
				t.Errorf("keys %s, want %s", got, want)
			}
			_, st := mastodonGet(t, ts.URL, tt.p.id)
			var h []mStatusEdit
			json.Unmarshal(r.body, &h)
			last := h[len(h)-1]
			wantAt := st.CreatedAt
			if st.EditedAt != nil {
				wantAt = *st.EditedAt
			}
			wantContent := st.Content
			if st.Reblog != nil {
				wantContent = ""
			}
			if last.Content != wantContent || last.CreatedAt != wantAt || len(last.MediaAttachments) != tt.media || last.Account.ID != st.Account.ID {
				t.Errorf("version %+v, want content %q at %s", last, wantContent, wantAt)
			}
			if tt.media > 0 {
				a, _ := json.Marshal(last.MediaAttachments)
				b, _ := json.Marshal(st.MediaAttachments)
				if !bytes.Equal(a, b) {
					t.Errorf("media %s, want the status's %s", a, b)
				}
			}
		})
	}
	if r := get(t, ts.URL+"/api/v1/statuses/1/history"); r.status != http.StatusNotFound || string(r.body) != `{"error":"Record not found"}` {
		t.Errorf("unknown status: %d %s", r.status, r.body)
	}
}

func TestUnreachable(t *testing.T) {
	s, ts := newTestServer(t)
	status := func(p *post) string { return "/api/v1/statuses/" + p.id }
	gob, bach := s.sample.byID["gobierno-gdl"], s.sample.byID["bacheo-jefa"]
	pc, pres := s.sample.byID["proteccion-civil"], s.sample.byID["presidenta"]
	tests := []struct {
		id        string
		failing   []string // routes of the account
		answering []string // routes of another account of the network
	}{
		{"gobierno-gdl", []string{
			"/api/v1/accounts/lookup?acct=gobierno", "/api/v1/accounts/" + gob.numID,
			"/api/v1/accounts/" + gob.numID + "/statuses?limit=40", status(gob.posts[0]), status(gob.posts[0]) + "/history",
		}, []string{
			"/api/v1/accounts/lookup?acct=bacheo_sofia", "/api/v1/accounts/" + bach.numID + "/statuses", status(bach.posts[0]),
			// Boosts of the account's statuses stay on other accounts.
			"/api/v1/accounts/" + s.sample.byID["obras-director"].numID + "/statuses?limit=40",
		}},
		{"proteccion-civil", []string{
			"/xrpc/app.bsky.feed.getAuthorFeed?actor=" + pc.spec.Profile.Handle, "/xrpc/app.bsky.feed.getAuthorFeed?actor=" + pc.did,
			"/xrpc/app.bsky.feed.getPosts?uris=" + url.QueryEscape(blueskyURI(pc.posts[0])),
			"/xrpc/app.bsky.feed.getPosts?uris=" + url.QueryEscape(blueskyURI(pres.posts[0])) + "&uris=" + url.QueryEscape(blueskyURI(pc.posts[0])),
		}, []string{
			"/xrpc/app.bsky.feed.getAuthorFeed?actor=" + pres.did, "/xrpc/app.bsky.feed.getPosts?uris=" + url.QueryEscape(blueskyURI(pres.posts[0])),
		}},
		{"avisos-gdl", []string{
			"/s/avisos_gdl_muestra", "/s/avisos_gdl_muestra?before=9999", "/avisos_gdl_muestra", "/avisos_gdl_muestra/" + s.sample.byID["avisos-gdl"].posts[0].id + "?embed=1",
		}, []string{
			"/s/tesorero_rortega", "/tesorero_rortega", "/tesorero_rortega/" + s.sample.byID["tesorero"].posts[0].id,
		}},
		{"cabildo-gdl", []string{"/feeds/videos.xml?channel_id=UCgdlCabildoSesiones2026"}, []string{"/feeds/videos.xml?channel_id=UCluciaOrozcoNava_canal1"}},
		{"boletin-prensa", []string{"/boletin/rss.xml"}, []string{"/blog-cultura/atom.xml"}},
		{"cultura-blog", []string{"/blog-cultura/atom.xml"}, []string{"/boletin/rss.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			before := map[string][]byte{}
			for _, p := range tt.failing {
				before[p] = getOK(t, ts.URL+p).body
			}
			must(t, s.SetUnreachable(tt.id, true))
			for _, p := range tt.failing {
				r := get(t, ts.URL+p)
				if r.status != http.StatusServiceUnavailable || len(r.body) == 0 || len(r.body) > 512 {
					t.Errorf("GET %s: %d (%d bytes), want 503 with a short body", p, r.status, len(r.body))
				}
			}
			for _, p := range tt.answering {
				getOK(t, ts.URL+p)
			}
			must(t, s.SetUnreachable(tt.id, false))
			for _, p := range tt.failing {
				if got := getOK(t, ts.URL+p).body; !bytes.Equal(got, before[p]) {
					t.Errorf("GET %s: body changed after the account came back", p)
				}
			}
		})
	}
	// The bodies say what failed, in each network's way.
	must(t, s.SetUnreachable("gobierno-gdl", true))
	must(t, s.SetUnreachable("proteccion-civil", true))
	if r := get(t, ts.URL+"/api/v1/accounts/lookup?acct=gobierno"); !strings.Contains(string(r.body), "503 Service Temporarily Unavailable") {
		t.Errorf("mastodon 503 body %s", r.body)
	}
	if r := get(t, ts.URL+"/xrpc/app.bsky.feed.getAuthorFeed?actor="+pc.did); string(r.body) != `{"error":"NotEnoughResources","message":"Service Unavailable"}` {
		t.Errorf("bluesky 503 body %s", r.body)
	}
}

// TestChangesConcurrent mutates the sample while clients read every
// network; run with -race. Every response must be whole: 200 with a valid
// body, or the 404 or 503 a change explains.
func TestChangesConcurrent(t *testing.T) {
	s, ts := newTestServer(t)
	gob := s.sample.byID["gobierno-gdl"]
	grito := postOf(t, s, "gobierno-gdl", "grito")
	alert := postOf(t, s, "proteccion-civil", "alerta-tormenta")
	paths := []string{
		"/api/v1/accounts/" + gob.numID + "/statuses?limit=40",
		"/api/v1/statuses/" + grito.id,
		"/api/v1/statuses/" + grito.id + "/history",
		"/xrpc/app.bsky.feed.getAuthorFeed?actor=proteccioncivil.guadalajara.example",
		"/xrpc/app.bsky.feed.getPosts?uris=" + url.QueryEscape(blueskyURI(alert)),
		"/s/avisos_gdl_muestra",
		"/avisos_gdl_muestra/" + s.sample.byID["avisos-gdl"].posts[0].id,
		"/feeds/videos.xml?channel_id=UCgdlCabildoSesiones2026",
		"/boletin/rss.xml",
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				p := paths[i%len(paths)]
				resp, err := http.Get(ts.URL + p)
				if err != nil {
					t.Errorf("GET %s: %v", p, err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case err != nil:
					t.Errorf("GET %s: %v", p, err)
				case resp.StatusCode == http.StatusOK && strings.Contains(resp.Header.Get("Content-Type"), "json") && !json.Valid(body):
					t.Errorf("GET %s: invalid JSON", p)
				case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusServiceUnavailable:
					t.Errorf("GET %s: %d", p, resp.StatusCode)
				}
				_ = s.Counts()
			}
		}()
	}
	at := cstTime("2026-11-19T00:00")
	for i := range 60 {
		at = at.Add(time.Minute)
		text := fmt.Sprintf("Versión %d del aviso.", i)
		must(t, s.Edit("gobierno-gdl", "grito", text, at))
		must(t, s.Edit("proteccion-civil", "alerta-tormenta", text, at))
		must(t, s.Edit("avisos-gdl", "arbol-navideno", text, at))
		must(t, s.Edit("cabildo-gdl", "ordinaria-40", text, at))
		must(t, s.Publish("boletin-prensa", "nota-"+strconv.Itoa(i), text, at))
		must(t, s.Publish("avisos-gdl", "mensaje-"+strconv.Itoa(i), text, at))
		must(t, s.Delete("proteccion-civil", "alerta-tormenta"))
		must(t, s.SetUnreachable("cabildo-gdl", i%2 == 0))
		time.Sleep(time.Millisecond)
		must(t, s.Restore("proteccion-civil", "alerta-tormenta"))
	}
	close(done)
	wg.Wait()
	if h := mastodonHistoryOf(t, ts.URL, grito.id); len(h) != 61 {
		t.Errorf("history has %d versions, want 61", len(h))
	}
	if got := s.Counts()["avisos-gdl"]; got != 70 {
		t.Errorf("avisos-gdl lists %d messages, want 70", got)
	}
}
