package graph

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/directory"
)

const (
	fixtures crawlertest.Dir = "../../testdata/graph/"
	origin                   = "https://graph.facebook.com"
	token                    = "EAAGm0PX4ZCpsBAoffice-page-token"

	fbMe    = "/v23.0/me?fields=id,name,username"
	fbPage1 = "/v23.0/104871234567890/published_posts?fields=" + PostFields + "&limit=100"
	fbPage2 = "/v23.0/104871234567890/published_posts?fields=" + PostFields + "&limit=3&after=QVFIUjNhZAlFXZAl9z"
	igMe    = "/v23.0/me?fields=id,name,instagram_business_account{id,username}"
	igPage1 = "/v23.0/17841406338772941/media?fields=" + MediaFields + "&limit=100"
	igPage2 = "/v23.0/17841406338772941/media?fields=" + MediaFields + "&limit=2&after=QVFIUk1after"
)

func serve(t *testing.T, routes map[string]string) *crawlertest.Server {
	t.Helper()
	return crawlertest.Serve(t, crawlertest.Replay{
		Routes: fixtures.Recorded(t, routes), Accept: "application/json",
		Origin: origin, OriginInBodies: true, Authorization: "Bearer " + token,
	})
}

// sleeps records the waits an adapter asks for, without waiting.
type sleeps []time.Duration

func (s *sleeps) sleep(_ context.Context, d time.Duration) error { *s = append(*s, d); return nil }

func opts(s *sleeps) Options {
	return Options{Token: func(*directory.Account) (string, error) { return token, nil }, Sleep: s.sleep}
}

func account(network archive.Network, handle, endpoint string) *directory.Account {
	return &directory.Account{ID: "gdl", Network: network, Handle: handle, Endpoint: endpoint, Capture: directory.CaptureAPI}
}

func TestPages(t *testing.T) {
	tests := []struct {
		name       string
		handle     string
		routes     map[string]string
		wantPages  []crawlertest.Page
		wantSleeps []time.Duration
		wantErr    error
		wantMsg    string // part of the message
	}{
		{name: "two pages through paging.next, slowed near the limit", handle: "GobiernoDeGuadalajara",
			routes:     map[string]string{fbMe: "fb-me.http", fbPage1: "fb-posts-page1.http", fbPage2: "fb-posts-page2.http"},
			wantPages:  []crawlertest.Page{{Path: fbPage1, Posts: 3, First: "104871234567890_1029384756102938"}, {Path: fbPage2, Posts: 1, First: "104871234567890_1026543210987654"}},
			wantSleeps: []time.Duration{20 * time.Second}},
		{name: "a token of another page", handle: "OtraPagina",
			routes:  map[string]string{fbMe: "fb-me.http"},
			wantErr: ErrWrongAccount, wantMsg: `the token of account "gdl" is for the Page "GobiernoDeGuadalajara" (id 104871234567890, "Gobierno de Guadalajara"), the directory names "OtraPagina"`},
		{name: "an expired token", handle: "GobiernoDeGuadalajara",
			routes:  map[string]string{fbMe: "expired-token.http"},
			wantErr: ErrTokenExpired, wantMsg: "the office's token was refused: expired or revoked (400: Graph API error 190/463 OAuthException: Error validating access token: Session has expired"},
		{name: "paging.next to another host is not followed", handle: "GobiernoDeGuadalajara",
			routes:    map[string]string{fbMe: "fb-me.http", fbPage1: "hostile-next.http"},
			wantPages: []crawlertest.Page{{Path: fbPage1, Posts: 1}},
			wantErr:   ErrMalformed, wantMsg: "leads to graph-facebook.evil.example, not 127.0.0.1"},
		{name: "an answer that is not JSON", handle: "GobiernoDeGuadalajara",
			routes:  map[string]string{fbMe: "fb-me.http", fbPage1: "malformed.http"},
			wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.routes)
			var slept sleeps
			a := &Pages{opts(&slept)}
			pages, err := crawlertest.List(a, account(archive.Facebook, tt.handle, srv.URL), 0)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("error = %v\nwant %v with %q", err, tt.wantErr, tt.wantMsg)
				}
				if strings.Contains(err.Error(), token) {
					t.Errorf("the error shows the token: %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			crawlertest.CheckPages(t, srv.URL, pages, tt.wantPages)
			if got, want := slept, sleeps(tt.wantSleeps); len(got) != len(want) || (len(got) > 0 && got[0] != want[0]) {
				t.Errorf("waits = %v, want %v", got, want)
			}
		})
	}
}

func TestPagesPosts(t *testing.T) {
	srv := serve(t, map[string]string{fbMe: "fb-me.http", fbPage1: "fb-posts-page1.http", fbPage2: "fb-posts-page2.http"})
	var slept sleeps
	pages, err := crawlertest.List(&Pages{opts(&slept)}, account(archive.Facebook, "GobiernoDeGuadalajara", srv.URL), 0)
	if err != nil {
		t.Fatal(err)
	}
	got := pages[0].Posts
	raw := crawlertest.CheckPost(t, got[2], archive.Post{
		Network: archive.Facebook, PostID: "104871234567890_1027654321098765",
		URL: "https://www.facebook.com/104871234567890/posts/1027654321098765", Author: "GobiernoDeGuadalajara",
		PublishedAt: crawlertest.Time("2026-11-25T20:12:44Z"), Text: "Así quedó la rehabilitación del Parque Morelos.", RawType: "application/json",
		Media: []archive.Media{
			{Kind: "image", URL: "https://scontent.xx.fbcdn.net/v/t39.30808-6/5002_n.jpg", ID: "1027654311111111"},
			{Kind: "image", URL: "https://scontent.xx.fbcdn.net/v/t39.30808-6/5003_n.jpg", ID: "1027654322222222"},
		},
	})
	if !strings.HasPrefix(string(raw), `{"id":"104871234567890_1027654321098765"`) {
		t.Errorf("raw = %.80s", raw)
	}
	if m := got[1].Media; len(m) != 1 || m[0].Kind != "link" || m[0].URL != "https://guadalajara.gob.mx/presupuesto-participativo" {
		t.Errorf("link attachment = %+v", m)
	}
}

func TestInstagram(t *testing.T) {
	routes := map[string]string{igMe: "ig-me.http", igPage1: "ig-media-page1.http", igPage2: "ig-media-page2.http"}
	srv := serve(t, routes)
	var slept sleeps
	pages, err := crawlertest.List(&Instagram{opts(&slept)}, account(archive.Instagram, "gobiernogdl", srv.URL), 0)
	if err != nil {
		t.Fatal(err)
	}
	crawlertest.CheckPages(t, srv.URL, pages, []crawlertest.Page{{Path: igPage1, Posts: 2, First: "17895731045244887"}, {Path: igPage2, Posts: 1, First: "17896129349106152"}})
	if len(slept) != 0 {
		t.Errorf("waited %v at 12 %% of the limit", slept)
	}
	crawlertest.CheckPost(t, pages[1].Posts[0], archive.Post{
		Network: archive.Instagram, PostID: "17896129349106152", URL: "https://www.instagram.com/p/CRyZpmrjYC4/", Author: "gobiernogdl",
		PublishedAt: crawlertest.Time("2026-11-03T02:45:20Z"), Text: "Así se vivió el Festival de Día de Muertos en el Centro Histórico.", RawType: "application/json",
		Media: []archive.Media{
			{Kind: "image", URL: "https://scontent.cdninstagram.com/v/t51.29350-15/223646625_n.jpg", ID: "17889214265226770"},
			{Kind: "video", URL: "https://video.cdninstagram.com/v/t50.2886-16/223134764_n.mp4", PreviewURL: "https://scontent.cdninstagram.com/v/t51.29350-15/225731614_n.jpg", ID: "17904922598025487"},
		},
		Metrics: archive.Metrics{"likes": 431, "replies": 5},
	})

	t.Run("usage at 100 %: stops, what was listed is kept", func(t *testing.T) {
		srv := serve(t, map[string]string{igMe: "ig-me.http", igPage1: "ig-media-throttled.http"})
		var slept sleeps
		pages, err := crawlertest.List(&Instagram{opts(&slept)}, account(archive.Instagram, "gobiernogdl", srv.URL), 0)
		if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "X-Business-Use-Case-Usage instagram call_count 100%): access comes back in about 19m0s") {
			t.Fatalf("error = %v", err)
		}
		if len(pages) != 1 || len(slept) != 0 {
			t.Errorf("pages %d, waits %v", len(pages), slept)
		}
	})
	t.Run("within the longest wait: waits, then goes on", func(t *testing.T) {
		srv := serve(t, map[string]string{igMe: "ig-me.http", igPage1: "ig-media-throttled.http", igPage2: "ig-media-page2.http"})
		var slept sleeps
		o := opts(&slept)
		o.MaxWait = time.Hour
		pages, err := crawlertest.List(&Instagram{o}, account(archive.Instagram, "gobiernogdl", srv.URL), 0)
		if err != nil || len(pages) != 2 || len(slept) != 1 || slept[0] != 19*time.Minute {
			t.Fatalf("pages %d, waits %v, err %v", len(pages), slept, err)
		}
	})
	t.Run("the token of another Instagram account", func(t *testing.T) {
		srv := serve(t, map[string]string{igMe: "ig-me.http"})
		_, err := crawlertest.List(&Instagram{opts(new(sleeps))}, account(archive.Instagram, "otracuenta", srv.URL), 0)
		if !errors.Is(err, ErrWrongAccount) {
			t.Fatalf("error = %v", err)
		}
	})
}

func TestNeedsTheAPICaptureAndAnAuthorizedFetcher(t *testing.T) {
	acct := account(archive.Facebook, "GobiernoDeGuadalajara", "http://127.0.0.1:1")
	acct.Capture = directory.CaptureExport
	if _, err := crawlertest.List(&Pages{opts(new(sleeps))}, acct, 0); err == nil || !strings.Contains(err.Error(), `captured with "export"`) {
		t.Errorf("an export account: %v", err)
	}
	var f crawler.Fetcher = plainFetcher{}
	if err := (&Pages{}).List(context.Background(), f, account(archive.Facebook, "x", ""), func(crawler.Page) bool { return true }); !errors.Is(err, ErrNotAuthorized) {
		t.Errorf("a fetcher without tokens: %v", err)
	}
}

type plainFetcher struct{}

func (plainFetcher) Get(context.Context, string, string) (*crawler.Response, error) {
	return nil, errors.New("no")
}
