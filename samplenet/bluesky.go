package samplenet

import (
	"net/http"
	"time"
)

// blueskyPageSize is the most feed items the sample returns per page (the
// AppView allows up to 100), so that sample accounts take several pages.
const blueskyPageSize = 5

func (s *Server) blueskyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /xrpc/app.bsky.feed.getAuthorFeed", s.blueskyAuthorFeed)
	mux.HandleFunc("GET /xrpc/app.bsky.feed.getPosts", s.blueskyGetPosts)
	mux.HandleFunc("GET /xrpc/com.atproto.identity.resolveHandle", s.blueskyResolveHandle)
}

type bError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func (s *Server) blueskyAuthorFeed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	actor := q.Get("actor")
	if actor == "" {
		writeJSON(w, http.StatusBadRequest, bError{"InvalidRequest", `Error: Params must have the property "actor"`})
		return
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := parsePositive(v)
		if err != nil || n > 100 {
			writeJSON(w, http.StatusBadRequest, bError{"InvalidRequest", "Error: limit must be an integer between 1 and 100"})
			return
		}
		limit = n
	}
	limit = min(limit, blueskyPageSize)
	a := s.sample.account("bluesky", actor)
	if a == nil {
		writeJSON(w, http.StatusBadRequest, bError{"InvalidRequest", "Profile not found"})
		return
	}
	if failing(w, a) {
		return
	}
	out := bFeedOutput{Feed: []bFeedItem{}}
	var before time.Time
	if c := q.Get("cursor"); c != "" {
		t, err := time.Parse(time.RFC3339Nano, c)
		if err != nil {
			// The AppView answers a malformed cursor with an empty page.
			writeJSON(w, http.StatusOK, out)
			return
		}
		before = t
	}
	var last time.Time
	for _, p := range a.listed() {
		if !before.IsZero() && !p.at.Before(before) {
			continue
		}
		if !blueskyFilter(q.Get("filter"), a, p) {
			continue
		}
		if len(out.Feed) == limit {
			break
		}
		out.Feed = append(out.Feed, s.blueskyItem(p))
		last = p.at
	}
	if len(out.Feed) == limit {
		out.Cursor = blueskyTime(last)
	}
	writeJSON(w, http.StatusOK, out)
}

// blueskyFilter applies getAuthorFeed's filter parameter.
func blueskyFilter(filter string, a *account, p *post) bool {
	switch filter {
	case "posts_no_replies":
		return p.replyTo == nil
	case "posts_with_media":
		return p.repost == nil && len(p.media) > 0
	case "posts_and_author_threads":
		return p.replyTo == nil || threadRoot(p).acct == a
	}
	return true
}

func threadRoot(p *post) *post {
	for p.replyTo != nil {
		p = p.replyTo
	}
	return p
}

// blueskyCDN serves avatars and images, as it does for the real AppView:
// views name it, never the AppView's own address.
const blueskyCDN = "https://cdn.bsky.app"

func blueskyTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (s *Server) blueskyItem(p *post) bFeedItem {
	if p.repost == nil {
		return bFeedItem{Post: s.blueskyPost(p), Reply: s.blueskyReply(p)}
	}
	uri := "at://" + p.acct.did + "/app.bsky.feed.repost/" + p.id
	return bFeedItem{
		Post:  s.blueskyPost(p.repost),
		Reply: s.blueskyReply(p.repost),
		Reason: &bReason{
			Type: "app.bsky.feed.defs#reasonRepost", By: s.blueskyProfile(p.acct),
			URI: uri, CID: cid("repost:"+uri, false), IndexedAt: blueskyTime(p.at.Add(2 * time.Second)),
		},
	}
}

func (s *Server) blueskyReply(p *post) *bReplyRef {
	parent := p.replyTo
	if parent == nil {
		return nil
	}
	ref := &bReplyRef{Root: s.blueskyReplyView(threadRoot(p)), Parent: s.blueskyReplyView(parent)}
	// The grandparent is named in the parent's record, gone with it.
	if gp := parent.replyTo; gp != nil && !parent.deleted {
		ref.GrandparentAuthor = s.blueskyProfile(gp.acct)
	}
	return ref
}

// blueskyReplyView is a reply ref's root or parent: a postView, or a
// notFoundPost once the post is deleted.
func (s *Server) blueskyReplyView(p *post) *bPostView {
	if p.deleted {
		return &bPostView{notFound: true, URI: blueskyURI(p)}
	}
	v := s.blueskyPost(p)
	v.Type = "app.bsky.feed.defs#postView"
	return v
}

func blueskyURI(p *post) string { return "at://" + p.acct.did + "/app.bsky.feed.post/" + p.id }

// blueskyRef is the strong ref of a post's current record: an edit
// rewrites the record, which gets a new cid.
func blueskyRef(p *post) bStrongRef { return blueskyRefAt(p, p.text) }

// blueskyRefAt is the strong ref of a post's record when its text was text;
// a reply's record keeps the refs it was written with.
func blueskyRefAt(p *post, text string) bStrongRef {
	uri := blueskyURI(p)
	return bStrongRef{CID: cid("record:"+uri+text, false), URI: uri}
}

func (s *Server) blueskyProfile(a *account) *bProfile {
	return &bProfile{
		DID: a.did, Handle: a.spec.Profile.Handle, DisplayName: a.spec.Profile.Name,
		Avatar: blueskyCDN + "/img/avatar/plain/" + a.did + "/" + avatarCID(a.spec.Profile.Handle) + "@jpeg",
		Labels: []struct{}{}, CreatedAt: blueskyTime(a.since),
	}
}

func (s *Server) blueskyPost(p *post) *bPostView {
	ref := blueskyRef(p)
	rec := &bRecord{
		Type: "app.bsky.feed.post", CreatedAt: blueskyTime(p.at),
		Facets: s.blueskyFacets(p.text), Langs: []string{"es"}, Text: p.text,
	}
	if p.replyTo != nil {
		root := threadRoot(p)
		rec.Reply = &bRecordReply{Parent: blueskyRefAt(p.replyTo, p.replyTo.textAt(p.at)), Root: blueskyRefAt(root, root.textAt(p.at))}
	}
	view := &bPostView{
		URI: ref.URI, CID: ref.CID, Author: s.blueskyProfile(p.acct), Record: rec,
		ReplyCount: p.replies, RepostCount: p.reposts, LikeCount: p.likes,
		IndexedAt: blueskyTime(p.at.Add(time.Duration(seed(p.id)%3000) * time.Millisecond)),
		Viewer:    &bPostViewer{}, Labels: []struct{}{},
	}
	if len(p.media) > 0 {
		rec.Embed = &bImagesRecord{Type: "app.bsky.embed.images"}
		view.Embed = &bImagesView{Type: "app.bsky.embed.images#view"}
		aspect := bAspect{Height: placeholderHeight, Width: placeholderWidth}
		for _, m := range p.media {
			blob := blobCID(m.File)
			rec.Embed.Images = append(rec.Embed.Images, bImageRecord{
				Alt: m.Alt, AspectRatio: aspect,
				Image: bBlob{Type: "blob", Ref: bLink{blob}, MimeType: "image/jpeg", Size: len(s.media[blob+"@jpeg"].bytes())},
			})
			img := "/plain/" + p.acct.did + "/" + blob + "@jpeg"
			view.Embed.Images = append(view.Embed.Images, bImageView{
				Thumb: blueskyCDN + "/img/feed_thumbnail" + img, Fullsize: blueskyCDN + "/img/feed_fullsize" + img,
				Alt: m.Alt, AspectRatio: aspect,
			})
		}
	}
	if q := p.quote; q != nil {
		// A quote names the quoted record as it was when written; the view
		// shows it as it is now, or that it is gone.
		ref := blueskyRefAt(q, q.textAt(p.at))
		rec.Embed = &bImagesRecord{Type: "app.bsky.embed.record", Record: &ref}
		view.Embed = &bImagesView{Type: "app.bsky.embed.record#view"}
		if q.deleted {
			view.Embed.Record = &bViewNotFound{Type: "app.bsky.embed.record#viewNotFound", URI: ref.URI, NotFound: true}
		} else {
			qv := s.blueskyPost(q)
			vr := &bViewRecord{
				Type: "app.bsky.embed.record#viewRecord", URI: qv.URI, CID: qv.CID, Author: qv.Author, Value: qv.Record,
				Labels: []struct{}{}, LikeCount: qv.LikeCount, ReplyCount: qv.ReplyCount, RepostCount: qv.RepostCount,
				QuoteCount: qv.QuoteCount, IndexedAt: qv.IndexedAt, Embeds: []*bImagesView{},
			}
			if qv.Embed != nil {
				vr.Embeds = append(vr.Embeds, qv.Embed)
			}
			view.Embed.Record = vr
		}
	}
	return view
}

// blueskyFacets marks links, tags and mentions of sample accounts in the
// text, by UTF-8 byte range.
func (s *Server) blueskyFacets(text string) []bFacet {
	var facets []bFacet
	at := 0
	for _, seg := range segments(text) {
		start := at
		at += len(seg.text)
		var f bFeature
		switch seg.kind {
		case segLink:
			f = bFeature{Type: "app.bsky.richtext.facet#link", URI: seg.value}
		case segTag:
			f = bFeature{Type: "app.bsky.richtext.facet#tag", Tag: seg.value}
		case segMention:
			a := s.sample.account("bluesky", seg.value)
			if a == nil {
				continue
			}
			f = bFeature{Type: "app.bsky.richtext.facet#mention", DID: a.did}
		default:
			continue
		}
		facets = append(facets, bFacet{Features: []bFeature{f}, Index: bIndex{ByteEnd: at, ByteStart: start}})
	}
	return facets
}
