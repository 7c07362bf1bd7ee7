package decision

import (
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
)

// Basis is the clause a person's decision on a post of account a rests on,
// under pol: the basis of the official accounts' rule (Tercera in the
// policy of 2019) for an official account, of the personal accounts' rule
// (Sexta) for any other.
func Basis(pol *classifier.Policy, a Account) string {
	if a.Official() {
		return pol.Rules.Official.Basis
	}
	return pol.Rules.Personal.Basis
}

// Person returns a person's decision on the version of the post k names
// whose content hash is contentSHA256: label with full confidence, Basis,
// reason as rationale, "person:WHO" as author. It supersedes any rule's or
// model's on that version only (archive.PostHistory.StandingOf).
func Person(pol *classifier.Policy, a Account, k archive.Key, contentSHA256 string, label archive.Label, reason, who string, at time.Time) archive.Decision {
	return archive.Decision{
		Network: k.Network, AccountID: k.AccountID, PostID: k.PostID, ContentSHA256: contentSHA256,
		Label: label, Confidence: 1, Basis: Basis(pol, a), Rationale: reason,
		DecidedBy: "person:" + who, DecidedAt: at.UTC(),
	}
}
