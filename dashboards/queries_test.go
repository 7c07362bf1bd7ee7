package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// The Grafana dashboards of this folder (docs/operations.md) are tested
// here: every ClickHouse panel's query runs, with its macros and variables
// expanded as Grafana and the ClickHouse data source plugin expand them,
// against a real archive, and returns the columns its panel shows
// (TestDashboardQueries); the PromQL of the panels and of the alerts names
// only metrics vigia exposes, and the provisioning, alert and deploy files
// fit together (lint_test.go).

const dashboardsDir = "."

// The data sources the dashboards use, as dashboards/provisioning/datasources
// names them.
var dashboardDatasources = map[string]string{
	"vigia-clickhouse": "grafana-clickhouse-datasource",
	"vigia-prometheus": "prometheus",
}

// panelColumns is what each ClickHouse panel shows, by title (unique across
// the dashboards): its columns, in order, and whether the test archive must
// give it rows. Every ClickHouse panel needs an entry.
var panelColumns = map[string]struct {
	columns []string
	rows    bool
}{
	// Cumplimiento
	"Cuentas con rastreo exitoso en 24 h":              {[]string{"cuentas"}, true},
	"Publicaciones por revisar":                        {[]string{"pendientes"}, true},
	"Antigüedad del pendiente más antiguo":             {[]string{"antiguedad"}, true},
	"Publicaciones por día según etiqueta":             {[]string{"time", "Información pública", "Personal", "Por revisar"}, true},
	"Información pública por área":                     {[]string{"Área", "% información pública", "Información pública", "Publicaciones"}, true},
	"Eliminaciones y ediciones de información pública": {[]string{"time", "Eliminadas", "Editadas"}, true},
	"Información pública eliminada en la red":          {[]string{"Eliminada", "Cuenta", "Red", "Publicación", "Texto", "Dirección"}, true},
	// No account of a fresh archive has gone 24 hours without a success.
	"Cuentas sin rastreo exitoso en 24 h (archivo)": {[]string{"Cuenta", "Red", "Área", "Último rastreo exitoso", "Último intento", "Estado", "Último error"}, false},
	"Pendientes de revisión por antigüedad":         {[]string{"Antigüedad", "Publicaciones"}, true},
	"Rastreos de cuentas por día según resultado":   {[]string{"time", "Completos", "Parciales", "Inalcanzables"}, true},
	// Rastreador
	"Ejecuciones recientes": {[]string{"Inicio", "Duración", "Cuentas", "Cuentas fallidas", "Solicitudes", "Publicaciones vistas", "Versiones nuevas", "Versión", "Ejecución"}, true},
	// Archivo
	"Registros archivados por intervalo": {[]string{"time", "post_versions", "captures", "events", "decisions", "fetches"}, true},
	"Partes por tabla":                   {[]string{"Tabla", "Partes", "Particiones", "Máximo de partes en una partición", "Filas"}, true},
	"Almacenamiento por tabla":           {[]string{"Tabla", "En disco", "Comprimido", "Sin comprimir", "Razón de compresión"}, true},
	"Verificaciones de fijeza":           {[]string{"Verificada", "Carpeta", "Archivos", "Registros", "Referencias", "Problemas"}, true},
}

// TestDashboardQueries runs every ClickHouse query of the dashboards — the
// panels' and the variables' — against a crawled archive on the test
// server, with every variable on All and then with each variable on one
// value, and checks the columns each panel expects; and that the panels
// count what vigia's commands count.
func TestDashboardQueries(t *testing.T) {
	arc := dashboardArchive(t, clickhouseArchive(t))
	checkDashboardQueries(t, arc, openClickHouse(t, arc))
}

// checkDashboardQueries runs every ClickHouse panel's query of every
// dashboard on conn, a connection to the database of arc as Grafana's.
func checkDashboardQueries(t *testing.T, arc string, conn driver.Conn) {
	ctx := context.Background()

	results := map[string]*queryResult{} // by panel title, with every variable on All
	queries := 0
	for _, d := range loadDashboards(t) {
		g := grafanaQuery{
			from:     time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
			to:       time.Now().Add(24 * time.Hour),
			interval: time.Hour,
			vars:     map[string]variableSelection{},
		}
		// The variables, in order (a query variable may use earlier ones);
		// those of Prometheus are left out, so that SQL using them fails.
		for _, v := range d.Templating.List {
			if v.Type == "query" && (v.Datasource == nil || v.Datasource.Type != dashboardDatasources["vigia-clickhouse"]) {
				continue
			}
			sel, err := g.selection(ctx, conn, v)
			if err != nil {
				t.Fatalf("%s: variable %q: %v", d.file, v.Name, err)
			}
			g.vars[v.Name] = sel
		}
		for _, choice := range variableChoices(g.vars) {
			g.vars = choice.vars
			for _, p := range d.allPanels() {
				for _, tg := range p.Targets {
					if !tg.isClickHouse(p) {
						continue
					}
					queries++
					res := checkPanel(ctx, t, conn, &g, fmt.Sprintf("%s: panel %q%s", d.file, p.Title, choice.desc), p.Title, tg)
					if choice.desc == "" {
						results[p.Title] = res
					}
				}
			}
		}
	}
	for name, want := range panelColumns {
		res, ok := results[name]
		switch {
		case !ok:
			t.Errorf("panelColumns names %q, which no dashboard has as a ClickHouse panel", name)
		case res != nil && want.rows && len(res.rows) == 0:
			t.Errorf("panel %q returns no rows from the test archive", name)
		}
	}
	t.Logf("%d queries of %d ClickHouse panels ran", queries, len(results))

	// The panels count what vigia's own commands count.
	first := func(panel string) float64 {
		if r := results[panel]; r != nil && len(r.rows) > 0 {
			return number(r.rows[0][0])
		}
		return math.NaN()
	}
	rows := func(panel string) float64 {
		if r := results[panel]; r != nil {
			return float64(len(r.rows))
		}
		return math.NaN()
	}
	sum := func(panel string) float64 {
		if r := results[panel]; r != nil {
			return r.sum(1)
		}
		return math.NaN()
	}
	all := searchJSONL(t, "--archive", arc)
	deleted := searchJSONL(t, "--archive", arc, "--deleted", "--label", "function")
	review, errs, code := vigia(t, "", "review", "list", "--archive", arc, "--format", "jsonl", "--limit", "1000")
	if code != 0 {
		t.Fatalf("review list: exit %d: %s", code, errs)
	}
	// The queue comes in groups (what would most change the public view
	// first), oldest first within each: the oldest is the least of all.
	var oldest time.Time
	for _, line := range strings.Split(strings.TrimSpace(review), "\n") {
		var p struct {
			PublishedAt time.Time `json:"published_at"`
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("review list: %v", err)
		}
		if oldest.IsZero() || p.PublishedAt.Before(oldest) {
			oldest = p.PublishedAt
		}
	}
	for _, c := range []struct {
		what      string
		got, want float64
		within    float64
	}{
		{"posts in Publicaciones por día según etiqueta", sum("Publicaciones por día según etiqueta"), float64(len(all)), 0},
		{"rows of Información pública eliminada en la red", rows("Información pública eliminada en la red"), float64(len(deleted)), 0},
		{"Publicaciones por revisar", first("Publicaciones por revisar"), float64(strings.Count(review, "\n")), 0},
		{"Antigüedad del pendiente más antiguo", first("Antigüedad del pendiente más antiguo"), time.Since(oldest).Seconds(), 60},
		{"Cuentas con rastreo exitoso en 24 h", first("Cuentas con rastreo exitoso en 24 h"), 11, 0},
	} {
		if !(math.Abs(c.got-c.want) <= c.within) {
			t.Errorf("%s: %v, want %v (as vigia's commands count)", c.what, c.got, c.want)
		}
	}
	if len(deleted) == 0 {
		t.Error("the test archive holds no deleted public information")
	}
}

// variableChoice is a selection of a dashboard's variables to run its
// panels with, and how a message names it ("" for every variable on All).
type variableChoice struct {
	desc string
	vars map[string]variableSelection
}

// variableChoices returns the selections the panels run with: every
// variable as saved (All), then each variable that offers values on its
// first value alone.
func variableChoices(vars map[string]variableSelection) []variableChoice {
	out := []variableChoice{{"", vars}}
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		if sel := vars[name]; len(sel.options) > 0 {
			one := maps.Clone(vars)
			one[name] = variableSelection{values: sel.options[:1], options: sel.options, multi: sel.multi}
			out = append(out, variableChoice{fmt.Sprintf(" (with %s = %q)", name, sel.options[0]), one})
		}
	}
	return out
}

// checkPanel runs a ClickHouse target of a panel and checks its columns
// against panelColumns; it returns what the query returned, nil when it
// failed.
func checkPanel(ctx context.Context, t *testing.T, conn driver.Conn, g *grafanaQuery, where, title string, tg panelTarget) *queryResult {
	t.Helper()
	want, ok := panelColumns[title]
	if !ok {
		t.Errorf("%s: a ClickHouse panel with no entry in panelColumns", where)
		return nil
	}
	sqlText, err := g.expand(tg.RawSQL)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return nil
	}
	res, err := runQuery(ctx, conn, sqlText)
	if err != nil {
		t.Errorf("%s: %v\n%s", where, err, sqlText)
		return nil
	}
	if !slices.Equal(res.columns, want.columns) {
		t.Errorf("%s: returns columns %q, want %q", where, res.columns, want.columns)
	}
	if tg.QueryType == "timeseries" {
		checkTimeSeries(t, where, res)
	}
	return res
}

// dashboardArchive is a ClickHouse archive holding something for every
// panel: the sample network crawled, changed (public information edited
// and deleted, an account unreachable) and crawled again, one post decided
// by a person, and the evidence's fixity checked.
func dashboardArchive(t *testing.T, arc string) string {
	t.Helper()
	sn, srvURL, dirFile := liveSample(t)
	tmp := t.TempDir()
	warc := filepath.Join(tmp, "warc")
	t.Setenv("VIGIA_SPOOL_DIR", filepath.Join(tmp, "spool"))
	crawl := func() {
		t.Helper()
		code, out, errs := vigiaEnv(t, "crawl", "--directory", dirFile, "--archive", arc, "--warc-dir", warc,
			"--allow-private-networks", "--host-rate", "0", "--mirror", srvURL, "--relist-window", "8760h", "--progress=false")
		if code != 0 {
			t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
		}
	}
	crawl()
	for _, err := range []error{
		sn.Edit("gobierno-gdl", "panteones", "Horario de los panteones municipales el 1 y 2 de noviembre: de 6:00 a 21:00 h. #DíaDeMuertos", time.Now()),
		sn.Delete("proteccion-civil", "puntos-inundacion"),
		sn.SetUnreachable("tesorero", true),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	crawl()
	var pending []map[string]any
	out, errs, code := vigia(t, "", "review", "list", "--archive", arc, "--format", "jsonl")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var h map[string]any
		if json.Unmarshal([]byte(line), &h) == nil {
			pending = append(pending, h)
		}
	}
	if code != 0 || len(pending) < 1 {
		t.Fatalf("review list: exit %d, %d posts awaiting review, want 1 or more\n%s", code, len(pending), errs)
	}
	// A person overrules the classifier on a post that awaited no one, so
	// that the queue keeps what awaits review.
	post := "tesorero/717"
	if out, errs, code := vigia(t, "", "review", "decide", post, "personal", "--reason", "Mensaje personal", "--by", "revisora", "--archive", arc); code != 0 {
		t.Fatalf("review decide %s: exit %d\n%s%s", post, code, out, errs)
	}
	if out, errs, code := vigia(t, "", "verify", "--archive", arc, "--warc-dir", warc); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	return arc
}

// openClickHouse connects to the database of a clickhouse:// archive URL
// as the data source plugin does: native protocol, that default database.
func openClickHouse(t *testing.T, arc string) driver.Conn {
	t.Helper()
	u, err := url.Parse(arc)
	if err != nil {
		t.Fatal(err)
	}
	auth := clickhouse.Auth{Database: strings.TrimPrefix(u.Path, "/"), Username: u.User.Username()}
	auth.Password, _ = u.User.Password()
	if auth.Username == "" {
		auth.Username = "default"
	}
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{u.Host}, Protocol: clickhouse.Native, Auth: auth, DialTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// queryResult is what a query returned: its columns, their ClickHouse
// types, and its rows.
type queryResult struct {
	columns, types []string
	rows           [][]any
}

func runQuery(ctx context.Context, conn driver.Conn, query string) (*queryResult, error) {
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &queryResult{}
	cts := rows.ColumnTypes()
	for _, ct := range cts {
		res.columns = append(res.columns, ct.Name())
		res.types = append(res.types, ct.DatabaseTypeName())
	}
	for rows.Next() {
		dest := make([]any, len(cts))
		for i, ct := range cts {
			dest[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		row := make([]any, len(dest))
		for i, d := range dest {
			row[i] = reflect.ValueOf(d).Elem().Interface()
		}
		res.rows = append(res.rows, row)
	}
	return res, rows.Err()
}

// sum adds up the numeric columns from the first-th on, over every row.
func (r *queryResult) sum(first int) float64 {
	var s float64
	for _, row := range r.rows {
		for _, v := range row[first:] {
			s += number(v)
		}
	}
	return s
}

// number is a numeric value as a float64 (NaN for anything else).
func number(v any) float64 {
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(r.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(r.Uint())
	case reflect.Float32, reflect.Float64:
		return r.Float()
	}
	return math.NaN()
}

var numericType = regexp.MustCompile(`^(U?Int\d+|Float\d+|Decimal.*)$`)

// checkTimeSeries checks what Grafana needs of a time series in wide
// format: a first column named time of type DateTime, numbers after it.
func checkTimeSeries(t *testing.T, where string, r *queryResult) {
	t.Helper()
	if len(r.columns) < 2 || r.columns[0] != "time" || !strings.HasPrefix(r.types[0], "DateTime") {
		t.Errorf("%s: a time series returns %q (%q), want time (DateTime) first", where, r.columns, r.types)
		return
	}
	for i, typ := range r.types[1:] {
		if !numericType.MatchString(typ) {
			t.Errorf("%s: a time series' column %q is %s, want a number", where, r.columns[i+1], typ)
		}
	}
}

// dashboard is the part of a Grafana dashboard's JSON model the tests read.
type dashboard struct {
	file          string
	UID           string `json:"uid"`
	Title         string `json:"title"`
	SchemaVersion int    `json:"schemaVersion"`
	Templating    struct {
		List []dashboardVariable `json:"list"`
	} `json:"templating"`
	Panels []dashboardPanel `json:"panels"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type dashboardPanel struct {
	ID          int              `json:"id"`
	Type        string           `json:"type"`
	Title       string           `json:"title"`
	Description string           `json:"description"`
	Datasource  *datasourceRef   `json:"datasource"`
	Targets     []panelTarget    `json:"targets"`
	Panels      []dashboardPanel `json:"panels"` // of a collapsed row
}

type panelTarget struct {
	Datasource *datasourceRef  `json:"datasource"`
	RefID      string          `json:"refId"`
	Format     json.RawMessage `json:"format"` // 0 or 1 (ClickHouse), "table" (Prometheus)
	// ClickHouse
	EditorType string `json:"editorType"`
	QueryType  string `json:"queryType"`
	RawSQL     string `json:"rawSql"`
	// Prometheus
	Expr string `json:"expr"`
}

// datasource is the target's data source, or else its panel's.
func (tg panelTarget) datasource(p dashboardPanel) datasourceRef {
	switch {
	case tg.Datasource != nil:
		return *tg.Datasource
	case p.Datasource != nil:
		return *p.Datasource
	}
	return datasourceRef{}
}

func (tg panelTarget) isClickHouse(p dashboardPanel) bool {
	return tg.datasource(p).Type == dashboardDatasources["vigia-clickhouse"]
}

type dashboardVariable struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Datasource *datasourceRef  `json:"datasource"`
	Query      json.RawMessage `json:"query"`
	Multi      bool            `json:"multi"`
	IncludeAll bool            `json:"includeAll"`
	AllValue   *string         `json:"allValue"`
	Current    struct {
		Value json.RawMessage `json:"value"`
	} `json:"current"`
}

// allPanels returns the panels, those of collapsed rows included.
func (d *dashboard) allPanels() []dashboardPanel {
	var out []dashboardPanel
	for _, p := range d.Panels {
		out = append(out, p)
		out = append(out, p.Panels...)
	}
	return out
}

// loadDashboards reads every dashboard of dashboards/.
func loadDashboards(t *testing.T) []dashboard {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dashboardsDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in %s: %v", dashboardsDir, err)
	}
	var out []dashboard
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		d.file = filepath.Base(f)
		out = append(out, d)
	}
	return out
}
