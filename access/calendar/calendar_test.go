package calendar

import (
	"testing"
	"time"
)

// mx is where the tests receive requests; Default uses the same zone.
func mx(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func day(t *testing.T, s string) Day {
	t.Helper()
	d, err := ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// span returns every day from first to last, inclusive.
func span(t *testing.T, first, last string) []Day {
	t.Helper()
	var days []Day
	for d := day(t, first); d.Compare(day(t, last)) <= 0; d = d.AddDays(1) {
		days = append(days, d)
	}
	return days
}

func TestDefault(t *testing.T) {
	c := Default()
	if got, want := c.DaysAllowed, 20; got != want {
		t.Errorf("DaysAllowed = %d, want %d", got, want)
	}
	if got, want := c.Location.String(), "America/Mexico_City"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if c.NoStatutory || len(c.NonWorking) > 0 || len(c.Working) > 0 {
		t.Errorf("Default() = %+v, want no declared days and statutory holidays on", c)
	}
}

func TestHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{2026, []string{"2026-01-01", "2026-02-02", "2026-03-16", "2026-05-01", "2026-09-16", "2026-11-16", "2026-12-25"}},
		{2027, []string{"2027-01-01", "2027-02-01", "2027-03-15", "2027-05-01", "2027-09-16", "2027-11-15", "2027-12-25"}},
		// Transmission of the federal executive power: 1 October from 2024.
		{2024, []string{"2024-01-01", "2024-02-05", "2024-03-18", "2024-05-01", "2024-09-16", "2024-10-01", "2024-11-18", "2024-12-25"}},
		{2030, []string{"2030-01-01", "2030-02-04", "2030-03-18", "2030-05-01", "2030-09-16", "2030-10-01", "2030-11-18", "2030-12-25"}},
		{2025, []string{"2025-01-01", "2025-02-03", "2025-03-17", "2025-05-01", "2025-09-16", "2025-11-17", "2025-12-25"}},
		// Before 2024 the transmission was on 1 December.
		{2018, []string{"2018-01-01", "2018-02-05", "2018-03-19", "2018-05-01", "2018-09-16", "2018-11-19", "2018-12-01", "2018-12-25"}},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range Holidays(tt.year) {
			got = append(got, d.String())
		}
		if len(got) != len(tt.want) {
			t.Errorf("Holidays(%d) = %v, want %v", tt.year, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Holidays(%d) = %v, want %v", tt.year, got, tt.want)
				break
			}
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	declared := &Calendar{NonWorking: []Day{day(t, "2026-11-02")}}
	noStatutory := &Calendar{NoStatutory: true}
	overridden := &Calendar{
		NonWorking: []Day{day(t, "2026-11-02")},
		Working:    []Day{day(t, "2026-11-02"), day(t, "2026-11-14"), day(t, "2026-11-16")},
	}
	tests := []struct {
		name string
		c    *Calendar
		day  string
		want bool
	}{
		{"ordinary Tuesday", Default(), "2026-11-17", true},
		{"Saturday", Default(), "2026-11-14", false},
		{"Sunday", Default(), "2026-11-15", false},
		{"third Monday of November", Default(), "2026-11-16", false},
		{"1 October in a transmission year", Default(), "2030-10-01", false},
		{"1 October in another year", Default(), "2025-10-01", true},
		{"2 November not declared", Default(), "2026-11-02", true},
		{"2 November declared non-working", declared, "2026-11-02", false},
		{"holiday without statutory holidays", noStatutory, "2026-11-16", true},
		{"weekend without statutory holidays", noStatutory, "2026-11-14", false},
		{"working overrides declared", overridden, "2026-11-02", true},
		{"working overrides weekend", overridden, "2026-11-14", true},
		{"working overrides holiday", overridden, "2026-11-16", true},
	}
	for _, tt := range tests {
		if got := tt.c.IsWorkingDay(day(t, tt.day)); got != tt.want {
			t.Errorf("%s: IsWorkingDay(%s) = %v, want %v", tt.name, tt.day, got, tt.want)
		}
	}
}

func TestDeadline(t *testing.T) {
	loc := mx(t)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	winter, err := Load("testdata/calendario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		c        *Calendar
		received time.Time
		want     string // the last business day
	}{
		{
			// Counting from Fri 13: Mon 16 is a holiday, 23-27 is a declared
			// week off, and day 20 is Fri 18 December.
			name:     "weekend, holiday and a declared week",
			c:        &Calendar{DaysAllowed: 20, NonWorking: span(t, "2026-11-23", "2026-11-27")},
			received: at("2026-11-12 10:00"),
			want:     "2026-12-18",
		},
		{
			// Days 1-11: 4-18 December; 21 Dec-1 Jan declared (with 25 Dec
			// and 1 Jan inside); days 12-20: 4-14 January.
			name:     "winter vacation from the example file",
			c:        winter,
			received: at("2026-12-03 09:30"),
			want:     "2027-01-14",
		},
		{
			name:     "received on Friday",
			c:        &Calendar{DaysAllowed: 3},
			received: at("2026-11-13 12:00"),
			want:     "2026-11-19", // Tue 17, Wed 18, Thu 19
		},
		{
			// Saturday counts as received on Tue 17 (Mon 16 is a holiday).
			name:     "received on Saturday",
			c:        &Calendar{DaysAllowed: 3},
			received: at("2026-11-14 12:00"),
			want:     "2026-11-20", // Wed 18, Thu 19, Fri 20
		},
		{
			name:     "received on a holiday",
			c:        &Calendar{DaysAllowed: 1},
			received: at("2026-11-16 08:00"),
			want:     "2026-11-18",
		},
		{
			name:     "late Thursday night in Guadalajara is Friday in UTC",
			c:        &Calendar{DaysAllowed: 3},
			received: time.Date(2026, 11, 13, 5, 30, 0, 0, time.UTC), // Thu 12, 23:30 local
			want:     "2026-11-18",                                   // Fri 13, Tue 17, Wed 18
		},
		{
			name:     "a Saturday declared working",
			c:        &Calendar{DaysAllowed: 3, Working: []Day{day(t, "2026-11-14")}},
			received: at("2026-11-13 12:00"),
			want:     "2026-11-18", // Sat 14, Tue 17, Wed 18
		},
		{
			name:     "zero calendar uses the defaults",
			c:        &Calendar{},
			received: at("2026-11-12 10:00"),
			want:     "2026-12-11",
		},
	}
	for _, tt := range tests {
		got := tt.c.Deadline(tt.received)
		want := at(tt.want + " 00:00").Add(23*time.Hour + 59*time.Minute + 59*time.Second)
		if !got.Equal(want) || got.Location().String() != DefaultZone {
			t.Errorf("%s: Deadline(%s) = %s, want %s", tt.name, tt.received, got, want)
		}
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	loc := mx(t)
	c := Default()
	thu := time.Date(2026, 11, 12, 18, 0, 0, 0, loc)
	fri := time.Date(2026, 11, 20, 9, 0, 0, 0, loc)
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"Thu 12 to Fri 20 across a weekend and a holiday", thu, fri, 5},
		{"same day", thu, thu.Add(time.Hour), 0},
		{"overdue", fri, thu, -5},
		{"Saturday to the holiday Monday", time.Date(2026, 11, 14, 12, 0, 0, 0, loc), time.Date(2026, 11, 16, 12, 0, 0, 0, loc), 0},
		{"to the deadline", thu, c.Deadline(thu), 20},
	}
	for _, tt := range tests {
		if got := c.BusinessDaysBetween(tt.from, tt.to); got != tt.want {
			t.Errorf("%s: BusinessDaysBetween = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestDay(t *testing.T) {
	for _, s := range []string{"2026-11-16", "2024-02-29", "0999-01-01"} {
		d, err := ParseDay(s)
		if err != nil {
			t.Errorf("ParseDay(%q): %v", s, err)
			continue
		}
		if got := d.String(); got != s {
			t.Errorf("ParseDay(%q).String() = %q", s, got)
		}
	}
	for _, s := range []string{"", "2026-02-30", "2025-02-29", "2026-2-3", "16/11/2026", "2026-11-16 "} {
		if d, err := ParseDay(s); err == nil {
			t.Errorf("ParseDay(%q) = %v, want an error", s, d)
		}
	}
	d := day(t, "2026-12-31")
	if got, want := d.AddDays(1), day(t, "2027-01-01"); got != want {
		t.Errorf("%v.AddDays(1) = %v, want %v", d, got, want)
	}
	if got, want := d.AddDays(-365), day(t, "2025-12-31"); got != want {
		t.Errorf("%v.AddDays(-365) = %v, want %v", d, got, want)
	}
	if got, want := d.Weekday(), time.Thursday; got != want {
		t.Errorf("%v.Weekday() = %v, want %v", d, got, want)
	}
	if d.Compare(d.AddDays(1)) != -1 || d.Compare(d) != 0 || d.AddDays(1).Compare(d) != 1 {
		t.Errorf("Compare around %v is wrong", d)
	}
}
