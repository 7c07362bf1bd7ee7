package archive

import "time"

// HitJSON is a post as scripts read it: the contract of "vigia search
// --format jsonl", of GET /api/v1/posts and of the publicaciones.jsonl of an
// access-request package. Scripts rely on these field names.
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
}

// NewHitJSON gives h in its JSON contract form.
func NewHitJSON(h *Hit) HitJSON {
	media := h.Media
	if media == nil {
		media = []Media{}
	}
	metrics := h.Metrics
	if metrics == nil {
		metrics = Metrics{}
	}
	return HitJSON{
		Network: string(h.Network), Account: h.AccountID, PostID: h.PostID, URL: h.URL, Author: h.Author,
		PublishedAt: jsonTime(h.PublishedAt), EditedAt: jsonTime(h.EditedAt), Edited: h.Edited || h.Versions > 1, CapturedAt: h.CapturedAt.UTC().Format(time.RFC3339),
		Text: h.Text, Language: h.Language, ReplyTo: h.ReplyTo, RepostOf: h.RepostOf, Media: media, Metrics: metrics,
		ContentSHA256: h.ContentSHA256, Label: string(h.Decision.Label), Confidence: h.Decision.Confidence,
		Basis: h.Decision.Basis, Rationale: h.Decision.Rationale, DecidedBy: h.Decision.DecidedBy,
		Versions: h.Versions, DeletedAtSource: jsonTime(h.DeletedAtSource), AccountType: h.AccountType, Area: h.Area,
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
