package archive

import "strings"

// Standing is the decision that stands for the post: the latest a person
// made, on any version, over any rule's or model's; otherwise the latest
// made on its latest version; otherwise an undetermined one. Search gives
// the same as Hit.Decision.
func (h *PostHistory) Standing() Decision {
	var person, latest *Decision
	sha := ""
	if n := len(h.Versions); n > 0 {
		sha = h.Versions[n-1].ContentSHA256
	}
	for i := range h.Decisions {
		d := &h.Decisions[i]
		switch {
		case strings.HasPrefix(d.DecidedBy, "person:"):
			if person == nil || !d.DecidedAt.Before(person.DecidedAt) {
				person = d
			}
		case d.ContentSHA256 == sha:
			if latest == nil || !d.DecidedAt.Before(latest.DecidedAt) {
				latest = d
			}
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
