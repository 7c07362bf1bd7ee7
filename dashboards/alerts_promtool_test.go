package dashboards

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The alert rules evaluated by Prometheus's own engine: promtool (Debian's
// prometheus package) checks alerts.yml and runs its unit tests,
// alerts_test.yml, which replay what vigia crawl and vigia serve expose
// (a fresh Prometheus, counters at 0, a deletion, a restart, metrics
// missing for an hour, …) and say when each alert must fire, with which
// labels and annotations, and when it must not.

// promtoolTests is a promtool unit test file, read strictly.
type promtoolTests struct {
	RuleFiles          []string `yaml:"rule_files"`
	EvaluationInterval string   `yaml:"evaluation_interval"`
	Tests              []struct {
		Name        string `yaml:"name"`
		Interval    string `yaml:"interval"`
		InputSeries []struct {
			Series string `yaml:"series"`
			Values string `yaml:"values"`
		} `yaml:"input_series"`
		AlertRuleTest []struct {
			EvalTime  string `yaml:"eval_time"`
			Alertname string `yaml:"alertname"`
			ExpAlerts []struct {
				ExpLabels      map[string]string `yaml:"exp_labels"`
				ExpAnnotations map[string]string `yaml:"exp_annotations"`
			} `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}

const alertTestsFile = "alerts_test.yml"

// TestAlertRulesHaveUnitTests checks, without promtool, that
// alerts_test.yml tests every alert of alerts.yml both ways: a case where
// it fires, with the rule's labels and its annotations, and a case where
// it must not.
func TestAlertRulesHaveUnitTests(t *testing.T) {
	var file promtoolTests
	decodeYAML(t, filepath.Join(dashboardsDir, alertTestsFile), &file, true)
	if !slices.Equal(file.RuleFiles, []string{"alerts.yml"}) {
		t.Errorf("%s: rule_files %q, want [alerts.yml]", alertTestsFile, file.RuleFiles)
	}
	rules := map[string]alertRule{}
	for _, r := range loadAlertRules(t) {
		rules[r.Alert] = r
	}
	fires, quiet := map[string]int{}, map[string]int{}
	for _, tg := range file.Tests {
		if tg.Name == "" || len(tg.InputSeries) == 0 || len(tg.AlertRuleTest) == 0 {
			t.Errorf("%s: test %q needs a name, input series and alert tests", alertTestsFile, tg.Name)
		}
		for _, at := range tg.AlertRuleTest {
			r, ok := rules[at.Alertname]
			if !ok {
				t.Errorf("%s: test %q: alerts.yml has no alert %q", alertTestsFile, tg.Name, at.Alertname)
				continue
			}
			if len(at.ExpAlerts) == 0 {
				quiet[r.Alert]++
				continue
			}
			fires[r.Alert]++
			for _, exp := range at.ExpAlerts {
				for k, v := range r.Labels {
					if exp.ExpLabels[k] != v {
						t.Errorf("%s: test %q at %s: %s expected with %s=%q, the rule sets %q", alertTestsFile, tg.Name, at.EvalTime, r.Alert, k, exp.ExpLabels[k], v)
					}
				}
				for _, a := range []string{"summary", "description", "runbook"} {
					if exp.ExpAnnotations[a] == "" {
						t.Errorf("%s: test %q at %s: %s expected without its %s annotation", alertTestsFile, tg.Name, at.EvalTime, r.Alert, a)
					}
				}
			}
		}
	}
	for name := range rules {
		if fires[name] == 0 || quiet[name] == 0 {
			t.Errorf("%s: alert %q is tested firing %d times and quiet %d times: want both", alertTestsFile, name, fires[name], quiet[name])
		}
	}
}

// TestAlertRulesPromtool runs promtool check rules on alerts.yml and
// promtool test rules on alerts_test.yml. Without promtool it is skipped,
// unless VIGIA_REQUIRE_PROMTOOL is set (as in CI, where scripts/test
// installs Debian's prometheus package), where that fails.
func TestAlertRulesPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("VIGIA_REQUIRE_PROMTOOL") != "" {
			t.Fatal("VIGIA_REQUIRE_PROMTOOL is set but promtool was not found: VIGIA_REQUIRE_PROMTOOL=1 scripts/test installs Debian's prometheus package, which has it")
		}
		t.Skip("no promtool: the alert rules' unit tests are not run (VIGIA_REQUIRE_PROMTOOL=1 scripts/test installs it)")
	}
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", alertTestsFile}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dashboardsDir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
			continue
		}
		t.Logf("promtool %s:\n%s", strings.Join(args, " "), out)
	}
}
