// Package review records the decisions people make on posts: what
// "vigia review decide" and the web application's review both do. The
// decision itself (its basis under the policy in use) is decision.Person's;
// review checks what a person asked, finds the version and appends.
package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/decision"
)

// ErrInvalid reports a decision that cannot be recorded as asked: a label
// other than function or personal, no reason, no one deciding.
var ErrInvalid = errors.New("invalid decision")

// Store is what deciding reads and writes.
type Store interface {
	archive.Reader
	archive.Appender
}

// Check reports, as ErrInvalid, what would keep Decide from recording a
// decision with these label, reason and author, before anything is read or
// written (so that a caller can audit a decision before making it).
func Check(label archive.Label, reason, who string) error {
	switch {
	case label != archive.Function && label != archive.Personal:
		return fmt.Errorf("%w: %q: a person decides function or personal", ErrInvalid, label)
	case strings.TrimSpace(reason) == "":
		return fmt.Errorf("%w: a person's decision needs a reason", ErrInvalid)
	case strings.TrimSpace(who) == "":
		return fmt.Errorf("%w: no one named as deciding", ErrInvalid)
	}
	return nil
}

// Decide records a person's decision on the latest version of the post k
// names: label with full confidence, the basis of pol's rule for the
// account's type (decision.Basis), reason as rationale, "person:WHO" as author. It
// supersedes any rule's or model's on that version everywhere; an edit is
// decided afresh (archive.PostHistory.StandingOf). It returns the decision and
// the version decided on; archive.ErrNotFound when there is no such post.
func Decide(ctx context.Context, st Store, pol *classifier.Policy, k archive.Key, label archive.Label, reason, who string, at time.Time) (archive.Decision, int, error) {
	if err := Check(label, reason, who); err != nil {
		return archive.Decision{}, 0, err
	}
	reason, who = strings.TrimSpace(reason), strings.TrimSpace(who)
	h, err := st.History(ctx, k)
	if err != nil {
		return archive.Decision{}, 0, err
	}
	if len(h.Versions) == 0 {
		return archive.Decision{}, 0, fmt.Errorf("post %s/%s has no version to decide on: %w", k.AccountID, k.PostID, archive.ErrNotFound)
	}
	accts, err := st.Accounts(ctx)
	if err != nil {
		return archive.Decision{}, 0, err
	}
	// An account the archive has no snapshot of is judged as personal.
	var acct decision.Account
	for _, a := range accts {
		if a.ID == k.AccountID {
			acct = decision.FromArchive(a)
		}
	}
	latest := h.Versions[len(h.Versions)-1]
	d := decision.Person(pol, acct, k, latest.ContentSHA256, label, reason, who, at)
	if err := st.Append(ctx, &archive.Batch{Decisions: []archive.Decision{d}}); err != nil {
		return archive.Decision{}, 0, err
	}
	return d, latest.Version, nil
}
