package mastodon

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/htmltext"
)

// status holds the fields of a Mastodon Status that a Post needs. Nullable
// strings decode to "".
type status struct {
	ID          string  `json:"id"`
	CreatedAt   string  `json:"created_at"`
	EditedAt    string  `json:"edited_at"`
	InReplyToID string  `json:"in_reply_to_id"`
	SpoilerText string  `json:"spoiler_text"`
	Language    string  `json:"language"`
	URI         string  `json:"uri"`
	URL         string  `json:"url"`
	Content     string  `json:"content"`
	Reblog      *status `json:"reblog"`
	// Quote is a Quote (Mastodon 4.4 and later); a status quoted inside
	// another carries a ShallowQuote, of which only state is read.
	Quote *struct {
		State        string  `json:"state"`
		QuotedStatus *status `json:"quoted_status"`
	} `json:"quote"`
	Account struct {
		Acct        string `json:"acct"`
		DisplayName string `json:"display_name"`
	} `json:"account"`
	Card *struct {
		URL   string `json:"url"`
		Title string `json:"title"`
		Image string `json:"image"`
	} `json:"card"`
	Poll *struct {
		Options []struct {
			Title string `json:"title"`
		} `json:"options"`
	} `json:"poll"`
	Media []struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		URL         string `json:"url"`
		PreviewURL  string `json:"preview_url"`
		RemoteURL   string `json:"remote_url"`
		Description string `json:"description"`
	} `json:"media_attachments"`
	Replies    *int64 `json:"replies_count"`
	Reblogs    *int64 `json:"reblogs_count"`
	Favourites *int64 `json:"favourites_count"`
	Quotes     *int64 `json:"quotes_count"` // Mastodon 4.4 and later
}

// ParseAccountID returns the id of the Account in a lookup response.
func ParseAccountID(body []byte) (string, error) {
	var a struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return "", err
	}
	if a.ID == "" {
		return "", errors.New(`no "id" in the account`)
	}
	return a.ID, nil
}

// ParseStatuses turns a page of statuses (a JSON array of Status) into
// posts, in the page's order. domain is the instance's domain: it is added
// to local authors' acct, and ReplyTo is https://DOMAIN/api/v1/statuses/ID
// (the REST API gives only the id of the post replied to), the same whatever
// endpoint the listing was fetched from.
func ParseStatuses(body []byte, domain string) ([]archive.Post, error) {
	base := "https://" + domain
	// One pass over the page: each status is decoded straight from the
	// stream, and its bytes as received are sliced out by offset.
	dec := jsontext.NewDecoder(bytes.NewBuffer(body), jsonOptions)
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	if tok.Kind() != '[' {
		return nil, fmt.Errorf("want an array of statuses, got %s", tok.Kind())
	}
	var posts []archive.Post
	for i := 0; dec.PeekKind() != ']'; i++ {
		start := dec.InputOffset()
		var s status
		if err := json.UnmarshalDecode(dec, &s, jsonOptions); err != nil {
			return nil, fmt.Errorf("status %d: %w", i, err)
		}
		p, err := s.post(base, domain)
		if err != nil {
			return nil, fmt.Errorf("status %d (id %q): %w", i, s.ID, err)
		}
		raw := bytes.TrimLeft(body[start:dec.InputOffset()], " \t\r\n,")
		p.Raw, p.RawType = raw, "application/json"
		posts = append(posts, p)
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	if err := dec.SkipValue(); err != io.EOF {
		return nil, errors.New("unexpected data after the array of statuses")
	}
	return posts, nil
}

// jsonOptions read what servers send even when it is not strict JSON:
// repeated keys and invalid UTF-8 are kept rather than refused.
var jsonOptions = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

func (s *status) post(base, domain string) (archive.Post, error) {
	if s.ID == "" {
		return archive.Post{}, errors.New(`no "id"`)
	}
	published, err := time.Parse(time.RFC3339Nano, s.CreatedAt)
	if err != nil {
		return archive.Post{}, fmt.Errorf("read created_at: %w", err)
	}
	p := archive.Post{
		PostID:      s.ID,
		URL:         cmp.Or(s.URL, s.URI),
		Author:      s.Account.Acct,
		PublishedAt: published,
		Language:    s.Language,
		Metrics:     s.metrics(),
	}
	if p.Author != "" && domain != "" && !strings.Contains(p.Author, "@") {
		p.Author += "@" + domain
	}
	if s.EditedAt != "" {
		if p.EditedAt, err = time.Parse(time.RFC3339Nano, s.EditedAt); err != nil {
			return archive.Post{}, fmt.Errorf("read edited_at: %w", err)
		}
		p.Edited = true
	}
	if s.InReplyToID != "" {
		p.ReplyTo = base + "/api/v1/statuses/" + url.PathEscape(s.InReplyToID)
	}
	if r := s.Reblog; r != nil {
		p.RepostOf = cmp.Or(r.URL, r.URI)
		if p.RepostOf == "" && r.ID != "" {
			p.RepostOf = base + "/api/v1/statuses/" + url.PathEscape(r.ID)
		}
		p.Shared = r.shared(archive.Repost, domain)
		p.Shared.URL = p.RepostOf
		return p, nil
	}
	p.Text = s.text()
	p.Media = s.media()
	if q := s.Quote; q != nil {
		if q.QuotedStatus != nil {
			p.Shared = q.QuotedStatus.shared(archive.Quote, domain)
		} else {
			// Not shown (pending, rejected, revoked, deleted,
			// unauthorized): what the quote points at is only the link
			// the server put in the content.
			p.Shared = &archive.Shared{Kind: archive.Quote, URL: quoteInlineLink(s.Content)}
		}
	}
	return p, nil
}

// text returns what a status says, as plain text: its content warning and
// a blank line, its content, and its poll's options, one a line, after a
// blank line. The "RE: link" paragraph a server adds to a quote for older
// clients is left out: Shared carries the quoted post.
func (s *status) text() string {
	content := s.Content
	if s.Quote != nil {
		content = dropQuoteInline(content)
	}
	parts := []string{strings.TrimSpace(s.SpoilerText), htmltext.Plain(content)}
	if s.Poll != nil {
		var opts []string
		for _, o := range s.Poll.Options {
			if t := strings.TrimSpace(o.Title); t != "" {
				opts = append(opts, "- "+t)
			}
		}
		parts = append(parts, strings.Join(opts, "\n"))
	}
	parts = slices.DeleteFunc(parts, func(s string) bool { return s == "" })
	return strings.Join(parts, "\n\n")
}

// media returns a status's attachments and then its link card, as a Media
// of kind "link": URL the linked page, Alt its title, PreviewURL the
// card's image.
func (s *status) media() []archive.Media {
	var out []archive.Media
	for _, m := range s.Media {
		out = append(out, archive.Media{
			Kind:       kind(m.Type),
			URL:        cmp.Or(m.URL, m.RemoteURL),
			PreviewURL: m.PreviewURL,
			Alt:        m.Description,
			ID:         m.ID,
		})
	}
	if c := s.Card; c != nil && c.URL != "" {
		out = append(out, archive.Media{Kind: "link", URL: c.URL, PreviewURL: c.Image, Alt: c.Title})
	}
	return out
}

// shared returns the status s as another post carries it.
func (s *status) shared(k archive.SharedKind, domain string) *archive.Shared {
	sh := &archive.Shared{
		Kind:       k,
		URL:        cmp.Or(s.URL, s.URI),
		Author:     s.Account.Acct,
		AuthorName: s.Account.DisplayName,
		Text:       s.text(),
		Media:      s.media(),
	}
	if sh.Author != "" && domain != "" && !strings.Contains(sh.Author, "@") {
		sh.Author += "@" + domain
	}
	sh.PublishedAt, _ = time.Parse(time.RFC3339Nano, s.CreatedAt)
	return sh
}

// quoteInline is how a server opens the paragraph it adds to a quote's
// content, "RE: " and a link to the quoted post, for clients that do not
// show quotes.
const quoteInline = `<p class="quote-inline">`

// dropQuoteInline returns content without its quote-inline paragraph.
func dropQuoteInline(content string) string {
	i := strings.Index(content, quoteInline)
	if i < 0 {
		return content
	}
	end := strings.Index(content[i:], "</p>")
	if end < 0 {
		return content
	}
	return content[:i] + content[i+end+len("</p>"):]
}

// quoteInlineLink returns the href of the link in content's quote-inline
// paragraph, or "".
func quoteInlineLink(content string) string {
	i := strings.Index(content, quoteInline)
	if i < 0 {
		return ""
	}
	para := content[i:]
	if end := strings.Index(para, "</p>"); end >= 0 {
		para = para[:end]
	}
	_, href, ok := strings.Cut(para, `href="`)
	if !ok {
		return ""
	}
	href, _, ok = strings.Cut(href, `"`)
	if !ok || !(strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://")) {
		return ""
	}
	return html.UnescapeString(href)
}

// metrics returns the counters the status carries.
func (s *status) metrics() archive.Metrics {
	var m archive.Metrics
	m.Add("replies", s.Replies)
	m.Add("reposts", s.Reblogs)
	m.Add("likes", s.Favourites)
	m.Add("quotes", s.Quotes)
	return m
}

// kind maps a MediaAttachment type to a Media kind: "unknown" (a remote
// file the instance could not process) becomes a document.
func kind(t string) string {
	switch t {
	case "image", "gifv", "video", "audio":
		return t
	}
	return "document"
}
