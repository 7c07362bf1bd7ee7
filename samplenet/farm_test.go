package samplenet

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/vigia-mx/vigia/directory"
)

func TestFarmPagination(t *testing.T) {
	for _, tt := range []struct {
		accounts, posts int
		pages           []int
	}{
		{3, 85, []int{40, 40, 5}},
		{2, 80, []int{40, 40, 0}},
		{1, 0, []int{0}},
	} {
		farm := NewMastodonFarm(tt.accounts, tt.posts)
		ts := httptest.NewServer(farm.Handler())
		d, err := directory.Parse("farm.yaml", farm.Directory(ts.URL), specs)
		if err != nil {
			t.Fatalf("directory.Parse: %v", err)
		}
		if len(d.Accounts) != tt.accounts || d.Accounts[0].Handle != "@user0001@farm.example" || d.Accounts[0].Endpoint != ts.URL {
			t.Fatalf("directory accounts = %+v", d.Accounts)
		}
		total := 0
		seen := map[string]bool{}
		for _, a := range d.Accounts {
			pages := mastodonCrawl(t, ts.URL, a.Handle)
			var sizes []int
			for _, p := range pages {
				sizes = append(sizes, len(p))
				for _, st := range p {
					if seen[st.ID] || st.Account == nil || st.Account.Acct != a.Handle[1:len("@user0001")] {
						t.Errorf("status %s: repeated or of another account", st.ID)
					}
					seen[st.ID] = true
					total++
				}
			}
			if !slices.Equal(sizes, tt.pages) {
				t.Errorf("%d×%d: %s pages %v, want %v", tt.accounts, tt.posts, a.Handle, sizes, tt.pages)
			}
		}
		if total != tt.accounts*tt.posts {
			t.Errorf("%d×%d: %d statuses", tt.accounts, tt.posts, total)
		}
		for _, a := range farm.accounts {
			if len(a.ids) == 0 {
				continue
			}
			if avg := len(a.body) / len(a.ids); avg < 1500 || avg > 2200 {
				t.Errorf("%s: statuses average %d bytes, want about 1.5-2 KB", a.user, avg)
			}
		}
		ts.Close()
	}
}

func TestFarmRequests(t *testing.T) {
	farm := NewMastodonFarm(2, 30)
	ts := httptest.NewServer(farm.Handler())
	defer ts.Close()
	a := farm.accounts[1]
	r := getOK(t, ts.URL+"/api/v1/accounts/"+a.id+"/statuses")
	var page []mStatus
	if err := json.Unmarshal(r.body, &page); err != nil || len(page) != 20 {
		t.Fatalf("default page: %d statuses, %v; want 20", len(page), err)
	}
	want := ts.URL + "/api/v1/accounts/" + a.id + "/statuses?max_id=" + a.ids[19] + `>; rel="next"`
	if link := r.header.Get("Link"); link[1:len(want)+1] != want {
		t.Errorf("Link = %s", link)
	}
	one := getOK(t, ts.URL+"/api/v1/statuses/"+a.ids[7])
	var st mStatus
	if err := json.Unmarshal(one.body, &st); err != nil || st.ID != a.ids[7] || st.Content != page[7].Content {
		t.Errorf("status %s = %+v, %v", a.ids[7], st, err)
	}
	if r := get(t, ts.URL+"/api/v1/statuses/1"); r.status != http.StatusNotFound || string(r.body) != `{"error":"Record not found"}` {
		t.Errorf("unknown status: %d %s", r.status, r.body)
	}
	if r := get(t, ts.URL+"/api/v1/accounts/lookup?acct=user0099"); r.status != http.StatusNotFound {
		t.Errorf("unknown account: %d", r.status)
	}
	var threads, media, edits int
	for _, st := range page {
		if st.InReplyToID != nil {
			threads++
			if !slices.Contains(a.ids, *st.InReplyToID) {
				t.Errorf("status %s answers %s, not in the account", st.ID, *st.InReplyToID)
			}
		}
		media += len(st.MediaAttachments)
		if st.EditedAt != nil {
			edits++
		}
	}
	if threads == 0 || media == 0 || edits == 0 {
		t.Errorf("page has %d replies, %d attachments, %d edits; want some of each", threads, media, edits)
	}
}

func BenchmarkFarmPage(b *testing.B) {
	farm := NewMastodonFarm(10, 200)
	h := farm.Handler()
	a := farm.accounts[3]
	req := httptest.NewRequest(http.MethodGet, "/api/v1/accounts/"+a.id+"/statuses?limit=40&max_id="+a.ids[79], nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}
