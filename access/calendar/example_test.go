package calendar_test

import (
	"fmt"
	"time"

	"github.com/vigia-mx/vigia/access/calendar"
)

func ExampleCalendar_Deadline() {
	c := calendar.Default()
	c.NonWorking = []calendar.Day{{Year: 2026, Month: time.November, Day: 2}}
	loc, _ := time.LoadLocation(calendar.DefaultZone)

	// Received on Friday 30 October 2026; Monday 2 November is declared
	// non-working and Monday 16 November is a statutory holiday.
	received := time.Date(2026, time.October, 30, 13, 5, 0, 0, loc)
	deadline := c.Deadline(received)
	fmt.Println(deadline.Format(time.DateTime))

	today := time.Date(2026, time.November, 20, 9, 0, 0, 0, loc)
	fmt.Println(c.BusinessDaysBetween(today, deadline), "días hábiles restantes")
	// Output:
	// 2026-12-01 23:59:59
	// 7 días hábiles restantes
}
