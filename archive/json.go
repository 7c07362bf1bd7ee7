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
}

// NewHealthJSON gives h in its JSON contract form, its lag counted to now.
func NewHealthJSON(h *AccountHealth, now time.Time) HealthJSON {
	return HealthJSON{
		Account: h.AccountID, Network: string(h.Network), Handle: h.Handle, Status: h.Status(),
		LastAttempt: jsonTime(h.LastAttempt), LastSuccess: jsonTime(h.LastSuccess), LastError: h.LastError,
		LastErrorAt: jsonTime(h.LastErrorAt), ConsecutiveFailures: h.ConsecutiveFailures,
		NewestPostAt: jsonTime(h.NewestPostAt), LagSeconds: int64(h.Lag(now).Seconds()), Posts: h.Posts,
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
