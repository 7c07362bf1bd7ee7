package bluesky

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

const reasonRepost = "app.bsky.feed.defs#reasonRepost"

// feedItem holds the fields of an app.bsky.feed.defs#feedViewPost that a
// Post needs.
type feedItem struct {
	Post   postView `json:"post"`
	Reason *struct {
		Type      string  `json:"$type"`
		By        profile `json:"by"`
		URI       string  `json:"uri"`
		IndexedAt string  `json:"indexedAt"`
	} `json:"reason"`
}

type profile struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

type postView struct {
	URI    string  `json:"uri"`
	Author profile `json:"author"`
	Record struct {
		Text      string   `json:"text"`
		CreatedAt string   `json:"createdAt"`
		Langs     []string `json:"langs"`
		Reply     *struct {
			Parent struct {
				URI string `json:"uri"`
			} `json:"parent"`
		} `json:"reply"`
		Embed *recordEmbed `json:"embed"`
	} `json:"record"`
	Embed       *embedView `json:"embed"`
	ReplyCount  *int64     `json:"replyCount"`
	RepostCount *int64     `json:"repostCount"`
	LikeCount   *int64     `json:"likeCount"`
	QuoteCount  *int64     `json:"quoteCount"`
	IndexedAt   string     `json:"indexedAt"`
}

// embedView is the union of the embed views that carry media.
type embedView struct {
	Type   string `json:"$type"`
	Images []struct {
		Thumb    string `json:"thumb"`
		Fullsize string `json:"fullsize"`
		Alt      string `json:"alt"`
	} `json:"images"` // images#view
	CID       string `json:"cid"` // video#view
	Playlist  string `json:"playlist"`
	Thumbnail string `json:"thumbnail"`
	Alt       string `json:"alt"`
	External  *struct {
		URI   string `json:"uri"`
		Title string `json:"title"`
		Thumb string `json:"thumb"`
	} `json:"external"` // external#view
	Media *embedView `json:"media"` // recordWithMedia#view
	// Record is what a record#view embeds, or, in a
	// recordWithMedia#view, the record#view itself.
	Record *embeddedRecord `json:"record"`
}

// embeddedRecord is the union of what a record#view embeds: a viewRecord
// (a quoted post), a viewNotFound, viewBlocked or viewDetached (a quoted
// post that cannot be shown), or a view of a feed, list, labeler or starter
// pack; and, in a recordWithMedia#view, the record#view that holds one of
// them.
type embeddedRecord struct {
	Type   string  `json:"$type"`
	URI    string  `json:"uri"`
	Author profile `json:"author"`
	Value  *struct {
		Type      string       `json:"$type"`
		Text      string       `json:"text"`
		CreatedAt string       `json:"createdAt"`
		Embed     *recordEmbed `json:"embed"`
	} `json:"value"`
	Embeds    []*embedView    `json:"embeds"`
	IndexedAt string          `json:"indexedAt"`
	Record    *embeddedRecord `json:"record"`
}

// recordEmbed is the embed as the author's record declares it: where the
// blobs' media types are.
type recordEmbed struct {
	Images []struct {
		Image blob `json:"image"`
	} `json:"images"`
	Video *blob        `json:"video"`
	Media *recordEmbed `json:"media"`
}

type blob struct {
	Ref struct {
		Link string `json:"$link"`
	} `json:"ref"`
	CID      string `json:"cid"` // legacy blobs
	MimeType string `json:"mimeType"`
}

// ParseAuthorFeed turns a getAuthorFeed response into posts, in the feed's
// order, and returns the cursor of the next page ("" at the end).
func ParseAuthorFeed(body []byte) (posts []archive.Post, cursor string, err error) {
	var page struct {
		Feed   *[]json.RawMessage `json:"feed"`
		Cursor string             `json:"cursor"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, "", err
	}
	if page.Feed == nil {
		return nil, "", errors.New(`no "feed" in the response`)
	}
	posts = make([]archive.Post, 0, len(*page.Feed))
	for i, raw := range *page.Feed {
		var item feedItem
		if err := json.Unmarshal(raw, &item); err != nil {
			return nil, "", fmt.Errorf("feed item %d: %w", i, err)
		}
		p, err := item.post()
		if err != nil {
			return nil, "", fmt.Errorf("feed item %d (%q): %w", i, item.Post.URI, err)
		}
		p.Raw, p.RawType = raw, "application/json"
		posts = append(posts, p)
	}
	return posts, page.Cursor, nil
}

func (it *feedItem) post() (archive.Post, error) {
	pv := &it.Post
	rkey := recordKey(pv.URI)
	if rkey == "" {
		return archive.Post{}, errors.New(`no "uri" in the post`)
	}
	link := "https://bsky.app/profile/" + name(pv.Author) + "/post/" + rkey
	if r := it.Reason; r != nil && r.Type == reasonRepost {
		p := archive.Post{PostID: recordKey(r.URI), URL: link, Author: name(r.By), RepostOf: link}
		if p.PostID == "" {
			p.PostID = "repost-" + rkey
		}
		p.PublishedAt, _ = time.Parse(time.RFC3339Nano, r.IndexedAt)
		p.Shared = &archive.Shared{
			Kind:        archive.Repost,
			URL:         link,
			Author:      name(pv.Author),
			AuthorName:  pv.Author.DisplayName,
			PublishedAt: published(pv.Record.CreatedAt, pv.IndexedAt),
			Text:        pv.Record.Text,
			Media:       media(pv.Embed, pv.Record.Embed),
		}
		return p, nil
	}
	p := archive.Post{
		PostID:      rkey,
		URL:         link,
		Author:      name(pv.Author),
		PublishedAt: published(pv.Record.CreatedAt, pv.IndexedAt),
		Text:        pv.Record.Text,
		Media:       media(pv.Embed, pv.Record.Embed),
		Metrics:     pv.metrics(),
		Shared:      quoted(pv.Embed),
	}
	if len(pv.Record.Langs) > 0 {
		p.Language = pv.Record.Langs[0]
	}
	if r := pv.Record.Reply; r != nil {
		p.ReplyTo = r.Parent.URI
	}
	return p, nil
}

// published reads a post's createdAt, or, when it is not a datetime (it is
// the client's word), the AppView's indexedAt.
func published(createdAt, indexedAt string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, createdAt)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, indexedAt)
	}
	return t
}

// quoted returns the post a record#view or recordWithMedia#view embeds:
// whole when the AppView shows it (a viewRecord of a post), only its link
// when it does not (viewNotFound, viewBlocked, viewDetached). An embedded
// feed, list, labeler or starter pack is not a post: nil.
func quoted(v *embedView) *archive.Shared {
	if v == nil || v.Record == nil {
		return nil
	}
	r := v.Record
	switch v.Type {
	case "app.bsky.embed.record#view":
	case "app.bsky.embed.recordWithMedia#view":
		if r = r.Record; r == nil {
			return nil
		}
	default:
		return nil
	}
	if r.URI == "" {
		return nil
	}
	switch r.Type {
	case "app.bsky.embed.record#viewRecord":
		if r.Value == nil || r.Value.Type != "app.bsky.feed.post" {
			return nil
		}
		link := r.URI
		if rkey := recordKey(r.URI); rkey != "" && name(r.Author) != "" {
			link = "https://bsky.app/profile/" + name(r.Author) + "/post/" + rkey
		}
		sh := &archive.Shared{
			Kind:        archive.Quote,
			URL:         link,
			Author:      name(r.Author),
			AuthorName:  r.Author.DisplayName,
			PublishedAt: published(r.Value.CreatedAt, r.IndexedAt),
			Text:        r.Value.Text,
		}
		for _, e := range r.Embeds {
			sh.Media = append(sh.Media, media(e, r.Value.Embed)...)
		}
		return sh
	case "app.bsky.embed.record#viewNotFound", "app.bsky.embed.record#viewBlocked", "app.bsky.embed.record#viewDetached":
		return &archive.Shared{Kind: archive.Quote, URL: postURL(r.URI)}
	}
	return nil
}

// postURL returns the bsky.app URL of a post's at:// URI, named by its
// DID, or the URI itself when it is not a post's.
func postURL(uri string) string {
	rest, ok := strings.CutPrefix(uri, "at://")
	if !ok {
		return uri
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] != "app.bsky.feed.post" || parts[2] == "" {
		return uri
	}
	return "https://bsky.app/profile/" + parts[0] + "/post/" + parts[2]
}

// metrics returns the counters the post carries.
func (pv *postView) metrics() archive.Metrics {
	var m archive.Metrics
	m.Add("replies", pv.ReplyCount)
	m.Add("reposts", pv.RepostCount)
	m.Add("likes", pv.LikeCount)
	m.Add("quotes", pv.QuoteCount)
	return m
}

// media lists the files and link card of an embed view; rec, the record's
// own embed, gives the blobs' media types.
func media(v *embedView, rec *recordEmbed) []archive.Media {
	if v == nil {
		return nil
	}
	var out []archive.Media
	switch v.Type {
	case "app.bsky.embed.images#view":
		for _, img := range v.Images {
			id := blobCID(img.Fullsize)
			out = append(out, archive.Media{Kind: "image", URL: img.Fullsize, PreviewURL: img.Thumb, Alt: img.Alt, ID: id, MimeType: rec.mimeType(id)})
		}
	case "app.bsky.embed.video#view":
		out = append(out, archive.Media{Kind: "video", URL: v.Playlist, PreviewURL: v.Thumbnail, Alt: v.Alt, ID: v.CID, MimeType: rec.mimeType(v.CID)})
	case "app.bsky.embed.external#view":
		if e := v.External; e != nil {
			out = append(out, archive.Media{Kind: "link", URL: e.URI, PreviewURL: e.Thumb, Alt: e.Title})
		}
	case "app.bsky.embed.recordWithMedia#view":
		var inner *recordEmbed
		if rec != nil {
			inner = rec.Media
		}
		out = media(v.Media, inner)
	}
	return out
}

// mimeType returns the media type the record declares for a blob, or "".
func (r *recordEmbed) mimeType(cid string) string {
	if r == nil || cid == "" {
		return ""
	}
	if b := r.Video; b != nil && (b.Ref.Link == cid || b.CID == cid) {
		return b.MimeType
	}
	for _, img := range r.Images {
		if img.Image.Ref.Link == cid || img.Image.CID == cid {
			return img.Image.MimeType
		}
	}
	return ""
}

// blobCID reads the blob CID from a CDN image URL,
// https://cdn.bsky.app/img/{preset}/plain/{did}/{cid}@{format}.
func blobCID(u string) string {
	cid := u[strings.LastIndexByte(u, '/')+1:]
	cid, _, _ = strings.Cut(cid, "@")
	return cid
}

// recordKey returns the last segment of an at:// URI.
func recordKey(uri string) string {
	return uri[strings.LastIndexByte(uri, '/')+1:]
}

// name is how bsky.app names an author: the handle, or the DID while the
// handle does not verify.
func name(p profile) string {
	if p.Handle == "" || p.Handle == "handle.invalid" {
		return p.DID
	}
	return p.Handle
}
