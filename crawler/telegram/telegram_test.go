package telegram

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/directory"
)

// newServer is a t.me stand-in replaying testdata/telegram. It has no
// robots.txt, as t.me.
func newServer(t *testing.T) *crawlertest.Server {
	t.Helper()
	html := func(body []byte) crawlertest.Reply {
		return crawlertest.Reply{Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: body}
	}
	newest := fixtures.ReadFile(t, "avisos_gdl.html")
	lastFooter := strings.LastIndex(string(newest), `<div class="tgme_widget_message_footer`)
	userPage := crawlertest.Reply{Status: http.StatusFound, Header: http.Header{"Location": {"/regidora_ana_gdl"}}}
	return crawlertest.Serve(t, crawlertest.Replay{Routes: map[string]crawlertest.Reply{
		"/s/avisos_gdl":          html(newest),
		"/s/avisos_gdl?before=9": html(fixtures.ReadFile(t, "avisos_gdl_before_9.html")),
		"/s/regidora_ana_gdl":    userPage, // a user: no preview
		"/regidora_ana_gdl":      html(fixtures.ReadFile(t, "regidora_ana_gdl.html")),
		"/s/red_municipal":       html(fixtures.ReadFile(t, "not_channel.html")), // a content filter answering for t.me
		"/s/eco_gdl":             html(newest),                                   // a page whose older link leads back to itself
		"/s/eco_gdl?before=9":    html(newest),
		"/s/cortado_gdl":         html(newest[:lastFooter]),
	}})
}

func TestList(t *testing.T) {
	tests := []struct {
		name      string
		handle    string
		stopAfter int      // pages before yield returns false; 0 never
		wantPages []string // post ids of each page yielded
		wantReqs  []string
		wantErr   error  // matched with errors.Is, when set
		wantMsg   string // a part of the error message
	}{
		{
			name:      "two pages linked by before",
			handle:    "avisos_gdl",
			wantPages: []string{"30 29 28 27 26 25 24 23 22 21 19 17 16 14 13 12 11 10 9", "8 7 6 5 4 3 2"},
			wantReqs:  []string{"/s/avisos_gdl", "/s/avisos_gdl?before=9"},
		},
		{
			name:      "yield stops the listing",
			handle:    "avisos_gdl",
			stopAfter: 1,
			wantPages: []string{"30 29 28 27 26 25 24 23 22 21 19 17 16 14 13 12 11 10 9"},
			wantReqs:  []string{"/s/avisos_gdl"},
		},
		{
			name:     "redirect to the user page",
			handle:   "regidora_ana_gdl",
			wantReqs: []string{"/s/regidora_ana_gdl", "/regidora_ana_gdl"},
			wantErr:  ErrNoPreview,
			wantMsg:  "/s/regidora_ana_gdl: redirected to ",
		},
		{
			name:     "page that is not a channel",
			handle:   "red_municipal",
			wantReqs: []string{"/s/red_municipal"},
			wantErr:  ErrNotChannelPage,
			wantMsg:  "/s/red_municipal: not a Telegram channel page",
		},
		{
			name:      "older link that does not go back",
			handle:    "eco_gdl",
			wantPages: []string{"30 29 28 27 26 25 24 23 22 21 19 17 16 14 13 12 11 10 9"},
			wantReqs:  []string{"/s/eco_gdl", "/s/eco_gdl?before=9"},
			wantMsg:   `/s/eco_gdl?before=9: older-page cursor "9" does not go back from "9"`,
		},
		{
			name:     "truncated page",
			handle:   "cortado_gdl",
			wantReqs: []string{"/s/cortado_gdl"},
			wantMsg:  `/s/cortado_gdl: read message "avisos_gdl/30": no publication time`,
		},
		{
			name:     "unknown path",
			handle:   "sin_canal",
			wantReqs: []string{"/s/sin_canal"},
			wantMsg:  "/s/sin_canal: 404 Not Found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			acct := &directory.Account{ID: "gdl-avisos", Network: archive.Telegram, Handle: tt.handle, Endpoint: srv.URL}
			listed, err := crawlertest.List(New(), acct, tt.stopAfter)

			var pages []string
			for _, p := range listed {
				if !strings.HasPrefix(p.URL, srv.URL+"/s/"+tt.handle) {
					t.Errorf("page URL = %q, want the preview URL", p.URL)
				}
				pages = append(pages, postIDs(p.Posts))
			}

			if tt.wantErr == nil && tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("List: %v", err)
				}
			} else {
				if err == nil {
					t.Fatal("List: no error")
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("List error = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), srv.URL) {
					t.Errorf("List error = %q, want it to name the URL and contain %q", err, tt.wantMsg)
				}
			}
			if !reflect.DeepEqual(pages, tt.wantPages) {
				t.Errorf("pages = %q, want %q", pages, tt.wantPages)
			}
			srv.CheckRequests(t, tt.wantReqs)
		})
	}
}

// The posts List yields are the ones ParsePage reads, network fields set.
func TestListPosts(t *testing.T) {
	srv := newServer(t)
	acct := &directory.Account{ID: "gdl-avisos", Network: archive.Telegram, Handle: "avisos_gdl", Endpoint: srv.URL + "/"}
	pages, err := crawlertest.List(New(), acct, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := archive.Post{
		PostID: "30", URL: "https://t.me/avisos_gdl/30", Author: "avisos_gdl", PublishedAt: utc("2025-03-14T23:55:00Z"),
		Text:    "🚦 Mañana sábado 15 de marzo, cierre total de Av. Juárez entre 16 de Septiembre y Degollado de 07:00 a 14:00 h por el Paseo Dominical ampliado.",
		RawType: "text/html", Metrics: archive.Metrics{"views": 1200},
	}
	raw := crawlertest.CheckPost(t, pages[0].Posts[0], want)
	if !strings.Contains(string(raw), `<time datetime="2025-03-14T23:55:00+00:00" class="time">23:55</time>`) {
		t.Errorf("Raw lacks the message's date: %.300s", raw)
	}
}
