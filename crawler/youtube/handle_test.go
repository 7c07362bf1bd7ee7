package youtube_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/youtube"
	"github.com/vigia-mx/vigia/directory"
)

// A channel the directory names by its @handle is listed by the id its
// page names (canonical link, og:url, itemprop identifier, or the initial
// data's externalId), asked once per adapter; a page that names none (a
// consent page) or a handle that does not exist is an error saying so.
func TestListByHandle(t *testing.T) {
	html := func(file string) crawlertest.Reply {
		return crawlertest.Reply{Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: fixtures.ReadFile(t, file)}
	}
	xml := crawlertest.Reply{Header: http.Header{"Content-Type": {"text/xml; charset=UTF-8"}}, Body: fixtures.ReadFile(t, feedFile)}
	srv := crawlertest.Serve(t, crawlertest.Replay{Routes: map[string]crawlertest.Reply{
		"/@GobiernoGDL":    html("channel-handle.html"),
		"/@CabildoGDL":     html("channel-handle-data.html"),
		"/@consentimiento": html("watch-consent.html"),
		"/feeds/videos.xml?channel_id=" + channel: xml,
	}})
	a := youtube.New()
	for _, handle := range []string{"@GobiernoGDL", "@CabildoGDL"} {
		acct := &directory.Account{ID: "gdl-yt", Network: archive.YouTube, Handle: handle, Endpoint: srv.URL}
		pages, err := crawlertest.List(a, acct, 0)
		if err != nil {
			t.Fatalf("%s: %v", handle, err)
		}
		crawlertest.CheckPages(t, srv.URL, pages, []crawlertest.Page{{Path: "/feeds/videos.xml?channel_id=" + channel, Posts: 15}})
		if _, err := crawlertest.List(a, acct, 0); err != nil {
			t.Fatal(err)
		}
	}
	srv.CheckRequests(t, []string{
		"/@GobiernoGDL", "/feeds/videos.xml?channel_id=" + channel, "/feeds/videos.xml?channel_id=" + channel,
		"/@CabildoGDL", "/feeds/videos.xml?channel_id=" + channel, "/feeds/videos.xml?channel_id=" + channel,
	})

	for handle, want := range map[string]string{
		"@consentimiento": "find the channel of YouTube handle @consentimiento: " + srv.URL + "/@consentimiento names no channel id",
		"@nadie":          "find the channel of YouTube handle @nadie: ",
	} {
		acct := &directory.Account{ID: "x", Network: archive.YouTube, Handle: handle, Endpoint: srv.URL}
		_, err := crawlertest.List(youtube.New(), acct, 0)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", handle, err, want)
		}
	}
	if got := youtube.HandleURL(&directory.Account{Handle: "@GobiernoGDL"}); got != "https://www.youtube.com/@GobiernoGDL" {
		t.Errorf("handle page %q", got)
	}
}

func TestChannelOfPage(t *testing.T) {
	for file, want := range map[string]string{"channel-handle.html": channel, "channel-handle-data.html": channel, "watch-consent.html": "", "watch-ok.html": ""} {
		if got := youtube.ChannelOfPage(fixtures.ReadFile(t, file)); got != want {
			t.Errorf("%s names channel %q, want %q", file, got, want)
		}
	}
}
