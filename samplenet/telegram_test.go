package samplenet

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// telegramCrawl reads a channel's preview like snscrape: parse a page, then
// follow a.tme_messages_more[data-before] until there is none. It returns
// the message elements newest page first, oldest first within a page.
func telegramCrawl(t *testing.T, base, channel string) (msgs []*html.Node, pages []int) {
	t.Helper()
	next := base + "/s/" + channel
	for next != "" {
		doc := parseHTML(t, getOK(t, next).body)
		page := findAll(doc, "tgme_widget_message")
		msgs = append(msgs, page...)
		pages = append(pages, len(page))
		next = ""
		if more := find(doc, "tme_messages_more"); more != nil {
			before, _ := attr(more, "data-before")
			href, _ := attr(more, "href")
			if first, _ := attr(page[0], "data-post"); !strings.HasSuffix(first, "/"+before) {
				t.Errorf("data-before=%s, want the oldest message on the page (%s)", before, first)
			}
			u, _ := url.Parse(base + "/s/" + channel)
			ref, _ := url.Parse(href)
			next = u.ResolveReference(ref).String()
		}
		if len(pages) > 10 {
			t.Fatal("pagination does not end")
		}
	}
	return msgs, pages
}

func TestTelegramPagination(t *testing.T) {
	s, ts := newTestServer(t)
	for _, tt := range []struct {
		channel, id string
		pages       []int
	}{
		{"avisos_gdl_muestra", "avisos-gdl", []int{8, 2}},
		{"tesorero_rortega", "tesorero", []int{8, 1}},
	} {
		msgs, pages := telegramCrawl(t, ts.URL, tt.channel)
		if !slices.Equal(pages, tt.pages) {
			t.Errorf("%s: pages %v, want %v", tt.channel, pages, tt.pages)
		}
		if got, want := len(msgs), s.Counts()[tt.id]; got != want {
			t.Errorf("%s: %d messages, want %d", tt.channel, got, want)
		}
		var nums []int
		for _, m := range msgs {
			post, _ := attr(m, "data-post")
			ch, n, _ := strings.Cut(post, "/")
			num, err := strconv.Atoi(n)
			if ch != tt.channel || err != nil {
				t.Fatalf("data-post %q", post)
			}
			nums = append(nums, num)
		}
		// Pages run newest to oldest; each page oldest to newest.
		first := nums[:pages[0]]
		if !slices.IsSorted(first) || nums[len(nums)-1] >= first[0] {
			t.Errorf("%s: message numbers %v out of order", tt.channel, nums)
		}
	}
}

func TestTelegramMessages(t *testing.T) {
	s, ts := newTestServer(t)
	avisos := s.sample.byID["avisos-gdl"]
	msgs, _ := telegramCrawl(t, ts.URL, "tesorero_rortega")
	byText := func(prefix string) *html.Node {
		for _, m := range msgs {
			if txt := find(m, "js-message_text"); txt != nil && strings.HasPrefix(textOf(txt), prefix) {
				return m
			}
		}
		t.Fatalf("no message starting %q", prefix)
		return nil
	}
	fwd := byText("💧 Corte de agua programado")
	from := find(fwd, "tgme_widget_message_forwarded_from_name")
	if href, _ := attr(from, "href"); from == nil || href != "https://t.me/avisos_gdl_muestra/"+avisos.posts[9].id || textOf(from) != "Avisos Guadalajara (muestra)" {
		t.Errorf("forwarded block = %v, want a link to the notice", from)
	}
	if got := textOf(find(fwd, "js-message_text")); !strings.Contains(got, "programado\nSábado 6 de junio") {
		t.Errorf("text %q: want <br/> between lines", got)
	}

	edited := byText("Cumpleaños de mi esposa")
	meta := find(edited, "tgme_widget_message_meta")
	if !strings.HasPrefix(textOf(meta), "edited") {
		t.Errorf("meta %q: want the edited marker", textOf(meta))
	}
	tm := find(edited, "time")
	if dt, _ := attr(tm, "datetime"); dt != "2026-06-29T03:00:00+00:00" {
		t.Errorf("datetime = %q, want the original posting time", dt)
	} else if _, err := time.Parse(time.RFC3339, dt); err != nil {
		t.Error(err)
	}
	if got := textOf(find(edited, "tgme_widget_message_views")); got != "1.98K" {
		t.Errorf("views = %q", got)
	}

	photo := find(byText("Fin de semana en Chapala"), "tgme_widget_message_photo_wrap")
	style, _ := attr(photo, "style")
	if !strings.HasPrefix(style, "width:800px;background-image:url('https://cdn4.telegram-cdn.org/file/chapala.jpg')") {
		t.Fatalf("photo style = %q", style)
	}
	img := getOK(t, onServer(t, ts, "https://cdn4.telegram-cdn.org/file/chapala.jpg"))
	if img.header.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix(img.body, []byte{0xff, 0xd8}) {
		t.Errorf("photo is %s", img.header.Get("Content-Type"))
	}
	raw := string(getOK(t, ts.URL+"/s/tesorero_rortega").body)
	for _, want := range []string{`<time datetime="2026-06-29T03:00:00+00:00" class="time">`, `url('https://cdn4.telegram-cdn.org/file/chapala.jpg')`, `<br/>`, `<i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F8E89.png')"><b>🎉</b></i>`} {
		if !strings.Contains(raw, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestTelegramUnknownAndSingle(t *testing.T) {
	s, ts := newTestServer(t)
	r := get(t, ts.URL+"/s/canal_inexistente")
	if r.status != http.StatusFound || r.header.Get("Location") != "/canal_inexistente" {
		t.Errorf("unknown channel: %d to %q, want 302 to /canal_inexistente", r.status, r.header.Get("Location"))
	}
	contact := parseHTML(t, getOK(t, ts.URL+"/canal_inexistente").body)
	if find(contact, "tgme_page_title") == nil || find(contact, "tgme_widget_message") != nil {
		t.Error("contact page: want a tgme_page and no messages")
	}
	p := s.sample.byID["avisos-gdl"].posts[0]
	one := parseHTML(t, getOK(t, ts.URL+"/avisos_gdl_muestra/"+p.id+"?embed=1&mode=tme").body)
	if msgs := findAll(one, "tgme_widget_message"); len(msgs) != 1 {
		t.Errorf("single post page has %d messages", len(msgs))
	} else if post, _ := attr(msgs[0], "data-post"); post != "avisos_gdl_muestra/"+p.id {
		t.Errorf("data-post = %q", post)
	}
	missing := parseHTML(t, getOK(t, ts.URL+"/avisos_gdl_muestra/1").body)
	if find(missing, "tgme_widget_message_error") == nil {
		t.Error("missing post: want the error widget")
	}
	if r := get(t, ts.URL+"/nadie/1"); r.status != http.StatusNotFound {
		t.Errorf("/nadie/1: %d, want 404", r.status)
	}
}

func TestTelegramCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 842: "842", 1000: "1K", 1234: "1.23K", 4850: "4.85K", 33412: "33.4K", 123456: "123K", 2500000: "2.5M"} {
		if got := telegramCount(n); got != want {
			t.Errorf("telegramCount(%d) = %q, want %q", n, got, want)
		}
	}
}
