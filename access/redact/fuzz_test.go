package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"Escríbeme a juana.perez@correo.mx o al (33) 1234-5678; cc @beto y @gobiernogdl.",
		"Tels. 3614-5678 y 3615-0000, cel. 33 12 34 56 78, +52 1 33 1234 5678",
		"Folio 3312345678 del 2026-11-27 por $1,234,567.00 https://x.com/@vecina/status/1864201600123456789",
		"@vecina@mastodon.social @alcaldia@mastodon.social mailto:ana@correo.mx x.com/@vecina",
		"a@b@c.com @ju%an@x.com 3312345678@juan (33)@juan 1234-5678",
	} {
		f.Add(s)
	}
	r := New([]string{"gobiernogdl", "alcaldia@mastodon.social"})
	f.Fuzz(func(t *testing.T, text string) {
		out, marks := r.Redact(text)
		if utf8.ValidString(text) && !utf8.ValidString(out) {
			t.Fatalf("Redact(%q) = %q, not valid UTF-8", text, out)
		}
		var b strings.Builder
		last := 0
		for _, m := range marks {
			if m.Start < last || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("Redact(%q): mark %+v out of order or bounds (previous end %d)", text, m, last)
			}
			b.WriteString(text[last:m.Start] + kinds[m.Kind].placeholder)
			last = m.End
		}
		if b.WriteString(text[last:]); b.String() != out {
			t.Fatalf("Redact(%q) = %q, but its marks give %q", text, out, b.String())
		}
		for _, m := range marks {
			// The placeholders contain no "@", so an address left in the
			// output was there unmasked too (inside a URL).
			if e := text[m.Start:m.End]; m.Kind == KindEmail && strings.Count(out, e) >= strings.Count(text, e) {
				t.Fatalf("Redact(%q) = %q still contains %q", text, out, e)
			}
		}
		// The package promises this for e-mail addresses and telephone
		// numbers; it holds for mentions too.
		if again, more := r.Redact(out); len(more) > 0 {
			m := more[0]
			t.Fatalf("Redact(%q) = %q, and again = %q: found %s %q", text, out, again, m.Kind, out[m.Start:m.End])
		}
	})
}
