package samplenet

import (
	htmltemplate "html/template"
	"net/http"
	"strings"
	"text/template"
	"time"
)

func (s *Server) youtubeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /feeds/videos.xml", s.youtubeFeed)
}

// The feed names youtube.com and the thumbnail host, as the real one does,
// whatever address served it. The server answers the thumbnails' paths
// (/vi/ID/hqdefault.jpg) too.
const (
	youtubeWeb    = "https://www.youtube.com"
	youtubeThumbs = "https://i1.ytimg.com"
)

type ytFeed struct {
	Web, Thumbs, ChannelID, Title, Published string
	Entries                                  []ytEntry
}

type ytEntry struct {
	ID, Title, Description, Published, Updated string
	Views, Likes                               int64
}

// youtubeHandlePage is youtube.com/@HANDLE, a channel's page by its handle,
// abridged to what names the channel id: its canonical link, og:url,
// itemprop identifier and initial data's externalId. A sample channel's
// handle is its account's id (@cabildo-gdl).
func (s *Server) youtubeHandlePage(w http.ResponseWriter, r *http.Request) {
	handle := strings.TrimPrefix(r.PathValue("channel"), "@")
	var a *account
	for _, c := range s.sample.accounts {
		if c.spec.Network == "youtube" && strings.EqualFold(c.spec.ID, handle) {
			a = c
		}
	}
	if a == nil {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := ytHandleTemplate.Execute(w, map[string]string{"Web": youtubeWeb, "ID": a.spec.Profile.Handle, "Title": a.spec.Profile.Name, "Handle": a.spec.ID}); err != nil {
		http.Error(w, "render page: "+err.Error(), http.StatusInternalServerError)
	}
}

var ytHandleTemplate = htmltemplate.Must(htmltemplate.New("channel").Parse(`<!DOCTYPE html><html lang="es-419"><head><title>{{.Title}} - YouTube</title>` +
	`<link rel="canonical" href="{{.Web}}/channel/{{.ID}}"><meta property="og:url" content="{{.Web}}/channel/{{.ID}}">` +
	`<meta itemprop="identifier" content="{{.ID}}"></head><body><script>var ytInitialData = {"metadata":{"channelMetadataRenderer":` +
	`{"externalId":"{{.ID}}","vanityChannelUrl":"http://www.youtube.com/@{{.Handle}}"}}};</script></body></html>`))

func (s *Server) youtubeFeed(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("channel_id")
	if id == "" {
		http.Error(w, "Bad Request", http.StatusBadRequest)
		return
	}
	a := s.sample.account("youtube", id)
	if a == nil || a.spec.Profile.Handle != id {
		// YouTube's feed answers unknown channels (and, at times, known
		// ones) with 404.
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	if failing(w, a) {
		return
	}
	posts := a.listed()
	feed := ytFeed{Web: youtubeWeb, Thumbs: youtubeThumbs, ChannelID: id, Title: a.spec.Profile.Name, Published: atomTime(a.since)}
	// The feed holds the latest 15 uploads.
	for _, p := range posts[:min(15, len(posts))] {
		updated := p.edited
		if updated.IsZero() {
			updated = p.at.Add(time.Duration(seed(p.id)%7200) * time.Second)
		}
		feed.Entries = append(feed.Entries, ytEntry{
			ID: p.id, Title: p.title, Description: p.text,
			Published: atomTime(p.at), Updated: atomTime(updated),
			Views: p.views, Likes: p.likes,
		})
	}
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	if err := ytTemplate.Execute(w, feed); err != nil {
		http.Error(w, "render feed: "+err.Error(), http.StatusInternalServerError)
	}
}

// atomTime formats a time as YouTube's feed does: UTC with +00:00.
func atomTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// xmlEscaper escapes text and attribute values for XML the way feeds
// usually do: the five special characters, line breaks kept.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// xmlFuncs are the template functions of the feeds.
var xmlFuncs = template.FuncMap{
	"x":      xmlEscaper.Replace,
	"trimUC": func(s string) string { return s[2:] },
}

// ytTemplate is the channel feed; like the real one, the feed-level
// yt:channelId and id lack the "UC" prefix that entries carry.
var ytTemplate = template.Must(template.New("youtube").Funcs(xmlFuncs).Parse(`<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="{{x .Web}}/feeds/videos.xml?channel_id={{x .ChannelID}}"/>
 <id>yt:channel:{{x (trimUC .ChannelID)}}</id>
 <yt:channelId>{{x (trimUC .ChannelID)}}</yt:channelId>
 <title>{{x .Title}}</title>
 <link rel="alternate" href="{{x .Web}}/channel/{{x .ChannelID}}"/>
 <author>
  <name>{{x .Title}}</name>
  <uri>{{x .Web}}/channel/{{x .ChannelID}}</uri>
 </author>
 <published>{{.Published}}</published>
{{- range .Entries}}
 <entry>
  <id>yt:video:{{x .ID}}</id>
  <yt:videoId>{{x .ID}}</yt:videoId>
  <yt:channelId>{{x $.ChannelID}}</yt:channelId>
  <title>{{x .Title}}</title>
  <link rel="alternate" href="{{x $.Web}}/watch?v={{x .ID}}"/>
  <author>
   <name>{{x $.Title}}</name>
   <uri>{{x $.Web}}/channel/{{x $.ChannelID}}</uri>
  </author>
  <published>{{.Published}}</published>
  <updated>{{.Updated}}</updated>
  <media:group>
   <media:title>{{x .Title}}</media:title>
   <media:content url="{{x $.Web}}/v/{{x .ID}}?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="{{x $.Thumbs}}/vi/{{x .ID}}/hqdefault.jpg" width="480" height="360"/>
   <media:description>{{x .Description}}</media:description>
   <media:community>
    <media:starRating count="{{.Likes}}" average="5.00" min="1" max="5"/>
    <media:statistics views="{{.Views}}"/>
   </media:community>
  </media:group>
 </entry>
{{- end}}
</feed>
`))
