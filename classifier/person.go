package classifier

import (
	"errors"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// PersonDecision is the decision a person records on the latest version of
// the post h holds: label with full confidence, the basis of the policy's
// rule for the account's type, reason as rationale, "person:WHO" as author.
// It supersedes any rule's or model's everywhere.
func PersonDecision(h *archive.PostHistory, accountType string, label archive.Label, reason, who string, at time.Time) (archive.Decision, error) {
	if label != archive.Function && label != archive.Personal {
		return archive.Decision{}, errors.New("a person decides function or personal")
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		return archive.Decision{}, errors.New("a person's decision needs a reason")
	}
	if len(h.Versions) == 0 {
		return archive.Decision{}, errors.New("the post has no version to decide on")
	}
	basis := DefaultPolicy().Rules.Personal.Basis
	if accountType == "official" {
		basis = DefaultPolicy().Rules.Official.Basis
	}
	latest := h.Versions[len(h.Versions)-1]
	return archive.Decision{
		Network: h.Key.Network, AccountID: h.Key.AccountID, PostID: h.Key.PostID, ContentSHA256: latest.ContentSHA256,
		Label: label, Confidence: 1, Basis: basis, Rationale: reason,
		DecidedBy: "person:" + who, DecidedAt: at.UTC(),
	}, nil
}
