package samplenet

import (
	"net/http"
	"path"
	"strings"
	"text/template"
	"time"
)

// feedRoutes serves each rss account's feed at its path: RSS 2.0, or Atom
// when the path ends in "atom.xml".
func (s *Server) feedRoutes(mux *http.ServeMux) {
	for _, a := range s.sample.accounts {
		if a.spec.Network == "rss" {
			mux.HandleFunc("GET "+a.spec.Profile.Handle, func(w http.ResponseWriter, r *http.Request) { s.serveFeed(w, r, a) })
		}
	}
}

type feedDoc struct {
	Self, Site, Title, Description, Author, Updated string
	Items                                           []feedItem
}

type feedItem struct {
	ID, Title, Link, Published, Updated, HTML, Summary string
	Categories                                         []string
	Enclosure                                          *feedEnclosure
}

type feedEnclosure struct {
	URL, Type string
	Length    int
}

func isAtom(a *account) bool { return strings.HasSuffix(a.spec.Profile.Handle, "atom.xml") }

// serveFeed writes an account's feed. Its links, ids and enclosures name
// the account's public site, whatever address served the feed, so that
// every run serves the same guids; the server answers the enclosures'
// paths (/media/FILE) too.
func (s *Server) serveFeed(w http.ResponseWriter, _ *http.Request, a *account) {
	if failing(w, a) {
		return
	}
	base := a.spec.Profile.Site
	atom := isAtom(a)
	dir := path.Dir(a.spec.Profile.Handle)
	doc := feedDoc{
		Self: base + a.spec.Profile.Handle, Site: base + dir + "/",
		Title: a.spec.Profile.Name, Description: a.spec.Profile.Bio, Author: a.spec.Profile.Name,
	}
	if a.spec.Servant != nil {
		doc.Author = a.spec.Servant.Name
	} else {
		doc.Author = a.spec.Area
	}
	format := func(t time.Time) string { return t.Format(time.RFC1123Z) }
	if atom {
		format = func(t time.Time) string { return t.Format(time.RFC3339) }
	}
	var newest time.Time
	for _, p := range a.listed() {
		updated := p.at
		if !p.edited.IsZero() {
			updated = p.edited
		}
		if updated.After(newest) {
			newest = updated
		}
		body := p.html
		if body == "" {
			body = paragraphsHTML(p.text)
		}
		it := feedItem{
			Title: p.title, Published: format(p.at), Updated: format(updated),
			HTML: body, Summary: firstLine(p.text), Categories: p.category,
		}
		if atom {
			it.Link = base + dir + p.at.Format("/2006/01/") + p.key + "/"
			it.ID = "tag:" + a.spec.ID + ".samplenet.example," + p.at.Format("2006-01-02") + ":" + p.key
		} else {
			it.Link = base + dir + p.at.Format("/2006/01/") + p.key + ".html"
			it.ID = it.Link
		}
		if e := p.enclosure; e != nil {
			it.Enclosure = &feedEnclosure{URL: base + "/media/" + e.File, Type: mediaType(*e), Length: len(s.media[e.File].bytes())}
		}
		doc.Items = append(doc.Items, it)
	}
	doc.Updated = format(newest)
	tmpl, ctype := rssTemplate, "application/rss+xml; charset=utf-8"
	if atom {
		tmpl, ctype = atomTemplate, "application/atom+xml; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	if err := tmpl.Execute(w, doc); err != nil {
		http.Error(w, "render feed: "+err.Error(), http.StatusInternalServerError)
	}
}

// paragraphsHTML renders plain text as HTML paragraphs.
func paragraphsHTML(text string) string {
	var b strings.Builder
	for _, lines := range paragraphs(text) {
		b.WriteString("<p>")
		for i, l := range lines {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(escape(l))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

var rssTemplate = template.Must(template.New("rss").Funcs(xmlFuncs).Parse(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{{x .Title}}</title>
    <link>{{x .Site}}</link>
    <description>{{x .Description}}</description>
    <language>es-MX</language>
    <lastBuildDate>{{.Updated}}</lastBuildDate>
    <atom:link href="{{x .Self}}" rel="self" type="application/rss+xml"/>
{{- range .Items}}
    <item>
      <title>{{x .Title}}</title>
      <link>{{x .Link}}</link>
      <guid isPermaLink="true">{{x .ID}}</guid>
      <pubDate>{{.Published}}</pubDate>
      <dc:creator>{{x $.Author}}</dc:creator>
{{- range .Categories}}
      <category>{{x .}}</category>
{{- end}}
      <description>{{x .HTML}}</description>
{{- with .Enclosure}}
      <enclosure url="{{x .URL}}" length="{{.Length}}" type="{{x .Type}}"/>
{{- end}}
    </item>
{{- end}}
  </channel>
</rss>
`))

var atomTemplate = template.Must(template.New("atom").Funcs(xmlFuncs).Parse(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es-MX">
  <title>{{x .Title}}</title>
  <subtitle>{{x .Description}}</subtitle>
  <link href="{{x .Self}}" rel="self" type="application/atom+xml"/>
  <link href="{{x .Site}}" rel="alternate" type="text/html"/>
  <id>{{x .Site}}</id>
  <updated>{{.Updated}}</updated>
  <author>
    <name>{{x .Author}}</name>
  </author>
{{- range .Items}}
  <entry>
    <title>{{x .Title}}</title>
    <link href="{{x .Link}}" rel="alternate" type="text/html" title="{{x .Title}}"/>
    <published>{{.Published}}</published>
    <updated>{{.Updated}}</updated>
    <id>{{x .ID}}</id>
{{- range .Categories}}
    <category term="{{x .}}"/>
{{- end}}
{{- if .Summary}}
    <summary>{{x .Summary}}</summary>
{{- end}}
    <content type="html" xml:base="{{x .Link}}">{{x .HTML}}</content>
  </entry>
{{- end}}
</feed>
`))
