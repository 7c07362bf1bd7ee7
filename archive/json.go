package archive

import "time"

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
