package directory

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/suggest"
)

// A spreadsheet (CSV or the first sheet of an .xlsx workbook) is read into
// a table of text cells; the columns are recognised by their header, in
// Spanish or English, and every cell is read as offices write it. What the
// import changed on the way is listed in Directory.Notes.

// column is one of the directory fields a spreadsheet may hold: its key
// (the English name, also accepted as a header), the Spanish header the
// help texts and suggestions give, and the other headers read as it.
type column struct {
	key, spanish string
	aliases      []string
}

var columns = []column{
	{"id", "cuenta", []string{"clave", "identificador", "id_cuenta", "clave_de_cuenta"}},
	{"network", "red", []string{"red_social", "plataforma"}},
	{"handle", "usuario", []string{"nombre_de_usuario", "perfil", "direccion", "url", "enlace", "liga", "cuenta_de_usuario"}},
	{"endpoint", "servidor", []string{"instancia"}},
	{"allow_private_network", "red_privada", nil},
	{"type", "tipo", []string{"tipo_de_cuenta"}},
	{"area", "área", []string{"unidad_administrativa", "dependencia"}},
	{"administered_by_area", "administrada_por_el_área", []string{"administrada_por_area", "administrada"}},
	{"servant_name", "nombre", []string{"servidor_publico", "nombre_del_servidor_publico", "titular", "nombre_completo"}},
	{"servant_position", "cargo", []string{"puesto"}},
	{"servant_level", "nivel", []string{"nivel_jerarquico"}},
	{"office_from", "desde", []string{"inicio", "inicio_del_cargo", "fecha_de_inicio", "inicio_de_gestion"}},
	{"office_to", "hasta", []string{"fin", "fin_del_cargo", "fecha_de_fin", "fecha_de_termino", "termino", "baja"}},
	{"registered_on", "registro", []string{"fecha_de_registro", "fecha_de_solicitud", "solicitud"}},
	{"sweep_pages", "páginas_de_barrido", nil},
	{"jurisdiction", "jurisdicción", nil},
}

var sheetRequired = []string{"id", "network", "handle", "type", "area"}

// headerKeys maps every header a column is known by, folded (lower case,
// no accents, '_' for spaces, dots and dashes), to its key.
var headerKeys = func() map[string]string {
	m := map[string]string{}
	for _, c := range columns {
		for _, h := range append([]string{c.key, c.spanish}, c.aliases...) {
			m[foldHeader(h)] = c.key
		}
	}
	return m
}()

// headerNames are what suggestions choose from: each column's Spanish and
// English header.
var headerNames = func() []string {
	var names []string
	for _, c := range columns {
		names = append(names, c.spanish, c.key)
	}
	return names
}()

// ColumnsHelp lists the columns as the help texts give them: "cuenta (id),
// red (network), …".
func ColumnsHelp() string {
	parts := make([]string, len(columns))
	for i, c := range columns {
		parts[i] = c.spanish + " (" + c.key + ")"
	}
	return strings.Join(parts, ", ")
}

func foldHeader(h string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(TrimWritten(h)))) {
		switch {
		case r >= 0x300 && r <= 0x36f:
		case r == ' ' || r == '.' || r == '-' || r == '_' || r == '/':
			if s := b.String(); s != "" && !strings.HasSuffix(s, "_") {
				b.WriteByte('_')
			}
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// table is a spreadsheet read into text cells.
type table struct {
	file string
	// sheet is the name of an .xlsx workbook's sheet; "" for CSV, whose
	// problems name the line, not the cell.
	sheet string
	// serialDates: a number in a date column is an Excel serial date
	// (an .xlsx date cell); date1904 is the workbook's date system.
	serialDates, date1904 bool
	rows                  []tableRow
	notes                 []Note // what reading the file changed (its encoding)
}

type tableRow struct {
	line  int // the CSV line, or the sheet's row
	cells []string
}

// importTable turns a table into a checked directory.
func importTable(t *table, subject string, nets Networks) (*Directory, error) {
	ps := &problems{file: t.file}
	subject = strings.TrimSpace(subject)
	if subject == "" {
		ps.add(0, "subject", "", "missing: name the obligated body the directory is of")
		return nil, ps.err()
	}
	h := t.headerRow()
	if h < 0 {
		ps.add(0, "", "", "the file is empty; it needs a header row and one row per account")
		return nil, ps.err()
	}
	im := &sheetImport{t: t, ps: ps, col: map[string]int{}, header: t.rows[h].cells, nets: nets}
	if h > 0 {
		im.notes = append(im.notes, Note{File: t.file, Line: t.rows[h].line, Cell: t.cell(-1, t.rows[h].line), Kind: SkippedRows, N: h})
	}
	headerLine := t.rows[h].line
	for i, hd := range im.header {
		key, known := headerKeys[foldHeader(hd)]
		switch {
		case strings.TrimSpace(hd) == "":
			continue
		case !known:
			ps.addAt(headerLine, t.cell(i, headerLine), "column "+strconv.Itoa(i+1), hd, "unknown column%s; known columns: %s",
				suggest.DidYouMean(foldHeader(hd), headerNames), ColumnsHelp())
		case im.col[key] != 0:
			ps.addAt(headerLine, t.cell(i, headerLine), "column "+strconv.Itoa(i+1), hd, "repeated column (%q is column %d)", im.header[im.col[key]-1], im.col[key])
		default:
			im.col[key] = i + 1 // 1-based so that 0 means absent
		}
	}
	for _, req := range sheetRequired {
		if im.col[req] == 0 {
			ps.addAt(headerLine, t.cell(-1, headerLine), "", spanishOf(req)+" ("+req+")", "missing column")
		}
	}
	if len(ps.list) > 0 {
		return nil, ps.err()
	}
	d := &Directory{File: t.file, Subject: subject, fields: map[string]int{}, columns: im.col}
	var cols []map[string]int // each account's field → column
	for _, r := range t.rows[h+1:] {
		if blank(r.cells) {
			continue
		}
		a, c := im.account(r, fmt.Sprintf("accounts[%d]", len(d.Accounts)))
		d.Accounts = append(d.Accounts, a)
		cols = append(cols, c)
	}
	d.check(ps, nets)
	im.locate(ps.list, d, cols)
	d.Notes = append(t.notes, im.notes...)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return d, nil
}

func spanishOf(key string) string {
	for _, c := range columns {
		if c.key == key {
			return c.spanish
		}
	}
	return key
}

// headerRow returns the index of the header row: the first row that is not
// blank, or, when that one names fewer than two known columns (a title
// above the table), the first of the next ten rows that names three; -1
// when the table is blank.
func (t *table) headerRow() int {
	first := -1
	for i, r := range t.rows {
		if !blank(r.cells) {
			first = i
			break
		}
	}
	if first < 0 || knownHeaders(t.rows[first].cells) >= 2 {
		return first
	}
	for i := first + 1; i < len(t.rows) && i <= first+10; i++ {
		if knownHeaders(t.rows[i].cells) >= 3 {
			return i
		}
	}
	return first
}

func knownHeaders(cells []string) int {
	n := 0
	for _, c := range cells {
		if _, ok := headerKeys[foldHeader(c)]; ok {
			n++
		}
	}
	return n
}

// cell names column i (0-based) of a row in an .xlsx sheet, e.g.
// "Hoja1!C5", or the whole row when i < 0; "" for CSV.
func (t *table) cell(i, row int) string {
	if t.sheet == "" {
		return ""
	}
	if i < 0 {
		return fmt.Sprintf("%s row %d", t.sheet, row)
	}
	return fmt.Sprintf("%s!%s%d", t.sheet, columnName(i+1), row)
}

// columnName is a spreadsheet's name of column n (1-based): A, …, Z, AA, ….
func columnName(n int) string {
	var s []byte
	for n > 0 {
		n--
		s = append([]byte{byte('A' + n%26)}, s...)
		n /= 26
	}
	return string(s)
}

type sheetImport struct {
	t      *table
	ps     *problems
	nets   Networks
	header []string
	col    map[string]int // key → 1-based column
	notes  []Note
}

// fieldPath is the directory field a column fills.
func fieldPath(key string) string {
	return strings.Replace(strings.Replace(key, "servant_", "servant.", 1), "office_", "office.", 1)
}

// account reads one row; it returns the account and the column of each of
// its fields.
func (im *sheetImport) account(r tableRow, path string) (Account, map[string]int) {
	line := r.line
	a := Account{Line: line, fields: map[string]int{}, invalid: map[string]bool{}}
	cols := map[string]int{}
	for key, i := range im.col {
		cols[fieldPath(key)] = i
	}
	raw := func(key string) string {
		i := im.col[key]
		if i == 0 || i > len(r.cells) {
			return ""
		}
		v := TrimWritten(r.cells[i-1])
		if v != "" {
			a.fields[fieldPath(key)] = line
		}
		return v
	}
	where := func(key string) (cell, header string) {
		i := im.col[key]
		return im.t.cell(i-1, line), strings.TrimSpace(im.header[i-1])
	}
	bad := func(key, value, format string, args ...any) {
		cell, header := where(key)
		im.ps.addAt(line, cell, header, value, format, args...)
		a.invalid[fieldPath(key)] = true
	}
	changed := func(key, written, read string, kind NoteKind) {
		cell, header := where(key)
		im.notes = append(im.notes, Note{File: im.t.file, Line: line, Cell: cell, Field: header, Kind: kind, Written: written, Read: read})
	}

	if v := raw("id"); v != "" {
		a.ID = slug(v)
		if a.ID != strings.ToLower(v) {
			changed("id", v, a.ID, ReadAs)
		}
	}
	if v := raw("network"); v != "" {
		a.Network = archive.Network(networkName(v))
		if string(a.Network) != strings.ToLower(v) {
			changed("network", v, string(a.Network), ReadAs)
		}
	}
	if v := raw("handle"); v != "" {
		a.Handle = v
		if spec, ok := im.nets.Spec(a.Network); ok {
			a.Handle = spec.NormalizeHandle(v)
			if a.Handle != v {
				changed("handle", v, a.Handle, ReadAs)
			}
		}
	}
	a.Endpoint = strings.TrimRight(raw("endpoint"), "/")
	if v := raw("type"); v != "" {
		a.Type = accountType(v)
	}
	a.Area = raw("area")
	a.Jurisdiction = strings.ToUpper(raw("jurisdiction"))
	boolean := func(key string) bool {
		v := raw(key)
		if v == "" {
			return false
		}
		b, ok := parseBool(v)
		if !ok {
			bad(key, v, "expected true or false (sí/no)")
		}
		return b
	}
	a.AllowPrivateNetwork = boolean("allow_private_network")
	a.AdministeredByArea = boolean("administered_by_area")
	name, position, level := raw("servant_name"), raw("servant_position"), raw("servant_level")
	if name != "" || position != "" || level != "" {
		a.Servant = &Servant{Name: name, Position: position, Level: -1}
		if level != "" {
			if n, ok := wholeNumber(level); ok {
				a.Servant.Level = n
			} else {
				bad("servant_level", level, "expected a whole number")
			}
		}
	}
	date := func(key string) Date {
		v := raw(key)
		if v == "" {
			return Date{}
		}
		d, kind, msg := im.t.date(v)
		switch {
		case msg != "":
			bad(key, v, "%s", msg)
		case kind != ReadAs:
			changed(key, v, d.String(), kind)
		}
		return d
	}
	a.Office.From = date("office_from")
	a.Office.To = date("office_to")
	a.RegisteredOn = date("registered_on")
	if v := raw("sweep_pages"); v != "" {
		if n, ok := wholeNumber(v); ok {
			a.SweepPages = n
		} else {
			bad("sweep_pages", v, "expected a whole number")
		}
	}
	return a, cols
}

// locate gives each problem the checks found in an account the cell and
// header of its column, as the office wrote it.
func (im *sheetImport) locate(list []Problem, d *Directory, cols []map[string]int) {
	for k := range list {
		p := &list[k]
		m := accountField.FindStringSubmatch(p.Field)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		if i >= len(cols) {
			continue
		}
		c := cols[i][m[2]]
		if c == 0 {
			if p.Cell == "" {
				p.Cell = im.t.cell(-1, d.Accounts[i].Line)
			}
			continue
		}
		p.Cell = im.t.cell(c-1, d.Accounts[i].Line)
		p.Field = strings.TrimSpace(im.header[c-1])
	}
}

var accountField = regexp.MustCompile(`^accounts\[(\d+)\]\.(.+)$`)

// slug turns an account's id as an office writes it ("Comunicación Social")
// into one the register takes ("comunicacion-social").
func slug(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 0x300 && r <= 0x36f:
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		case r == ' ' || r == '/':
			if out := b.String(); out != "" && !strings.HasSuffix(out, "-") {
				b.WriteByte('-')
			}
		default:
			b.WriteRune(r) // kept, for the check to refuse with the value
		}
	}
	return strings.Trim(b.String(), "-")
}

// networkName reads a network as offices write it: any case, with
// accents or spaces, "bsky", "feed".
func networkName(s string) string {
	f := strings.ReplaceAll(foldHeader(s), "_", "")
	switch f {
	case "bsky":
		return "bluesky"
	case "feed", "atom", "rssfeed":
		return "rss"
	case "yt":
		return "youtube"
	}
	return f
}

// accountType reads official and personal in Spanish or English.
func accountType(s string) string {
	f := foldHeader(s)
	switch f {
	case "oficial", "official", "institucional", "a":
		return Official
	case "personal", "b":
		return Personal
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// wholeNumber reads a whole number, also as a spreadsheet writes it ("2.0").
func wholeNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
		return int(f), true
	}
	return 0, false
}

var dayMonthYear = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)

// date reads a date cell: YYYY-MM-DD (also with a time after it), the
// dd/mm/aaaa Excel shows in Mexico (also with - or . between), never
// mm/dd; in an .xlsx sheet, a date cell's serial number. kind says how a
// date not written YYYY-MM-DD was read (ReadAs when it was); msg what is
// wrong.
func (t *table) date(s string) (d Date, kind NoteKind, msg string) {
	if iso, rest, _ := strings.Cut(s, " "); len(iso) == 10 {
		if d, err := ParseDate(iso); err == nil {
			if rest != "" && strings.Trim(rest, "0:.") != "" {
				kind = ReadDateOnly
			}
			return d, kind, ""
		}
	}
	if strings.HasSuffix(s, "T00:00:00") || strings.HasSuffix(s, "T00:00:00Z") {
		if d, err := ParseDate(s[:10]); err == nil {
			return d, ReadAs, ""
		}
	}
	if m := dayMonthYear.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		tm := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if month < 1 || month > 12 || tm.Day() != day {
			return Date{}, ReadAs, fmt.Sprintf("not a date read as day/month/year (dd/mm/aaaa); there is no day %d of month %d", day, month)
		}
		return Date{tm}, ReadDayMonthYear, ""
	}
	if t.serialDates {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 2958466 {
			return serialDate(f, t.date1904), ReadAs, ""
		}
	}
	return Date{}, ReadAs, "expected a date written dd/mm/aaaa or YYYY-MM-DD"
}

// serialDate is the day of an Excel serial date: days since 1899-12-30
// (the 1900 system, whose serials count a 29 February 1900 that never was,
// hence the 30th), or since 1904-01-01.
func serialDate(f float64, date1904 bool) Date {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return Date{base.AddDate(0, 0, int(f))}
}

func blank(cells []string) bool {
	return !slices.ContainsFunc(cells, func(c string) bool { return TrimWritten(c) != "" })
}

// ReadDate reads a date as a person writes it: YYYY-MM-DD or dd/mm/aaaa
// (never month first).
func ReadDate(s string) (Date, error) {
	d, _, msg := (&table{}).date(TrimWritten(s))
	if msg != "" {
		return Date{}, fmt.Errorf("%q: %s", s, msg)
	}
	return d, nil
}
