package directory

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The web application's table of accounts edits the directory file one
// account at a time: Amend adds or replaces an account, Retire ends its
// registration (an account is never removed: its posts stay in the archive
// under its id), Merge takes in the accounts of an imported spreadsheet.
// Each returns the whole file as it would be written, checked as Parse
// checks it; the caller keeps the version it replaces.

// Row is one account as the table's form sends it: the spreadsheet's
// columns, as text, read as an import reads a row.
type Row struct {
	ID, Network, Handle, Endpoint, Type, Area string
	AdministeredByArea                        bool
	Name, Position, Level                     string
	From, To, RegisteredOn                    string
}

// RowOf returns the row the table shows of an account.
func RowOf(a *Account) Row {
	r := Row{
		ID: a.ID, Network: string(a.Network), Handle: a.Handle, Endpoint: a.Endpoint, Type: a.Type, Area: a.Area,
		AdministeredByArea: a.AdministeredByArea,
		From:               a.Office.From.String(), To: a.Office.To.String(), RegisteredOn: a.RegisteredOn.String(),
	}
	if s := a.Servant; s != nil {
		r.Name, r.Position = s.Name, s.Position
		if s.Level >= 0 {
			r.Level = strconv.Itoa(s.Level)
		}
	}
	return r
}

// formTable is the one-row table a Row is read through, with the Spanish
// headers the form labels its fields with.
func (r Row) table(form string) *table {
	admin := "no"
	if r.AdministeredByArea {
		admin = "sí"
	}
	return &table{file: form, rows: []tableRow{
		{line: 0, cells: []string{"cuenta", "red", "usuario", "servidor", "tipo", "área", "administrada_por_el_área", "nombre", "cargo", "nivel", "desde", "hasta", "registro"}},
		{line: 0, cells: []string{r.ID, r.Network, r.Handle, r.Endpoint, r.Type, r.Area, admin, r.Name, r.Position, r.Level, r.From, r.To, r.RegisteredOn}},
	}}
}

// Amend returns the directory file data with the account of row added,
// or put in place of the account with the same id (keeping what the row
// does not hold: its leaves, candidacies, jurisdiction, sweep budget,
// private network allowance). notes say what was read another way than
// written; the error, a *ValidationError, names the row's fields by their
// Spanish header.
func Amend(name string, data []byte, row Row, nets Networks) (out []byte, notes []Note, err error) {
	d, err := Parse(name, data, nets)
	if err != nil {
		return nil, nil, err
	}
	form := "formulario"
	ps := &problems{file: form}
	t := row.table(form)
	im := &sheetImport{t: t, ps: ps, nets: nets, header: t.rows[0].cells, col: map[string]int{}}
	for i, h := range im.header {
		im.col[headerKeys[foldHeader(h)]] = i + 1
	}
	a, _ := im.account(t.rows[1], "accounts[0]")
	if err := ps.err(); err != nil {
		return nil, nil, err
	}
	if a.ID == "" {
		ps.add(0, "cuenta", "", "missing: give the account a short unique id, e.g. obras-director")
		return nil, nil, ps.err()
	}
	i := slices.IndexFunc(d.Accounts, func(x Account) bool { return x.ID == a.ID })
	if i < 0 {
		d.Accounts = append(d.Accounts, a)
		i = len(d.Accounts) - 1
	} else {
		keep(&a, &d.Accounts[i], im.col)
		d.Accounts[i] = a
	}
	out, err = rewrite(name, d, nets, i)
	return out, im.notes, err
}

// keep carries into a, read from a row whose columns are cols (key →
// column, 0 or absent when the sheet or form has no such column), what of
// old those columns do not hold: a sheet without a hasta column leaves a
// retired account retired; a blank cell of a column it has clears the
// field. Leaves and candidacies, which no column holds, are always kept.
func keep(a, old *Account, cols map[string]int) {
	has := func(key string) bool { return cols[key] != 0 }
	if !has("endpoint") {
		a.Endpoint = old.Endpoint
	}
	if !has("allow_private_network") {
		a.AllowPrivateNetwork = old.AllowPrivateNetwork
	}
	if !has("administered_by_area") {
		a.AdministeredByArea = old.AdministeredByArea
	}
	if !has("servant_name") || !has("servant_position") || !has("servant_level") {
		if a.Servant == nil && old.Servant != nil {
			a.Servant = &Servant{Level: -1}
		}
		if a.Servant != nil && old.Servant != nil {
			if !has("servant_name") {
				a.Servant.Name = old.Servant.Name
			}
			if !has("servant_position") {
				a.Servant.Position = old.Servant.Position
			}
			if !has("servant_level") {
				a.Servant.Level = old.Servant.Level
			}
		}
	}
	if !has("office_from") {
		a.Office.From = old.Office.From
	}
	if !has("office_to") {
		a.Office.To = old.Office.To
	}
	if !has("registered_on") {
		a.RegisteredOn = old.RegisteredOn
	}
	if !has("sweep_pages") {
		a.SweepPages = old.SweepPages
	}
	if !has("jurisdiction") {
		a.Jurisdiction = old.Jurisdiction
	}
	a.Leaves, a.Candidacies = old.Leaves, old.Candidacies
}

// Retire returns the directory file data with the registration of account
// id ended on day to (its office.to, "hasta"): the account stays in the
// directory, and what was archived of it stays in the archive.
func Retire(name string, data []byte, id string, to Date, nets Networks) ([]byte, error) {
	d, err := Parse(name, data, nets)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(d.Accounts, func(x Account) bool { return x.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("retire %q: %w", id, ErrNoAccount)
	}
	d.Accounts[i].Office.To = to
	return rewrite(name, d, nets, i)
}

// ErrNoAccount: the directory has no account of that id.
var ErrNoAccount = errors.New("no such account in the directory")

// Merge returns the directory file data with the accounts of imported
// added, or put in place of the accounts with the same id (keeping what a
// spreadsheet does not hold, as Amend does); the file's accounts that
// imported does not list stay, and are returned as kept: a spreadsheet
// never removes an account.
func Merge(name string, data []byte, imported *Directory, nets Networks) (out []byte, kept []string, err error) {
	d, err := Parse(name, data, nets)
	if err != nil {
		return nil, nil, err
	}
	listed := map[string]bool{}
	for _, a := range imported.Accounts {
		listed[a.ID] = true
		if i := slices.IndexFunc(d.Accounts, func(x Account) bool { return x.ID == a.ID }); i >= 0 {
			keep(&a, &d.Accounts[i], imported.columns)
			d.Accounts[i] = a
		} else {
			d.Accounts = append(d.Accounts, a)
		}
	}
	for _, a := range d.Accounts {
		if !listed[a.ID] {
			kept = append(kept, a.ID)
		}
	}
	out, err = rewrite(name, d, nets, -1)
	return out, kept, err
}

// rewrite writes d and checks what it wrote as Parse checks a file; the
// problems of account edited name its fields by their Spanish header.
func rewrite(name string, d *Directory, nets Networks, edited int) ([]byte, error) {
	var buf bytes.Buffer
	if err := d.WriteYAML(&buf); err != nil {
		return nil, err
	}
	_, err := Parse(name, buf.Bytes(), nets)
	var verr *ValidationError
	if errors.As(err, &verr) {
		for k := range verr.Problems {
			p := &verr.Problems[k]
			m := accountField.FindStringSubmatch(p.Field)
			if m == nil {
				continue
			}
			i, _ := strconv.Atoi(m[1])
			p.Line = 0
			if i == edited {
				p.Field = FieldLabel(m[2])
			} else if i < len(d.Accounts) {
				p.Field = d.Accounts[i].ID + ": " + FieldLabel(m[2])
			}
		}
		return nil, verr
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// FieldLabel is the Spanish header of a directory field ("servant.level" →
// "nivel"), or the field itself when no column holds it.
func FieldLabel(field string) string {
	key := strings.Replace(strings.Replace(field, "servant.", "servant_", 1), "office.", "office_", 1)
	for _, c := range columns {
		if c.key == key {
			return c.spanish
		}
	}
	return field
}
