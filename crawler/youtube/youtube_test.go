package youtube_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/youtube"
	"github.com/vigia-mx/vigia/directory"
)

const (
	fixtures crawlertest.Dir = "../../testdata/youtube/"

	channel  = "UCv3GdlCabildo8TxQm2pL0w"
	feedFile = "ayuntamiento-guadalajara.xml"
)

var date = crawlertest.Time

func video(id, thumbHost string) []archive.Media {
	thumb := "https://" + thumbHost + ".ytimg.com/vi/" + id + "/hqdefault.jpg"
	watch := "https://www.youtube.com/watch?v=" + id
	return []archive.Media{
		{Kind: "image", URL: thumb, ID: "https://i.ytimg.com/vi/" + id + "/hqdefault.jpg"},
		{Kind: "video", URL: watch, PreviewURL: thumb, ID: watch},
	}
}

func TestParse(t *testing.T) {
	body := fixtures.ReadFile(t, feedFile)
	feed, err := youtube.Parse(body, "https://www.youtube.com/feeds/videos.xml?channel_id="+channel)
	if err != nil {
		t.Fatal(err)
	}
	// The feed writes its own channel id without "UC"; Parse restores it.
	if !bytes.Contains(body, []byte("<yt:channelId>v3GdlCabildo8TxQm2pL0w</yt:channelId>")) {
		t.Fatal("fixture lost the feed-level channel id quirk")
	}
	if got, want := feed.ChannelID, channel; got != want {
		t.Errorf("channel id %q, want %q", got, want)
	}
	if got, want := feed.Title, "Ayuntamiento de Guadalajara"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if got, want := len(feed.Posts), 15; got != want {
		t.Fatalf("got %d posts, want %d", got, want)
	}
	tests := []struct {
		name string
		i    int
		want archive.Post
	}{
		{"session with a multi-line description", 0, archive.Post{
			PostID: "i7b-YEZ1SMv", URL: "https://www.youtube.com/watch?v=i7b-YEZ1SMv", PublishedAt: date("2026-01-12T23:05:11Z"),
			Text: "Sesión Ordinaria de Ayuntamiento | 12 de enero de 2026\n\n" +
				"Transmisión de la Sesión Ordinaria del Ayuntamiento de Guadalajara.\n\nOrden del día:\n" +
				"1. Lista de asistencia y declaración de quórum.\n2. Lectura y aprobación del orden del día.\n" +
				"3. Iniciativas de regidoras y regidores.\n4. Dictámenes de comisiones: Programa Municipal de Bacheo 2026.\n" +
				"5. Asuntos varios.\n\nConsulta la Gaceta Municipal: https://cabildo.guadalajara.gob.mx/gacetas",
			Media:   video("i7b-YEZ1SMv", "i4"),
			Metrics: archive.Metrics{"views": 1873, "likes": 41},
		}},
		{"a Short links to /shorts/", 1, archive.Post{
			PostID: "wxcE-XnNOb0", URL: "https://www.youtube.com/shorts/wxcE-XnNOb0", PublishedAt: date("2026-01-12T18:00:03Z"),
			Text:    "¿Ya conoces los Puntos Violeta? 💜 #Shorts\n\n48 Puntos Violeta en el Centro Histórico: si te sientes en riesgo, acércate. #Guadalajara #PuntosVioleta",
			Media:   video("wxcE-XnNOb0", "i2"),
			Metrics: archive.Metrics{"views": 12984, "likes": 356},
		}},
		{"escaped ampersand and quotes", 3, archive.Post{
			PostID: "OHP_hsRssZu", URL: "https://www.youtube.com/watch?v=OHP_hsRssZu", PublishedAt: date("2026-01-09T17:12:45Z"),
			Text: "Comisión Edilicia de Hacienda Pública & Patrimonio Municipal | Sesión 1/2026\n\n" +
				"Sesión de la Comisión Edilicia de Hacienda Pública & Patrimonio Municipal.\n" +
				"Asuntos: análisis del \"Presupuesto Participativo 2026\" y bajas de bienes muebles.",
			Media:   video("OHP_hsRssZu", "i2"),
			Metrics: archive.Metrics{"views": 312, "likes": 9},
		}},
		{"a Short with an empty description", 6, archive.Post{
			PostID: "q6dCadrNWoJ", URL: "https://www.youtube.com/shorts/q6dCadrNWoJ", PublishedAt: date("2026-01-07T19:00:14Z"),
			Text:    "Así quedó el Parque Morelos #Shorts",
			Media:   video("q6dCadrNWoJ", "i4"),
			Metrics: archive.Metrics{"views": 48311, "likes": 1204},
		}},
		{"a premiere with zero counts", 14, archive.Post{
			PostID: "EtWsgMwgRFF", URL: "https://www.youtube.com/watch?v=EtWsgMwgRFF", PublishedAt: date("2025-12-15T19:00:00Z"),
			Text:    "Estreno: Documental «Mercados de Guadalajara»\n\nEstreno del documental sobre los 94 mercados municipales.",
			Media:   video("EtWsgMwgRFF", "i4"),
			Metrics: archive.Metrics{"views": 0, "likes": 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := feed.Posts[tt.i]
			want := tt.want
			want.Network, want.Author, want.RawType = archive.YouTube, "Ayuntamiento de Guadalajara", "application/atom+xml"
			raw := crawlertest.CheckPost(t, got, want)
			// The raw entry is the original bytes, from <entry> to </entry>.
			if !bytes.HasPrefix(raw, []byte("<entry>")) || !bytes.HasSuffix(raw, []byte("</entry>")) ||
				!bytes.Contains(body, raw) || !bytes.Contains(raw, []byte("<yt:videoId>"+want.PostID+"</yt:videoId>")) {
				t.Errorf("raw entry %q is not entry %s as received", raw, want.PostID)
			}
		})
	}
	// <updated> is later than <published> in every entry but the premiere;
	// it follows the counters and is not an edit.
	for i, p := range feed.Posts {
		if !p.EditedAt.IsZero() {
			t.Errorf("post %d: edited at %v, want zero", i, p.EditedAt)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const feedURL = "https://www.youtube.com/feeds/videos.xml?channel_id=" + channel
	noID := bytes.Replace(fixtures.ReadFile(t, feedFile), []byte("<id>yt:video:2Y3hR8-d_88</id>\n  <yt:videoId>2Y3hR8-d_88</yt:videoId>"), nil, 1)
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"truncated", fixtures.ReadFile(t, "truncated.xml"), "parse feed " + feedURL + ": XML syntax error on line 63: unexpected EOF"},
		{"consent page", []byte("<!DOCTYPE html><html lang=\"es-419\"><head><title>Antes de ir a YouTube</title></head><body></body></html>"),
			"parse feed " + feedURL + ": not an RSS or Atom feed"},
		{"entry without a video id", noID, "parse feed " + feedURL + ": entry 3: no video id (yt:videoId \"\", id \"\")"},
		{"RSS, not Atom", []byte(`<rss version="2.0"><channel><title>t</title><item><guid>yt:video:abc</guid></item></channel></rss>`),
			"parse feed " + feedURL + ": a channel feed is Atom, not application/rss+xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := youtube.Parse(tt.body, feedURL)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error %q, want %q", got, tt.want)
			}
		})
	}
}

// feedServer stands in for www.youtube.com, with no robots.txt: the
// channel's feed from testdata, also under another channel's id, and failures
// for the other channel ids of TestList.
func feedServer(t *testing.T) *crawlertest.Server {
	t.Helper()
	xml := crawlertest.Reply{Header: http.Header{"Content-Type": {"text/xml; charset=UTF-8"}}, Body: fixtures.ReadFile(t, feedFile)}
	feed := func(id string) string { return "/feeds/videos.xml?channel_id=" + id }
	return crawlertest.Serve(t, crawlertest.Replay{Routes: map[string]crawlertest.Reply{
		feed(channel):                     xml,
		feed("UCsomeOtherChannel0000000"): xml,
		feed("UCflaky404xxxxxxxxxxxxxx"):  {Status: http.StatusNotFound},
		feed("UCflaky500xxxxxxxxxxxxxx"):  {Status: http.StatusInternalServerError},
		feed("UCforbiddenxxxxxxxxxxxxx"):  {Status: http.StatusForbidden},
		feed("UCtruncatedxxxxxxxxxxxxx"):  {Body: fixtures.ReadFile(t, "truncated.xml")},
	}})
}

func TestList(t *testing.T) {
	srv := feedServer(t)
	const note = " (YouTube feeds fail intermittently; retried next crawl, not treated as deletion)"
	tests := []struct {
		handle    string
		wantPosts int
		wantErr   string // %s is the feed URL
	}{
		{handle: channel, wantPosts: 15},
		{handle: "UCflaky404xxxxxxxxxxxxxx", wantErr: "fetch feed %s: 404 Not Found" + note},
		{handle: "UCflaky500xxxxxxxxxxxxxx", wantErr: "fetch feed %s: 500 Internal Server Error" + note},
		{handle: "UCforbiddenxxxxxxxxxxxxx", wantErr: "fetch feed %s: 403 Forbidden"},
		{handle: "UCtruncatedxxxxxxxxxxxxx", wantErr: "parse feed %s: XML syntax error on line 63: unexpected EOF"},
		{handle: "UCsomeOtherChannel0000000", wantErr: "check feed %s: it is the feed of channel \"" + channel + "\", not of \"UCsomeOtherChannel0000000\""},
	}
	for _, tt := range tests {
		t.Run(tt.handle, func(t *testing.T) {
			acct := &directory.Account{ID: "gdl-yt", Network: archive.YouTube, Handle: tt.handle, Endpoint: srv.URL + "/"}
			feedPath := "/feeds/videos.xml?channel_id=" + tt.handle
			feedURL := srv.URL + feedPath
			if got := youtube.FeedURL(acct); got != feedURL {
				t.Fatalf("feed url %q, want %q", got, feedURL)
			}
			pages, err := crawlertest.List(youtube.New(), acct, 0)
			crawlertest.CheckError(t, err, strings.ReplaceAll(tt.wantErr, "%s", feedURL))
			if tt.wantErr == "" {
				crawlertest.CheckPages(t, srv.URL, pages, []crawlertest.Page{{Path: feedPath, Posts: tt.wantPosts}})
			}
		})
	}
}

func TestListOneRequestAndStatusError(t *testing.T) {
	srv := feedServer(t)
	acct := &directory.Account{ID: "gdl-yt", Network: archive.YouTube, Handle: "UCflaky500xxxxxxxxxxxxxx", Endpoint: srv.URL}
	_, err := crawlertest.List(youtube.New(), acct, 0)
	var se *crawler.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusInternalServerError {
		t.Fatalf("error %v, want a *crawler.StatusError with status 500", err)
	}
	if got, want := len(srv.Requests()), 1; got != want {
		t.Errorf("%d feed requests, want %d", got, want)
	}
}

func TestFeedURLDefault(t *testing.T) {
	acct := &directory.Account{Network: archive.YouTube, Handle: channel}
	if got, want := youtube.FeedURL(acct), "https://www.youtube.com/feeds/videos.xml?channel_id="+channel; got != want {
		t.Errorf("feed url %q, want %q", got, want)
	}
}

func BenchmarkParse(b *testing.B) {
	body := fixtures.ReadFile(b, feedFile)
	const feedURL = "https://www.youtube.com/feeds/videos.xml?channel_id=" + channel
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		feed, err := youtube.Parse(body, feedURL)
		if err != nil {
			b.Fatal(err)
		}
		n += len(feed.Posts)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}
