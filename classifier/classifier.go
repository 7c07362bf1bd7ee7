package classifier

import (
	"strings"
	"time"
)

// Label is a decision's verdict.
type Label string

// Labels.
const (
	Function     Label = "function"
	Personal     Label = "personal"
	Undetermined Label = "undetermined"
)

// Account is what the classifier needs to know of the account a post was
// published on.
type Account struct {
	Official           bool
	AdministeredByArea bool
	// The servant's term: zero bounds are open.
	TermFrom, TermTo time.Time
	Location         *time.Location // where dates are read; UTC when nil
}

// Post is what the classifier reads of a post.
type Post struct {
	Text        string
	PublishedAt time.Time
	Repost      bool // a repost or forward, without text of its own
	// OfficialMentions counts the official accounts of the directory the
	// text mentions, a signal of the content model.
	OfficialMentions int
}

// Decision is the classifier's verdict on one post.
type Decision struct {
	Label      Label
	Confidence float64 // probability that Label is right; 0 for undetermined
	Basis      string  // the policy clause
	Rationale  string  // the evidence in words, in Spanish
	DecidedBy  string  // "rule:VERSION" or "model:VERSION"
}

// Classifier applies a policy, and a content model to the posts of personal
// accounts that no account rule decides.
type Classifier struct {
	policy *Policy
	model  *Model
}

// New returns a classifier applying p and, for content, m; with a nil m the
// posts of personal accounts are left undetermined.
func New(p *Policy, m *Model) *Classifier { return &Classifier{policy: p, model: m} }

// Model returns the content model, nil when there is none.
func (c *Classifier) Model() *Model { return c.model }

// Classify decides on one post.
func (c *Classifier) Classify(a Account, p Post) Decision {
	rules := &c.policy.Rules
	var r Rule
	switch {
	case a.Official:
		r = rules.Official
	case !a.inTerm(p.PublishedAt):
		r = rules.OutsideTerm
	case a.AdministeredByArea:
		r = rules.Administered
	case p.Repost:
		r = rules.Repost
	case c.model != nil:
		return c.content(p.Text, p.OfficialMentions)
	default:
		r = rules.Personal
	}
	d := Decision{
		Label:     r.Label,
		Basis:     r.Basis,
		Rationale: a.fill(r.Rationale, p.PublishedAt),
		DecidedBy: "rule:" + c.policy.Version,
	}
	if d.Label != Undetermined {
		// The account rules follow from the register's facts, not from
		// reading the text: they are as certain as the directory.
		d.Confidence = 1
	}
	return d
}

func (a Account) inTerm(t time.Time) bool {
	if !a.TermFrom.IsZero() && t.Before(a.TermFrom) {
		return false
	}
	return a.TermTo.IsZero() || t.Before(a.TermTo)
}

// fill replaces the rationale's placeholders.
func (a Account) fill(s string, published time.Time) string {
	if !strings.Contains(s, "{") {
		return s
	}
	loc := a.Location
	if loc == nil {
		loc = time.UTC
	}
	term := "sin fecha de inicio"
	if !a.TermFrom.IsZero() {
		term = "desde el " + a.TermFrom.In(loc).Format(time.DateOnly)
	}
	if a.TermTo.IsZero() {
		term += ", en funciones"
	} else {
		// TermTo is the first instant after the term: show its last day.
		term += " hasta el " + a.TermTo.Add(-time.Nanosecond).In(loc).Format(time.DateOnly)
	}
	if strings.Contains(s, "{publicada}") {
		s = strings.ReplaceAll(s, "{publicada}", published.In(loc).Format(time.DateOnly))
	}
	if strings.Contains(s, "{periodo}") {
		s = strings.ReplaceAll(s, "{periodo}", term)
	}
	return s
}
