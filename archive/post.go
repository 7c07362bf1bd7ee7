package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Network names a supported social network.
type Network string

// The networks vigia crawls.
const (
	Mastodon Network = "mastodon"
	Bluesky  Network = "bluesky"
	Telegram Network = "telegram"
	YouTube  Network = "youtube"
	RSS      Network = "rss"
)

// The networks that show little or nothing without an account: vigia reads
// their posts from the data export the account's holder hands in (vigia
// import, package dataexport).
const (
	X         Network = "x"
	Facebook  Network = "facebook"
	Instagram Network = "instagram"
	TikTok    Network = "tiktok"
)

// Networks lists every supported network, in the order they are documented.
var Networks = []Network{Mastodon, Bluesky, Telegram, YouTube, RSS, X, Facebook, Instagram, TikTok}

// Valid reports whether n is a supported network.
func (n Network) Valid() bool { return slices.Contains(Networks, n) }

// Post is one observed version of a post. Every network adapter produces
// Posts; the crawl loop completes the archive-side fields (AccountID,
// CapturedAt, ContentSHA256, Version, CrawlerVersion, RunID) before the Post is
// stored.
type Post struct {
	Network   Network
	AccountID string // directory account id
	PostID    string // the network's own id: status id, record key, message number, video id, feed guid
	URL       string // canonical, human-facing URL
	Author    string // author handle as the network shows it

	PublishedAt time.Time
	EditedAt    time.Time // zero unless the network reports an edit time
	Edited      bool      // the network marks the post as edited (Telegram gives no time)
	CapturedAt  time.Time

	// Text is what the account published, as plain text. A repost has no
	// text of its own: its Text is empty, RepostOf names what was reposted
	// and Shared carries it. A Telegram forward is what the channel
	// published: its Text is the forwarded message's text, and Shared names
	// where it came from.
	Text     string
	Raw      []byte // the post as received: a JSON object, an HTML fragment, an XML element
	RawType  string // media type of Raw
	Language string // ISO 639-1 where the network declares it
	ReplyTo  string // URL or URI of the post this one answers
	RepostOf string // URL or URI of the reposted or forwarded post
	Media    []Media
	Metrics  Metrics
	// Shared is someone else's post this one carries (a repost, a quote, a
	// forward); nil when there is none.
	Shared *Shared

	SourceURL      string // the URL whose response held this post
	ContentSHA256  string // ContentHash of this version
	Version        int    // 1 for the first version seen, +1 for every edit
	CrawlerVersion string
	RunID          string
	WARC           WARCRef // the exchange whose response held this version
}

// SharedKind says how a post carries someone else's post.
type SharedKind string

// The ways a post carries another.
const (
	Repost  SharedKind = "repost"  // republished whole, with no text of the account's own (Mastodon reblog, Bluesky repost)
	Quote   SharedKind = "quote"   // cited below the account's own text (Bluesky quote embed, Mastodon quote)
	Forward SharedKind = "forward" // a Telegram forward: the text is the post's own Text; Shared names the origin
)

// Shared is someone else's post as a post carries it: kept with the version
// so that a reviewer reads what was shared without leaving vigia. Its words
// are the other author's, never the account's own, and pages show them so.
type Shared struct {
	Kind        SharedKind `json:"kind"`
	URL         string     `json:"url,omitempty"`         // the shared post's human-facing URL (a forward: the origin's link, when it has one)
	Author      string     `json:"author,omitempty"`      // handle as the network shows it
	AuthorName  string     `json:"author_name,omitempty"` // display name (a forward from a hidden user has only this)
	PublishedAt time.Time  `json:"published_at,omitzero"`
	Text        string     `json:"text,omitempty"` // plain text; empty for a forward, whose text is the post's Text
	Media       []Media    `json:"media,omitempty"`
}

// Media is an image, video, audio or document attached to a post.
type Media struct {
	Kind       string `json:"kind"` // image, video, gifv, audio, document, link
	URL        string `json:"url,omitempty"`
	PreviewURL string `json:"preview_url,omitempty"`
	Alt        string `json:"alt,omitempty"`
	MimeType   string `json:"mime_type,omitempty"`
	// ID is a stable identifier of the file where the network has one
	// (Mastodon attachment id, Bluesky blob CID). It is hashed instead of the
	// URL, which on some networks is signed and changes on every fetch.
	ID string `json:"id,omitempty"`

	// Set when the crawler fetched the file as evidence (images, video
	// posters); Note says why it did not (a video, over the size cap, an
	// error).
	WARCFile     string `json:"warc_file,omitempty"`
	WARCRecordID string `json:"warc_record_id,omitempty"`
	WARCOffset   int64  `json:"warc_offset,omitempty"`
	WARCDigest   string `json:"warc_digest,omitempty"`
	Bytes        int64  `json:"bytes,omitempty"`
	Note         string `json:"note,omitempty"`
}

// Metrics is a snapshot of a post's public counters, keyed by the names
// replies, reposts, likes, quotes and views. Counters a network rounds
// (Telegram's "33.4K") are stored rounded.
type Metrics map[string]int64

// Add records a counter the network reported; a nil v (not reported) is
// left out.
func (m *Metrics) Add(key string, v *int64) {
	if v == nil {
		return
	}
	if *m == nil {
		*m = Metrics{}
	}
	(*m)[key] = *v
}

// Key identifies a post across versions.
type Key struct {
	Network   Network
	AccountID string
	PostID    string
}

// Key returns the post's identity.
func (p *Post) Key() Key { return Key{p.Network, p.AccountID, p.PostID} }

// ContentHash returns the SHA-256, in hex, of what a post says: its text,
// what it answers or reposts, and its media. Counters, capture times and the
// raw bytes are left out, so that a new hash means the content changed.
//
// Shared is left out too: a repost or quote is identified by RepostOf (and a
// quote by its own text), and the other author editing their post, or the
// network showing less of it, is no edit of this one. A Telegram forward's
// text is the post's Text, hashed as any. A vigia that reads more of a post
// than an earlier one (a forward's text) changes its hash with no change at
// the source: the crawl records that version as Reparsed, not Edited
// (crawler.Reparser).
func (p *Post) ContentHash() string {
	h := sha256.New()
	field := func(name, value string) {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(len(value))))
		h.Write([]byte{0})
		h.Write([]byte(value))
	}
	field("text", p.Text)
	field("reply_to", p.ReplyTo)
	field("repost_of", p.RepostOf)
	media := make([]string, 0, len(p.Media))
	for _, m := range p.Media {
		id := m.ID
		if id == "" {
			id = m.URL
		}
		media = append(media, m.Kind+" "+id+" "+m.Alt)
	}
	sort.Strings(media)
	for _, m := range media {
		field("media", m)
	}
	return hex.EncodeToString(h.Sum(nil))
}
