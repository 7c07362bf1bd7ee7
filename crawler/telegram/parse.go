package telegram

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/htmltext"
)

const messageSelector = ".tgme_widget_message[data-post]"

// ParsePage reads one preview page. It returns the page's posts newest first,
// service messages left out, and the message number to ask for the next
// older page with ?before=, or "" on the channel's first page. base, the
// preview's base URL (DefaultBase or an account's endpoint), resolves
// relative links. A page with neither messages nor the channel header gives
// ErrNotChannelPage.
func ParsePage(body []byte, base string) (posts []archive.Post, before string, err error) {
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, "", fmt.Errorf("parse base URL %q: %w", base, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, "", fmt.Errorf("parse HTML: %w", err)
	}
	msgs := doc.Find(messageSelector)
	if msgs.Length() == 0 && doc.Find(".tgme_channel_info, .tgme_channel_history").Length() == 0 {
		return nil, "", ErrNotChannelPage
	}
	seen := make(map[string]bool, msgs.Length())
	msgs.EachWithBreak(func(_ int, m *goquery.Selection) bool {
		if m.HasClass("service_message") {
			return true
		}
		var p archive.Post
		if p, err = parseMessage(m, baseURL); err != nil {
			return false
		}
		if !seen[p.PostID] {
			seen[p.PostID] = true
			posts = append(posts, p)
		}
		return true
	})
	if err != nil {
		return nil, "", err
	}
	// Telegram lists a page oldest first; message numbers grow with time.
	slices.SortStableFunc(posts, func(a, b archive.Post) int {
		return cmp.Compare(number(b.PostID), number(a.PostID))
	})
	if before, err = olderCursor(doc); err != nil {
		return nil, "", err
	}
	return posts, before, nil
}

// parseMessage reads one div.tgme_widget_message.
func parseMessage(m *goquery.Selection, base *url.URL) (archive.Post, error) {
	dataPost := m.AttrOr("data-post", "")
	slash := strings.LastIndexByte(dataPost, '/')
	if slash <= 0 || !isNumber(dataPost[slash+1:]) || strings.HasPrefix(dataPost[slash+1:], "0") {
		return archive.Post{}, fmt.Errorf("read message %q: data-post is not CHANNEL/NUMBER", dataPost)
	}
	channel, id := dataPost[:slash], dataPost[slash+1:]
	// Messages never nest; were they to, each Raw would repeat the others.
	if m.Find(messageSelector).Length() > 0 {
		return archive.Post{}, fmt.Errorf("read message %q: it holds another message", dataPost)
	}

	// own selects in the message but outside its reply block, which quotes
	// another message with the same classes.
	own := func(selector string) *goquery.Selection {
		return m.Find(selector).FilterFunction(notQuoted).First()
	}
	date := own("a.tgme_widget_message_date")
	datetime, ok := date.Find("time[datetime]").Attr("datetime")
	if !ok {
		return archive.Post{}, fmt.Errorf("read message %q: no publication time", dataPost)
	}
	published, err := time.Parse(time.RFC3339, datetime)
	if err != nil {
		return archive.Post{}, fmt.Errorf("read message %q: parse time %q: %w", dataPost, datetime, err)
	}
	p := archive.Post{
		PostID:      id,
		URL:         resolve(base, date.AttrOr("href", "")),
		Author:      channel,
		PublishedAt: published.UTC(),
		Edited:      edited(own(".tgme_widget_message_meta")),
		RawType:     "text/html",
	}
	if p.URL == "" {
		p.URL = base.JoinPath(channel, id).String()
	}
	if signed := squash(own(".tgme_widget_message_from_author").Text()); signed != "" {
		p.Author = signed
	}
	if text := own(".tgme_widget_message_text.js-message_text"); text.Length() > 0 {
		fragment, err := text.Html()
		if err != nil {
			return archive.Post{}, fmt.Errorf("read message %q: render text: %w", dataPost, err)
		}
		p.Text = htmltext.Plain(fragment)
	}
	if fwd := own(".tgme_widget_message_forwarded_from_name"); fwd.Length() > 0 {
		p.Shared = forwardedFrom(fwd, base)
		p.RepostOf = p.Shared.URL
		if p.RepostOf == "" {
			p.RepostOf = "telegram:forwarded:" + squash(fwd.Text())
		}
	}
	if poll := own(".tgme_widget_message_poll"); poll.Length() > 0 {
		p.Text = joinText(p.Text, pollText(poll))
	}
	if href := m.Find("a.tgme_widget_message_reply").First().AttrOr("href", ""); href != "" {
		p.ReplyTo = resolve(base, href)
	}
	p.Media = media(m, p.URL, base)
	if views, ok := parseCount(own(".tgme_widget_message_views").Text()); ok {
		p.Metrics = archive.Metrics{"views": views}
	}
	wrap := m.Closest(".tgme_widget_message_wrap")
	if wrap.Find(messageSelector).Length() != 1 { // none, or unclosed wraps
		wrap = m
	}
	raw, err := goquery.OuterHtml(wrap)
	if err != nil {
		return archive.Post{}, fmt.Errorf("read message %q: render HTML: %w", dataPost, err)
	}
	p.Raw = []byte(raw)
	return p, nil
}

// forwardedFrom reads where a forwarded message came from: the origin's
// name, and its link (t.me/CHANNEL/ID) when the origin is public; a hidden
// user's name comes as a <span> without one.
func forwardedFrom(fwd *goquery.Selection, base *url.URL) *archive.Shared {
	sh := &archive.Shared{Kind: archive.Forward, AuthorName: squash(fwd.Text())}
	if href := fwd.AttrOr("href", ""); href != "" {
		sh.URL = resolve(base, href)
		// a channel's link, t.me/CHANNEL/ID, names its handle (the preview's
		// own host may be a mirror of t.me)
		if u, err := url.Parse(sh.URL); err == nil && (u.Host == base.Host || u.Host == "t.me" || u.Host == "telegram.me") {
			if channel, _, ok := strings.Cut(strings.Trim(u.Path, "/"), "/"); ok && channel != "" && channel != "s" {
				sh.Author = channel
			}
		}
	}
	if signed := squash(fwd.Closest(".tgme_widget_message_forwarded_from").Find(".tgme_widget_message_forwarded_from_author").Text()); signed != "" {
		sh.AuthorName += " (" + signed + ")"
	}
	return sh
}

// pollText gives a poll as the text the channel published: its question,
// then each option on a line of its own. The percentages and voter counts
// change as people vote and are left out.
func pollText(poll *goquery.Selection) string {
	lines := []string{squash(poll.Find(".tgme_widget_message_poll_question").First().Text())}
	poll.Find(".tgme_widget_message_poll_option_text").Each(func(_ int, o *goquery.Selection) {
		lines = append(lines, "- "+squash(o.Text()))
	})
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// joinText puts b after a, a blank line between them when both have text.
func joinText(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n\n" + b
}

// media lists a message's photos, videos and documents in page order, each
// with an ID that survives the change of its signed URL.
func media(m *goquery.Selection, postURL string, base *url.URL) []archive.Media {
	var out []archive.Media
	count := map[string]int{}
	add := func(md archive.Media) {
		// a link's address is not signed: the content hash uses it
		if md.Kind != "link" {
			md.ID = postURL + "#" + md.Kind + strconv.Itoa(count[md.Kind])
		}
		count[md.Kind]++
		out = append(out, md)
	}
	const selector = "a.tgme_widget_message_photo_wrap, .tgme_widget_message_video_player, a.tgme_widget_message_document_wrap, a.tgme_widget_message_link_preview"
	m.Find(selector).FilterFunction(notQuoted).Each(func(_ int, s *goquery.Selection) {
		switch {
		case s.HasClass("tgme_widget_message_link_preview"):
			// the card of a linked page: its address, its title (or else its
			// site's name) and its picture; the description stays in Raw
			alt := squash(s.Find(".link_preview_title").First().Text())
			if alt == "" {
				alt = squash(s.Find(".link_preview_site_name").First().Text())
			}
			add(archive.Media{Kind: "link", URL: resolve(base, s.AttrOr("href", "")), Alt: alt,
				PreviewURL: resolve(base, styleURL(s.Find(".link_preview_image, .link_preview_right_image, .link_preview_video_thumb").First().AttrOr("style", "")))})
		case s.HasClass("tgme_widget_message_photo_wrap"):
			add(archive.Media{Kind: "image", URL: resolve(base, styleURL(s.AttrOr("style", "")))})
		case s.HasClass("tgme_widget_message_video_player"):
			add(archive.Media{
				Kind:       "video",
				URL:        resolve(base, s.Find("video[src]").First().AttrOr("src", "")),
				PreviewURL: resolve(base, styleURL(s.Find(".tgme_widget_message_video_thumb").First().AttrOr("style", ""))),
			})
		default:
			add(archive.Media{Kind: "document", Alt: squash(s.Find(".tgme_widget_message_document_title").First().Text())})
		}
	})
	return out
}

// olderCursor returns the ?before= value of the page's link to older
// messages, or "" when there is none.
func olderCursor(doc *goquery.Document) (string, error) {
	v, ok := doc.Find("a.tme_messages_more[data-before]").First().Attr("data-before")
	if !ok {
		href, ok := doc.Find(`link[rel="prev"]`).First().Attr("href")
		if !ok {
			return "", nil
		}
		u, err := url.Parse(href)
		if err != nil {
			return "", fmt.Errorf("read older-page link %q: %w", href, err)
		}
		v = u.Query().Get("before")
	}
	// A page past the first message still links, with an empty ?before=.
	if v == "" {
		return "", nil
	}
	if !isNumber(v) {
		return "", fmt.Errorf("read older-page cursor %q: not a message number", v)
	}
	return v, nil
}

// notQuoted reports whether s lies outside a reply block.
func notQuoted(_ int, s *goquery.Selection) bool {
	return s.Closest(".tgme_widget_message_reply").Length() == 0
}

// edited reports whether a message's meta carries the "edited" marker: a
// text of the meta element itself, before the signature and the date.
func edited(meta *goquery.Selection) bool {
	for _, n := range meta.Nodes {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && strings.HasPrefix(strings.TrimSpace(c.Data), "edited") {
				return true
			}
		}
	}
	return false
}

// parseCount reads a counter as Telegram shows it: "845", "33.4K", "1.2M".
func parseCount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	scale := 1.0
	switch {
	case strings.HasSuffix(s, "K"):
		scale, s = 1e3, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		scale, s = 1e6, s[:len(s)-1]
	case strings.HasSuffix(s, "B"):
		scale, s = 1e9, s[:len(s)-1]
	}
	if s == "" || len(s) > 15 || strings.Trim(s, "0123456789.") != "" || strings.Count(s, ".") > 1 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f*scale >= math.MaxInt64 {
		return 0, false
	}
	return int64(math.Round(f * scale)), true
}

// styleURL returns the URL of a CSS background-image declaration.
func styleURL(style string) string {
	_, rest, ok := strings.Cut(style, "url(")
	if !ok {
		return ""
	}
	ref, _, ok := strings.Cut(rest, ")")
	if !ok {
		return ""
	}
	return strings.Trim(strings.TrimSpace(ref), `'"`)
}

// resolve makes ref absolute against base; "" stays "".
func resolve(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}

// squash trims s and collapses its runs of white space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// isNumber reports whether s is a message number.
func isNumber(s string) bool {
	return s != "" && len(s) <= 18 && strings.Trim(s, "0123456789") == ""
}

// number returns the value of a message number checked by isNumber.
func number(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}
