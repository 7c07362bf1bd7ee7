package calendar

import (
	"slices"
	"sync"
	"time"

	// Embedded zone data: the calendar must work on machines without
	// /usr/share/zoneinfo (Windows desktops in a transparency office).
	_ "time/tzdata"
)

// Defaults, used by Default, by Load for missing keys and by methods for
// zero fields.
const (
	// DefaultDaysAllowed is the term to answer a request under article 132
	// of the Ley General de Transparencia y Acceso a la Información Pública.
	// Jalisco's state law sets its own term: configure it in DaysAllowed.
	DefaultDaysAllowed = 20
	// DefaultZone is the IANA time zone in which days are counted.
	DefaultZone = "America/Mexico_City"
)

// Calendar says which days are business days for an obligated body and
// counts deadlines with them. Its zero value uses the defaults.
type Calendar struct {
	DaysAllowed int            // business days to answer; 0 means DefaultDaysAllowed
	Location    *time.Location // where days begin and end; nil means DefaultZone
	NonWorking  []Day          // extra non-working days declared by the body (vacation periods, local holidays)
	Working     []Day          // days declared working even though they would be non-working
	NoStatutory bool           // when true, the statutory holidays are not added
}

// Default returns a calendar with the defaults: 20 business days counted in
// Mexico City time, with the statutory holidays and nothing declared.
func Default() *Calendar {
	return &Calendar{DaysAllowed: DefaultDaysAllowed, Location: mexicoCity()}
}

// IsWorkingDay reports whether d is a business day. A day in Working always
// is; otherwise Saturdays, Sundays, statutory holidays (unless NoStatutory)
// and days in NonWorking are not.
func (c *Calendar) IsWorkingDay(d Day) bool {
	if slices.Contains(c.Working, d) {
		return true
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	if !c.NoStatutory && slices.Contains(Holidays(d.Year), d) {
		return false
	}
	return !slices.Contains(c.NonWorking, d)
}

// Deadline returns the last moment to answer a request received at
// received: the end (23:59:59 local time) of the DaysAllowed-th business day
// counted from the day after receipt. A request received on a non-working
// day counts as received on the next business day. The hour of receipt does
// not matter: a body that moves requests received after office hours to the
// next day must do so before calling Deadline.
func (c *Calendar) Deadline(received time.Time) time.Time {
	loc := c.location()
	d := DayOf(received.In(loc))
	for !c.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	for left := c.Days(); left > 0; {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			left--
		}
	}
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, loc)
}

// BusinessDaysBetween counts the business days after from's day up to and
// including to's day, both taken in the calendar's location: the business
// days left until a deadline. When to's day is before from's day the count
// is negative: -BusinessDaysBetween(to, from), the business days overdue.
func (c *Calendar) BusinessDaysBetween(from, to time.Time) int {
	loc := c.location()
	first, last := DayOf(from.In(loc)), DayOf(to.In(loc))
	sign := 1
	if last.Compare(first) < 0 {
		first, last, sign = last, first, -1
	}
	n := 0
	for d := first.AddDays(1); d.Compare(last) <= 0; d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}

// Holidays returns the statutory holidays of year in date order (Ley Federal
// del Trabajo, art. 74, fractions I to VIII, as in force since the 2006 reform
// that moved three of them to Mondays): 1 January; the first Monday of
// February; the third Monday of March; 1 May; 16 September; the third Monday
// of November; 25 December; and, every six years, the day the federal
// executive power is transmitted: 1 October from 2024, 1 December before.
func Holidays(year int) []Day {
	days := []Day{
		{year, time.January, 1},
		nthMonday(year, time.February, 1),
		nthMonday(year, time.March, 3),
		{year, time.May, 1},
		{year, time.September, 16},
	}
	transmission := (year-2024)%6 == 0
	if transmission && year >= 2024 {
		days = append(days, Day{year, time.October, 1})
	}
	days = append(days, nthMonday(year, time.November, 3))
	if transmission && year < 2024 {
		days = append(days, Day{year, time.December, 1})
	}
	return append(days, Day{year, time.December, 25})
}

// nthMonday returns the n-th Monday (1-based) of month in year.
func nthMonday(year int, month time.Month, n int) Day {
	first := Day{year, month, 1}.Weekday()
	toMonday := (int(time.Monday) - int(first) + 7) % 7
	return Day{year, month, 1 + toMonday + 7*(n-1)}
}

// Days is the number of business days allowed to answer: DaysAllowed, or
// DefaultDaysAllowed when it is not set.
func (c *Calendar) Days() int {
	if c.DaysAllowed <= 0 {
		return DefaultDaysAllowed
	}
	return c.DaysAllowed
}

func (c *Calendar) location() *time.Location {
	if c.Location == nil {
		return mexicoCity()
	}
	return c.Location
}

// mexicoCity loads DefaultZone once. The zone data is embedded, so loading
// cannot fail in practice; the fixed offset is what the zone has observed
// since Mexico abolished daylight saving time in 2022.
var mexicoCity = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(DefaultZone)
	if err != nil {
		return time.FixedZone("CST", -6*60*60)
	}
	return loc
})
