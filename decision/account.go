package decision

import (
	"time"

	"github.com/vigia-mx/vigia/archive"
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
}

// Official reports whether the account is the body's own (policy Séptima A).
func (a Account) Official() bool { return a.Type == directory.Official }

// FromDirectory returns the facts of a directory entry.
func FromDirectory(a *directory.Account) Account {
	return Account{
		Network: a.Network, Handle: a.Handle, Type: a.Type, AdministeredByArea: a.AdministeredByArea,
		OfficeFrom: a.Office.From.Start(time.UTC), OfficeTo: a.Office.To.Start(time.UTC),
	}
}

// FromArchive returns the facts of an account's snapshot in the archive.
func FromArchive(a archive.Account) Account {
	return Account{
		Network: a.Network, Handle: a.Handle, Type: a.Type, AdministeredByArea: a.AdministeredByArea,
		OfficeFrom: a.OfficeFrom, OfficeTo: a.OfficeTo,
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
