package samplenet

import (
	"net/http"
	"strings"
)

// mastodonPageSize is the most statuses the sample returns per page, below
// the API's 40, so that every sample account takes more than one page. A
// page is full, and has a next link, when it holds min(limit, 40, 5).
const mastodonPageSize = 5

func (s *Server) mastodonRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/accounts/lookup", s.mastodonLookup)
	mux.HandleFunc("GET /api/v1/accounts/{id}", s.mastodonAccount)
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", s.mastodonStatuses)
	mux.HandleFunc("GET /api/v1/statuses/{id}", s.mastodonStatus)
	mux.HandleFunc("GET /api/v1/statuses/{id}/history", s.mastodonHistory)
}

var mastodonNotFound = mError{Error: "Record not found"}

// mastodonUser finds a sample Mastodon account by "user", "@user" or
// "user@domain" where domain is the sample's instance or the request host.
func (s *Server) mastodonUser(acct, host string) *account {
	acct = strings.TrimPrefix(acct, "@")
	user, domain, remote := strings.Cut(acct, "@")
	if remote && !strings.EqualFold(domain, s.sample.body.MastodonDomain) && !strings.EqualFold(domain, host) {
		return nil
	}
	return s.sample.account("mastodon", user)
}

func (s *Server) mastodonByID(id string) *account {
	for _, a := range s.sample.accounts {
		if a.spec.Network == "mastodon" && a.numID == id {
			return a
		}
	}
	return nil
}

func (s *Server) mastodonLookup(w http.ResponseWriter, r *http.Request) {
	a := s.mastodonUser(r.URL.Query().Get("acct"), r.Host)
	if a == nil {
		writeJSON(w, http.StatusNotFound, mastodonNotFound)
		return
	}
	if failing(w, a) {
		return
	}
	mastodonHeaders(w)
	writeJSON(w, http.StatusOK, s.mastodonAccountJSON(a))
}

func (s *Server) mastodonAccount(w http.ResponseWriter, r *http.Request) {
	a := s.mastodonByID(r.PathValue("id"))
	if a == nil {
		writeJSON(w, http.StatusNotFound, mastodonNotFound)
		return
	}
	if failing(w, a) {
		return
	}
	mastodonHeaders(w)
	writeJSON(w, http.StatusOK, s.mastodonAccountJSON(a))
}

func (s *Server) mastodonStatuses(w http.ResponseWriter, r *http.Request) {
	a := s.mastodonByID(r.PathValue("id"))
	if a == nil {
		writeJSON(w, http.StatusNotFound, mastodonNotFound)
		return
	}
	if failing(w, a) {
		return
	}
	q := r.URL.Query()
	var posts []*post
	for _, p := range a.listed() {
		switch {
		case truthy(q.Get("pinned")): // the sample pins nothing
			continue
		case truthy(q.Get("exclude_reblogs")) && p.repost != nil:
			continue
		case truthy(q.Get("exclude_replies")) && p.replyTo != nil && p.replyTo.acct != a:
			continue
		case truthy(q.Get("only_media")) && len(p.media) == 0:
			continue
		}
		posts = append(posts, p)
	}
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.id
	}
	from, to, limit := mastodonWindow(ids, q, mastodonPageSize)
	page := make([]*mStatus, 0, to-from)
	for _, p := range posts[from:to] {
		page = append(page, s.mastodonStatusJSON(p))
	}
	// The Link header, unlike the body, names the address the request
	// reached: clients follow it to the next page.
	if link := mastodonLinkHeader(baseURL(r)+r.URL.Path, q, ids[from:to], limit); link != "" {
		w.Header().Set("Link", link)
	}
	mastodonHeaders(w)
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) mastodonStatus(w http.ResponseWriter, r *http.Request) {
	p := s.mastodonFind(w, r.PathValue("id"))
	if p == nil {
		return
	}
	mastodonHeaders(w)
	writeJSON(w, http.StatusOK, s.mastodonStatusJSON(p))
}

// mastodonFind returns the status with an id, or answers 404 when there is
// none (or it is deleted) and 503 when its account is unreachable, and
// returns nil.
func (s *Server) mastodonFind(w http.ResponseWriter, id string) *post {
	for _, a := range s.sample.accounts {
		if a.spec.Network != "mastodon" {
			continue
		}
		for _, p := range a.posts {
			if p.id != id {
				continue
			}
			if failing(w, a) {
				return nil
			}
			if !p.shown() {
				break
			}
			return p
		}
	}
	writeJSON(w, http.StatusNotFound, mastodonNotFound)
	return nil
}

// mastodonMention resolves a handle written in a status to the sample
// account it mentions, or nil.
func (s *Server) mastodonMention(handle string) *mMention {
	a := s.mastodonUser(handle, "")
	if a == nil {
		return nil
	}
	base, name := s.mastodonBase(), a.spec.Profile.Handle
	return &mMention{ID: a.numID, Username: name, URL: base + "/@" + name, Acct: name}
}

// mastodonHeaders sets the rate-limit headers every API response carries.
func mastodonHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", "300")
	h.Set("X-RateLimit-Remaining", "299")
}

// mastodonBase is the sample instance's public origin, which every URL in
// the API's entities names (as a real instance names its own domain, not
// the address a client reached).
func (s *Server) mastodonBase() string { return "https://" + s.sample.body.MastodonDomain }

func (s *Server) mastodonAccountJSON(a *account) *mAccount {
	base := s.mastodonBase()
	user := a.spec.Profile.Handle
	posts := a.listed()
	avatar := base + "/system/accounts/avatars/" + idPath(a.numID) + "/original/" + user + ".png"
	header := base + "/headers/original/missing.png"
	acc := &mAccount{
		ID: a.numID, Username: user, Acct: user, DisplayName: a.spec.Profile.Name,
		Discoverable: true, Indexable: true,
		CreatedAt: mastodonTime(a.since),
		Note:      "<p>" + escape(a.spec.Profile.Bio) + "</p>",
		URL:       base + "/@" + user, URI: base + "/users/" + user,
		Avatar: avatar, AvatarStatic: avatar, Header: header, HeaderStatic: header,
		FollowersCount: a.spec.Profile.Followers, FollowingCount: a.spec.Profile.Following,
		StatusesCount: int64(len(posts)),
		Emojis:        []struct{}{}, Roles: []struct{}{}, Fields: []mField{},
	}
	if len(posts) > 0 {
		day := posts[0].at.UTC().Format("2006-01-02")
		acc.LastStatusAt = &day
	}
	return acc
}

func (s *Server) mastodonStatusJSON(p *post) *mStatus {
	return s.mastodonStatusDepth(p, 0)
}

// mastodonStatusDepth renders a status; a status quoted inside another
// (depth 1) shows its own quote as a ShallowQuote, as Mastodon does.
func (s *Server) mastodonStatusDepth(p *post, depth int) *mStatus {
	base := s.mastodonBase()
	user := p.acct.spec.Profile.Handle
	st := &mStatus{
		ID: p.id, CreatedAt: mastodonTime(p.at), Visibility: "public",
		Account:          s.mastodonAccountJSON(p.acct),
		MediaAttachments: []mMedia{}, Mentions: []mMention{}, Tags: []mTag{}, Emojis: []struct{}{},
	}
	if p.repost != nil {
		// A boost wraps the boosted status; its own uri and url name the
		// Announce activity.
		u := base + "/users/" + user + "/statuses/" + p.id + "/activity"
		st.URI, st.URL = u, &u
		st.Reblog = s.mastodonStatusDepth(p.repost, depth)
		return st
	}
	lang := "es"
	u := base + "/@" + user + "/" + p.id
	st.Language, st.URI, st.URL = &lang, base+"/users/"+user+"/statuses/"+p.id, &u
	st.RepliesCount, st.ReblogsCount, st.FavouritesCount = p.replies, p.reposts, p.likes
	st.Application = &mApp{Name: "Web"}
	if !p.edited.IsZero() {
		e := mastodonTime(p.edited)
		st.EditedAt = &e
	}
	if t := p.replyTo; t != nil {
		id, acct := t.id, t.acct.numID
		st.InReplyToID, st.InReplyToAccountID = &id, &acct
	}
	content, tags, mentions := mastodonContent(base, p.text, s.mastodonMention)
	st.Content = content
	if q := p.quote; q != nil {
		// The server prepends an "RE:" link to the quoted post for clients
		// without quotes; it is null in quoted_status once q is deleted.
		qURL := base + "/@" + q.acct.spec.Profile.Handle + "/" + q.id
		st.Content = `<p class="quote-inline">RE: ` + mastodonLink(qURL) + `</p>` + content
		switch {
		case depth > 0 && q.deleted:
			st.Quote = &mShallowQuote{State: "deleted"}
		case depth > 0:
			id := q.id
			st.Quote = &mShallowQuote{State: "accepted", QuotedStatusID: &id}
		case q.deleted:
			st.Quote = &mQuote{State: "deleted"}
		default:
			st.Quote = &mQuote{State: "accepted", QuotedStatus: s.mastodonStatusDepth(q, depth+1)}
		}
	}
	if tags != nil {
		st.Tags = tags
	}
	if mentions != nil {
		st.Mentions = mentions
	}
	for _, m := range p.media {
		id := snowflake(p.at, "media:"+p.id+":"+m.File)
		dir := base + "/system/media_attachments/files/" + idPath(id)
		kind := "image"
		if strings.HasPrefix(mediaType(m), "video/") {
			kind = "video"
		}
		dim := mDim{Width: placeholderWidth, Height: placeholderHeight, Size: "320x240", Aspect: 4.0 / 3}
		st.MediaAttachments = append(st.MediaAttachments, mMedia{
			ID: id, Type: kind, URL: dir + "/original/" + m.File, PreviewURL: dir + "/small/" + m.File,
			Meta:        mMeta{Original: dim, Small: dim},
			Description: m.Alt, Blurhash: "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
		})
	}
	return st
}
