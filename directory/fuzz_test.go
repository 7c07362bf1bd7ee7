package directory

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"
)

// FuzzParse checks that Parse either reports problems, each with its line,
// or returns a directory that keeps every rule of the register and that
// WriteYAML writes back to the same directory.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/valid.yml", "testdata/problems.bad.yml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("d.yml", data, testNetworks)
		if err != nil {
			checkProblems(t, d, err, "d.yml")
			return
		}
		d2, err := Parse("d.yml", data, testNetworks)
		if err != nil || !reflect.DeepEqual(d, d2) {
			t.Fatalf("second parse differs: %v", err)
		}
		checkDirectory(t, d)
		checkRoundTrip(t, d)
	})
}

// FuzzImportCSV checks ImportCSV as FuzzParse checks Parse: problems, or a
// directory that keeps the rules and survives its YAML.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(sheet))
	f.Add([]byte("\ufeff" + string(bytes.ReplaceAll([]byte(sheet), []byte(","), []byte(";")))))
	f.Add([]byte("T\u00edtulo;;\ncuenta;red;usuario;tipo;\xe1rea;nombre;cargo;nivel;desde;hasta;registro\n" +
		"Obras Director;Telegram;@obras_gdl;Personal;Obras P\xfablicas;Jorge;Director;2;01/10/2024;;21/10/2024\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ImportCSV("s.csv", bytes.NewReader(data), "Ayuntamiento de Ejemplo", testNetworks)
		if err != nil {
			checkProblems(t, d, err, "s.csv")
			return
		}
		d2, err := ImportCSV("s.csv", bytes.NewReader(data), "Ayuntamiento de Ejemplo", testNetworks)
		if err != nil || !reflect.DeepEqual(d, d2) {
			t.Fatalf("second import differs: %v", err)
		}
		checkDirectory(t, d)
		for i, a := range d.Accounts {
			if a.Line < 2 {
				t.Errorf("account %d on line %d, before the first row", i, a.Line)
			}
		}
		// A sheet that is not UTF-8 is read as Windows-1252: every
		// sheet survives its YAML.
		checkRoundTrip(t, d)
	})
}

// checkProblems checks a failed read: no directory, and a ValidationError
// listing problems of the file, sorted by line.
func checkProblems(t *testing.T, d *Directory, err error, file string) {
	t.Helper()
	if d != nil {
		t.Fatalf("a directory with error %v", err)
	}
	var verr *ValidationError
	if !errors.As(err, &verr) || verr.File != file || len(verr.Problems) == 0 {
		t.Fatalf("error %v, want a *ValidationError of %s with problems", err, file)
	}
	for i, p := range verr.Problems {
		if p.File != file || p.Line < 0 || p.Message == "" || i > 0 && p.Line < verr.Problems[i-1].Line {
			t.Errorf("problem %d: %+v", i, p)
		}
	}
}

// checkDirectory checks that d keeps the rules check enforces.
func checkDirectory(t *testing.T, d *Directory) {
	t.Helper()
	if d.Subject == "" || d.Location == nil || len(d.Accounts) == 0 {
		t.Fatalf("directory with subject %q, location %v, %d accounts", d.Subject, d.Location, len(d.Accounts))
	}
	ids := map[string]bool{}
	for i, a := range d.Accounts {
		if !idPattern.MatchString(a.ID) || ids[a.ID] {
			t.Errorf("account %d: id %q is not a unique id", i, a.ID)
		}
		ids[a.ID] = true
		if !a.Network.Valid() || a.Handle == "" || !testNetworksAccept(a) {
			t.Errorf("account %d: network %q, handle %q", i, a.Network, a.Handle)
		}
		if a.Endpoint != "" && (checkBaseURL(a.Endpoint) != "" || a.Endpoint[len(a.Endpoint)-1] == '/') {
			t.Errorf("account %d: endpoint %q", i, a.Endpoint)
		}
		if a.Type != Official && a.Type != Personal || a.Area == "" {
			t.Errorf("account %d: type %q, area %q", i, a.Type, a.Area)
		}
		if a.Type == Personal {
			if s := a.Servant; s == nil || s.Name == "" || s.Position == "" || s.Level < 0 || s.Level > MaxServantLevel || a.RegisteredOn.IsZero() {
				t.Errorf("account %d: personal account of servant %+v registered on %v", i, s, a.RegisteredOn)
			}
		}
		if a.AdministeredByArea && (a.Type != Personal || a.Office.From.IsZero()) {
			t.Errorf("account %d: administered by its area, of type %q, from %v", i, a.Type, a.Office.From)
		}
		if from, to := a.Office.From, a.Office.To; !from.IsZero() && !to.IsZero() && to.t.Before(from.t) {
			t.Errorf("account %d: term from %v to %v", i, from, to)
		}
	}
}

// checkRoundTrip checks that the YAML WriteYAML writes of d parses to the
// same directory, and is written again the same.
func checkRoundTrip(t *testing.T, d *Directory) {
	t.Helper()
	var out bytes.Buffer
	if err := d.WriteYAML(&out); err != nil {
		t.Fatalf("WriteYAML: %v", err)
	}
	back, err := Parse("out.yml", out.Bytes(), testNetworks)
	if err != nil {
		t.Fatalf("the written YAML does not parse: %v\n%s", err, out.Bytes())
	}
	if back.Subject != d.Subject || back.Timezone != d.Timezone || len(back.Accounts) != len(d.Accounts) {
		t.Fatalf("after the round trip: subject %q, time zone %q, %d accounts; want %q, %q, %d\n%s",
			back.Subject, back.Timezone, len(back.Accounts), d.Subject, d.Timezone, len(d.Accounts), out.Bytes())
	}
	for i := range d.Accounts {
		got, want := back.Snapshot(&back.Accounts[i], time.Time{}), d.Snapshot(&d.Accounts[i], time.Time{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("account %d after the round trip = %+v, want %+v\n%s", i, got, want, out.Bytes())
		}
	}
	var again bytes.Buffer
	if err := back.WriteYAML(&again); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
		t.Errorf("written again (%v):\n%s\nwant\n%s", err, again.Bytes(), out.Bytes())
	}
}
