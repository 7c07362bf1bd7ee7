package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

// Fields asked for. PostFields are those of a Page's published post;
// MediaFields those of an Instagram professional account's media.
const (
	PostFields  = "id,message,created_time,permalink_url,attachments{media_type,media,target,title,url,subattachments}"
	MediaFields = "id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,username,like_count,comments_count,children{id,media_type,media_url,thumbnail_url}"
	pageSize    = "100"
)

// Pages lists a Facebook Page's published posts. The zero value is ready.
type Pages struct{ Options }

// Instagram lists an Instagram professional account's media. The zero
// value is ready.
type Instagram struct{ Options }

// NewPages returns a Facebook Pages adapter; NewInstagram an Instagram one.
func NewPages() *Pages         { return &Pages{} }
func NewInstagram() *Instagram { return &Instagram{} }

var (
	_ crawler.Adapter = (*Pages)(nil)
	_ crawler.Adapter = (*Instagram)(nil)
)

// List asks who the token is for (GET /me: the Page a page token belongs
// to), checks it is the account the directory names, then pages through
// GET /{page-id}/published_posts, newest first.
func (a *Pages) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	s, err := newSession(a.Options, f, acct)
	if err != nil {
		return err
	}
	me, err := s.me(ctx, "id,name,username")
	if err != nil {
		return err
	}
	if !strings.EqualFold(me.Username, acct.Handle) && me.ID != acct.Handle {
		return fmt.Errorf("%w: the token of account %q is for the Page %q (id %s, %q), the directory names %q", ErrWrongAccount, acct.ID, me.Username, me.ID, me.Name, acct.Handle)
	}
	first := s.url("/"+url.PathEscape(me.ID)+"/published_posts", url.Values{"fields": {PostFields}, "limit": {pageSize}})
	return s.list(ctx, "list posts", first, yield, func(raw json.RawMessage) (archive.Post, error) { return parsePost(raw, acct.Handle) })
}

// List asks which Instagram professional account the token's Page is
// connected to (GET /me?fields=instagram_business_account), checks it is
// the one the directory names, then pages through GET /{ig-user-id}/media.
func (a *Instagram) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	s, err := newSession(a.Options, f, acct)
	if err != nil {
		return err
	}
	me, err := s.me(ctx, "id,name,instagram_business_account{id,username}")
	if err != nil {
		return err
	}
	ig := me.Instagram
	switch {
	case ig == nil || ig.ID == "":
		return fmt.Errorf("%w: the token of account %q is for the Page %q (id %s), which has no Instagram professional account connected", ErrWrongAccount, acct.ID, me.Name, me.ID)
	case !strings.EqualFold(ig.Username, acct.Handle):
		return fmt.Errorf("%w: the token of account %q is for the Instagram account %q, the directory names %q", ErrWrongAccount, acct.ID, ig.Username, acct.Handle)
	}
	first := s.url("/"+url.PathEscape(ig.ID)+"/media", url.Values{"fields": {MediaFields}, "limit": {pageSize}})
	return s.list(ctx, "list media", first, yield, func(raw json.RawMessage) (archive.Post, error) { return parseMedia(raw, acct.Handle) })
}

// node is what GET /me answers of a Page.
type node struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Username  string `json:"username"`
	Instagram *struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"instagram_business_account"`
}

func (s *session) me(ctx context.Context, fields string) (*node, error) {
	u := s.url("/me", url.Values{"fields": {fields}})
	resp, err := s.get(ctx, "ask whose token is given for", u)
	if err != nil {
		return nil, err
	}
	var n node
	if err := json.Unmarshal(resp.Body, &n); err != nil || n.ID == "" {
		return nil, fmt.Errorf("%w from %s: no id", ErrMalformed, u)
	}
	return &n, nil
}

// list pages from first through paging.next, parsing each item with
// parse. Empty pages end the listing and are not yielded.
func (s *session) list(ctx context.Context, what, first string, yield func(crawler.Page) bool, parse func(json.RawMessage) (archive.Post, error)) error {
	for next := first; next != ""; {
		resp, err := s.get(ctx, what, next)
		if err != nil {
			return err
		}
		p, err := parsePage(resp.Body, next)
		if err != nil {
			return err
		}
		if len(p.Data) == 0 {
			return nil
		}
		posts := make([]archive.Post, 0, len(p.Data))
		for i, raw := range p.Data {
			post, err := parse(raw)
			if err != nil {
				return fmt.Errorf("%w from %s, item %d: %v", ErrMalformed, next, i, err)
			}
			posts = append(posts, post)
		}
		if !yield(crawler.Page{URL: next, Posts: posts}) {
			return nil
		}
		after, err := s.next(p.Paging.Next, next)
		if err != nil || after == "" {
			return err
		}
		if err := s.pace(ctx, resp.Header); err != nil {
			return err
		}
		next = after
	}
	return nil
}

// attachment is a post's story attachment: its media (an image's src, a
// video's source), its target (the photo or video object: its id, stable
// where the src is signed anew at each answer) and subattachments (an
// album's photos).
type attachment struct {
	MediaType string `json:"media_type"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Media     struct {
		Image struct {
			Src string `json:"src"`
		} `json:"image"`
		Source string `json:"source"`
	} `json:"media"`
	Target struct {
		ID string `json:"id"`
	} `json:"target"`
	Subattachments struct {
		Data []attachment `json:"data"`
	} `json:"subattachments"`
}

func (at *attachment) media() []archive.Media {
	var out []archive.Media
	switch at.MediaType {
	case "photo":
		out = append(out, archive.Media{Kind: "image", URL: at.Media.Image.Src, Alt: at.Title, ID: at.Target.ID})
	case "video":
		u := at.Media.Source
		if u == "" {
			u = at.URL
		}
		out = append(out, archive.Media{Kind: "video", URL: u, PreviewURL: at.Media.Image.Src, Alt: at.Title, ID: at.Target.ID})
	case "link":
		out = append(out, archive.Media{Kind: "link", URL: at.URL, Alt: at.Title, PreviewURL: at.Media.Image.Src})
	}
	for i := range at.Subattachments.Data {
		out = append(out, at.Subattachments.Data[i].media()...)
	}
	return out
}

// parsePost reads one published post of a Page.
func parsePost(raw json.RawMessage, handle string) (archive.Post, error) {
	var p struct {
		ID          string `json:"id"`
		Message     string `json:"message"`
		Created     string `json:"created_time"`
		Permalink   string `json:"permalink_url"`
		Attachments struct {
			Data []attachment `json:"data"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return archive.Post{}, err
	}
	if p.ID == "" {
		return archive.Post{}, fmt.Errorf("a post without id")
	}
	published, err := parseTime(p.Created)
	if err != nil {
		return archive.Post{}, fmt.Errorf("post %s: created_time %q: %v", p.ID, p.Created, err)
	}
	post := archive.Post{
		Network: archive.Facebook, PostID: p.ID, URL: p.Permalink, Author: handle,
		PublishedAt: published, Text: p.Message, Raw: raw, RawType: "application/json",
	}
	if post.URL == "" {
		post.URL = "https://www.facebook.com/" + p.ID
	}
	for i := range p.Attachments.Data {
		post.Media = append(post.Media, p.Attachments.Data[i].media()...)
	}
	return post, nil
}

// parseMedia reads one media object of an Instagram professional account.
func parseMedia(raw json.RawMessage, handle string) (archive.Post, error) {
	type item struct {
		ID        string `json:"id"`
		MediaType string `json:"media_type"`
		MediaURL  string `json:"media_url"`
		Thumbnail string `json:"thumbnail_url"`
	}
	var m struct {
		item
		Caption   string `json:"caption"`
		Permalink string `json:"permalink"`
		Timestamp string `json:"timestamp"`
		Likes     *int64 `json:"like_count"`
		Comments  *int64 `json:"comments_count"`
		Children  struct {
			Data []item `json:"data"`
		} `json:"children"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return archive.Post{}, err
	}
	if m.ID == "" {
		return archive.Post{}, fmt.Errorf("a media object without id")
	}
	published, err := parseTime(m.Timestamp)
	if err != nil {
		return archive.Post{}, fmt.Errorf("media %s: timestamp %q: %v", m.ID, m.Timestamp, err)
	}
	post := archive.Post{
		Network: archive.Instagram, PostID: m.ID, URL: m.Permalink, Author: handle,
		PublishedAt: published, Text: m.Caption, Raw: raw, RawType: "application/json",
	}
	media := func(it item) {
		switch it.MediaType {
		case "IMAGE":
			post.Media = append(post.Media, archive.Media{Kind: "image", URL: it.MediaURL, ID: it.ID})
		case "VIDEO", "REELS":
			post.Media = append(post.Media, archive.Media{Kind: "video", URL: it.MediaURL, PreviewURL: it.Thumbnail, ID: it.ID})
		}
	}
	if len(m.Children.Data) > 0 {
		for _, c := range m.Children.Data {
			media(c)
		}
	} else {
		media(m.item)
	}
	post.Metrics.Add("likes", m.Likes)
	post.Metrics.Add("replies", m.Comments)
	return post, nil
}
