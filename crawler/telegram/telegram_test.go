package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/directory"
)

// server is a t.me stand-in replaying testdata/telegram. It records the
// requests it answers, robots.txt aside.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

func newServer(t *testing.T) *server {
	t.Helper()
	page := func(name string) []byte { return fixture(t, name) }
	newest, first := page("avisos_gdl.html"), page("avisos_gdl_before_9.html")
	lastFooter := strings.LastIndex(string(newest), `<div class="tgme_widget_message_footer`)
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r) // as t.me answers
			return
		}
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.RequestURI())
		s.mu.Unlock()
		html := func(body []byte) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		}
		switch before := r.URL.Query().Get("before"); r.URL.Path {
		case "/s/avisos_gdl":
			switch before {
			case "":
				html(newest)
			case "9":
				html(first)
			default:
				http.NotFound(w, r)
			}
		case "/s/regidora_ana_gdl": // a user: no preview
			http.Redirect(w, r, "/regidora_ana_gdl", http.StatusFound)
		case "/regidora_ana_gdl":
			html(page("regidora_ana_gdl.html"))
		case "/s/red_municipal": // a content filter answering for t.me
			html(page("not_channel.html"))
		case "/s/eco_gdl": // a page whose older link leads back to itself
			html(newest)
		case "/s/cortado_gdl":
			html(newest[:lastFooter])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) served() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
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
			f := crawler.NewClient(crawler.ClientOptions{AllowPrivateNetworks: true, HostRate: 0, Retries: 0}, nil).For(archive.Telegram)
			acct := &directory.Account{ID: "gdl-avisos", Network: archive.Telegram, Handle: tt.handle, Endpoint: srv.URL}

			var pages []string
			err := New().List(context.Background(), f, acct, func(p crawler.Page) bool {
				if !strings.HasPrefix(p.URL, srv.URL+"/s/"+tt.handle) {
					t.Errorf("page URL = %q, want the preview URL", p.URL)
				}
				pages = append(pages, postIDs(p.Posts))
				return tt.stopAfter == 0 || len(pages) < tt.stopAfter
			})

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
			if got := srv.served(); !reflect.DeepEqual(got, tt.wantReqs) {
				t.Errorf("requests = %q, want %q", got, tt.wantReqs)
			}
		})
	}
}

// The posts List yields are the ones ParsePage reads, network fields set.
func TestListPosts(t *testing.T) {
	srv := newServer(t)
	f := crawler.NewClient(crawler.ClientOptions{AllowPrivateNetworks: true}, nil).For(archive.Telegram)
	acct := &directory.Account{ID: "gdl-avisos", Network: archive.Telegram, Handle: "avisos_gdl", Endpoint: srv.URL + "/"}
	var got *archive.Post
	err := New().List(context.Background(), f, acct, func(p crawler.Page) bool {
		got = &p.Posts[0]
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	want := archive.Post{
		PostID: "30", URL: "https://t.me/avisos_gdl/30", Author: "avisos_gdl", PublishedAt: utc("2025-03-14T23:55:00Z"),
		Text:    "🚦 Mañana sábado 15 de marzo, cierre total de Av. Juárez entre 16 de Septiembre y Degollado de 07:00 a 14:00 h por el Paseo Dominical ampliado.",
		RawType: "text/html", Metrics: archive.Metrics{"views": 1200},
	}
	raw := got.Raw
	got.Raw = nil
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("newest post:\n got %+v\nwant %+v", *got, want)
	}
	if !strings.Contains(string(raw), `<time datetime="2025-03-14T23:55:00+00:00" class="time">23:55</time>`) {
		t.Errorf("Raw lacks the message's date: %.300s", raw)
	}
}
