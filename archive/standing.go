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

// PublicOf reports whether the public role may read the version with
// content hash sha: its standing decision is Function and, when a person
// decided some version of the post, a person's. An edit of a post a person
// reviewed waits for a person however sure a model is of it: its text is
// new, and a servant can write personal data into an official-sounding
// edit.
func (h *PostHistory) PublicOf(sha string) bool {
	d := h.StandingOf(sha)
	return d.Label == Function && (IsPerson(d.DecidedBy) || !h.Reviewed())
}

// Public reports whether the public role may read the post: whether it
// may read its latest version.
func (h *PostHistory) Public() bool {
	n := len(h.Versions)
	return n > 0 && h.PublicOf(h.Versions[n-1].ContentSHA256)
}

// Public reports whether the public role may read the post a search hit
// found, as PostHistory.Public does of its history.
func (h *Hit) Public() bool {
	return h.Decision.Label == Function && (IsPerson(h.Decision.DecidedBy) || !h.Reviewed)
}

// PublicVersions returns the versions the public role may read (PublicOf),
// oldest first.
func (h *PostHistory) PublicVersions() []Post {
	var out []Post
	for _, v := range h.Versions {
		if h.PublicOf(v.ContentSHA256) {
			out = append(out, v)
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
