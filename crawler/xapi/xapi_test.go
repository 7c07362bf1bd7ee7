package xapi

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/directory"
)

const (
	fixtures crawlertest.Dir = "../../testdata/xapi/"
	token                    = "AAAAAAAAAAAAAAAAAAAAAofficeBearer%2Ftoken"

	userPath  = "/2/users/by/username/GobiernoGDL?user.fields=" + UserFields
	page1Path = "/2/users/1389562811239542784/tweets?expansions=" + Expansions + "&max_results=100&media.fields=" + MediaFields + "&tweet.fields=" + TweetFields + "&user.fields=" + UserFields
	page2Path = page1Path + "&pagination_token=7140dibdnow9c7btw3w3itbygz8uu5pbs45oy6erjc2ls"
)

type sleeps []time.Duration

func (s *sleeps) sleep(_ context.Context, d time.Duration) error { *s = append(*s, d); return nil }

// now is 29 seconds before the reset the fixtures' pages name (1764943200).
func now() time.Time { return time.Unix(1764943200-29, 0) }

func adapter(s *sleeps) *Adapter {
	return &Adapter{Token: func(*directory.Account) (string, error) { return token, nil }, Sleep: s.sleep, Now: now}
}

func TestList(t *testing.T) {
	listing := map[string]string{userPath: "user.http", page1Path: "tweets-page1.http", page2Path: "tweets-page2.http"}
	tests := []struct {
		name       string
		routes     map[string]string
		wantPages  []crawlertest.Page
		wantSleeps []time.Duration
		wantErr    error
		wantMsg    string
	}{
		{name: "two pages through meta.next_token, waiting for the window's reset", routes: listing,
			wantPages:  []crawlertest.Page{{Path: page1Path, Posts: 3, First: "2127799793349558395"}, {Path: page2Path, Posts: 1, First: "1993900000000000000"}},
			wantSleeps: []time.Duration{30 * time.Second}},
		{name: "a revoked bearer token", routes: map[string]string{userPath: "unauthorized.http"},
			wantErr: ErrTokenRefused, wantMsg: "the office's bearer token was refused (401: Unauthorized)"},
		{name: "an app without access", routes: map[string]string{userPath: "forbidden.http"},
			wantErr: ErrForbidden, wantMsg: "(403: Client Forbidden: When authenticating requests"},
		{name: "an unknown username", routes: map[string]string{userPath: "user-not-found.http"},
			wantErr: ErrNotFound, wantMsg: "Not Found Error: Could not find user with username: [GobiernoGDL]."},
		{name: "a 429 whose window resets in years: not asked again", routes: map[string]string{userPath: "user.http", page1Path: "too-many-requests.http"},
			wantErr: ErrRateLimited, wantMsg: `x-rate-limit-reset: "4102444800"), more than the`},
		{name: "a malformed answer", routes: map[string]string{userPath: "user.http", page1Path: "malformed.http"},
			wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := crawlertest.Serve(t, crawlertest.Replay{Routes: fixtures.Recorded(t, tt.routes), Accept: "application/json", Authorization: "Bearer " + token})
			var slept sleeps
			acct := &directory.Account{ID: "gdl-x", Network: archive.X, Handle: "GobiernoGDL", Endpoint: srv.URL, Capture: directory.CaptureAPI}
			pages, err := crawlertest.List(adapter(&slept), acct, 0)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("error = %v\nwant %v with %q", err, tt.wantErr, tt.wantMsg)
				}
				if strings.Contains(err.Error(), token) {
					t.Errorf("the error shows the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			crawlertest.CheckPages(t, srv.URL, pages, tt.wantPages)
			if len(slept) != len(tt.wantSleeps) || (len(slept) > 0 && slept[0] != tt.wantSleeps[0]) {
				t.Errorf("waits = %v, want %v", slept, tt.wantSleeps)
			}
		})
	}
}

func TestListWindowTooFar(t *testing.T) {
	srv := crawlertest.Serve(t, crawlertest.Replay{Routes: fixtures.Recorded(t, map[string]string{userPath: "user.http", page1Path: "tweets-page1.http"}), Authorization: "Bearer " + token})
	a := adapter(new(sleeps))
	a.Now = func() time.Time { return time.Unix(1764943200-600, 0) }
	pages, err := crawlertest.List(a, &directory.Account{ID: "gdl-x", Network: archive.X, Handle: "GobiernoGDL", Endpoint: srv.URL, Capture: directory.CaptureAPI}, 0)
	if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "the window resets at 2025-12-05T14:00:00Z, in 10m1s") || len(pages) != 1 {
		t.Fatalf("pages %d, error %v", len(pages), err)
	}
}

func TestParseTimeline(t *testing.T) {
	_, body := fixtures.ReadResponse(t, "tweets-page1.http")
	_, posts, err := ParseTimeline(body, "GobiernoGDL")
	if err != nil {
		t.Fatal(err)
	}
	crawlertest.CheckPost(t, posts[0], archive.Post{
		Network: archive.X, PostID: "2127799793349558395", URL: "https://x.com/GobiernoGDL/status/2127799793349558395", Author: "GobiernoGDL",
		PublishedAt: crawlertest.Time("2026-12-01T16:19:38Z"), EditedAt: crawlertest.Time("2026-12-01T16:40:02Z"), Edited: true,
		Text:     "Corrección: la Feria del Empleo es el jueves 3 de diciembre en el Salón de Cabildo, de 9:00 a 14:00 h. Trae tu CV. https://guadalajara.gob.mx/empleo",
		Language: "es", RawType: "application/json",
		Metrics: archive.Metrics{"replies": 4, "reposts": 31, "likes": 120, "quotes": 2, "views": 15840},
	})
	crawlertest.CheckPost(t, posts[1], archive.Post{
		Network: archive.X, PostID: "1994800011122233344", URL: "https://x.com/GobiernoGDL/status/1994800011122233344", Author: "GobiernoGDL",
		PublishedAt: crawlertest.Time("2026-11-30T19:26:16Z"), Text: "Brigadas de bacheo en Oblatos esta semana.", Language: "es", RawType: "application/json",
		Media:   []archive.Media{{Kind: "image", URL: "https://pbs.twimg.com/media/GdBacheo01.jpg", Alt: "Cuadrilla rellenando un bache en la calle", ID: "3_1994800002222222222"}},
		Metrics: archive.Metrics{"replies": 2, "reposts": 8, "likes": 40, "quotes": 1, "views": 3021},
	})
	crawlertest.CheckPost(t, posts[2], archive.Post{
		Network: archive.X, PostID: "1994500000000000000", URL: "https://x.com/GobiernoGDL/status/1994500000000000000", Author: "GobiernoGDL",
		PublishedAt: crawlertest.Time("2026-11-29T23:10:00Z"), Language: "es", RawType: "application/json",
		RepostOf: "https://x.com/ProteccionCivGDL/status/1994499000000000000",
		Shared: &archive.Shared{Kind: archive.Repost, URL: "https://x.com/ProteccionCivGDL/status/1994499000000000000", Author: "ProteccionCivGDL", AuthorName: "Protección Civil GDL",
			PublishedAt: crawlertest.Time("2026-11-29T22:58:41Z"), Text: "Alerta por lluvias intensas esta tarde. Evita cruzar vialidades inundadas."},
		Metrics: archive.Metrics{"replies": 0, "reposts": 56, "likes": 0, "quotes": 0, "views": 0},
	})
	_, body = fixtures.ReadResponse(t, "tweets-page2.http")
	_, posts, err = ParseTimeline(body, "GobiernoGDL")
	if err != nil || !strings.HasSuffix(posts[0].Text, "La consulta cierra el 20 de diciembre.") {
		t.Errorf("a long post's text = %q, %v", posts[0].Text, err)
	}
}
