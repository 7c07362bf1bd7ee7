package web

import (
	"strconv"
	"time"
)

// shortMonths are the abbreviations of the months in Spanish.
var shortMonths = [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// shortDateTime is t as a table shows it on one line, "5 dic 2026, 06:41",
// in the office's time zone; "—" for zero. (A cell's title gives the
// date in words, datetime.)
func (s *Server) shortDateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(s.cfg.Location)
	return strconv.Itoa(t.Day()) + " " + shortMonths[t.Month()-1] + " " + strconv.Itoa(t.Year()) + ", " + t.Format("15:04")
}
