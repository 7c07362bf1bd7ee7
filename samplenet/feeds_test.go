package samplenet

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// What the tests read of each feed, with the real namespaces.

type ytFeedXML struct {
	XMLName   xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string   `xml:"id"`
	ChannelID string   `xml:"http://www.youtube.com/xml/schemas/2015 channelId"`
	Entries   []struct {
		VideoID   string `xml:"http://www.youtube.com/xml/schemas/2015 videoId"`
		ChannelID string `xml:"http://www.youtube.com/xml/schemas/2015 channelId"`
		Title     string `xml:"title"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Published string `xml:"published"`
		Group     struct {
			Description string `xml:"http://search.yahoo.com/mrss/ description"`
			Thumbnail   struct {
				URL string `xml:"url,attr"`
			} `xml:"http://search.yahoo.com/mrss/ thumbnail"`
			Community struct {
				Rating struct {
					Count int64 `xml:"count,attr"`
				} `xml:"http://search.yahoo.com/mrss/ starRating"`
				Stats struct {
					Views int64 `xml:"views,attr"`
				} `xml:"http://search.yahoo.com/mrss/ statistics"`
			} `xml:"http://search.yahoo.com/mrss/ community"`
		} `xml:"http://search.yahoo.com/mrss/ group"`
	} `xml:"entry"`
}

type rssXML struct {
	Channel struct {
		Items []struct {
			Title       string   `xml:"title"`
			Link        string   `xml:"link"`
			GUID        string   `xml:"guid"`
			PubDate     string   `xml:"pubDate"`
			Description string   `xml:"description"`
			Categories  []string `xml:"category"`
			Enclosure   *struct {
				URL    string `xml:"url,attr"`
				Length int    `xml:"length,attr"`
				Type   string `xml:"type,attr"`
			} `xml:"enclosure"`
		} `xml:"item"`
	} `xml:"channel"`
}

type atomXML struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Content   struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func decodeXML(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := xml.Unmarshal(body, v); err != nil {
		t.Fatalf("decode XML: %v\n%.300s", err, body)
	}
}

func TestYouTubeFeed(t *testing.T) {
	s, ts := newTestServer(t)
	r := getOK(t, ts.URL+"/feeds/videos.xml?channel_id=UCgdlCabildoSesiones2026")
	var feed ytFeedXML
	decodeXML(t, r.body, &feed)
	if feed.ChannelID != "gdlCabildoSesiones2026" || feed.ID != "yt:channel:gdlCabildoSesiones2026" {
		t.Errorf("feed channel id %q, id %q: want them without UC, as YouTube does", feed.ChannelID, feed.ID)
	}
	if got, want := len(feed.Entries), s.Counts()["cabildo-gdl"]; got != want {
		t.Fatalf("%d entries, want %d", got, want)
	}
	videoID := regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	for _, e := range feed.Entries {
		if !videoID.MatchString(e.VideoID) || e.ChannelID != "UCgdlCabildoSesiones2026" || e.Link.Href != "https://www.youtube.com/watch?v="+e.VideoID {
			t.Errorf("entry %q: video %q, channel %q, link %q", e.Title, e.VideoID, e.ChannelID, e.Link.Href)
		}
	}
	newest := feed.Entries[0]
	if newest.Title != `Sesión Ordinaria No. 40 | "Ley de Ingresos 2027" y presupuesto participativo` ||
		newest.Group.Community.Stats.Views != 1975 || newest.Group.Community.Rating.Count != 29 ||
		newest.Published != "2026-10-29T17:00:00+00:00" {
		t.Errorf("newest entry = %+v", newest)
	}
	if e := feed.Entries[2]; e.Title != "Sesión Ordinaria No. 37 | Obras & Servicios Públicos <informe semestral>" {
		t.Errorf("title %q: special characters not escaped and decoded", e.Title)
	}
	if !strings.Contains(feed.Entries[5].Group.Description, "quórum.\n2. Aprobación") {
		t.Errorf("description %q: want its line breaks", feed.Entries[5].Group.Description)
	}
	if newest.Group.Thumbnail.URL != "https://i1.ytimg.com/vi/"+newest.VideoID+"/hqdefault.jpg" {
		t.Errorf("thumbnail %s", newest.Group.Thumbnail.URL)
	}
	if thumb := getOK(t, onServer(t, ts, newest.Group.Thumbnail.URL)); thumb.header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("thumbnail is %s", thumb.header.Get("Content-Type"))
	}
	var other ytFeedXML
	decodeXML(t, getOK(t, ts.URL+"/feeds/videos.xml?channel_id=UCluciaOrozcoNava_canal1").body, &other)
	if len(other.Entries) != 5 {
		t.Errorf("regidora: %d entries, want 5", len(other.Entries))
	}
	if r := get(t, ts.URL+"/feeds/videos.xml?channel_id=UCxxxxxxxxxxxxxxxxxxxxxx"); r.status != http.StatusNotFound {
		t.Errorf("unknown channel: %d, want 404", r.status)
	}
}

func TestRSSFeed(t *testing.T) {
	_, ts := newTestServer(t)
	r := getOK(t, ts.URL+"/boletin/rss.xml")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") {
		t.Errorf("Content-Type %q", ct)
	}
	var feed rssXML
	decodeXML(t, r.body, &feed)
	items := feed.Channel.Items
	if len(items) != 6 {
		t.Fatalf("%d items, want 6", len(items))
	}
	first := items[len(items)-1]
	if !strings.HasPrefix(first.Description, "<p>El Gobierno de Guadalajara puso en marcha el <strong>Programa") ||
		first.GUID != first.Link || first.Link != "https://guadalajara.example/boletin/2026/06/inicia-bacheo-2026.html" ||
		first.PubDate != "Wed, 03 Jun 2026 12:00:00 -0600" || len(first.Categories) != 2 {
		t.Errorf("first item = %+v", first)
	}
	if _, err := time.Parse(time.RFC1123Z, first.PubDate); err != nil {
		t.Error(err)
	}
	if got := items[1].Description; !strings.Contains(got, "Oblatos &amp; su entorno") {
		t.Errorf("description %q: want the HTML entity kept", got)
	}
	var enclosures int
	for _, it := range items {
		e := it.Enclosure
		if e == nil {
			continue
		}
		enclosures++
		if !strings.HasPrefix(e.URL, "https://guadalajara.example/media/") {
			t.Errorf("enclosure %s: want it on the bulletin's site", e.URL)
		}
		doc := getOK(t, onServer(t, ts, e.URL))
		if e.Type != "application/pdf" || e.Length != len(doc.body) || !bytes.HasPrefix(doc.body, []byte("%PDF-")) {
			t.Errorf("enclosure %+v: got %d bytes of %s", e, len(doc.body), doc.header.Get("Content-Type"))
		}
	}
	if enclosures != 2 {
		t.Errorf("%d enclosures, want 2", enclosures)
	}
}

func TestAtomFeed(t *testing.T) {
	_, ts := newTestServer(t)
	var feed atomXML
	decodeXML(t, getOK(t, ts.URL+"/blog-cultura/atom.xml").body, &feed)
	if len(feed.Entries) != 7 {
		t.Fatalf("%d entries, want 7", len(feed.Entries))
	}
	termEnd := time.Date(2026, 7, 1, 0, 0, 0, 0, time.FixedZone("CST", -6*3600))
	var after int
	for _, e := range feed.Entries {
		pub, err := time.Parse(time.RFC3339, e.Published)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Before(termEnd) {
			after++
		}
		if e.Content.Type != "html" || !strings.HasPrefix(e.Content.Body, "<p>") || !strings.HasPrefix(e.ID, "tag:") {
			t.Errorf("entry %q: content %q, id %q", e.Title, e.Content.Type, e.ID)
		}
	}
	if after != 4 {
		t.Errorf("%d entries after the term ended, want 4", after)
	}
	if e := feed.Entries[1]; e.Updated != "2026-10-05T09:30:00-06:00" || e.Published != "2026-10-04T10:00:00-06:00" {
		t.Errorf("edited entry: published %s, updated %s", e.Published, e.Updated)
	}
}
