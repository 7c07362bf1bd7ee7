package calendar

import (
	"fmt"
	"time"
)

// dayLayout is how days are written in files and messages.
const dayLayout = "2006-01-02"

// Day is a calendar day, without time of day or time zone.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayOf returns the day t falls on in t's location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Day{y, m, d}
}

// ParseDay reads a day written YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		return Day{}, fmt.Errorf("parse day %q: want a real date written YYYY-MM-DD", s)
	}
	return DayOf(t), nil
}

// String writes d as YYYY-MM-DD, e.g. "2026-11-16".
func (d Day) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday {
	return d.time(time.UTC).Weekday()
}

// AddDays returns the day n calendar days after d (before d when n < 0).
func (d Day) AddDays(n int) Day {
	return DayOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Compare returns -1 if d is before e, 0 if they are the same day and +1 if
// d is after e.
func (d Day) Compare(e Day) int {
	return d.time(time.UTC).Compare(e.time(time.UTC))
}

// time returns midnight of d in loc.
func (d Day) time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}
