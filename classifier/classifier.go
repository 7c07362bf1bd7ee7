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
	// Leaves are the servant's licencias; Campaigns the campaigns (and
	// vedas) of the processes they are a candidate in.
	Leaves    []Span
	Campaigns []Campaign
}

// Span is the instants from From to just before To; a zero bound is open.
type Span struct{ From, To time.Time }

// Contains reports whether t is inside s.
func (s Span) Contains(t time.Time) bool {
	return (s.From.IsZero() || !t.Before(s.From)) && (s.To.IsZero() || t.Before(s.To))
}

// Campaign is a stage of an electoral process in which the servant is a
// candidate.
type Campaign struct {
	Process string // e.g. "Proceso Electoral Federal 2023-2024"
	Veda    bool   // the veda (days of silence before the vote), not the campaign
	Span    Span
}

// Post is what the classifier reads of a post.
type Post struct {
	Text        string
	PublishedAt time.Time
	Repost      bool // a repost or forward, without text of its own
	// OfficialMentions counts the official accounts of the directory the
	// text mentions, a signal of the content model.
	OfficialMentions int
	// Account is the account the post is on ("network/id"): a model trained
	// on the office's reviews knows how each reviewed account leans.
	Account string
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
	var leave *Span
	var campaign *Campaign
	extra := "" // what follows the rule's rationale
	switch {
	case a.Official:
		r = rules.Official
	case !a.inTerm(p.PublishedAt):
		r = rules.OutsideTerm
	case a.onLeave(p.PublishedAt) != nil:
		// On leave the servant exercises no function: personal, whatever
		// the text. When the leave is taken to campaign, the rationale
		// names the campaign too.
		r, leave = rules.Leave, a.onLeave(p.PublishedAt)
		if camp := a.campaign(p.PublishedAt); camp != nil {
			extra = " " + a.fill(rules.Candidacy.Rationale, p.PublishedAt, nil, camp)
		}
	case a.AdministeredByArea:
		r = rules.Administered
	case a.campaign(p.PublishedAt) != nil:
		// The servant's own campaign: electoral content is personal
		// (Sexta). What the content model reads as function goes to a
		// person with its evidence, so that a civil-protection notice is
		// not hidden by the rule nor a campaign post published on a guess.
		r, campaign = rules.Candidacy, a.campaign(p.PublishedAt)
		if c.model != nil && !p.Repost {
			if m := c.content(p.Text, p.OfficialMentions, p.Account); m.Label == Function {
				r, extra = rules.CandidacyReview, " "+m.Rationale
			}
		}
	case p.Repost:
		r = rules.Repost
	case c.model != nil:
		return c.content(p.Text, p.OfficialMentions, p.Account)
	default:
		r = rules.Personal
	}
	d := Decision{
		Label:     r.Label,
		Basis:     r.Basis,
		Rationale: a.fill(r.Rationale, p.PublishedAt, leave, campaign) + extra,
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

// onLeave returns the leave t falls in, nil when none.
func (a Account) onLeave(t time.Time) *Span {
	for i := range a.Leaves {
		if a.Leaves[i].Contains(t) {
			return &a.Leaves[i]
		}
	}
	return nil
}

// campaign returns the stage of the servant's candidacy t falls in, nil
// when none.
func (a Account) campaign(t time.Time) *Campaign {
	for i := range a.Campaigns {
		if a.Campaigns[i].Span.Contains(t) {
			return &a.Campaigns[i]
		}
	}
	return nil
}

// days writes a span of whole days read in loc: "del 2024-03-31 al
// 2024-05-29"; "desde el 2024-03-20, sin fecha de término" when it has no
// end.
func days(s Span, loc *time.Location) string {
	from := "sin fecha de inicio"
	if !s.From.IsZero() {
		from = s.From.In(loc).Format(time.DateOnly)
	}
	if s.To.IsZero() {
		return "desde el " + from + ", sin fecha de término"
	}
	// To is the first instant after the span: show its last day.
	return "del " + from + " al " + s.To.Add(-time.Nanosecond).In(loc).Format(time.DateOnly)
}

// fill replaces the rationale's placeholders.
func (a Account) fill(s string, published time.Time, leave *Span, campaign *Campaign) string {
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
	if leave != nil {
		s = strings.ReplaceAll(s, "{licencia}", days(*leave, loc))
	}
	if campaign != nil {
		stage := "la campaña"
		if campaign.Veda {
			stage = "la veda electoral"
		}
		s = strings.NewReplacer("{etapa}", stage, "{proceso}", campaign.Process, "{campana}", days(campaign.Span, loc)).Replace(s)
	}
	return s
}
