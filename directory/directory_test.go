package directory

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestLoadValid(t *testing.T) {
	d, err := Load("testdata/valid.yml", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(d.Accounts), 5; got != want {
		t.Fatalf("accounts = %d, want %d", got, want)
	}
	if got, want := d.Timezone, DefaultTimezone; got != want {
		t.Errorf("timezone = %q, want %q", got, want)
	}
	p := d.Accounts[1]
	if p.ID != "presidenta" || p.Network != archive.Bluesky || !p.AdministeredByArea || p.Servant == nil ||
		p.Servant.Level != 0 || p.Office.From.String() != "2024-10-01" || !p.Office.To.IsZero() || p.RegisteredOn.String() != "2024-10-03" {
		t.Errorf("presidenta = %+v", p)
	}
	if got, want := d.Accounts[2].Endpoint, "https://t.me"; got != want {
		t.Errorf("endpoint = %q, want %q (trailing slash trimmed)", got, want)
	}
	c := d.Accounts[4]
	if got, want := c.line("servant.level"), 37; got != want {
		t.Errorf("line of servant.level = %d, want %d", got, want)
	}
	// The term runs from the start of 2024-10-01 to the end of 2026-06-30,
	// Guadalajara time (UTC-6).
	from, to := c.Term(d.Location)
	if want := time.Date(2024, 10, 1, 6, 0, 0, 0, time.UTC); !from.Equal(want) {
		t.Errorf("term starts %v, want %v", from, want)
	}
	if want := time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC); !to.Equal(want) {
		t.Errorf("term ends %v, want %v (the first instant after 2026-06-30 local)", to, want)
	}
	if from, to := d.Accounts[0].Term(d.Location); !from.IsZero() || !to.IsZero() {
		t.Errorf("an account without office dates has term %v–%v, want open bounds", from, to)
	}
}

func TestProblemsGolden(t *testing.T) {
	_, err := Load("testdata/problems.bad.yml", testNetworks)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Load error = %v, want a *ValidationError", err)
	}
	got := []byte(err.Error() + "\n")
	golden := "testdata/problems.bad.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("problems differ from %s (run with -update to rewrite):\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

func TestParseProblems(t *testing.T) {
	account := func(extra string) string {
		return "subject: S\naccounts:\n  - id: a\n    network: mastodon\n    handle: \"@a@b.example\"\n    area: X\n" + extra
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"empty file", "", "d.yml: the file is empty"},
		{"syntax", "subject: [a\n", "d.yml:1: "},
		{"not a mapping", "- a\n", "d.yml:1: expected a mapping"},
		{"no subject", "accounts:\n  - id: a\n", "d.yml:1: subject: missing"},
		{"accounts not a list", "subject: S\naccounts: 3\n", "d.yml:2: accounts: expected a list of accounts"},
		{"missing type", account(""), "d.yml:3: accounts[0].type: missing: official (policy Séptima A) or personal (Séptima B)"},
		{"personal without servant", account("    type: personal\n    registered_on: 2025-01-01\n"), "d.yml:3: accounts[0].servant: missing: a personal account needs its servant's name, position and level (policy Quinta)"},
		{"level not a number", account("    type: official\n    servant: {name: A, position: B, level: dos}\n"), `d.yml:8: accounts[0].servant.level: "dos": expected a whole number`},
		{"administered without term", account("    type: personal\n    administered_by_area: true\n    servant: {name: A, position: B, level: 1}\n    registered_on: 2025-01-01\n"), "d.yml:3: accounts[0].office.from: missing: an account administered by an area"},
		{"bad bool", account("    type: personal\n    administered_by_area: quizá\n"), `d.yml:8: accounts[0].administered_by_area: "quizá": expected true or false`},
		{"repeated key", account("    type: official\n    type: personal\n"), "d.yml:8: accounts[0].type: repeated key (first at line 7)"},
		{"list as a value", account("    type: [official]\n"), "d.yml:7: accounts[0].type: expected a single value"},
		{"bad endpoint", account("    type: official\n    endpoint: ftp://x\n"), `d.yml:8: accounts[0].endpoint: "ftp://x": expected an http:// or https:// URL`},
		{"endpoint on rss", "subject: S\naccounts:\n  - {id: r, network: rss, handle: \"https://a.example/rss\", endpoint: \"https://b.example\", type: official, area: X}\n", `d.yml:3: accounts[0].endpoint: "https://b.example": not used by rss accounts`},
		{"rss handle not a URL", "subject: S\naccounts:\n  - {id: r, network: rss, handle: boletin, type: official, area: X}\n", `d.yml:3: accounts[0].handle: "boletin": an rss handle is the feed's URL`},
		{"same account twice", "subject: S\naccounts:\n  - {id: a, network: telegram, handle: canal_uno, type: official, area: X}\n  - {id: b, network: telegram, handle: Canal_Uno, type: official, area: X}\n", `d.yml:4: accounts[1].handle: "Canal_Uno": the same telegram account is registered at line 3`},
		{"unknown timezone", "subject: S\ntimezone: Mars/Olympus\naccounts:\n  - {id: a, network: telegram, handle: canal_uno, type: official, area: X}\n", `d.yml:2: timezone: "Mars/Olympus": unknown time zone`},
		{"no accounts", "subject: S\naccounts: []\n", "d.yml:2: accounts: no accounts"},
		{"two documents", account("    type: official\n") + "---\nsubject: T\n", "d.yml:8: a second YAML document"},
		{"private network without endpoint", account("    type: official\n    allow_private_network: true\n"), `d.yml:8: accounts[0].allow_private_network: "true": needs endpoint: the base URL of the instance on the office's network`},
		{"private network not a bool", account("    type: official\n    allow_private_network: LAN\n"), `d.yml:8: accounts[0].allow_private_network: "LAN": expected true or false`},
		{"sweep pages not a number", account("    type: official\n    sweep_pages: muchas\n"), `d.yml:8: accounts[0].sweep_pages: "muchas": expected a whole number`},
		{"sweep pages zero", account("    type: official\n    sweep_pages: 0\n"), `d.yml:8: accounts[0].sweep_pages: "0": expected a whole number of pages from 1 to 1000000`},
		{"sweep pages typo", account("    type: official\n    sweep_page: 10\n"), `d.yml:8: accounts[0].sweep_page: unknown key (did you mean "sweep_pages"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("d.yml", []byte(tt.yaml), testNetworks)
			if err == nil {
				t.Fatalf("Parse succeeded, want a problem %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error:\n%v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

const sheet = "id,network,handle,endpoint,type,area,administered_by_area,servant_name,servant_position,servant_level,office_from,office_to,registered_on\n" +
	"gobierno,mastodon,@gobierno@social.ejemplo.mx,,official,Comunicación,,,,,,,\n" +
	"presidenta,bluesky,presidenta.ejemplo.mx,,personal,Presidencia,sí,Laura Méndez,Presidenta Municipal,0,2024-10-01,,2024-10-03\n"

func TestImportCSV(t *testing.T) {
	d, err := ImportCSV("s.csv", strings.NewReader(sheet), "Ayuntamiento de Ejemplo", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Accounts) != 2 || !d.Accounts[1].AdministeredByArea || d.Accounts[1].Servant.Name != "Laura Méndez" {
		t.Fatalf("imported %+v", d.Accounts)
	}
	// The YAML it writes reads back to the same directory.
	var buf bytes.Buffer
	if err := d.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("out.yml", buf.Bytes(), testNetworks)
	if err != nil {
		t.Fatalf("written YAML does not parse: %v\n%s", err, buf.String())
	}
	for i := range d.Accounts {
		got, want := back.Snapshot(&back.Accounts[i], time.Time{}), d.Snapshot(&d.Accounts[i], time.Time{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("account %d after YAML round trip = %+v, want %+v", i, got, want)
		}
	}
}

func TestImportCSVSemicolonsAndBOM(t *testing.T) {
	in := "\ufeff" + strings.ReplaceAll(sheet, ",", ";")
	d, err := ImportCSV("s.csv", strings.NewReader(in), "S", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Accounts[0].ID, "gobierno"; got != want {
		t.Errorf("first id = %q, want %q", got, want)
	}
}

func TestImportCSVNeedsASubject(t *testing.T) {
	_, err := ImportCSV("s.csv", strings.NewReader(sheet), "  ", testNetworks)
	if err == nil || !strings.Contains(err.Error(), "subject: missing") {
		t.Errorf("ImportCSV with a blank subject: %v, want subject: missing", err)
	}
}

func TestImportCSVProblems(t *testing.T) {
	tests := []struct {
		name, csv, want string
	}{
		{"unknown column", "id,network,handle,type,area,nivl\n", `s.csv:1: column 6: "nivl": unknown column (did you mean "nivel"?)`},
		{"unknown Spanish column", "cuenta;redes;usuario;tipo;área\n", `s.csv:1: column 2: "redes": unknown column (did you mean "red"?)`},
		{"missing column", "id,network,handle,type\n", `s.csv:1: "área (area)": missing column`},
		{"level 5 on line 3", "id,network,handle,type,area,servant_name,servant_position,servant_level,registered_on\n" +
			"a,telegram,canal_uno,official,X,,,,\n" +
			"b,telegram,canal_dos,personal,X,Ana,Jefa,5,2025-01-01\n",
			`s.csv:3: servant_level: "5": breaks policy Quinta`},
		{"bad date", "id,network,handle,type,area,office_from\na,telegram,canal_uno,official,X,1 de octubre\n", `s.csv:2: office_from: "1 de octubre": expected a date written dd/mm/aaaa or YYYY-MM-DD`},
		{"month first", "id,network,handle,type,area,office_from\na,telegram,canal_uno,official,X,10/31/2024\n", `s.csv:2: office_from: "10/31/2024": not a date read as day/month/year (dd/mm/aaaa); there is no day 10 of month 31`},
		{"quote error", "id,network,handle,type,area\n\"a,telegram\n", "s.csv:"},
		{"empty", "", "s.csv: the file is empty"},
		{"private network not a bool", "id,network,handle,endpoint,type,area,allow_private_network\na,telegram,canal_uno,http://10.0.0.5,official,X,LAN\n",
			`s.csv:2: allow_private_network: "LAN": expected true or false (sí/no)`},
		{"private network without endpoint", "id,network,handle,type,area,allow_private_network\na,telegram,canal_uno,official,X,sí\n",
			`s.csv:2: allow_private_network: "true": needs endpoint:`},
		{"sweep pages negative", "id,network,handle,type,area,sweep_pages\na,telegram,canal_uno,official,X,-3\n",
			`s.csv:2: sweep_pages: "-3": expected a whole number of pages from 1 to 1000000`},
		{"sweep pages not a number", "id,network,handle,type,area,sweep_pages\na,telegram,canal_uno,official,X,todas\n",
			`s.csv:2: sweep_pages: "todas": expected a whole number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ImportCSV("s.csv", strings.NewReader(tt.csv), "S", testNetworks)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ImportCSV error:\n%v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// An account may reach its own host on the office's network when it says
// so: the YAML field, the CSV column, and the YAML written from a CSV.
func TestAllowPrivateNetwork(t *testing.T) {
	d, err := Parse("d.yml", []byte(`subject: S
accounts:
  - {id: lan, network: mastodon, handle: "@avisos@mastodon.oficina.lan", endpoint: "http://10.0.0.5:3000", allow_private_network: true, type: official, area: X}
  - {id: intranet, network: rss, handle: "http://intranet.oficina.lan/boletines.xml", allow_private_network: sí, type: official, area: X}
  - {id: publica, network: telegram, handle: canal_uno, endpoint: "http://10.0.0.6", type: official, area: X}
`), testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false} {
		if got := d.Accounts[i].AllowPrivateNetwork; got != want {
			t.Errorf("%s: AllowPrivateNetwork = %v, want %v", d.Accounts[i].ID, got, want)
		}
	}

	in := "id,network,handle,endpoint,allow_private_network,type,area\n" +
		"lan,mastodon,@avisos@mastodon.oficina.lan,http://10.0.0.5:3000,sí,official,X\n" +
		"publica,telegram,canal_uno,,,official,X\n"
	d, err = ImportCSV("s.csv", strings.NewReader(in), "S", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "allow_private_network: true"); got != 1 {
		t.Errorf("written YAML names allow_private_network %d times, want once:\n%s", got, buf.String())
	}
	back, err := Parse("out.yml", buf.Bytes(), testNetworks)
	if err != nil {
		t.Fatalf("written YAML does not parse: %v\n%s", err, buf.String())
	}
	if !back.Accounts[0].AllowPrivateNetwork || back.Accounts[1].AllowPrivateNetwork {
		t.Errorf("after the CSV import and YAML round trip: %+v, want the allowance on lan only", back.Accounts)
	}
}

// An account's sweep budget is read from YAML and CSV, absent is 0 (the
// crawl's --sweep-pages), and survives writing the YAML back.
func TestSweepPages(t *testing.T) {
	d, err := Parse("d.yml", []byte(`subject: S
accounts:
  - {id: larga, network: telegram, handle: canal_uno, type: official, area: X, sweep_pages: 400}
  - {id: corta, network: telegram, handle: canal_dos, type: official, area: X}
`), testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if d.Accounts[0].SweepPages != 400 || d.Accounts[1].SweepPages != 0 {
		t.Errorf("sweep_pages read as %d and %d, want 400 and 0", d.Accounts[0].SweepPages, d.Accounts[1].SweepPages)
	}
	var buf bytes.Buffer
	if err := d.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "sweep_pages:"); n != 1 || !strings.Contains(buf.String(), "sweep_pages: 400") {
		t.Errorf("written YAML has %d sweep_pages lines, want the one of 400:\n%s", n, buf.String())
	}
	again, err := Parse("d.yml", buf.Bytes(), testNetworks)
	if err != nil || again.Accounts[0].SweepPages != 400 {
		t.Fatalf("the written YAML reads back as %v, %v", again, err)
	}
	c, err := ImportCSV("s.csv", strings.NewReader("id,network,handle,type,area,sweep_pages\na,telegram,canal_uno,official,X,25\nb,telegram,canal_dos,official,X,\n"), "S", testNetworks)
	if err != nil {
		t.Fatal(err)
	}
	if c.Accounts[0].SweepPages != 25 || c.Accounts[1].SweepPages != 0 {
		t.Errorf("CSV sweep_pages read as %d and %d, want 25 and 0", c.Accounts[0].SweepPages, c.Accounts[1].SweepPages)
	}
}
