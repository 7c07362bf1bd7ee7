package archive

import (
	"encoding/json"
	"time"
)

// HitJSON is a post as scripts read it: the contract of "vigia search
// --format jsonl", of GET /api/v1/posts and of the publicaciones.jsonl of an
// access-request package. Scripts rely on these field names. Its fields
// are those of Fields, in their order (NewHitJSON sets each from its Field).
type HitJSON struct {
	Network         string  `json:"network"`
	Account         string  `json:"account"`
	PostID          string  `json:"post_id"`
	URL             string  `json:"url"`
	Author          string  `json:"author"`
	PublishedAt     *string `json:"published_at"`
	EditedAt        *string `json:"edited_at"`
	Edited          bool    `json:"edited"`
	CapturedAt      string  `json:"captured_at"`
	Text            string  `json:"text"`
	Language        string  `json:"language"`
	ReplyTo         string  `json:"reply_to"`
	RepostOf        string  `json:"repost_of"`
	Shared          *Shared `json:"shared"` // someone else's post this one carries; null when none
	Media           []Media `json:"media"`
	Metrics         Metrics `json:"metrics"`
	ContentSHA256   string  `json:"content_sha256"`
	Label           string  `json:"label"`
	Confidence      float64 `json:"confidence"`
	Basis           string  `json:"basis"`
	Rationale       string  `json:"rationale"`
	DecidedBy       string  `json:"decided_by"`
	Versions        int     `json:"versions"`
	DeletedAtSource *string `json:"deleted_at_source"`
	AccountType     string  `json:"account_type"`
	Area            string  `json:"area"`
	// Provenance says, in Spanish, whether the version was captured by
	// vigia or imported from the holder's data export (and when it was
	// handed in).
	Provenance string `json:"provenance"`
}

// HealthJSON is an account's crawl health as scripts read it: the contract
// of "vigia accounts --format jsonl" and of GET /api/v1/accounts.
type HealthJSON struct {
	Account             string  `json:"account"`
	Network             string  `json:"network"`
	Handle              string  `json:"handle"`
	Status              string  `json:"status"`
	LastAttempt         *string `json:"last_attempt"`
	LastSuccess         *string `json:"last_success"`
	LastError           string  `json:"last_error,omitempty"`
	LastErrorAt         *string `json:"last_error_at"`
	ConsecutiveFailures int     `json:"consecutive_failures"`
	NewestPostAt        *string `json:"newest_post_at"`
	LagSeconds          int64   `json:"lag_seconds"`
	Posts               int     `json:"posts"`
	LastSweep           *string `json:"last_sweep"`
	LastSweepChecked    int     `json:"last_sweep_checked"`
	LastSweepComplete   bool    `json:"last_sweep_complete"`
}

// NewHealthJSON gives h in its JSON contract form, its lag counted to now.
func NewHealthJSON(h *AccountHealth, now time.Time) HealthJSON {
	return HealthJSON{
		Account: h.AccountID, Network: string(h.Network), Handle: h.Handle, Status: h.Status(),
		LastAttempt: jsonTime(h.LastAttempt), LastSuccess: jsonTime(h.LastSuccess), LastError: h.LastError,
		LastErrorAt: jsonTime(h.LastErrorAt), ConsecutiveFailures: h.ConsecutiveFailures,
		NewestPostAt: jsonTime(h.NewestPostAt), LagSeconds: int64(h.Lag(now).Seconds()), Posts: h.Posts,
		LastSweep: jsonTime(h.LastSweep), LastSweepChecked: h.LastSweepChecked, LastSweepComplete: h.LastSweepComplete,
	}
}

// jsonTime is t in RFC 3339, UTC, or nil for the zero time.
func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// HistoryJSON is everything the archive holds about one post, as scripts
// read it: the contract of "vigia show --format json" and of
// GET /api/v1/posts/{network}/{account}/{id}. The standing decision is the
// one the reader is shown (the public role's is that of what it may see).
type HistoryJSON struct {
	Network       string        `json:"network"`
	Account       string        `json:"account"`
	PostID        string        `json:"post_id"`
	URL           string        `json:"url"`
	Label         Label         `json:"label"`
	Confidence    float64       `json:"confidence"`
	Basis         string        `json:"basis"`
	Rationale     string        `json:"rationale"`
	DecidedBy     string        `json:"decided_by"`
	Captures      int           `json:"captures"`
	FirstCaptured *string       `json:"first_captured"`
	LastCaptured  *string       `json:"last_captured"`
	Versions      []VersionJSON `json:"versions"` // oldest first
	Events        []Event       `json:"events"`
	Decisions     []Decision    `json:"decisions"`
	Seen          []SeenJSON    `json:"seen"` // when each content was captured, first seen first
}

// VersionJSON is one version of a post in HistoryJSON.
type VersionJSON struct {
	Version       int        `json:"version"`
	URL           string     `json:"url"`
	Author        string     `json:"author"`
	PublishedAt   *time.Time `json:"published_at"`
	EditedAt      *time.Time `json:"edited_at"`
	Edited        bool       `json:"edited"`
	CapturedAt    time.Time  `json:"captured_at"`
	Text          string     `json:"text"`
	Language      string     `json:"language"`
	ReplyTo       string     `json:"reply_to"`
	RepostOf      string     `json:"repost_of"`
	Shared        *Shared    `json:"shared"` // someone else's post the version carries
	Media         []Media    `json:"media"`
	Metrics       Metrics    `json:"metrics"`
	ContentSHA256 string     `json:"content_sha256"`
	SourceURL     string     `json:"source_url,omitempty"`
	// Raw is the post as received when it is JSON; RawText when it is
	// not (HTML, XML); neither when none was kept or the reader may not
	// see it.
	Raw     json.RawMessage `json:"raw,omitempty"`
	RawText string          `json:"raw_text,omitempty"`
	RawType string          `json:"raw_type,omitempty"`
	WARC    WARCRef         `json:"warc"`
}

// SeenJSON is when a post was captured with one content.
type SeenJSON struct {
	ContentSHA256 string `json:"content_sha256"`
	First         string `json:"first"`
	Last          string `json:"last"`
	Captures      int    `json:"captures"`
}

// NewHistoryJSON gives h in its JSON contract form, with standing as the
// decision that stands.
func NewHistoryJSON(h *PostHistory, standing Decision) HistoryJSON {
	out := HistoryJSON{
		Network: string(h.Key.Network), Account: h.Key.AccountID, PostID: h.Key.PostID,
		Label: standing.Label, Confidence: standing.Confidence, Basis: standing.Basis,
		Rationale: standing.Rationale, DecidedBy: standing.DecidedBy,
		Captures: h.Captures, FirstCaptured: jsonTime(h.FirstCaptured), LastCaptured: jsonTime(h.LastCaptured),
		Versions: make([]VersionJSON, len(h.Versions)), Events: h.Events, Decisions: h.Decisions,
		Seen: make([]SeenJSON, len(h.Seen)),
	}
	if out.Events == nil {
		out.Events = []Event{}
	}
	if out.Decisions == nil {
		out.Decisions = []Decision{}
	}
	if n := len(h.Versions); n > 0 {
		out.URL = h.Versions[n-1].URL
	}
	for i := range h.Versions {
		v := &h.Versions[i]
		j := VersionJSON{
			Version: v.Version, URL: v.URL, Author: v.Author, Edited: v.Edited, CapturedAt: v.CapturedAt,
			Text: v.Text, Language: v.Language, ReplyTo: v.ReplyTo, RepostOf: v.RepostOf, Shared: v.Shared,
			Media: v.Media, Metrics: v.Metrics, ContentSHA256: v.ContentSHA256, SourceURL: v.SourceURL, WARC: v.WARC,
		}
		if j.Media == nil {
			j.Media = []Media{}
		}
		if !v.PublishedAt.IsZero() {
			j.PublishedAt = &v.PublishedAt
		}
		if !v.EditedAt.IsZero() {
			j.EditedAt = &v.EditedAt
		}
		switch {
		case len(v.Raw) == 0: // none kept, or withheld from the reader
		case json.Valid(v.Raw):
			j.Raw, j.RawType = v.Raw, v.RawType
		default:
			j.RawText, j.RawType = string(v.Raw), v.RawType
		}
		out.Versions[i] = j
	}
	for i, s := range h.Seen {
		out.Seen[i] = SeenJSON{ContentSHA256: s.ContentSHA256, First: s.First.UTC().Format(time.RFC3339), Last: s.Last.UTC().Format(time.RFC3339), Captures: s.Captures}
	}
	return out
}
