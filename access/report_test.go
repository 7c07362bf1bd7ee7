package access

import (
	"testing"
	"time"
	_ "time/tzdata"
)

func TestDate(t *testing.T) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{loc: loc}
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC), "27 de noviembre de 2026"},
		{time.Date(2027, 1, 1, 3, 0, 0, 0, time.UTC), "31 de diciembre de 2026"}, // still the 31st in Mexico City
		{time.Date(2026, 5, 1, 6, 0, 0, 0, time.UTC), "1 de mayo de 2026"},
		{time.Time{}, ""},
	} {
		if got := b.date(tc.t); got != tc.want {
			t.Errorf("date(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}
