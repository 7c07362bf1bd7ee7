package dashboards

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vigia-mx/vigia/samplenet"
)

// What the tests need of vigia: the binary, built once from ../cmd/vigia
// and run as a person runs it, and the metrics its commands expose.

var (
	buildOnce sync.Once
	binary    string // the built vigia
	buildErr  error
	binDir    string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// vigiaBinary builds cmd/vigia the first time a test needs it.
func vigiaBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "vigia-dashboards-")
		if buildErr != nil {
			return
		}
		binary = filepath.Join(binDir, "vigia")
		out, err := exec.Command("go", "build", "-o", binary, "../cmd/vigia").CombinedOutput()
		if err != nil {
			buildErr = errors.New("go build ../cmd/vigia: " + err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// testAuditKey is the audit key of the command lines vigia runs.
const testAuditKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// vigia runs the binary with args and stdin, with an audit log of its own
// in a temporary folder, and returns what it wrote and its exit code.
func vigia(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	return runVigia(t, stdin, []string{"VIGIA_AUDIT=" + audit, "VIGIA_AUDIT_KEY=" + testAuditKey}, args...)
}

// vigiaEnv runs the binary with args in the test's environment
// (t.Setenv included).
func vigiaEnv(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	stdout, stderr, code = runVigia(t, "", nil, args...)
	return code, stdout, stderr
}

func runVigia(t *testing.T, stdin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(vigiaBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("vigia %q: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// searchJSONL returns the posts of a search as decoded JSON objects.
func searchJSONL(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	out, errs, code := vigia(t, "", append([]string{"search", "--format", "jsonl"}, args...)...)
	if code != 0 {
		t.Fatalf("search %v: exit %d: %s", args, code, errs)
	}
	var hits []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var h map[string]any
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatalf("search output line %q: %v", sc.Text(), err)
		}
		hits = append(hits, h)
	}
	return hits
}

// clickhouseArchive is a new database on the test server, or a skip.
func clickhouseArchive(t *testing.T) string {
	t.Helper()
	u := os.Getenv("VIGIA_TEST_CLICKHOUSE")
	if u == "" {
		if os.Getenv("VIGIA_REQUIRE_CLICKHOUSE") != "" {
			t.Fatal("VIGIA_REQUIRE_CLICKHOUSE is set but VIGIA_TEST_CLICKHOUSE names no server")
		}
		t.Skip("no ClickHouse server (scripts/test starts one)")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return strings.TrimRight(u, "/") + "/vigia_dashboards_" + hex.EncodeToString(b[:])
}

// liveSample serves the sample network and writes its directory, whose
// accounts point at it.
func liveSample(t *testing.T) (sn *samplenet.Server, url, dirFile string) {
	t.Helper()
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sn.Handler())
	t.Cleanup(srv.Close)
	dirFile = filepath.Join(t.TempDir(), "directorio.yaml")
	if err := os.WriteFile(dirFile, sn.DirectoryAt(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	return sn, srv.URL, dirFile
}

// exposedMetrics returns the metric families vigia crawl and vigia serve
// expose, as testdata/exposed-metrics.txt lists them.
func exposedMetrics(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/exposed-metrics.txt")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names
}
