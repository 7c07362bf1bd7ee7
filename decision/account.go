package decision

import (
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/directory"
)

// Account is what a decision reads of an account, whichever record it
// comes from.
type Account struct {
	Network            archive.Network
	Handle             string
	Type               string // directory.Official or directory.Personal
	AdministeredByArea bool
	// The servant's term as calendar days (the time of day and zone are
	// ignored): OfficeFrom to OfficeTo inclusive; a zero bound is open.
	OfficeFrom, OfficeTo time.Time
	// Electoral: the servant's leaves and candidacies, each candidacy
	// with its campaign as the campaign calendar gave it to the directory.
	Electoral archive.Electoral
}

// Official reports whether the account is the body's own (policy Séptima A).
func (a Account) Official() bool { return a.Type == directory.Official }

// FromDirectory returns the facts of a directory entry.
func FromDirectory(a *directory.Account) Account {
	return Account{
		Network: a.Network, Handle: a.Handle, Type: a.Type, AdministeredByArea: a.AdministeredByArea,
		OfficeFrom: a.Office.From.Start(time.UTC), OfficeTo: a.Office.To.Start(time.UTC),
		Electoral: a.Electoral(),
	}
}

// FromArchive returns the facts of an account's snapshot in the archive.
func FromArchive(a archive.Account) Account {
	return Account{
		Network: a.Network, Handle: a.Handle, Type: a.Type, AdministeredByArea: a.AdministeredByArea,
		OfficeFrom: a.OfficeFrom, OfficeTo: a.OfficeTo,
		Electoral: a.Electoral,
	}
}

// term returns the instants between which the servant is in office, the
// days read in loc: from the start of OfficeFrom to the end of OfficeTo, as
// directory.Account.Term.
func (a Account) term(loc *time.Location) (from, to time.Time) {
	if !a.OfficeFrom.IsZero() {
		from = time.Date(a.OfficeFrom.Year(), a.OfficeFrom.Month(), a.OfficeFrom.Day(), 0, 0, 0, 0, loc)
	}
	if !a.OfficeTo.IsZero() {
		to = time.Date(a.OfficeTo.Year(), a.OfficeTo.Month(), a.OfficeTo.Day()+1, 0, 0, 0, 0, loc)
	}
	return from, to
}

// span returns the instants of a span of days read in loc: from the start
// of its first day to the end of its last; a zero bound is open.
func span(d archive.Days, loc *time.Location) classifier.Span {
	var s classifier.Span
	if !d.From.IsZero() {
		s.From = time.Date(d.From.Year(), d.From.Month(), d.From.Day(), 0, 0, 0, 0, loc)
	}
	if !d.To.IsZero() {
		s.To = time.Date(d.To.Year(), d.To.Month(), d.To.Day()+1, 0, 0, 0, 0, loc)
	}
	return s
}

// electoral returns the servant's leaves and the stages of their
// candidacies' processes (campaign, then veda) as instants read in loc.
func (a Account) electoral(loc *time.Location) (leaves []classifier.Span, campaigns []classifier.Campaign) {
	for _, l := range a.Electoral.Leaves {
		leaves = append(leaves, span(l, loc))
	}
	for _, c := range a.Electoral.Candidacies {
		campaigns = append(campaigns, classifier.Campaign{Process: c.Process, Span: span(c.Campaign, loc)})
		if !c.Veda.From.IsZero() {
			campaigns = append(campaigns, classifier.Campaign{Process: c.Process, Veda: true, Span: span(c.Veda, loc)})
		}
	}
	return leaves, campaigns
}
