package decision

import (
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/directory"
)

// Judge decides posts under one policy, with one content model, reading
// office dates in one time zone and counting mentions of one set of
// official accounts.
type Judge struct {
	classifier *classifier.Classifier
	policy     *classifier.Policy
	location   *time.Location
	official   Mentions
}

// New returns a judge applying pol and, to the posts of personal accounts
// that no account rule decides, the content model m (nil leaves them
// undetermined). Office dates are read in loc (the directory's Location);
// official are the @-names whose mentions the content model counts.
func New(pol *classifier.Policy, m *classifier.Model, loc *time.Location, official Mentions) *Judge {
	if loc == nil {
		loc = time.UTC
	}
	return &Judge{classifier: classifier.New(pol, m), policy: pol, location: loc, official: official}
}

// ForDirectory returns a judge for the accounts of dir: its time zone, the
// mentions of its official accounts as nets write them.
func ForDirectory(pol *classifier.Policy, m *classifier.Model, dir *directory.Directory, nets directory.Networks) *Judge {
	accts := make([]Account, len(dir.Accounts))
	for i := range dir.Accounts {
		accts[i] = FromDirectory(&dir.Accounts[i])
	}
	return New(pol, m, dir.Location, OfficialMentions(nets, accts))
}

// ForArchive returns a judge for the accounts an archive has recorded,
// from their latest snapshots (archive.Reader.Accounts), and the facts of
// each by account id. Snapshots keep office dates as days, not the
// directory's time zone: they are read in loc, which should be the
// directory's (directory.DefaultTimezone unless it names another). The
// mentions counted are those of every official account the archive has
// recorded.
func ForArchive(pol *classifier.Policy, m *classifier.Model, snaps []archive.Account, loc *time.Location, nets directory.Networks) (*Judge, map[string]Account) {
	byID := make(map[string]Account, len(snaps))
	accts := make([]Account, len(snaps))
	for i, a := range snaps {
		accts[i] = FromArchive(a)
		byID[a.ID] = accts[i]
	}
	return New(pol, m, loc, OfficialMentions(nets, accts)), byID
}

// Model returns the content model, nil when there is none.
func (j *Judge) Model() *classifier.Model { return j.classifier.Model() }

// Decide decides on version p of a post of account a, and returns the
// decision record, bound to p's content hash, as decided at at.
func (j *Judge) Decide(a Account, p *archive.Post, at time.Time) archive.Decision {
	from, to := a.term(j.location)
	leaves, campaigns := a.electoral(j.location)
	d := j.classifier.Classify(
		classifier.Account{
			Official:           a.Official(),
			AdministeredByArea: a.AdministeredByArea,
			TermFrom:           from, TermTo: to, Location: j.location,
			Leaves: leaves, Campaigns: campaigns,
		},
		// A repost without text of its own is decided by the repost rule; a
		// forward's text is what the channel published, read as any text.
		classifier.Post{Text: p.Text, PublishedAt: p.PublishedAt, Repost: p.RepostOf != "" && p.Text == "", OfficialMentions: j.official.Count(p.Text),
			Account: AccountKey(p.Network, p.AccountID)},
	)
	return archive.Decision{
		Network: p.Network, AccountID: p.AccountID, PostID: p.PostID, ContentSHA256: p.ContentSHA256,
		Label: archive.Label(d.Label), Confidence: d.Confidence, Basis: d.Basis, Rationale: d.Rationale + sharedNote(p),
		DecidedBy: d.DecidedBy, DecidedAt: at,
	}
}

// AccountKey is how the content model names an account ("network/id"):
// the key of the examples an office's reviews make (Example.Account).
func AccountKey(network archive.Network, id string) string { return string(network) + "/" + id }

// sharedNote tells, for the rationale, whose words a post carries when
// they are someone else's. It names no one: the rationale reaches the
// public role, and the other author may be a private person.
func sharedNote(p *archive.Post) string {
	if p.Shared == nil {
		return ""
	}
	switch p.Shared.Kind {
	case archive.Repost:
		return " Lo publicado es de otra cuenta, compartido por esta sin texto propio."
	case archive.Quote:
		return " Cita una publicación de otra cuenta: se clasificó el texto propio, no el citado."
	case archive.Forward:
		if p.Text != "" {
			return " El texto es el de un mensaje reenviado: lo escribió otra cuenta."
		}
		return " Es un mensaje reenviado de otra cuenta, sin texto."
	}
	return ""
}

// Crawled decides on a version the crawl has just captured, as of its
// capture: a crawler.Judge.
func (j *Judge) Crawled(acct *directory.Account, p *archive.Post) archive.Decision {
	return j.Decide(FromDirectory(acct), p, p.CapturedAt)
}
