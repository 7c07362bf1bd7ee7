// Package directory reads the body's directory of accounts: the register of
// official accounts and of the personal accounts that servants asked to
// register (policies Quinta, Séptima and Décima novena).
//
// A directory is a YAML file decoded strictly: unknown keys are errors, and
// every problem is reported at once with the file, line, field and value, so
// that a transparency officer can fix the file without reading code. The same
// checks apply to a directory imported from the office's spreadsheet (CSV).
package directory

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/decision/electoral"
)

// DefaultTimezone is where office dates are read when a directory names none.
const DefaultTimezone = "America/Mexico_City"

// Account types (policy Séptima).
const (
	Official = "official" // A: the body's own account
	Personal = "personal" // B: a servant's personal account registered by express request
)

// MaxServantLevel is the lowest hierarchy level, below the head (0), whose
// servants may register personal accounts (policy Quinta).
const MaxServantLevel = 4

// MaxSweepPages bounds an account's sweep_pages: a million listing pages
// is more history than any network serves.
const MaxSweepPages = 1_000_000

// Directory is a parsed directory of accounts.
type Directory struct {
	File     string // where it was read from, for messages
	Subject  string // the obligated body
	Timezone string
	Location *time.Location
	// Jurisdiction is where the body's servants stand for election unless
	// an account says otherwise (ISO 3166-2, e.g. MX-JAL); may be empty.
	Jurisdiction string
	// CampaignsFile is the campaign calendar the directory names
	// (campaigns:), relative to the directory's folder; empty for the
	// embedded one. Campaigns is the calendar read.
	CampaignsFile string
	Campaigns     *electoral.Calendar
	// ExportEvery is how often the holders of accounts captured from
	// their exports hand one in (export_every:), unless an account says;
	// 0 for DefaultExportEvery.
	ExportEvery time.Duration
	Accounts    []Account
	// Notes are what an import from a spreadsheet changed to read it: the
	// file's encoding, each handle, id or date written another way.
	Notes []Note

	// columns are the columns of the spreadsheet it was imported from
	// (key → 1-based column), for Merge to keep what the sheet has no
	// column for; nil for a YAML directory.
	columns map[string]int
	fields  map[string]int // top-level key → line
}

// Account is one registered account.
type Account struct {
	ID                 string
	Network            archive.Network
	Handle             string
	Endpoint           string // base URL replacing the network's default; empty for the default
	Type               string
	Area               string
	AdministeredByArea bool
	Servant            *Servant
	Office             Office
	RegisteredOn       Date

	// AllowPrivateNetwork lets the crawler reach the account's own host
	// (its endpoint's, or an rss feed's) on a private network: a
	// self-hosted instance on the office's network. No other host.
	AllowPrivateNetwork bool

	// Jurisdiction is where the servant stands for election: the
	// account's jurisdiction: or the directory's.
	Jurisdiction string
	// Leaves are the servant's licencias: days on which they do not
	// exercise the office. Candidacies are the electoral processes they
	// are a candidate in.
	Leaves      []Leave
	Candidacies []Candidacy

	// SweepPages is the page budget of the account's deep sweeps (vigia
	// crawl --sweep): how many listing pages, or for a feed how many
	// requests for single posts, one sweep may make; 0 takes the crawl's
	// --sweep-pages.
	SweepPages int

	// Capture is how the account's posts reach the archive (capture:;
	// the network's default when absent). An account captured through an
	// official API names where the office's token is: TokenFile, a file
	// only its owner may read (TokenPath: read against the directory's
	// folder), or TokenEnv, an environment variable; never the token.
	// ExportEvery is how often an exported account's holder hands in
	// an export (export_every:); 0 for the directory's.
	Capture     Capture
	TokenFile   string
	TokenPath   string
	TokenEnv    string
	ExportEvery time.Duration

	// Line is where the entry starts in its file; fields maps each field
	// path (e.g. "servant.level") to its line.
	Line    int
	fields  map[string]int
	invalid map[string]bool // fields whose value could not be read (already reported)
}

// Servant is the public servant a personal account belongs to.
type Servant struct {
	Name     string
	Position string
	Level    int // 0 for the head of the body, 1..4 for the levels below
}

// Office is the servant's term; To is zero while they are in office.
type Office struct {
	From Date
	To   Date
}

// Date is a calendar day, without a time zone.
type Date struct{ t time.Time }

// ParseDate reads a date written as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String formats the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Start returns the first instant of the day in loc.
func (d Date) Start(loc *time.Location) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.t.Year(), d.t.Month(), d.t.Day(), 0, 0, 0, 0, loc)
}

// Load reads and checks a directory file, as Parse does.
func Load(path string, nets Networks) (*Directory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read directory: %w", err)
	}
	return Parse(path, data, nets)
}

// Term returns the instants between which the account's servant is in
// office, read in the directory's time zone: from the start of Office.From to
// the end of Office.To. A zero bound is open.
func (a *Account) Term(loc *time.Location) (from, to time.Time) {
	from = a.Office.From.Start(loc)
	if !a.Office.To.IsZero() {
		to = a.Office.To.Start(loc).AddDate(0, 0, 1)
	}
	return from, to
}

// Snapshot returns the account as an archive record.
func (d *Directory) Snapshot(a *Account, now time.Time) archive.Account {
	rec := archive.Account{
		ID:                 a.ID,
		Network:            a.Network,
		Handle:             a.Handle,
		Endpoint:           a.Endpoint,
		Type:               a.Type,
		Area:               a.Area,
		AdministeredByArea: a.AdministeredByArea,
		ServantLevel:       -1,
		OfficeFrom:         a.Office.From.t,
		OfficeTo:           a.Office.To.t,
		RegisteredOn:       a.RegisteredOn.t,
		Subject:            d.Subject,
		RecordedAt:         now,
	}
	if s := a.Servant; s != nil {
		rec.ServantName, rec.ServantPosition, rec.ServantLevel = s.Name, s.Position, s.Level
	}
	rec.Electoral = a.Electoral()
	rec.FactsSHA256 = rec.FactsHash()
	return rec
}

// line returns the line of a field; of its parent (servant, office) when
// the field is absent; of the entry when both are.
func (a *Account) line(field string) int {
	if l, ok := a.fields[field]; ok {
		return l
	}
	if parent, _, nested := strings.Cut(field, "."); nested {
		if l, ok := a.fields[parent]; ok {
			return l
		}
	}
	return a.Line
}

// markInvalid notes that a field's value could not be read when problems
// were added since before, so that the checks do not report it again as
// missing or out of range.
func (a *Account) markInvalid(ps *problems, field string, before int) {
	if len(ps.list) > before {
		a.invalid[field] = true
	}
}
