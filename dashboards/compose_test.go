package dashboards

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// composeEnv are the variables deploy/compose.yaml requires (:? in the
// file), as deploy/.env gives them.
var composeEnv = []string{
	"CLICKHOUSE_PASSWORD=clave-vigia",
	"GRAFANA_CLICKHOUSE_PASSWORD=clave-grafana",
	"GRAFANA_ADMIN_PASSWORD=clave-admin",
	"VIGIA_CONTACT=transparencia@municipio.example",
}

// TestDeployComposeConfig has Docker Compose read deploy/compose.yaml as
// an operator's `docker compose config` does: Compose v1 (docker-compose,
// Debian 12's 1.29) and v2 (docker compose), each when installed. Without
// the variables of deploy/.env it must refuse, naming the file; with them
// it must accept the file, and resolve Grafana's plugins to the local
// directory with nothing to download. Without any Compose it is skipped,
// unless VIGIA_REQUIRE_COMPOSE is set (as in CI, where scripts/test
// installs Debian's docker-compose), where that fails.
func TestDeployComposeConfig(t *testing.T) {
	var composes [][]string
	if p, err := exec.LookPath("docker-compose"); err == nil {
		composes = append(composes, []string{p})
	}
	if p, err := exec.LookPath("docker"); err == nil && exec.Command(p, "compose", "version").Run() == nil {
		composes = append(composes, []string{p, "compose"})
	}
	if len(composes) == 0 {
		if os.Getenv("VIGIA_REQUIRE_COMPOSE") != "" {
			t.Fatal("VIGIA_REQUIRE_COMPOSE is set but neither docker-compose nor docker compose was found: VIGIA_REQUIRE_COMPOSE=1 scripts/test installs Debian's docker-compose")
		}
		t.Skip("no docker-compose or docker compose: deploy/compose.yaml is not read by Compose (VIGIA_REQUIRE_COMPOSE=1 scripts/test installs docker-compose)")
	}
	if len(composes) == 1 {
		t.Logf("only %s is installed: the other Compose version is not run", composes[0])
	}
	deploy, err := filepath.Abs(deployDir)
	if err != nil {
		t.Fatal(err)
	}
	// An empty env file, so that a deploy/.env of the developer's does not
	// count, and the environment without the required variables.
	envFile := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(envFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var baseEnv []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "COMPOSE_") && !strings.Contains(name, "PASSWORD") && !strings.HasPrefix(name, "VIGIA_") {
			baseEnv = append(baseEnv, kv)
		}
	}
	for _, c := range composes {
		name := strings.Join(append([]string{filepath.Base(c[0])}, c[1:]...), " ")
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			run := func(env []string, args ...string) (string, error) {
				cmd := exec.Command(c[0], append(append(c[1:len(c):len(c)], "--env-file", envFile, "--file", "compose.yaml"), args...)...)
				cmd.Dir = deploy
				cmd.Env = env
				out, err := cmd.CombinedOutput()
				return string(out), err
			}
			if out, err := run(baseEnv, "config", "-q"); err == nil || !strings.Contains(out, "in deploy/.env") {
				t.Errorf("%s config without deploy/.env: %v, %s; want a refusal that names deploy/.env", name, err, out)
			}
			env := append(baseEnv[:len(baseEnv):len(baseEnv)], composeEnv...)
			if out, err := run(env, "config", "-q"); err != nil {
				t.Fatalf("%s config -q: %v\n%s", name, err, out)
			}
			out, err := run(env, "config")
			if err != nil {
				t.Fatalf("%s config: %v\n%s", name, err, out)
			}
			var resolved struct {
				Services map[string]struct {
					Environment map[string]string `yaml:"environment"`
					Volumes     []yaml.Node       `yaml:"volumes"`
				} `yaml:"services"`
				Volumes map[string]struct {
					Name string `yaml:"name"`
				} `yaml:"volumes"`
			}
			if err := yaml.Unmarshal([]byte(out), &resolved); err != nil {
				t.Fatalf("%s config printed what is not YAML: %v\n%s", name, err, out)
			}
			grafana := resolved.Services["grafana"]
			if p, ok := grafana.Environment["GF_INSTALL_PLUGINS"]; ok {
				t.Errorf("grafana: GF_INSTALL_PLUGINS=%q: Grafana would download plugins at start", p)
			}
			plugins := grafana.Environment["GF_PATHS_PLUGINS"]
			if src, readOnly := bindSource(t, grafana.Volumes, plugins); src != filepath.Join(deploy, "grafana-plugins") || !readOnly {
				t.Errorf("grafana: GF_PATHS_PLUGINS %q is mounted from %q (read-only %v), want %s read-only", plugins, src, readOnly, filepath.Join(deploy, "grafana-plugins"))
			}
			for _, v := range []string{"clickhouse", "vigia", "prometheus", "grafana"} {
				if got := resolved.Volumes[v].Name; got != "vigia_"+v {
					t.Errorf("volume %q is named %q, want vigia_%s (the same whatever the project is called)", v, got, v)
				}
			}
		})
	}
}

// bindSource returns the host path a resolved service mounts at target, in
// Compose v1's short syntax (source:target:mode) or v2's long one, and
// whether it is read-only.
func bindSource(t *testing.T, volumes []yaml.Node, target string) (string, bool) {
	t.Helper()
	for _, n := range volumes {
		if n.Kind == yaml.ScalarNode {
			parts := strings.Split(n.Value, ":")
			if len(parts) >= 2 && parts[1] == target {
				return parts[0], len(parts) > 2 && slices.Contains(strings.Split(parts[2], ","), "ro")
			}
			continue
		}
		var v struct {
			Type     string `yaml:"type"`
			Source   string `yaml:"source"`
			Target   string `yaml:"target"`
			ReadOnly bool   `yaml:"read_only"`
		}
		if err := n.Decode(&v); err != nil {
			t.Fatalf("a volume of the resolved compose file: %v", err)
		}
		if v.Target == target {
			return v.Source, v.ReadOnly
		}
	}
	return "", false
}
