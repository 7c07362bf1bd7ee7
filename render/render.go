package render

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/spanish"
)

//go:embed post.html.tmpl
var templateText string

// CSS styles the classes of a rendering: Page inlines it; the web
// application serves it from its own origin for Fragment.
//
//go:embed capture.css
var CSS string

var tmpl = template.Must(template.New("render").Funcs(template.FuncMap{
	"css": func() template.CSS { return template.CSS(CSS) },
}).Parse(templateText))

// ImageMode says how a rendering refers to the images the crawler kept as
// evidence (the media with a WARC record).
type ImageMode int

// The ways of referring to a kept image.
const (
	// NoImages shows none: each image is named, with its description and
	// Options.ImageNote.
	NoImages ImageMode = iota
	// OriginalURLs refers to each by the URL the crawler fetched it from
	// (FetchedURL), which a WACZ replay resolves from the captured media.
	OriginalURLs
	// ImagePaths refers to each by what Options.ImageSrc returns: a path
	// relative to the page (a file of the package) or to the site ("/…").
	ImagePaths
)

// Image is a kept image as Options.ImageSrc is asked for it.
type Image struct {
	Shared bool // an image of the post carried (Post.Shared.Media)
	Index  int  // its index in Post.Media, or in Post.Shared.Media
	Media  archive.Media
}

// Options tune a rendering.
type Options struct {
	// Location is the time zone of the dates shown (the office's, vigia's
	// --timezone); default UTC.
	Location *time.Location
	Images   ImageMode
	// ImageSrc gives the source of a kept image under ImagePaths; "" leaves
	// it out. Only paths are accepted (relative ones of plain names, or
	// "/…" of the same site): anything else is not shown.
	ImageSrc func(Image) string
	// ImageNote replaces a kept image that is not shown; default "copia
	// conservada en la evidencia WARC; no se muestra aquí".
	ImageNote string
	// AuthorName is the account's name, when the caller knows it (the
	// directory's): a post holds only the handle.
	AuthorName string
	// RawURL, when set, links the raw capture from the footer.
	RawURL string
	// Withheld says the view withholds its media whether or not the crawl
	// kept them (the public role's, whose media carry no record of the
	// evidence): each one gets ImageNote.
	Withheld bool
	// Card renders the post as a result of a list: without the footer of
	// its capture and the original address under each image, which the
	// post's own page shows.
	Card bool
}

// maxText is the longest text rendered whole: beyond it the rendering
// shows the first maxText bytes and says how much was left out (the raw
// capture holds it all).
const maxText = 1 << 20

// Page renders p as a standalone HTML document: inline CSS, no scripts, no
// fonts or styles from elsewhere; a Content-Security-Policy that forbids
// scripts, objects and frames whatever the page holds.
func Page(p *archive.Post, o Options) ([]byte, error) {
	if p == nil {
		return nil, errors.New("render: no post")
	}
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "page", build(p, o)); err != nil {
		return nil, fmt.Errorf("render post %s: %w", p.PostID, err)
	}
	return b.Bytes(), nil
}

// Fragment renders p as an element for a page of the web application,
// which styles it with CSS (the classes of capture.css, render.CSS).
func Fragment(p *archive.Post, o Options) (template.HTML, error) {
	if p == nil {
		return "", errors.New("render: no post")
	}
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "post", build(p, o)); err != nil {
		return "", fmt.Errorf("render post %s: %w", p.PostID, err)
	}
	return template.HTML(b.String()), nil
}

// FetchedURL is the URL the crawler fetched m from as evidence (an image's
// URL, or its preview; a video's poster), or "" when it kept no copy.
func FetchedURL(m archive.Media) string {
	if m.WARCRecordID == "" {
		return ""
	}
	switch m.Kind {
	case "image":
		if m.URL != "" {
			return m.URL
		}
	}
	return m.PreviewURL
}

// view is what the template shows of a post.
type view struct {
	Title      string
	Network    string
	Author     string
	AuthorName string
	URL        string // "" when not an http(s) URL
	RawURLText string
	Published  stamp
	Edited     string
	ReplyTo    link
	RepostOf   link
	Lang       string
	Text       []segment
	Cut        int // bytes of the text left out
	Forward    bool
	Media      []mediaView
	Cards      []card
	Shared     *sharedView
	Metrics    string
	Footer     footer
	Card       bool
}

type stamp struct {
	Text string
	ISO  string
}

type link struct {
	Text string
	URL  string
}

type mediaView struct {
	Kind string // in Spanish
	Alt  string
	Src  string
	Link link
	Note string
	// Poster says Src is the still of a video (its poster), not the
	// medium itself.
	Poster bool
}

type card struct {
	Title string
	Link  link
	Host  string
	Src   string
}

type sharedView struct {
	Kind       string // repost, quote, forward
	Heading    string
	Author     string
	AuthorName string
	Published  stamp
	Link       link
	Text       []segment
	Cut        int
	Media      []mediaView
	Cards      []card
	Forward    bool
}

type footer struct {
	// Imported says, when the version was read from its holder's data
	// export, where from ("Importado de la exportación del titular,
	// entregada el …"); "" for a capture.
	Imported string
	By       string
	Captured stamp
	Source   link
	Version  int
	SHA256   string
	WARC     string
	RawURL   string
}

func build(p *archive.Post, o Options) *view {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.ImageNote == "" {
		o.ImageNote = "copia conservada en la evidencia WARC; no se muestra aquí"
	}
	v := &view{
		Network:    spanish.Network(p.Network),
		Author:     p.Author,
		AuthorName: o.AuthorName,
		URL:        safeURL(p.URL),
		Published:  o.stamp(p.PublishedAt),
		ReplyTo:    linkTo(p.ReplyTo),
		Lang:       lang(p.Language),
		Metrics:    metrics(p.Metrics),
		Card:       o.Card,
	}
	switch {
	case !p.EditedAt.IsZero():
		v.Edited = "editada el " + o.stamp(p.EditedAt).Text
	case p.Edited:
		v.Edited = "editada (la red no dice cuándo)"
	}
	who := p.Author
	if who == "" {
		who = o.AuthorName
	}
	v.Title = "Publicación de " + oneLine(who) + " en " + v.Network
	if !p.PublishedAt.IsZero() {
		v.Title += ", " + o.stamp(p.PublishedAt).Text
	}
	text, cut := clip(p.Text)
	v.Media, v.Cards = o.media(p.Media, false)
	if s := p.Shared; s != nil {
		sv := &sharedView{Kind: string(s.Kind), Author: s.Author, AuthorName: s.AuthorName,
			Published: o.stamp(s.PublishedAt), Link: linkTo(s.URL)}
		sv.Text, sv.Cut = clip(s.Text)
		sv.Media, sv.Cards = o.media(s.Media, true)
		switch s.Kind {
		case archive.Repost:
			sv.Heading = "Compartió una publicación de otra cuenta"
		case archive.Quote:
			sv.Heading = "Cita una publicación de otra cuenta"
		case archive.Forward:
			// A forward's text is the origin's words, published by the
			// channel: it is shown inside the block, with the post's media.
			sv.Heading = "Reenvió un mensaje de otro origen"
			sv.Forward = true
			sv.Text, sv.Cut = text, cut
			text, cut = nil, 0
			sv.Media, sv.Cards = append(sv.Media, v.Media...), append(sv.Cards, v.Cards...)
			v.Media, v.Cards = nil, nil
		default:
			sv.Heading = "Lleva una publicación de otra cuenta"
		}
		v.Shared = sv
	} else if p.RepostOf != "" {
		v.RepostOf = linkTo(p.RepostOf)
	}
	v.Text, v.Cut = text, cut
	by := "vigia"
	if p.CrawlerVersion != "" {
		by = p.CrawlerVersion
	}
	v.Footer = footer{By: by, Captured: o.stamp(p.CapturedAt), Source: linkTo(p.SourceURL), Version: p.Version,
		SHA256: p.ContentSHA256, RawURL: o.rawURL()}
	if p.WARC.RecordID != "" {
		v.Footer.WARC = p.WARC.File + " @ " + strconv.FormatInt(p.WARC.Offset, 10)
	}
	if p.Imported() {
		prov := p.Provenance()
		v.Footer.Imported = strings.ToUpper(prov[:1]) + prov[1:]
		v.Footer.Source = link{}
	}
	return v
}

func (o Options) rawURL() string {
	if o.RawURL == "" {
		return ""
	}
	if u := safeURL(o.RawURL); u != "" {
		return u
	}
	return safeLocal(o.RawURL)
}

// media splits media into what is shown as media and the link cards.
func (o Options) media(list []archive.Media, shared bool) ([]mediaView, []card) {
	var out []mediaView
	var cards []card
	for i, m := range list {
		src := ""
		if m.WARCRecordID != "" {
			switch o.Images {
			case OriginalURLs:
				src = safeURL(FetchedURL(m))
			case ImagePaths:
				if o.ImageSrc != nil {
					src = safeLocal(o.ImageSrc(Image{Shared: shared, Index: i, Media: m}))
				}
			}
		}
		if m.Kind == "link" {
			c := card{Title: m.Alt, Link: linkTo(m.URL), Src: src}
			if u := c.Link.URL; u != "" {
				c.Host = hostOf(u)
			}
			cards = append(cards, c)
			continue
		}
		mv := mediaView{Kind: spanish.Media(m.Kind), Alt: m.Alt, Src: src, Link: linkTo(m.URL), Poster: src != "" && m.Kind != "image"}
		if o.Card {
			mv.Link = link{}
		}
		switch {
		case src != "":
		case m.WARCRecordID != "" || o.Withheld:
			mv.Note = o.ImageNote
		case m.Kind == "image":
			mv.Note = "vigia no conservó una copia"
		}
		out = append(out, mv)
	}
	return out, cards
}

func (o Options) stamp(t time.Time) stamp {
	if t.IsZero() {
		return stamp{}
	}
	t = t.In(o.Location)
	return stamp{
		Text: spanish.DateTime(t, o.Location) + " " + zoneName(t),
		ISO:  t.Format(time.RFC3339),
	}
}

// zoneName is the zone's abbreviation, or its offset where the zone has no
// letters for it.
func zoneName(t time.Time) string {
	name := t.Format("MST")
	if name == "" || name[0] == '+' || name[0] == '-' {
		return "UTC" + t.Format("-07:00")
	}
	return name
}

var metricNames = []struct{ key, one, many string }{
	{"replies", "respuesta", "respuestas"},
	{"reposts", "vez compartida", "veces compartida"},
	{"quotes", "cita", "citas"},
	{"likes", "me gusta", "me gusta"},
	{"views", "vista", "vistas"},
}

func metrics(m archive.Metrics) string {
	var parts []string
	for _, n := range metricNames {
		v, ok := m[n.key]
		if !ok {
			continue
		}
		word := n.many
		if v == 1 {
			word = n.one
		}
		parts = append(parts, strconv.FormatInt(v, 10)+" "+word)
	}
	return strings.Join(parts, " · ")
}

func linkTo(s string) link { return link{Text: s, URL: safeURL(s)} }

func hostOf(u string) string {
	rest := u[strings.Index(u, "//")+2:]
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

var langRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

func lang(s string) string {
	if langRE.MatchString(s) {
		return s
	}
	return ""
}

// clip cuts a text longer than maxText at a rune boundary and linkifies
// what is kept.
func clip(s string) ([]segment, int) {
	if s == "" {
		return nil, 0
	}
	cut := 0
	if len(s) > maxText {
		n := maxText
		for n > 0 && !isRuneStart(s[n]) {
			n--
		}
		cut, s = len(s)-n, s[:n]
	}
	return linkify(s), cut
}

func isRuneStart(c byte) bool { return c&0xc0 != 0x80 }

// oneLine is s for a title: control and format characters dropped, at
// most 120 bytes.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || isSpaceOrFormat(r) && r != ' ' {
			return -1
		}
		return r
	}, s)
	if len(s) > 120 {
		n := 120
		for n > 0 && !isRuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return s
}

// safeLocal accepts a path of the package (safeRelative) or of the site:
// one leading '/' then such a path.
func safeLocal(p string) string {
	if strings.HasPrefix(p, "/") {
		if safeRelative(p[1:]) != "" {
			return p
		}
		return ""
	}
	return safeRelative(p)
}
