package spanish

import (
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

func TestDates(t *testing.T) {
	mx, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 5, 18, 30, 0, 0, time.UTC) // 12:30 in Mexico City
	for _, tc := range []struct{ got, want string }{
		{Date(at, mx), "5 de diciembre de 2026"},
		{DateTime(at, mx), "5 de diciembre de 2026, 12:30"},
		{Date(time.Date(2027, 1, 1, 3, 0, 0, 0, time.UTC), mx), "31 de diciembre de 2026"},
		{DateTime(at, nil), "5 de diciembre de 2026, 18:30"},
		{Date(time.Time{}, mx), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 publicaciones", 1: "1 publicación", 2: "2 publicaciones"} {
		if got := Plural(n, "publicación", "publicaciones"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

// Every code the archive records has words of its own, and who decided
// reads as people say it.
func TestCodes(t *testing.T) {
	for _, k := range []archive.EventKind{archive.FirstSeen, archive.Edited, archive.DeletedAtSource, archive.Restored,
		archive.Reparsed, archive.AccountUnreachable, archive.MissingFromExport} {
		if got := Event(k); got == string(k) || got == "evento «"+string(k)+"»" {
			t.Errorf("event %q has no words: %q", k, got)
		}
	}
	for _, n := range archive.Networks {
		if Network(n) == string(n) {
			t.Errorf("network %q has no name", n)
		}
	}
	for by, want := range map[string]string{
		"rule:politicas-2019-v1": "regla de la cuenta (Políticas generales 2019, versión 1)",
		"model:es-2026-11":       "modelo de contenido es-2026-11",
		"person:lucia":           "lucia (persona)",
		"person":                 "una persona",
		"":                       "",
	} {
		if got := Decider(by); got != want {
			t.Errorf("Decider(%q) = %q, want %q", by, got, want)
		}
	}
	for code, want := range map[string]string{"public": "consulta pública", "archivist": "archivista", "admin": "administración"} {
		if got := Role(code); got != want {
			t.Errorf("Role(%q) = %q, want %q", code, got, want)
		}
	}
	if Label(archive.Function) != "información pública" || Label(archive.Undetermined) != "por revisar" || AccountType("official") != "oficial" ||
		CrawlStatus(archive.CrawlOK) != "completo" {
		t.Error("labels, account types or crawl states without their words")
	}
}
