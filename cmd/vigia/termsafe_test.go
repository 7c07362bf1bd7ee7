package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestTerminalSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Horario de los panteones: 6:00 a 21:00 h\n\tmás", "Horario de los panteones: 6:00 a 21:00 h\n\tmás"},
		{"\x1b]0;pwned\x07\x1b[2Jtexto", "␛]0;pwned␇␛[2Jtexto"},
		{"público\rprivado", "público␍privado"},
		{"a\u009b31mb\x7f", "a\ufffd31mb␡"},
		{"user\u202eexe.txt\u2066x\u2069", "user\ufffdexe.txt\ufffdx\ufffd"},
		{"ünïcödé → ✓", "ünïcödé → ✓"},
		{"broken \xff utf-8", "broken \xff utf-8"},
	} {
		var b bytes.Buffer
		n, err := terminalSafe(&b).Write([]byte(c.in))
		if err != nil || n != len(c.in) {
			t.Errorf("Write(%q) = %d, %v; want %d, nil", c.in, n, err, len(c.in))
		}
		if b.String() != c.want {
			t.Errorf("Write(%q) wrote %q, want %q", c.in, b.String(), c.want)
		}
	}
}

// TestHostilePostTextInTheTerminal crawls a post whose text carries
// terminal escape sequences, a carriage return and a bidirectional
// override, and reads it back as an archivist does in a terminal: show,
// the search and review tables. None of them reaches the terminal; the
// archive and the machine formats keep the text as published.
func TestHostilePostTextInTheTerminal(t *testing.T) {
	sn, srvURL, dirFile, arc := liveSample(t)
	hostile := "Reunión con vecinos \x1b]0;vigia: sin pendientes\x07\x1b[2J\x1b[1;1H hoy\rNada que ver aquí \u202etxt.exe"
	if err := sn.Publish("obras-director", "hostil", hostile, time.Now()); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks",
		"--host-rate", "0", "--mirror", srvURL, "--progress=false"); code != 0 {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	var id string
	for _, h := range searchJSONL(t, "--archive", arc, "--account", "obras-director", "--text", "Nada que ver") {
		id = h["post_id"].(string)
		if text := h["text"].(string); !strings.Contains(text, "\x1b[2J") || !strings.Contains(text, "\u202e") {
			t.Errorf("the archive's text %q lost what was published", text)
		}
	}
	if id == "" {
		t.Fatal("the hostile post was not archived")
	}
	for _, args := range [][]string{
		{"show", "--archive", arc, "obras-director/" + id},
		{"search", "--archive", arc, "--account", "obras-director"},
		{"review", "list", "--archive", arc},
	} {
		out, errs, code := vigia(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", args[0], code, errs)
		}
		if strings.ContainsAny(out, "\x1b\x07\r\u202e") {
			t.Errorf("vigia %s writes control characters to the terminal:\n%q", strings.Join(args, " "), out)
		}
		if args[0] == "show" && !strings.Contains(out, "␛[2J") {
			t.Errorf("vigia show does not show the escape sequence it neutralised:\n%s", out)
		}
	}
}
