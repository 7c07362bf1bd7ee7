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
	DID    string `json:"did"`
	Handle string `json:"handle"`
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
		return p, nil
	}
	p := archive.Post{
		PostID:  rkey,
		URL:     link,
		Author:  name(pv.Author),
		Text:    pv.Record.Text,
		Media:   media(pv.Embed, pv.Record.Embed),
		Metrics: pv.metrics(),
	}
	var err error
	if p.PublishedAt, err = time.Parse(time.RFC3339Nano, pv.Record.CreatedAt); err != nil {
		p.PublishedAt, _ = time.Parse(time.RFC3339Nano, pv.IndexedAt) // createdAt is the client's word
	}
	if len(pv.Record.Langs) > 0 {
		p.Language = pv.Record.Langs[0]
	}
	if r := pv.Record.Reply; r != nil {
		p.ReplyTo = r.Parent.URI
	}
	return p, nil
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
