package samplenet

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// telegramPageSize is how many messages a t.me/s page of the sample holds
// (t.me shows about 20), so that sample channels take two pages.
const telegramPageSize = 8

func (s *Server) telegramRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /s/{channel}", s.telegramPreview)
	mux.HandleFunc("GET /{channel}", s.telegramContact)
	// t.me/NAME/ID would conflict with the media prefixes as a pattern;
	// the server's fallback handler routes it to telegramSingle.
}

// tgPage is what the channel preview template shows.
type tgPage struct {
	Channel, Title, Bio, Photo, ChannelURL, Canonical string
	Before                                            string // data-before of the "more" link, when older messages exist
	Subscribers                                       string
	Messages                                          []tgMessage
}

type tgMessage struct {
	DataPost, DataView, URL, Clock, Views string
	// Datetime is the whole attribute, so that "+00:00" is written as t.me
	// writes it rather than as html/template's &#43;.
	Datetime                                 template.HTMLAttr
	Initial, ChannelURL, ChannelTitle, Photo string
	Edited                                   bool
	Forward                                  *tgForward
	Photos                                   []tgPhoto
	Text                                     template.HTML
}

type tgForward struct{ Name, URL string }

type tgPhoto struct {
	Class, Href string
	Style       template.HTMLAttr // style="…url('…')", quoted as t.me quotes it
}

func (s *Server) telegramPreview(w http.ResponseWriter, r *http.Request) {
	channel := r.PathValue("channel")
	a := s.sample.account("telegram", channel)
	if a == nil {
		// t.me sends channels without a public preview to their contact page.
		http.Redirect(w, r, "/"+channel, http.StatusFound)
		return
	}
	if failing(w, a) {
		return
	}
	// posts is newest first; a page shows up to telegramPageSize messages
	// below ?before=, oldest first. Deleted messages leave gaps.
	posts := a.listed()
	from := 0
	canonical := "/s/" + a.spec.Profile.Handle
	if v, err := strconv.Atoi(r.URL.Query().Get("before")); err == nil {
		canonical += "?before=" + strconv.Itoa(v)
		for from < len(posts) && tgNumber(posts[from]) >= v {
			from++
		}
	}
	to := min(from+telegramPageSize, len(posts))
	page := s.telegramHeader(a)
	page.Canonical = canonical
	for i := to - 1; i >= from; i-- {
		page.Messages = append(page.Messages, s.telegramMessage(posts[i]))
	}
	if to < len(posts) && to > from {
		page.Before = posts[to-1].id
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := tgPreviewTemplate.Execute(w, page); err != nil {
		http.Error(w, "render page: "+err.Error(), http.StatusInternalServerError)
	}
}

// telegramContact is t.me/NAME: a contact card, for channels and for names
// that are nobody's.
func (s *Server) telegramContact(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.PathValue("channel"), "@") { // youtube.com/@handle shares the path's shape
		s.youtubeHandlePage(w, r)
		return
	}
	page := tgPage{Channel: r.PathValue("channel"), Title: r.PathValue("channel")}
	if a := s.sample.account("telegram", page.Channel); a != nil {
		if failing(w, a) {
			return
		}
		page = s.telegramHeader(a)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := tgContactTemplate.Execute(w, page); err != nil {
		http.Error(w, "render page: "+err.Error(), http.StatusInternalServerError)
	}
}

// telegramSingle is t.me/NAME/ID (?embed=1): one message. It reports
// whether NAME is a sample channel.
func (s *Server) telegramSingle(w http.ResponseWriter, r *http.Request, channel, id string) bool {
	a := s.sample.account("telegram", channel)
	if a == nil {
		return false
	}
	if failing(w, a) {
		return true
	}
	page := s.telegramHeader(a)
	for _, p := range a.listed() {
		if p.id == id {
			page.Messages = []tgMessage{s.telegramMessage(p)}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := tgSingleTemplate.Execute(w, page); err != nil {
		http.Error(w, "render page: "+err.Error(), http.StatusInternalServerError)
	}
	return true
}

func tgNumber(p *post) int {
	n, _ := strconv.Atoi(p.id)
	return n
}

// Pages name t.me for channels and messages and the CDN for files, as the
// real previews do, whatever address served them; only the links between
// pages (?before=, rel="prev") are relative, so that they lead back here.
const (
	telegramWeb = "https://t.me"
	telegramCDN = "https://cdn4.telegram-cdn.org"
)

// telegramFile is the CDN URL of a file; the server answers its path too.
// Unlike the real CDN's, the name carries no expiring token.
func telegramFile(name string) string { return telegramCDN + "/file/" + name }

func (s *Server) telegramHeader(a *account) tgPage {
	h := a.spec.Profile.Handle
	return tgPage{
		Channel: h, Title: a.spec.Profile.Name, Bio: a.spec.Profile.Bio,
		Photo: telegramFile(h + ".jpg"), ChannelURL: telegramWeb + "/" + h,
		Subscribers: telegramCount(a.spec.Profile.Followers),
	}
}

func (s *Server) telegramMessage(p *post) tgMessage {
	h := p.acct.spec.Profile.Handle
	src := p
	m := tgMessage{
		DataPost: h + "/" + p.id, URL: telegramWeb + "/" + h + "/" + p.id,
		Datetime: template.HTMLAttr(`datetime="` + p.at.UTC().Format("2006-01-02T15:04:05+00:00") + `"`), Clock: p.at.UTC().Format("15:04"),
		Views: telegramCount(p.views), Edited: !p.edited.IsZero(),
		DataView: telegramView(p), ChannelURL: telegramWeb + "/" + h, ChannelTitle: p.acct.spec.Profile.Name,
		Photo: telegramFile(h + ".jpg"),
	}
	m.Initial = firstRune(p.acct.spec.Profile.Name)
	if f := p.repost; f != nil {
		// A forward copies the message; the block names where it came from.
		fh := f.acct.spec.Profile.Handle
		m.Forward = &tgForward{Name: f.acct.spec.Profile.Name, URL: telegramWeb + "/" + fh + "/" + f.id}
		src = f
	}
	for i, ph := range src.media {
		m.Photos = append(m.Photos, tgPhoto{
			Class: fmt.Sprintf("%d %d_%d", seed(ph.File)>>2, seed(h)%2000000000, 456239000+i),
			Href:  m.URL,
			Style: template.HTMLAttr(`style="width:800px;background-image:url('` + escape(telegramFile(ph.File)) + `')"`),
		})
	}
	text := p.text
	if src != p {
		text = src.textAt(p.at) // a forward copies the text as it was then
	}
	m.Text = telegramText(text)
	return m
}

func firstRune(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	return string(r)
}

// telegramView builds the data-view attribute: base64 of a small JSON object.
func telegramView(p *post) string {
	v := struct {
		C int64  `json:"c"`
		P int    `json:"p"`
		T int64  `json:"t"`
		H string `json:"h"`
	}{-int64(seed(p.acct.spec.ID) % 2000000000), tgNumber(p), p.at.Unix() + 86400, fmt.Sprintf("%x", sha256.Sum256([]byte(p.acct.spec.ID+"/"+p.id)))[:18]}
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// telegramCount formats a counter as t.me does: "842", "1.23K", "33.4K".
func telegramCount(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10)
	case n < 1000000:
		return trimCount(float64(n)/1000) + "K"
	}
	return trimCount(float64(n)/1000000) + "M"
}

func trimCount(f float64) string {
	prec := 2
	if f >= 100 {
		prec = 0
	} else if f >= 10 {
		prec = 1
	}
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// telegramText renders plain text as a t.me message body: <br/> between
// lines, links with their confirm handler, hashtags as searches and emoji
// wrapped in their image.
func telegramText(text string) template.HTML {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if i > 0 {
			b.WriteString("<br/>")
		}
		for _, seg := range segments(line) {
			switch seg.kind {
			case segLink:
				b.WriteString(`<a href="` + escape(seg.value) + `" target="_blank" rel="noopener" onclick="return confirm('Open this link?\n\n'+this.href);">` + escape(seg.text) + `</a>`)
			case segTag:
				b.WriteString(`<a href="?q=%23` + escape(seg.value) + `">` + escape(seg.text) + `</a>`)
			default:
				b.WriteString(telegramEmoji(escape(seg.text)))
			}
		}
	}
	return template.HTML(b.String())
}

func telegramEmoji(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !(r >= 0x1F000 || (r >= 0x2600 && r <= 0x27BF)) {
			b.WriteRune(r)
			continue
		}
		e := string(r)
		if i+1 < len(rs) && rs[i+1] == 0xFE0F {
			e += string(rs[i+1])
			i++
		}
		fmt.Fprintf(&b, `<i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/%X.png')"><b>%s</b></i>`, []byte(e), e)
	}
	return b.String()
}
