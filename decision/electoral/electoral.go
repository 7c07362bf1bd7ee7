package electoral

import (
	_ "embed"
	"slices"
	"time"
)

//go:embed campanas.yaml
var defaultCalendar []byte

// Federal is the jurisdiction of federal processes (ISO 3166-1 for Mexico).
const Federal = "MX"

// Calendar is a set of electoral processes.
type Calendar struct {
	File      string // where it was read from, for messages
	Processes []Process
}

// Process is one electoral process of one jurisdiction.
type Process struct {
	Jurisdiction string    // ISO 3166-2: "MX" or "MX-JAL"
	Name         string    // e.g. "Proceso Electoral Federal 2023-2024"
	Election     time.Time // election day (UTC midnight)
	Campaigns    []Campaign
	Veda         Period // zero when the file does not give it
	Source       string
	Line         int // where the process starts in its file
}

// Campaign is the campaign period of some offices of a process.
type Campaign struct {
	Offices []string // e.g. "presidencia", "diputacion", "ayuntamiento"
	Period  Period
}

// Period is a span of calendar days, both ends included, as UTC midnights.
type Period struct{ From, To time.Time }

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p.From.IsZero() }

// Contains reports whether day d (a UTC midnight) is inside p.
func (p Period) Contains(d time.Time) bool {
	return !p.IsZero() && !d.Before(p.From) && !d.After(p.To)
}

// String writes the period as "YYYY-MM-DD..YYYY-MM-DD".
func (p Period) String() string {
	return p.From.Format(time.DateOnly) + ".." + p.To.Format(time.DateOnly)
}

// Default returns the embedded calendar: the periods vigia can document
// (campanas.yaml says where each comes from).
func Default() *Calendar {
	c, err := Parse("campanas.yaml (embedded)", defaultCalendar)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return c
}

// With returns the processes of c and of other together, other's replacing
// c's of the same jurisdiction and election day: an office's file adds its
// processes to the embedded calendar, or corrects one.
func (c *Calendar) With(other *Calendar) *Calendar {
	out := &Calendar{File: c.File + " and " + other.File}
	for _, p := range c.Processes {
		if _, replaced := other.Process(p.Jurisdiction, p.Election); !replaced {
			out.Processes = append(out.Processes, p)
		}
	}
	out.Processes = append(out.Processes, other.Processes...)
	return out
}

// Process returns the process of jurisdiction whose election day is
// election (a calendar day; its time and zone are ignored).
func (c *Calendar) Process(jurisdiction string, election time.Time) (*Process, bool) {
	day := Day(election)
	for i := range c.Processes {
		p := &c.Processes[i]
		if p.Jurisdiction == jurisdiction && p.Election.Equal(day) {
			return p, true
		}
	}
	return nil, false
}

// Elections lists the election days the calendar knows for jurisdiction,
// for messages.
func (c *Calendar) Elections(jurisdiction string) []string {
	var out []string
	for _, p := range c.Processes {
		if p.Jurisdiction == jurisdiction {
			out = append(out, p.Election.Format(time.DateOnly))
		}
	}
	return out
}

// Campaign returns the campaign of office in the process; office may be
// empty when the process has a single campaign.
func (p *Process) Campaign(office string) (Campaign, bool) {
	if office == "" {
		if len(p.Campaigns) == 1 {
			return p.Campaigns[0], true
		}
		return Campaign{}, false
	}
	for _, c := range p.Campaigns {
		if slices.Contains(c.Offices, office) {
			return c, true
		}
	}
	return Campaign{}, false
}

// Offices lists the offices the process elects, for messages.
func (p *Process) Offices() []string {
	var out []string
	for _, c := range p.Campaigns {
		out = append(out, c.Offices...)
	}
	return out
}

// Day returns t's calendar day as a UTC midnight.
func Day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
