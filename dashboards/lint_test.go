package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// What the dashboards, alert rules, provisioning and deploy files must
// agree on, checked without a server: the PromQL names only metrics vigia
// exposes, every rule has what an operator needs, and the files of
// deploy/ point at one another.

const deployDir = "../deploy"

// TestDashboardModel checks the dashboards' JSON as Grafana reads it: a
// uid each, known data sources, and ClickHouse targets in the plugin's
// form (raw SQL, a query type with the matching format).
func TestDashboardModel(t *testing.T) {
	uids, titles := map[string]string{}, map[string]string{}
	for _, d := range loadDashboards(t) {
		if d.UID == "" || d.Title == "" || d.SchemaVersion < 36 {
			t.Errorf("%s: uid %q, title %q, schemaVersion %d: want all set (schemaVersion 36 or later)", d.file, d.UID, d.Title, d.SchemaVersion)
		}
		if other, ok := uids[d.UID]; ok {
			t.Errorf("%s and %s share the uid %q", d.file, other, d.UID)
		}
		uids[d.UID] = d.file
		ids := map[int]bool{}
		for _, p := range d.allPanels() {
			if ids[p.ID] {
				t.Errorf("%s: two panels have the id %d", d.file, p.ID)
			}
			ids[p.ID] = true
			if p.Type == "row" {
				continue
			}
			if p.Title == "" || p.Description == "" {
				t.Errorf("%s: panel %d needs a title and a description", d.file, p.ID)
			}
			if other, ok := titles[p.Title]; ok {
				t.Errorf("%s: panel title %q is also in %s", d.file, p.Title, other)
			}
			titles[p.Title] = d.file
			if len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no query", d.file, p.Title)
			}
			for _, tg := range p.Targets {
				ds := tg.datasource(p)
				if dashboardDatasources[ds.UID] != ds.Type || ds.Type == "" {
					t.Errorf("%s: panel %q: data source %+v is not one of %v", d.file, p.Title, ds, dashboardDatasources)
					continue
				}
				if tg.isClickHouse(p) {
					format := map[string]string{"table": "1", "timeseries": "0"}[tg.QueryType]
					if tg.EditorType != "sql" || tg.RawSQL == "" || format == "" || string(tg.Format) != format {
						t.Errorf("%s: panel %q: ClickHouse target needs editorType sql, rawSql, queryType table (format 1) or timeseries (format 0); has %q, %q, %s",
							d.file, p.Title, tg.EditorType, tg.QueryType, tg.Format)
					}
				} else if tg.Expr == "" {
					t.Errorf("%s: panel %q: Prometheus target %s has no expr", d.file, p.Title, tg.RefID)
				}
			}
		}
	}
}

// TestDashboardMetricNames checks every PromQL expression of the dashboards
// and of the alert rules: each names only metrics vigia crawl or vigia
// serve exposes (a histogram's _bucket, _sum and _count series by its
// name), and only PromQL's functions.
func TestDashboardMetricNames(t *testing.T) {
	exposed := exposedMetrics(t)
	if len(exposed) == 0 {
		t.Fatal("exposedMetrics returns nothing")
	}
	used := map[string]bool{}
	check := func(where, expr string) {
		t.Helper()
		names, err := promMetricNames(expr)
		if err != nil {
			t.Errorf("%s: %v in %q", where, err, expr)
		}
		if len(names) == 0 && err == nil {
			t.Errorf("%s: %q names no metric", where, expr)
		}
		for _, n := range names {
			base := n
			if !slices.Contains(exposed, n) {
				base = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
			}
			if !slices.Contains(exposed, base) {
				t.Errorf("%s: %q names %s, which vigia does not expose", where, expr, n)
			}
			used[base] = true
		}
	}
	for _, d := range loadDashboards(t) {
		for _, p := range d.allPanels() {
			for _, tg := range p.Targets {
				if !tg.isClickHouse(p) && p.Type != "row" {
					check(fmt.Sprintf("%s: panel %q", d.file, p.Title), tg.Expr)
				}
			}
		}
		for _, v := range d.Templating.List {
			if v.Type != "query" || v.Datasource == nil || v.Datasource.Type != "prometheus" {
				continue
			}
			var q string
			if err := json.Unmarshal(v.Query, &q); err != nil {
				t.Errorf("%s: variable %q: query: %v", d.file, v.Name, err)
				continue
			}
			m := labelValues.FindStringSubmatch(q)
			if m == nil {
				t.Errorf("%s: variable %q: %q is not label_values(metric, label)", d.file, v.Name, q)
				continue
			}
			check(fmt.Sprintf("%s: variable %q", d.file, v.Name), m[1]+m[2])
		}
	}
	for _, r := range loadAlertRules(t) {
		check("alerts.yml: "+r.Alert, r.Expr)
	}
	t.Logf("the dashboards and alerts use %d of the %d metrics vigia exposes", len(used), len(exposed))
}

// alertRule is a Prometheus alerting rule.
type alertRule struct {
	Alert         string            `yaml:"alert"`
	Expr          string            `yaml:"expr"`
	For           string            `yaml:"for"`
	KeepFiringFor string            `yaml:"keep_firing_for"`
	Labels        map[string]string `yaml:"labels"`
	Annotations   map[string]string `yaml:"annotations"`
}

// loadAlertRules reads dashboards/alerts.yml strictly: a key Prometheus
// would not know is an error.
func loadAlertRules(t *testing.T) []alertRule {
	t.Helper()
	var file struct {
		Groups []struct {
			Name     string      `yaml:"name"`
			Interval string      `yaml:"interval"`
			Rules    []alertRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	decodeYAML(t, filepath.Join(dashboardsDir, "alerts.yml"), &file, true)
	var rules []alertRule
	for _, g := range file.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			t.Errorf("alerts.yml: group %q needs a name and rules", g.Name)
		}
		rules = append(rules, g.Rules...)
	}
	return rules
}

var (
	promDuration = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`)
	// A Grafana variable query on Prometheus: label_values(metric, label).
	labelValues = regexp.MustCompile(`^label_values\((\w+)(\{[^}]*\})?, *\w+\)$`)
	// A Grafana variable in PromQL: $name or ${name…}.
	grafanaVariable = regexp.MustCompile(`^\$(\{[^}]*\}|\w+)`)
	pinnedPlugin    = regexp.MustCompile(`/api/plugins/grafana-clickhouse-datasource/versions/(\d+\.\d+\.\d+)/download`)
)

// TestDashboardAlertRules checks the alerting rules: the four the issue
// asks for are there, and each has an expression, a duration, a severity
// and a summary and description in Spanish for whoever receives it.
func TestDashboardAlertRules(t *testing.T) {
	rules := loadAlertRules(t)
	names := map[string]bool{}
	for _, r := range rules {
		if names[r.Alert] {
			t.Errorf("alert %q is defined twice", r.Alert)
		}
		names[r.Alert] = true
		if r.Alert == "" || strings.TrimSpace(r.Expr) == "" {
			t.Errorf("rule %+v: needs alert and expr", r)
		}
		if !promDuration.MatchString(r.For) {
			t.Errorf("alert %q: for %q, want a duration (e.g. 0m, 30m)", r.Alert, r.For)
		}
		if !slices.Contains([]string{"critical", "warning", "info"}, r.Labels["severity"]) {
			t.Errorf("alert %q: severity %q, want critical, warning or info", r.Alert, r.Labels["severity"])
		}
		for _, a := range []string{"summary", "description", "runbook"} {
			if strings.TrimSpace(r.Annotations[a]) == "" {
				t.Errorf("alert %q has no %s annotation", r.Alert, a)
			}
		}
		if rb := r.Annotations["runbook"]; rb != "" {
			doc, anchor, _ := strings.Cut(rb, "#")
			text, err := os.ReadFile(filepath.Join("..", doc))
			if err != nil || !strings.Contains(strings.ToLower(string(text)), "### "+anchor) {
				t.Errorf("alert %q: runbook %q: no heading %q in %s", r.Alert, rb, anchor, doc)
			}
		}
	}
	for _, want := range []string{"VigiaCuentaSinRastreo24h", "VigiaInformacionPublicaEliminada", "VigiaSpoolAtrasado", "VigiaRezagoDeRevision"} {
		if !names[want] {
			t.Errorf("alerts.yml has no rule %q", want)
		}
	}
}

// TestDashboardDeployFiles checks that the provisioning and deploy files
// fit together: the data sources the dashboards name are provisioned,
// Grafana finds the dashboards where compose mounts them, Prometheus
// loads alerts.yml and scrapes the metrics addresses crawl and serve
// listen on, the images are pinned, and the vigia commands' flags exist.
func TestDashboardDeployFiles(t *testing.T) {
	var datasources struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name           string            `yaml:"name"`
			UID            string            `yaml:"uid"`
			Type           string            `yaml:"type"`
			Access         string            `yaml:"access"`
			URL            string            `yaml:"url"`
			IsDefault      bool              `yaml:"isDefault"`
			Editable       bool              `yaml:"editable"`
			JSONData       map[string]any    `yaml:"jsonData"`
			SecureJSONData map[string]string `yaml:"secureJsonData"`
		} `yaml:"datasources"`
	}
	decodeYAML(t, filepath.Join(dashboardsDir, "provisioning/datasources/vigia.yaml"), &datasources, true)
	provisioned := map[string]string{}
	for _, ds := range datasources.Datasources {
		provisioned[ds.UID] = ds.Type
		if ds.Type == "grafana-clickhouse-datasource" && (ds.JSONData["protocol"] != "native" || ds.JSONData["defaultDatabase"] != "vigia") {
			t.Errorf("ClickHouse data source: jsonData %v, want protocol native and defaultDatabase vigia (the dashboards' SQL names no database)", ds.JSONData)
		}
	}
	for uid, typ := range dashboardDatasources {
		if provisioned[uid] != typ {
			t.Errorf("the dashboards use data source %q (%s); provisioned: %v", uid, typ, provisioned)
		}
	}

	var providers struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name                  string `yaml:"name"`
			Folder                string `yaml:"folder"`
			Type                  string `yaml:"type"`
			DisableDeletion       bool   `yaml:"disableDeletion"`
			AllowUIUpdates        bool   `yaml:"allowUiUpdates"`
			UpdateIntervalSeconds int    `yaml:"updateIntervalSeconds"`
			Options               struct {
				Path                      string `yaml:"path"`
				FoldersFromFilesStructure bool   `yaml:"foldersFromFilesStructure"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	decodeYAML(t, filepath.Join(dashboardsDir, "provisioning/dashboards/vigia.yaml"), &providers, true)
	if len(providers.Providers) != 1 || providers.Providers[0].Type != "file" {
		t.Fatalf("dashboard providers: %+v, want one of type file", providers.Providers)
	}

	type service struct {
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Ports       []string          `yaml:"ports"`
	}
	var compose struct {
		Services map[string]service `yaml:"services"`
	}
	decodeYAML(t, filepath.Join(deployDir, "compose.yaml"), &compose, false)
	for _, name := range []string{"clickhouse", "grafana", "prometheus", "crawl", "serve"} {
		s, ok := compose.Services[name]
		if !ok {
			t.Errorf("compose.yaml has no service %q", name)
			continue
		}
		if _, tag, _ := strings.Cut(s.Image, ":"); tag == "" || tag == "latest" {
			t.Errorf("compose.yaml: service %q: image %q is not pinned to a version", name, s.Image)
		}
	}
	// mounts returns where a service mounts a path of the repository.
	mounts := func(svc, repoPath string) string {
		for _, v := range compose.Services[svc].Volumes {
			parts := strings.Split(v, ":")
			if len(parts) >= 2 && path.Clean(path.Join("deploy", parts[0])) == repoPath {
				return parts[1]
			}
		}
		return ""
	}
	if got, want := mounts("grafana", "dashboards"), providers.Providers[0].Options.Path; got != want {
		t.Errorf("compose.yaml mounts dashboards/ in grafana at %q; the dashboard provider reads %q", got, want)
	}
	if got := mounts("grafana", "dashboards/provisioning"); got != "/etc/grafana/provisioning" {
		t.Errorf("compose.yaml mounts dashboards/provisioning in grafana at %q, want /etc/grafana/provisioning", got)
	}
	// Grafana downloads nothing at start: its plugins are those unpacked in
	// deploy/grafana-plugins, whose README pins the ClickHouse plugin's
	// version (and an unpacked plugin has it).
	grafanaEnv := compose.Services["grafana"].Environment
	if p, ok := grafanaEnv["GF_INSTALL_PLUGINS"]; ok {
		t.Errorf("compose.yaml: GF_INSTALL_PLUGINS %q: Grafana would download plugins at start", p)
	}
	if got, want := mounts("grafana", "deploy/grafana-plugins"), grafanaEnv["GF_PATHS_PLUGINS"]; got == "" || got != want {
		t.Errorf("compose.yaml mounts deploy/grafana-plugins in grafana at %q; GF_PATHS_PLUGINS is %q", got, want)
	}
	readme, err := os.ReadFile(filepath.Join(deployDir, "grafana-plugins/README.md"))
	if err != nil {
		t.Fatal(err)
	}
	pin := pinnedPlugin.FindStringSubmatch(string(readme))
	if pin == nil {
		t.Fatalf("deploy/grafana-plugins/README.md names no download of grafana-clickhouse-datasource at a pinned version")
	}
	if unpacked, _ := filepath.Glob(filepath.Join(deployDir, "grafana-plugins/*/plugin.json")); len(unpacked) > 0 {
		for _, f := range unpacked {
			var plugin struct {
				ID   string `json:"id"`
				Info struct {
					Version string `json:"version"`
				} `json:"info"`
			}
			data, err := os.ReadFile(f)
			if err == nil {
				err = json.Unmarshal(data, &plugin)
			}
			if err != nil || plugin.ID == "grafana-clickhouse-datasource" && plugin.Info.Version != pin[1] {
				t.Errorf("%s: %v, version %q; deploy/grafana-plugins/README.md pins %s", f, err, plugin.Info.Version, pin[1])
			}
		}
	}

	var prom struct {
		Global        map[string]string `yaml:"global"`
		RuleFiles     []string          `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	decodeYAML(t, filepath.Join(deployDir, "prometheus.yml"), &prom, true)
	if len(prom.RuleFiles) != 1 || mounts("prometheus", "dashboards/alerts.yml") != prom.RuleFiles[0] {
		t.Errorf("prometheus.yml loads rules %q; compose.yaml mounts dashboards/alerts.yml at %q", prom.RuleFiles, mounts("prometheus", "dashboards/alerts.yml"))
	}
	if got := mounts("prometheus", "deploy/prometheus.yml"); got != "/etc/prometheus/prometheus.yml" {
		t.Errorf("compose.yaml mounts prometheus.yml at %q", got)
	}
	var targets []string
	for _, sc := range prom.ScrapeConfigs {
		for _, c := range sc.StaticConfigs {
			targets = append(targets, c.Targets...)
		}
	}
	for _, svc := range []string{"crawl", "serve"} {
		cmd := compose.Services[svc].Command
		if len(cmd) == 0 || cmd[0] != svc {
			t.Errorf("compose.yaml: service %q runs %q, want vigia %s", svc, cmd, svc)
			continue
		}
		// Every flag is one vigia's command has.
		help, errs, _ := vigia(t, "", svc, "--help")
		for _, arg := range cmd[1:] {
			name, _, _ := strings.Cut(strings.TrimPrefix(arg, "--"), "=")
			if !strings.HasPrefix(arg, "--") || !helpHasFlag(help+errs, name) {
				t.Errorf("compose.yaml: vigia %s has no flag %q", svc, arg)
			}
		}
		var port string
		for _, arg := range cmd {
			if a, ok := strings.CutPrefix(arg, "--metrics-addr="); ok {
				_, port, _ = strings.Cut(a, ":")
			}
		}
		if port == "" || !slices.Contains(targets, svc+":"+port) {
			t.Errorf("compose.yaml: vigia %s serves metrics on port %q; prometheus.yml scrapes %q", svc, port, targets)
		}
	}
}

// helpHasFlag reports whether a command's help lists the flag name, at the
// start of a line, written with one dash (Go's flag.PrintDefaults) or two.
func helpHasFlag(help, name string) bool {
	for _, dashes := range []string{"-", "--"} {
		for _, end := range []string{" ", "\n"} {
			if strings.Contains(help, "\n  "+dashes+name+end) {
				return true
			}
		}
	}
	return false
}

// decodeYAML decodes a YAML file into v; strictly, a key v does not have
// is an error.
func decodeYAML(t *testing.T, file string, v any, strict bool) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(strict)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// PromQL's functions and aggregations, its keywords, and those of them
// followed by a list of labels.
var (
	promFunctions = wordSet(`abs absent absent_over_time avg avg_over_time bottomk ceil changes clamp clamp_max
		clamp_min count count_over_time count_values day_of_month day_of_week day_of_year days_in_month delta deriv exp
		floor group histogram_avg histogram_count histogram_fraction histogram_quantile histogram_sum holt_winters hour
		idelta increase irate label_join label_replace last_over_time ln log10 log2 max max_over_time min min_over_time
		minute month predict_linear present_over_time quantile quantile_over_time rate resets round scalar sgn sort
		sort_desc sqrt stddev stddev_over_time stdvar stdvar_over_time sum sum_over_time time timestamp topk vector year`)
	promKeywords   = wordSet(`and or unless by without on ignoring group_left group_right bool offset inf nan`)
	promLabelLists = wordSet(`by without on ignoring group_left group_right`)
	promAggregates = wordSet(`avg bottomk count count_values group max min quantile stddev stdvar sum topk`)
)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// promMetricNames returns the metric names a PromQL expression reads. It
// is a lexer, not a parser: it skips strings, label matchers, ranges,
// label lists (by, without, on, ignoring, group_left, group_right),
// numbers, durations and Grafana variables; every other identifier is a
// function (followed by a bracket: it must be PromQL's), a keyword, or a
// metric name, which must be vigia's.
func promMetricNames(expr string) ([]string, error) {
	var names []string
	depth := 0
	s := expr
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := skipString(s, i)
			if j < 0 {
				return names, fmt.Errorf("unterminated string at %d", i)
			}
			i = j
		case c == '{' || c == '[':
			end := map[byte]byte{'{': '}', '[': ']'}[c]
			j := i + 1
			for j >= 0 && j < len(s) && s[j] != end {
				if s[j] == '"' || s[j] == '\'' || s[j] == '`' {
					j = skipString(s, j)
				} else {
					j++
				}
			}
			if j < 0 || j >= len(s) {
				return names, fmt.Errorf("unclosed %c at %d", c, i)
			}
			if strings.Contains(s[i:j], "__name__") {
				return names, fmt.Errorf("a metric chosen by __name__ cannot be checked")
			}
			i = j + 1
		case c == '$':
			m := grafanaVariable.FindString(s[i:])
			if m == "" {
				return names, fmt.Errorf("stray $ at %d", i)
			}
			i += len(m)
		case c >= '0' && c <= '9' || c == '.':
			for i < len(s) && (isIdentByte(s[i]) || s[i] == '.') {
				i++
			}
		case c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			word := s[i:j]
			k := j
			for k < len(s) && strings.ContainsRune(" \t\r\n", rune(s[k])) {
				k++
			}
			bracket := k < len(s) && s[k] == '('
			if promAggregates[word] && (strings.HasPrefix(s[k:], "by") || strings.HasPrefix(s[k:], "without")) {
				bracket = true // sum by (label) (…)
			}
			switch {
			case promLabelLists[word] && bracket:
				end := strings.IndexByte(s[k:], ')')
				if end < 0 {
					return names, fmt.Errorf("unclosed label list after %s", word)
				}
				j = k + end + 1
			case promKeywords[word]:
			case bracket:
				if !promFunctions[word] {
					return names, fmt.Errorf("%s is not a PromQL function", word)
				}
			case !strings.HasPrefix(word, "vigia_"):
				return names, fmt.Errorf("%s is not one of vigia's metrics", word)
			default:
				names = append(names, word)
			}
			i = j
		case c == '(':
			depth++
			i++
		case c == ')':
			if depth--; depth < 0 {
				return names, fmt.Errorf("unbalanced ) at %d", i)
			}
			i++
		default:
			i++
		}
	}
	if depth != 0 {
		return names, fmt.Errorf("unbalanced brackets")
	}
	return names, nil
}

// skipString returns the index just past the string literal starting at
// s[i], or -1 when it does not end.
func skipString(s string, i int) int {
	quote := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case quote:
			return j + 1
		}
	}
	return -1
}

func isIdentByte(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func TestDashboardPromQLLexer(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{`sum by (network) (rate(vigia_crawler_requests_total{network=~"$red", code=~"0|5.."}[$__rate_interval]))`, []string{"vigia_crawler_requests_total"}},
		{`histogram_quantile(0.95, sum by (le) (rate(vigia_x_seconds_bucket[5m])))`, []string{"vigia_x_seconds_bucket"}},
		{`time() - vigia_a > 86400 or (vigia_b > 0 unless on (account, network) vigia_a)`, []string{"vigia_a", "vigia_b", "vigia_a"}},
		{`vigia_d{label="function"} unless vigia_d{label="function"} offset 1h`, []string{"vigia_d", "vigia_d"}},
		{`sum(rate(vigia_e[1m])) by (route) / ignoring(code) group_left sum(vigia_f) > bool 1e3`, []string{"vigia_e", "vigia_f"}},
		{`count(vigia_g) or vector(0)`, []string{"vigia_g"}},
	} {
		got, err := promMetricNames(c.expr)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("promMetricNames(%q) = %q, %v; want %q", c.expr, got, err, c.want)
		}
	}
	for _, bad := range []string{`up`, `rate(go_goroutines[5m])`, `frobnicate(vigia_a)`, `sum(vigia_a`, `{__name__="vigia_a"}`, `vigia_a{x="y}`} {
		if got, err := promMetricNames(bad); err == nil {
			t.Errorf("promMetricNames(%q) = %q, want an error", bad, got)
		}
	}
}
