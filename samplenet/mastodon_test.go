package samplenet

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var linkNext = regexp.MustCompile(`<([^>]+)>; rel="next"`)

// mastodonCrawl lists an account like a client does: lookup, then statuses
// with limit=40 following Link rel="next". It returns the pages.
func mastodonCrawl(t *testing.T, base, acct string) [][]mStatus {
	t.Helper()
	var acc mAccount
	if err := json.Unmarshal(getOK(t, base+"/api/v1/accounts/lookup?acct="+url.QueryEscape(acct)).body, &acc); err != nil {
		t.Fatalf("lookup %s: %v", acct, err)
	}
	var pages [][]mStatus
	next := base + "/api/v1/accounts/" + acc.ID + "/statuses?limit=40"
	for next != "" {
		r := getOK(t, next)
		if !json.Valid(r.body) {
			t.Fatalf("GET %s: invalid JSON", next)
		}
		var page []mStatus
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatalf("GET %s: %v", next, err)
		}
		pages = append(pages, page)
		next = ""
		if m := linkNext.FindStringSubmatch(r.header.Get("Link")); m != nil {
			next = m[1]
		}
		if len(pages) > 20 {
			t.Fatal("pagination does not end")
		}
	}
	return pages
}

func TestMastodonPagination(t *testing.T) {
	s, ts := newTestServer(t)
	tests := []struct {
		acct  string
		id    string
		sizes []int
	}{
		{"gobierno", "gobierno-gdl", []int{5, 5, 1}},
		{"@obras_jorge@social.guadalajara.example", "obras-director", []int{5, 5, 0}},
		{"bacheo_sofia@social.guadalajara.example", "bacheo-jefa", []int{5, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			pages := mastodonCrawl(t, ts.URL, tt.acct)
			var sizes []int
			var ids []string
			for _, p := range pages {
				sizes = append(sizes, len(p))
				for _, st := range p {
					ids = append(ids, st.ID)
				}
			}
			if !slices.Equal(sizes, tt.sizes) {
				t.Errorf("page sizes %v, want %v", sizes, tt.sizes)
			}
			if got, want := len(ids), s.Counts()[tt.id]; got != want {
				t.Errorf("%d statuses, want %d", got, want)
			}
			for i := 1; i < len(ids); i++ {
				if !idBefore(ids[i], ids[i-1]) {
					t.Errorf("status %s listed after %s: want newest first", ids[i], ids[i-1])
				}
			}
		})
	}
}

func TestMastodonLinkHeader(t *testing.T) {
	s, ts := newTestServer(t)
	a := s.sample.byID["gobierno-gdl"]
	endpoint := ts.URL + "/api/v1/accounts/" + a.numID + "/statuses"
	r := getOK(t, endpoint+"?limit=3&exclude_replies=true")
	want := "<" + endpoint + "?exclude_replies=true&limit=3&max_id=" + a.posts[2].id + `>; rel="next", <` +
		endpoint + "?exclude_replies=true&limit=3&min_id=" + a.posts[0].id + `>; rel="prev"`
	if got := r.header.Get("Link"); got != want {
		t.Errorf("Link = %s\nwant   %s", got, want)
	}
	// min_id pages upwards: the statuses just newer than the bound.
	r = getOK(t, endpoint+"?limit=2&min_id="+a.posts[5].id)
	var page []mStatus
	json.Unmarshal(r.body, &page)
	if len(page) != 2 || page[0].ID != a.posts[3].id || page[1].ID != a.posts[4].id {
		t.Errorf("min_id page = %v, want statuses %s, %s", page, a.posts[3].id, a.posts[4].id)
	}
}

func TestMastodonStatusKinds(t *testing.T) {
	s, ts := newTestServer(t)
	gob := s.sample.byID["gobierno-gdl"]
	var all []mStatus
	for _, acct := range []string{"gobierno", "obras_jorge", "bacheo_sofia"} {
		for _, p := range mastodonCrawl(t, ts.URL, acct) {
			all = append(all, p...)
		}
	}
	var boost, reply, edited *mStatus
	for i := range all {
		st := &all[i]
		switch {
		case st.Reblog != nil:
			boost = st
		case st.InReplyToID != nil && st.Account.Username == "obras_jorge":
			reply = st
		case st.EditedAt != nil:
			edited = st
		}
	}
	if boost == nil || boost.Content != "" || boost.Reblog.Account.Username != "gobierno" ||
		!strings.HasSuffix(boost.URI, "/users/obras_jorge/statuses/"+boost.ID+"/activity") {
		t.Errorf("boost = %+v, want an empty status wrapping @gobierno's", boost)
	} else if !strings.Contains(boost.Reblog.Content, `<span class="invisible">https://</span><span class="ellipsis">reportes.guadalajara.example/b</span><span class="invisible">aches/nuevo-reporte</span>`) {
		t.Errorf("boosted content lacks Mastodon's shortened link: %s", boost.Reblog.Content)
	}
	if reply == nil || *reply.InReplyToAccountID != gob.numID || *reply.InReplyToID != gob.posts[8].id ||
		len(reply.Mentions) != 1 || reply.Mentions[0].Acct != "gobierno" ||
		!strings.HasPrefix(reply.Content, `<p><span class="h-card" translate="no"><a href="https://social.guadalajara.example/@gobierno" class="u-url mention">@<span>gobierno</span></a></span> Complemento`) {
		t.Errorf("reply = %+v, want an answer to @gobierno's water notice", reply)
	}
	if edited == nil || *edited.EditedAt != "2026-06-11T01:12:40.000Z" || len(edited.MediaAttachments) != 1 {
		t.Fatalf("edited = %+v, want the stadium notice with its map", edited)
	}
	m := edited.MediaAttachments[0]
	if m.Type != "image" || !strings.HasPrefix(m.Description, "Mapa de cierres") || *edited.URL != "https://social.guadalajara.example/@gobierno/"+edited.ID ||
		!strings.HasPrefix(m.URL, "https://social.guadalajara.example/system/media_attachments/files/") {
		t.Errorf("attachment %+v, url %s", m, *edited.URL)
	}
	img := getOK(t, onServer(t, ts, m.URL))
	if img.header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(img.body, []byte("\x89PNG")) {
		t.Errorf("GET %s: %s, %d bytes", m.URL, img.header.Get("Content-Type"), len(img.body))
	}
	if got := edited.Tags; len(got) != 1 || got[0].Name != "mundial2026" || got[0].URL != "https://social.guadalajara.example/tags/mundial2026" {
		t.Errorf("tags = %+v", got)
	}
}

func TestMastodonStatusByID(t *testing.T) {
	s, ts := newTestServer(t)
	p := s.sample.byID["obras-director"].posts[0]
	r := getOK(t, ts.URL+"/api/v1/statuses/"+p.id)
	var st mStatus
	if err := json.Unmarshal(r.body, &st); err != nil {
		t.Fatal(err)
	}
	if st.ID != p.id || st.Account.Username != "obras_jorge" || !strings.Contains(st.Content, "doña Carmen") {
		t.Errorf("status %s = %+v", p.id, st)
	}
	// The raw JSON keeps HTML unescaped, as Mastodon serves it.
	if !bytes.Contains(r.body, []byte(`"content":"<p>70 años`)) {
		t.Errorf("content is escaped: %.300s", r.body)
	}
}

func TestMastodonNotFound(t *testing.T) {
	_, ts := newTestServer(t)
	for _, path := range []string{
		"/api/v1/accounts/lookup?acct=nadie",
		"/api/v1/accounts/lookup?acct=gobierno@mastodon.social",
		"/api/v1/accounts/123/statuses",
		"/api/v1/accounts/123",
		"/api/v1/statuses/42",
	} {
		r := get(t, ts.URL+path)
		if r.status != http.StatusNotFound || string(r.body) != `{"error":"Record not found"}` {
			t.Errorf("GET %s: %d %s, want 404 Record not found", path, r.status, r.body)
		}
	}
}

func TestMastodonWindow(t *testing.T) {
	ids := []string{"1000", "900", "800", "700", "600", "500", "99"}
	tests := []struct {
		query    string
		max      int
		from, to int
	}{
		{"", 40, 0, 7},
		{"limit=2", 40, 0, 2},
		{"limit=100", 40, 0, 7},
		{"limit=100", 5, 0, 5},
		{"max_id=800", 40, 3, 7},
		{"max_id=800&limit=2", 40, 3, 5},
		{"since_id=600", 40, 0, 4},
		{"min_id=600&limit=2", 40, 2, 4},
		{"max_id=900&since_id=500&limit=10", 40, 2, 5},
		{"max_id=100", 40, 6, 7},
		{"max_id=99", 40, 7, 7},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		from, to, _ := mastodonWindow(ids, q, tt.max)
		if from != tt.from || to != tt.to {
			t.Errorf("%q (max %d): [%d, %d), want [%d, %d)", tt.query, tt.max, from, to, tt.from, tt.to)
		}
	}
}

func TestMastodonLinkShortening(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://example.org/a", `<span class="invisible">https://</span><span class="">example.org/a</span><span class="invisible"></span>`},
		{"http://www.example.org/" + strings.Repeat("x", 40), `<span class="invisible">http://www.</span><span class="ellipsis">example.org/` + strings.Repeat("x", 18) + `</span><span class="invisible">` + strings.Repeat("x", 22) + `</span>`},
	}
	for _, tt := range tests {
		if got := mastodonLink(tt.url); !strings.Contains(got, tt.want) {
			t.Errorf("mastodonLink(%q) = %s\nwant it to contain %s", tt.url, got, tt.want)
		}
	}
}
