package samplenet

import (
	"html"
	"net/url"
	"strings"
	"time"
)

// The Mastodon REST entities, with the field names and order of the real
// API as an unauthenticated client receives them (no favourited, reblogged,
// muted, bookmarked or pinned).

type mStatus struct {
	ID                 string     `json:"id"`
	CreatedAt          string     `json:"created_at"`
	InReplyToID        *string    `json:"in_reply_to_id"`
	InReplyToAccountID *string    `json:"in_reply_to_account_id"`
	Sensitive          bool       `json:"sensitive"`
	SpoilerText        string     `json:"spoiler_text"`
	Visibility         string     `json:"visibility"`
	Language           *string    `json:"language"`
	URI                string     `json:"uri"`
	URL                *string    `json:"url"`
	RepliesCount       int64      `json:"replies_count"`
	ReblogsCount       int64      `json:"reblogs_count"`
	FavouritesCount    int64      `json:"favourites_count"`
	QuotesCount        int64      `json:"quotes_count"`
	EditedAt           *string    `json:"edited_at"`
	Content            string     `json:"content"`
	Reblog             *mStatus   `json:"reblog"`
	Application        *mApp      `json:"application,omitempty"`
	Account            *mAccount  `json:"account"`
	MediaAttachments   []mMedia   `json:"media_attachments"`
	Mentions           []mMention `json:"mentions"`
	Tags               []mTag     `json:"tags"`
	Emojis             []struct{} `json:"emojis"`
	Quote              any        `json:"quote"` // *mQuote, *mShallowQuote or nil (Mastodon 4.4)
	Card               *struct{}  `json:"card"`
	Poll               *struct{}  `json:"poll"`
}

// mQuote is a Quote: the quoted status while it can be shown, null once
// deleted.
type mQuote struct {
	State        string   `json:"state"`
	QuotedStatus *mStatus `json:"quoted_status"`
}

// mShallowQuote is the quote of a status shown inside another's.
type mShallowQuote struct {
	State          string  `json:"state"`
	QuotedStatusID *string `json:"quoted_status_id"`
}

type mApp struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

type mAccount struct {
	ID              string     `json:"id"`
	Username        string     `json:"username"`
	Acct            string     `json:"acct"`
	DisplayName     string     `json:"display_name"`
	Locked          bool       `json:"locked"`
	Bot             bool       `json:"bot"`
	Discoverable    bool       `json:"discoverable"`
	Indexable       bool       `json:"indexable"`
	Group           bool       `json:"group"`
	CreatedAt       string     `json:"created_at"`
	Note            string     `json:"note"`
	URL             string     `json:"url"`
	URI             string     `json:"uri"`
	Avatar          string     `json:"avatar"`
	AvatarStatic    string     `json:"avatar_static"`
	Header          string     `json:"header"`
	HeaderStatic    string     `json:"header_static"`
	FollowersCount  int64      `json:"followers_count"`
	FollowingCount  int64      `json:"following_count"`
	StatusesCount   int64      `json:"statuses_count"`
	LastStatusAt    *string    `json:"last_status_at"`
	HideCollections bool       `json:"hide_collections"`
	Noindex         bool       `json:"noindex"`
	Emojis          []struct{} `json:"emojis"`
	Roles           []struct{} `json:"roles"`
	Fields          []mField   `json:"fields"`
}

type mField struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

type mMedia struct {
	ID               string  `json:"id"`
	Type             string  `json:"type"`
	URL              string  `json:"url"`
	PreviewURL       string  `json:"preview_url"`
	RemoteURL        *string `json:"remote_url"`
	PreviewRemoteURL *string `json:"preview_remote_url"`
	TextURL          *string `json:"text_url"`
	Meta             mMeta   `json:"meta"`
	Description      string  `json:"description"`
	Blurhash         string  `json:"blurhash"`
}

type mMeta struct {
	Original mDim `json:"original"`
	Small    mDim `json:"small"`
}

type mDim struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

type mMention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

type mTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type mError struct {
	Error string `json:"error"`
}

// mastodonTime formats a time as Mastodon does: UTC with milliseconds.
func mastodonTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// mastodonContent renders plain text as Mastodon's sanitized status HTML:
// paragraphs, <br />, links with their invisible and ellipsis spans, hashtag
// links and h-card mentions. mention resolves a written handle to the
// account mentioned, or nil to leave the text as written.
func mastodonContent(base, text string, mention func(handle string) *mMention) (string, []mTag, []mMention) {
	var b strings.Builder
	var tags []mTag
	var mentions []mMention
	for _, lines := range paragraphs(text) {
		b.WriteString("<p>")
		for i, line := range lines {
			if i > 0 {
				b.WriteString("<br />")
			}
			for _, seg := range segments(line) {
				switch seg.kind {
				case segLink:
					b.WriteString(mastodonLink(seg.value))
				case segTag:
					name := strings.ToLower(seg.value)
					u := base + "/tags/" + url.PathEscape(name)
					b.WriteString(`<a href="` + escape(u) + `" class="mention hashtag" rel="tag">#<span>` + escape(seg.value) + `</span></a>`)
					tags = appendTag(tags, mTag{Name: name, URL: u})
				case segMention:
					m := mention(seg.value)
					if m == nil {
						b.WriteString(escape(seg.text))
						continue
					}
					b.WriteString(`<span class="h-card" translate="no"><a href="` + escape(m.URL) + `" class="u-url mention">@<span>` + escape(m.Username) + `</span></a></span>`)
					mentions = append(mentions, *m)
				default:
					b.WriteString(escape(seg.text))
				}
			}
		}
		b.WriteString("</p>")
	}
	return b.String(), tags, mentions
}

// mastodonLink renders a URL the way Mastodon shortens it: the scheme and
// "www." hidden, at most 30 characters shown, the rest hidden.
func mastodonLink(u string) string {
	prefix := ""
	rest := u
	for _, p := range []string{"https://www.", "http://www.", "https://", "http://"} {
		if strings.HasPrefix(u, p) {
			prefix, rest = p, u[len(p):]
			break
		}
	}
	shown, hidden, class := rest, "", ""
	if len(rest) > 30 {
		cut := 30
		for cut > 0 && !isRuneStart(rest[cut]) {
			cut--
		}
		shown, hidden, class = rest[:cut], rest[cut:], "ellipsis"
	}
	return `<a href="` + escape(u) + `" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">` +
		escape(prefix) + `</span><span class="` + class + `">` + escape(shown) + `</span><span class="invisible">` +
		escape(hidden) + `</span></a>`
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// escape escapes text for HTML as Rails does (&quot; rather than &#34;).
func escape(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "&#34;", "&quot;")
}

func appendTag(tags []mTag, t mTag) []mTag {
	for _, have := range tags {
		if have.Name == t.Name {
			return tags
		}
	}
	return append(tags, t)
}

// idPath splits a numeric id in groups of three digits, as Mastodon's media
// storage paths do ("113/012/…").
func idPath(id string) string {
	for len(id)%3 != 0 {
		id = "0" + id
	}
	parts := make([]string, 0, len(id)/3)
	for i := 0; i < len(id); i += 3 {
		parts = append(parts, id[i:i+3])
	}
	return strings.Join(parts, "/")
}

// idBefore reports whether Mastodon id a is older than b: ids are numeric
// strings, compared by length and then lexically.
func idBefore(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// mastodonWindow picks the page of a newest-first id list that a query
// asks for: max_id, since_id and min_id bounds and a limit. It returns the
// index range and the limit applied.
func mastodonWindow(ids []string, q url.Values, maxLimit int) (from, to, limit int) {
	limit = 20
	if n, err := parsePositive(q.Get("limit")); err == nil {
		limit = n
	}
	limit = min(limit, 40, maxLimit)
	from, to = 0, len(ids)
	if maxID := q.Get("max_id"); maxID != "" {
		for from < to && !idBefore(ids[from], maxID) {
			from++
		}
	}
	bound := q.Get("min_id")
	if bound == "" {
		bound = q.Get("since_id")
	}
	if bound != "" {
		end := from
		for end < to && idBefore(bound, ids[end]) {
			end++
		}
		to = end
	}
	if q.Get("min_id") != "" && q.Get("since_id") == "" {
		// min_id pages upwards: the statuses just above the bound.
		from = max(from, to-limit)
	}
	to = min(to, from+limit)
	return from, to, limit
}

// mastodonLinkHeader builds the Link header of a listing page: next (older)
// when the page is full, prev (newer) when it is not empty.
func mastodonLinkHeader(endpoint string, q url.Values, page []string, limit int) string {
	keep := url.Values{}
	for _, k := range []string{"limit", "exclude_replies", "exclude_reblogs", "only_media", "pinned", "tagged"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	link := func(key, id, rel string) string {
		v := url.Values{}
		for k, vs := range keep {
			v[k] = vs
		}
		v.Set(key, id)
		return "<" + endpoint + "?" + v.Encode() + `>; rel="` + rel + `"`
	}
	var parts []string
	if len(page) > 0 && len(page) == limit {
		parts = append(parts, link("max_id", page[len(page)-1], "next"))
	}
	if len(page) > 0 {
		parts = append(parts, link("min_id", page[0], "prev"))
	}
	return strings.Join(parts, ", ")
}
