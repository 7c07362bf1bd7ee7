package directory

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/suggest"
)

// csvColumns maps the spreadsheet's column names to directory fields.
var csvColumns = []string{
	"id", "network", "handle", "endpoint", "allow_private_network", "type", "area", "administered_by_area",
	"servant_name", "servant_position", "servant_level",
	"office_from", "office_to", "registered_on", "sweep_pages", "jurisdiction",
}

var csvRequired = []string{"id", "network", "handle", "type", "area"}

// ImportCSV reads the transparency office's spreadsheet, saved as CSV with one
// account per row and a header row naming the columns (id, network, handle,
// endpoint, allow_private_network, type, area, administered_by_area,
// servant_name, servant_position, servant_level, office_from, office_to,
// registered_on, sweep_pages, jurisdiction; "servant.name" is read as "servant_name"). Commas or semicolons separate the columns. The result
// passes the same checks as a YAML directory; problems name the CSV line.
func ImportCSV(name string, r io.Reader, subject string, nets Networks) (*Directory, error) {
	ps := &problems{file: name}
	subject = strings.TrimSpace(subject)
	if subject == "" {
		ps.add(0, "subject", "", "missing: name the obligated body the directory is of")
		return nil, ps.err()
	}
	br := bufio.NewReader(r)
	head, _ := br.Peek(4096)
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	if first, _, _ := bytes.Cut(head, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		ps.add(0, "", "", "the file is empty; it needs a header row and one row per account")
		return nil, ps.err()
	}
	if err != nil {
		return nil, csvError(ps, err)
	}
	col := map[string]int{}
	for i, h := range header {
		key := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), ".", "_")
		switch {
		case !slices.Contains(csvColumns, key):
			ps.add(1, "column "+strconv.Itoa(i+1), h, "unknown column%s; known columns: %s", suggest.DidYouMean(key, csvColumns), strings.Join(csvColumns, ", "))
		case col[key] != 0:
			ps.add(1, "column "+strconv.Itoa(i+1), h, "repeated column")
		default:
			col[key] = i + 1 // 1-based so that 0 means absent
		}
	}
	for _, req := range csvRequired {
		if col[req] == 0 {
			ps.add(1, "", req, "missing column")
		}
	}
	if len(ps.list) > 0 {
		return nil, ps.err()
	}

	d := &Directory{File: name, Subject: subject, fields: map[string]int{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(ps, err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if !utf8.ValidString(strings.Join(rec, "")) {
			ps.add(line, "", "", `the file is not UTF-8 (a spreadsheet saved as plain CSV in Windows-1252?): save it as "CSV UTF-8" and import it again`)
			return nil, ps.err()
		}
		d.Accounts = append(d.Accounts, csvAccount(ps, rec, col, line, fmt.Sprintf("accounts[%d]", len(d.Accounts))))
	}
	d.check(ps, nets)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return d, nil
}

func csvAccount(ps *problems, rec []string, col map[string]int, line int, path string) Account {
	a := Account{Line: line, fields: map[string]int{}, invalid: map[string]bool{}}
	get := func(key string) string {
		i := col[key]
		if i == 0 || i > len(rec) {
			return ""
		}
		v := strings.TrimSpace(rec[i-1])
		if v != "" {
			a.fields[strings.Replace(strings.Replace(key, "servant_", "servant.", 1), "office_", "office.", 1)] = line
		}
		return v
	}
	a.ID = get("id")
	a.Network = archive.Network(strings.ToLower(get("network")))
	a.Handle = get("handle")
	a.Endpoint = get("endpoint")
	a.Type = strings.ToLower(get("type"))
	a.Area = get("area")
	a.Jurisdiction = strings.ToUpper(get("jurisdiction"))
	csvBool := func(key string) bool {
		v := get(key)
		if v == "" {
			return false
		}
		b, ok := parseBool(v)
		if !ok {
			ps.add(line, path+"."+key, v, "expected true or false (sí/no)")
			a.invalid[key] = true
		}
		return b
	}
	a.AllowPrivateNetwork = csvBool("allow_private_network")
	a.AdministeredByArea = csvBool("administered_by_area")
	name, position, level := get("servant_name"), get("servant_position"), get("servant_level")
	if name != "" || position != "" || level != "" {
		a.Servant = &Servant{Name: name, Position: position, Level: -1}
		if level != "" {
			n, err := strconv.Atoi(level)
			if err != nil {
				ps.add(line, path+".servant.level", level, "expected a whole number")
				a.invalid["servant.level"] = true
			} else {
				a.Servant.Level = n
			}
		}
	}
	csvDate := func(key, field string) Date {
		v := get(key)
		if v == "" {
			return Date{}
		}
		d, err := ParseDate(v)
		if err != nil {
			ps.add(line, path+"."+field, v, "expected a date written YYYY-MM-DD")
			a.invalid[field] = true
		}
		return d
	}
	a.Office.From = csvDate("office_from", "office.from")
	a.Office.To = csvDate("office_to", "office.to")
	a.RegisteredOn = csvDate("registered_on", "registered_on")
	if v := get("sweep_pages"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			ps.add(line, path+".sweep_pages", v, "expected a whole number")
			a.invalid["sweep_pages"] = true
		}
		a.SweepPages = n
	}
	return a
}

func csvError(ps *problems, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		ps.add(pe.Line, "", "", "%v", pe.Err)
		return ps.err()
	}
	return fmt.Errorf("read %s: %w", ps.file, err)
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// yamlDirectory and friends give the YAML form its field order.
type yamlDirectory struct {
	Subject      string        `yaml:"subject"`
	Timezone     string        `yaml:"timezone,omitempty"`
	Jurisdiction string        `yaml:"jurisdiction,omitempty"`
	Campaigns    string        `yaml:"campaigns,omitempty"`
	Accounts     []yamlAccount `yaml:"accounts"`
}

type yamlAccount struct {
	ID                 string       `yaml:"id"`
	Network            string       `yaml:"network"`
	Handle             string       `yaml:"handle"`
	Endpoint           string       `yaml:"endpoint,omitempty"`
	AllowPrivate       bool         `yaml:"allow_private_network,omitempty"`
	Type               string       `yaml:"type"`
	Area               string       `yaml:"area"`
	AdministeredByArea bool         `yaml:"administered_by_area,omitempty"`
	Servant            *yamlServant `yaml:"servant,omitempty"`
	Office             *yamlOffice  `yaml:"office,omitempty"`
	RegisteredOn       string       `yaml:"registered_on,omitempty"`
	SweepPages         int          `yaml:"sweep_pages,omitempty"`
	Jurisdiction       string       `yaml:"jurisdiction,omitempty"`
	Leave              []yamlOffice `yaml:"leave,omitempty"`
	Candidacy          []yamlCand   `yaml:"candidacy,omitempty"`
}

type yamlCand struct {
	Election     string `yaml:"election"`
	Jurisdiction string `yaml:"jurisdiction,omitempty"`
	Office       string `yaml:"office,omitempty"`
}

type yamlServant struct {
	Name     string `yaml:"name"`
	Position string `yaml:"position"`
	Level    int    `yaml:"level"`
}

type yamlOffice struct {
	From string `yaml:"from,omitempty"`
	To   string `yaml:"to"`
}

// WriteYAML writes the directory in the form Parse reads.
func (d *Directory) WriteYAML(w io.Writer) error {
	out := yamlDirectory{Subject: d.Subject, Jurisdiction: d.Jurisdiction, Campaigns: d.CampaignsFile}
	if d.Timezone != DefaultTimezone {
		out.Timezone = d.Timezone
	}
	for _, a := range d.Accounts {
		ya := yamlAccount{
			ID: a.ID, Network: string(a.Network), Handle: a.Handle, Endpoint: a.Endpoint, AllowPrivate: a.AllowPrivateNetwork,
			Type: a.Type, Area: a.Area, AdministeredByArea: a.AdministeredByArea,
			RegisteredOn: a.RegisteredOn.String(), SweepPages: a.SweepPages,
		}
		if s := a.Servant; s != nil {
			ya.Servant = &yamlServant{Name: s.Name, Position: s.Position, Level: s.Level}
		}
		if !a.Office.From.IsZero() || !a.Office.To.IsZero() {
			ya.Office = &yamlOffice{From: a.Office.From.String(), To: a.Office.To.String()}
		}
		if a.Jurisdiction != d.Jurisdiction {
			ya.Jurisdiction = a.Jurisdiction
		}
		for _, l := range a.Leaves {
			ya.Leave = append(ya.Leave, yamlOffice{From: l.From.String(), To: l.To.String()})
		}
		for _, c := range a.Candidacies {
			yc := yamlCand{Election: c.Election.String(), Office: c.Office}
			if c.Jurisdiction != a.Jurisdiction {
				yc.Jurisdiction = c.Jurisdiction
			}
			ya.Candidacy = append(ya.Candidacy, yc)
		}
		out.Accounts = append(out.Accounts, ya)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write directory: %w", err)
	}
	return enc.Close()
}
