package archive

import (
	"context"
	"strings"
	"time"
)

// A decision binds to the content it was made on: it stands for the version
// whose content hash it names, and for no other. A person's decision on a
// version supersedes any rule's or model's on that version; a new version
// is decided afresh, and goes to a person when a person had decided an
// earlier version of the post (Reviewed).

// IsPerson reports whether decidedBy names a person ("person:NAME") rather
// than a rule or a model.
func IsPerson(decidedBy string) bool { return strings.HasPrefix(decidedBy, "person:") }

// Standing is the decision that stands for the post's latest version (see
// StandingOf). Search gives the same as Hit.Decision.
func (h *PostHistory) Standing() Decision {
	if n := len(h.Versions); n > 0 {
		return h.StandingOf(h.Versions[n-1].ContentSHA256)
	}
	return h.StandingOf("")
}

// StandingOf is the decision that stands for the version with content hash
// sha: the latest a person made on that content; otherwise the latest a rule
// or a model made on it; otherwise an undetermined one, which no reader
// treats as public information.
func (h *PostHistory) StandingOf(sha string) Decision {
	var person, latest *Decision
	for i := range h.Decisions {
		d := &h.Decisions[i]
		if d.ContentSHA256 != sha || sha == "" {
			continue
		}
		if IsPerson(d.DecidedBy) {
			if person == nil || !d.DecidedAt.Before(person.DecidedAt) {
				person = d
			}
		} else if latest == nil || !d.DecidedAt.Before(latest.DecidedAt) {
			latest = d
		}
	}
	switch {
	case person != nil:
		return *person
	case latest != nil:
		return *latest
	}
	return Decision{Network: h.Key.Network, AccountID: h.Key.AccountID, PostID: h.Key.PostID, ContentSHA256: sha, Label: Undetermined}
}

// Reviewed reports whether a person decided some version of the post. When
// one did and no person decided the latest version, the post awaits a person
// whatever a rule or a model said of it.
func (h *PostHistory) Reviewed() bool {
	for i := range h.Decisions {
		if IsPerson(h.Decisions[i].DecidedBy) {
			return true
		}
	}
	return false
}

// Visibility is the rule by which the public role reads a post version:
// its standing decision is Function and, when a person decided some version
// of the post, a person's; and a model's decision counts only at or above
// the office's publication threshold. Below it the version waits for a
// person, hidden: a model's guess is never published. Rules and people
// decide with full confidence and are not held to the threshold.
//
// It is carried explicitly, from the policy in use (classifier's
// publish_threshold), to every reader that decides what the public sees:
// Query.Visibility, the history methods, access packages.
type Visibility struct {
	// Threshold is the publication threshold: the least confidence at
	// which a model's function decision makes a version public. Zero (or
	// anything outside (0, 1]) publishes no model decision: a reader that
	// was not told the office's threshold fails closed.
	Threshold float64
}

// ModelFloor is the least confidence at which Admits takes a model's
// decision: Threshold, or 2 (above any confidence) when Threshold is not
// a confidence. Engines compare with it in SQL.
func (v Visibility) ModelFloor() float64 {
	if v.Threshold <= 0 || v.Threshold > 1 {
		return 2
	}
	return v.Threshold
}

// IsRule reports whether decidedBy names an account rule ("rule:VERSION").
func IsRule(decidedBy string) bool { return strings.HasPrefix(decidedBy, "rule:") }

// Admits reports whether d, standing for a version of a post (reviewed: a
// person decided some version of it), makes the version public.
func (v Visibility) Admits(d Decision, reviewed bool) bool {
	if d.Label != Function {
		return false
	}
	if IsPerson(d.DecidedBy) {
		return true
	}
	return !reviewed && (IsRule(d.DecidedBy) || d.Confidence >= v.ModelFloor())
}

// BelowThreshold reports whether d is a model's function decision that the
// threshold alone keeps from the public: it waits for a person.
func (v Visibility) BelowThreshold(d Decision) bool {
	return d.Label == Function && !IsPerson(d.DecidedBy) && !IsRule(d.DecidedBy) && d.Confidence < v.ModelFloor()
}

// ReviewRank is where a post awaiting a person stands in the review
// queue, by what deciding it would most change in the public view: 0, an
// edit of a post a person had decided (it left the public view when it was
// edited, whatever a model says of it); 1, a model's function decision
// below the publication threshold (one decision away from publication;
// the closest to the threshold first); 2, undetermined; 3, the rest
// (decisions of low confidence). Both engines order the queue so.
func ReviewRank(h *Hit, v Visibility) int {
	switch {
	case h.Reviewed:
		return 0
	case v.BelowThreshold(h.Decision):
		return 1
	case h.Decision.Label == Undetermined:
		return 2
	}
	return 3
}

// PublicOf reports whether the public role may read the version with
// content hash sha under v: its standing decision is Function, a model's
// only at or above v's threshold, and, when a person decided some version
// of the post, a person's. An edit of a post a person reviewed waits for a
// person however sure a model is of it: its text is new, and a servant can
// write personal data into an official-sounding edit.
func (h *PostHistory) PublicOf(sha string, v Visibility) bool {
	return v.Admits(h.StandingOf(sha), h.Reviewed())
}

// Public reports whether the public role may read the post under v:
// whether it may read its latest version.
func (h *PostHistory) Public(v Visibility) bool {
	n := len(h.Versions)
	return n > 0 && h.PublicOf(h.Versions[n-1].ContentSHA256, v)
}

// Public reports whether the public role may read the post a search hit
// found under v, as PostHistory.Public does of its history.
func (h *Hit) Public(v Visibility) bool {
	return v.Admits(h.Decision, h.Reviewed)
}

// PublicVersions returns the versions the public role may read under v
// (PublicOf), oldest first.
func (h *PostHistory) PublicVersions(v Visibility) []Post {
	var out []Post
	for _, p := range h.Versions {
		if h.PublicOf(p.ContentSHA256, v) {
			out = append(out, p)
		}
	}
	return out
}

// SeenSpan sums up seen: how many captures, the first and the last.
func SeenSpan(seen []Seen) (captures int, first, last time.Time) {
	for _, s := range seen {
		captures += s.Captures
		if first.IsZero() || s.First.Before(first) {
			first = s.First
		}
		if s.Last.After(last) {
			last = s.Last
		}
	}
	return captures, first, last
}

// HistoryReader is an engine that reads the histories of many posts at
// once: what History gives of each post of keys the archive holds (keys it
// does not hold are left out), in a few readings of each table.
type HistoryReader interface {
	Histories(ctx context.Context, keys []Key) (map[Key]*PostHistory, error)
}

// KeysWhere is the SQL condition, with its arguments, that selects the rows
// of the posts of keys, and may select others of their accounts: every
// row of one of the keys' accounts and ids (the reader keeps those of
// keys). Both engines write it so: "?" arguments, the columns named
// network, account_id and post_id.
func KeysWhere(keys []Key) (string, []any) {
	var accounts, ids []string
	seenA, seenI := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		if !seenA[k.AccountID] {
			seenA[k.AccountID] = true
			accounts = append(accounts, k.AccountID)
		}
		if !seenI[k.PostID] {
			seenI[k.PostID] = true
			ids = append(ids, k.PostID)
		}
	}
	args := make([]any, 0, len(accounts)+len(ids))
	for _, a := range accounts {
		args = append(args, a)
	}
	for _, id := range ids {
		args = append(args, id)
	}
	marks := func(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
	return " WHERE account_id IN (" + marks(len(accounts)) + ") AND post_id IN (" + marks(len(ids)) + ")", args
}
