package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/samplenet"
)

// vigia runs one command line in-process and returns its output and exit
// code. Its environment is empty but for an audit log and key of its own, in
// the test's temporary folder: a ClickHouse archive's would otherwise be in
// the working folder, the source tree. (cli runs with an environment given.)
func vigia(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	getenv := func(k string) string {
		switch k {
		case "VIGIA_AUDIT":
			return audit
		case "VIGIA_AUDIT_KEY":
			return testAuditKey
		}
		return ""
	}
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: getenv}
	code = run(context.Background(), args, e)
	return out.String(), errb.String(), code
}

// testAuditKey is the audit key of the command lines vigia runs.
const testAuditKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

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

func TestDemoThenSearch(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "demo.duckdb")
	out, errs, code := vigia(t, "", "demo", "--archive", arc)
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	// Two crawls: the sample as it was, then after an edit and a deletion
	// the second, a deep sweep, notices.
	if !strings.Contains(out, "11 accounts (0 failed)") || !strings.Contains(out, " 88 new versions") ||
		!strings.Contains(out, " 1 new version,") || !strings.Contains(out, "deep sweep of 11 accounts") {
		t.Errorf("demo output lacks the two crawls' summaries:\n%s", out)
	}
	for _, cmd := range []string{"gobierno-gdl/117530453606454137", "proteccion-civil/3mpoko7ghk2wk", "tesorero/707"} {
		if !strings.Contains(out, "vigia show --archive "+arc+" "+cmd) {
			t.Errorf("demo output does not name %s to show:\n%s", cmd, out)
		}
	}
	// Then the X archive the municipality's communication area hands in:
	// six posts, one edited (both versions kept), one deleted.
	if !strings.Contains(out, "imported X archive (data/*.js) of \"GobiernoGDL\" for account \"gobierno-gdl-x\", handed in on 2026-11-28") ||
		!strings.Contains(out, "5 posts: 5 new, 0 changed, 0 unchanged; 7 versions archived (1 edits)") {
		t.Errorf("demo output lacks the import of the sample's X archive:\n%s", out)
	}
	hits := searchJSONL(t, "--archive", arc)
	if got, want := len(hits), 88+6; got != want {
		t.Fatalf("search found %d posts, want %d", got, want)
	}
	networks := map[string]int{}
	contract := []string{"network", "account", "post_id", "url", "published_at", "captured_at", "text", "label",
		"confidence", "basis", "rationale", "versions", "deleted_at_source"}
	for _, h := range hits {
		networks[h["network"].(string)]++
		for _, f := range contract {
			if _, ok := h[f]; !ok {
				t.Fatalf("post %v lacks the contract field %q", h["post_id"], f)
			}
		}
		for _, f := range []string{"published_at", "captured_at"} {
			s, _ := h[f].(string)
			if ts, err := time.Parse(time.RFC3339, s); err != nil || !strings.HasSuffix(s, "Z") || ts.IsZero() {
				t.Errorf("post %v: %s = %q, want RFC 3339 UTC", h["post_id"], f, s)
			}
		}
		key := h["account"].(string) + "/" + h["post_id"].(string)
		if deleted := h["deleted_at_source"] != nil; deleted != (key == "proteccion-civil/3mpoko7ghk2wk" || key == "gobierno-gdl-x/1858000000000000400") {
			t.Errorf("post %s: deleted_at_source = %v", key, h["deleted_at_source"])
		}
		wantVersions := 1.0
		if key == "gobierno-gdl/117530453606454137" || key == "gobierno-gdl-x/1857000000000000300" {
			wantVersions = 2
		}
		if h["versions"].(float64) != wantVersions {
			t.Errorf("post %s: versions = %v, want %v", key, h["versions"], wantVersions)
		}
		if h["rationale"] == "" || h["basis"] == "" {
			t.Errorf("post %v has no basis or rationale", h["post_id"])
		}
	}
	for _, n := range []string{"mastodon", "bluesky", "telegram", "youtube", "rss"} {
		if networks[n] == 0 {
			t.Errorf("no posts from %s: %v", n, networks)
		}
	}

	// The account rules, as the sample directory sets them up.
	byAccount := func(account string) []map[string]any {
		var out []map[string]any
		for _, h := range hits {
			if h["account"] == account {
				out = append(out, h)
			}
		}
		return out
	}
	for _, h := range byAccount("gobierno-gdl") {
		if h["label"] != "function" || h["basis"] != "Tercera" || h["confidence"].(float64) != 1 {
			t.Errorf("official post %v: %v/%v, want function/Tercera", h["post_id"], h["label"], h["basis"])
		}
	}
	for _, h := range byAccount("presidenta") {
		if h["label"] != "function" || h["basis"] != "Décima novena" {
			t.Errorf("administered account post %v: %v/%v, want function/Décima novena", h["post_id"], h["label"], h["basis"])
		}
	}
	termEnd := time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC) // 2026-06-30 ends in Guadalajara
	for _, h := range byAccount("cultura-blog") {
		published, _ := time.Parse(time.RFC3339, h["published_at"].(string))
		// Inside the term the content model decides; after it, the term rule.
		wantBy, wantLabel := "model:", ""
		if !published.Before(termEnd) {
			wantBy, wantLabel = "rule:", "personal"
		}
		if by := h["decided_by"].(string); !strings.HasPrefix(by, wantBy) || (wantLabel != "" && h["label"] != wantLabel) || h["basis"] != "Sexta" {
			t.Errorf("cultura-blog post of %s: %v/%v by %s, want %s by %s…", published, h["label"], h["basis"], by, wantLabel, wantBy)
		}
	}
	// Someone else's words are kept apart from the account's own: a
	// repost has no text of its own, a forward is what the channel
	// published, a quote adds to what it quotes.
	kinds := map[string]int{}
	for _, h := range hits {
		shared, _ := h["shared"].(map[string]any)
		if shared == nil {
			continue
		}
		kind := shared["kind"].(string)
		kinds[kind]++
		text, sharedText := h["text"].(string), fmt.Sprint(shared["text"])
		switch {
		case kind == "repost" && (text != "" || shared["text"] == nil || sharedText == ""):
			t.Errorf("repost %v: text %q, reposted text %q; want none of its own and the reposted post's", h["post_id"], text, sharedText)
		case kind == "forward" && (text == "" || shared["url"] == ""):
			t.Errorf("forward %v: text %q from %v; want the forwarded text and its origin", h["post_id"], text, shared["url"])
		case kind == "quote" && (text == "" || shared["text"] == nil || sharedText == ""):
			t.Errorf("quote %v: text %q, quoted %q; want both", h["post_id"], text, sharedText)
		}
	}
	if kinds["repost"] < 2 || kinds["forward"] < 1 || kinds["quote"] < 2 {
		t.Errorf("shared posts by kind %v, want the Mastodon boost, the Bluesky repost, the Telegram forward and two quotes", kinds)
	}

	// Running the demo again finds nothing new and keeps everything.
	out, errs, code = vigia(t, "", "demo", "--archive", arc)
	if code != 0 || !strings.Contains(out, " 0 new versions") {
		t.Errorf("second demo: exit %d, want 0 new versions:\n%s\n%s", code, out, errs)
	}
	if got := len(searchJSONL(t, "--archive", arc)); got != 88+6 {
		t.Errorf("after a second demo the archive holds %d posts, want 94", got)
	}
}

func TestSearchFiltersAndFormats(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "demo.duckdb")
	if _, errs, code := vigia(t, "", "demo", "--archive", arc); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	personal := searchJSONL(t, "--archive", arc, "--network", "rss", "--label", "personal")
	if len(personal) == 0 {
		t.Fatal("no personal rss posts")
	}
	for _, h := range personal {
		if h["account"] != "cultura-blog" || h["label"] != "personal" {
			t.Errorf("filtered post %v/%v", h["account"], h["label"])
		}
	}
	window := searchJSONL(t, "--archive", arc, "--from", "2026-11-01", "--to", "2026-11-01")
	for _, h := range window {
		published, _ := time.Parse(time.RFC3339, h["published_at"].(string))
		local := published.In(time.FixedZone("CST", -6*3600))
		if local.Format(time.DateOnly) != "2026-11-01" {
			t.Errorf("post published %s outside 2026-11-01 local", local)
		}
	}
	// Text search ignores case and accents.
	plain := searchJSONL(t, "--archive", arc, "--text", "TRANSPARENCIA")
	accented := searchJSONL(t, "--archive", arc, "--text", "trânsparéncia")
	if len(plain) == 0 || len(plain) != len(accented) {
		t.Errorf("text search: %d plain vs %d accented hits", len(plain), len(accented))
	}

	out, _, code := vigia(t, "", "search", "--archive", arc, "--format", "csv", "--account", "avisos-gdl")
	if code != 0 {
		t.Fatalf("csv search: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "network,account,post_id,url,") {
		t.Errorf("csv header = %q", lines[0])
	}
	out, _, code = vigia(t, "", "search", "--archive", arc, "--limit", "5")
	if code != 0 || !strings.Contains(out, "5 of 94 posts") || !strings.Contains(out, "PUBLISHED") {
		t.Errorf("table search: exit %d\n%s", code, out)
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	badDir := filepath.Join(dir, "dir.yaml")
	os.WriteFile(badDir, []byte("subject: S\naccounts:\n  - id: a\n    network: mastodom\n    handle: x\n    type: official\n    area: A\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"crawlz"}, `unknown command "crawlz"`},
		{"missing archive", []string{"search", "--archive", filepath.Join(dir, "none.duckdb")}, "does not exist"},
		{"archive not duckdb", []string{"search", "--archive", filepath.Join(dir, "x.db")}, "expected a path ending in .duckdb"},
		{"clickhouse URL without host", []string{"search", "--archive", "clickhouse:///vigia"}, "expected clickhouse://HOST:PORT/DB"},
		{"clickhouse database name", []string{"search", "--archive", "clickhouse://localhost:9000/mi-archivo"}, `database name "mi-archivo"`},
		{"cluster for an embedded archive", []string{"archive", "copy", "--from", "a.duckdb", "--to", "b.duckdb", "--cluster", "archivo"}, "only a clickhouse:// archive"},
		{"bad format", []string{"search", "--format", "xml"}, `--format "xml"`},
		{"bad label", []string{"search", "--label", "publica"}, `--label "publica"`},
		{"bad date", []string{"search", "--from", "1/11/2026"}, `--from "1/11/2026"`},
		{"unknown flag", []string{"search", "--txt", "x"}, "unknown flag --txt"},
		{"crawl without directory", []string{"crawl"}, "--directory is required"},
		{"crawl bad directory", []string{"crawl", "--directory", badDir, "--archive", filepath.Join(dir, "a.duckdb")}, badDir + `:4: accounts[0].network: "mastodom": unknown network (did you mean "mastodon"?)`},
		{"validate bad directory", []string{"directory", "validate", badDir}, badDir + ":4:"},
		{"bad shard", []string{"crawl", "--directory", badDir, "--shard", "3/2"}, `--shard "3/2"`},
		{"every too short", []string{"crawl", "--directory", badDir, "--every", "5s"}, "--every 5s"},
		{"import without subject", []string{"directory", "import", "x.csv"}, "--subject is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := vigia(t, "", tt.args...)
			if code != 2 {
				t.Errorf("exit code = %d, want 2 (stderr: %s)", code, errs)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", errs, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "a.duckdb")); err == nil {
		t.Error("a crawl with a bad directory created the archive")
	}
}

// sampleDirectory starts the sample network under httptest and writes its
// directory, plus extra YAML accounts, to a file.
// liveSample serves a sample network that the test may change, writes its
// directory, and names a new archive beside it.
func liveSample(t *testing.T) (sn *samplenet.Server, url, dirFile, arc string) {
	t.Helper()
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sn.Handler())
	t.Cleanup(srv.Close)
	tmp := t.TempDir()
	dirFile = filepath.Join(tmp, "directorio.yaml")
	if err := os.WriteFile(dirFile, sn.DirectoryAt(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	return sn, srv.URL, dirFile, filepath.Join(tmp, "a.duckdb")
}

func sampleDirectory(t *testing.T, extra string) string {
	t.Helper()
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sn.Handler())
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "directorio.yaml")
	data := append(sn.DirectoryAt(srv.URL), []byte(strings.ReplaceAll(extra, "BASE", srv.URL))...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCrawlGoesOnPastBrokenAccounts(t *testing.T) {
	dirFile := sampleDirectory(t, `  - id: desconocida
    network: mastodon
    handle: "@nadie@social.guadalajara.example"
    endpoint: BASE
    type: official
    area: Pruebas
  - id: perfil-inexistente
    network: bluesky
    handle: nadie.guadalajara.example
    endpoint: BASE
    type: official
    area: Pruebas
`)
	arc := filepath.Join(t.TempDir(), "a.duckdb")
	out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0")
	if code != 0 {
		t.Fatalf("crawl with two broken accounts: exit %d, want 0\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{`account=desconocida`, `/api/v1/accounts/lookup?acct=nadie`, "account not found", `account=perfil-inexistente`, "getAuthorFeed"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "13 accounts (2 failed)") {
		t.Errorf("summary lacks the failures:\n%s", out)
	}
	if got := len(searchJSONL(t, "--archive", arc)); got != 88 {
		t.Errorf("archive holds %d posts, want the sample's 88", got)
	}
}

func TestCrawlRefusesLoopbackByDefault(t *testing.T) {
	dirFile := sampleDirectory(t, "")
	arc := filepath.Join(t.TempDir(), "a.duckdb")
	_, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--host-rate", "0", "--retries", "0")
	if code != 1 {
		t.Errorf("exit code = %d, want 1 (no account could be crawled)", code)
	}
	if !strings.Contains(errs, "needs allow_private_network: true on its account in the directory") || !strings.Contains(errs, "no account could be crawled") {
		t.Errorf("stderr does not explain the refusal:\n%s", errs)
	}
}

func TestDirectoryCommands(t *testing.T) {
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "directorio.csv")
	os.WriteFile(csvFile, []byte("id,network,handle,type,area,servant_name,servant_position,servant_level,registered_on\n"+
		"avisos,telegram,avisos_ejemplo,official,Protección Civil,,,,\n"+
		"tesorero,telegram,tesorero_ejemplo,personal,Tesorería,Raúl Ortega,Tesorero,1,2025-01-02\n"), 0o644)
	yamlFile := filepath.Join(dir, "directorio.yaml")
	_, errs, code := vigia(t, "", "directory", "import", csvFile, "--subject", "Ayuntamiento de Ejemplo", "--out", yamlFile)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	out, errs, code := vigia(t, "", "directory", "validate", yamlFile)
	if code != 0 || !strings.Contains(out, "2 accounts") || !strings.Contains(out, "1 official, 1 personal") {
		t.Errorf("validate imported directory: exit %d\n%s%s", code, out, errs)
	}
	_, errs, code = vigia(t, "", "directory", "import", csvFile, "--subject", "S", "--out", yamlFile)
	if code != 2 || !strings.Contains(errs, "exists") {
		t.Errorf("import over an existing file: exit %d, %s; want a refusal", code, errs)
	}
}

// syncBuffer is a buffer safe to write from the command and read from the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestCrawlEveryRunsUntilInterrupted(t *testing.T) {
	dirFile := sampleDirectory(t, "")
	arc := filepath.Join(t.TempDir(), "a.duckdb")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errs syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"crawl", "--every", "1m", "--spread", "0", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0"},
			&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, getenv: func(string) string { return "" }})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "88 new versions") {
		if time.Now().After(deadline) {
			t.Fatalf("no first cycle within 30 s:\n%s\n%s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Between cycles the archive is closed: it can be opened and searched.
	if got := len(searchJSONL(t, "--archive", arc)); got != 88 {
		t.Errorf("search between cycles found %d posts, want 88", got)
	}
	cancel() // what SIGINT does
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit code after interrupt = %d, want 0\n%s", c, errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("crawl --every did not stop when interrupted")
	}
}

// TestShardsSplitTheDirectory: --shard I/N gives every account to exactly
// one shard, and adding accounts moves none of the others.
func TestShardsSplitTheDirectory(t *testing.T) {
	var all []directory.Account
	for i := range 200 {
		all = append(all, directory.Account{ID: fmt.Sprintf("cuenta-%03d", i)})
	}
	owner := map[string]int{}
	for i := 1; i <= 8; i++ {
		for _, a := range shardAccounts(all, i, 8) {
			if prev, ok := owner[a.ID]; ok {
				t.Fatalf("account %s in shards %d and %d", a.ID, prev, i)
			}
			owner[a.ID] = i
		}
	}
	if len(owner) != len(all) {
		t.Fatalf("%d of %d accounts have a shard", len(owner), len(all))
	}
	more := append(slices.Clone(all), directory.Account{ID: "nueva"}, directory.Account{ID: "otra"})
	for i := 1; i <= 8; i++ {
		for _, a := range shardAccounts(more, i, 8) {
			if o, ok := owner[a.ID]; ok && o != i {
				t.Errorf("adding accounts moved %s from shard %d to %d", a.ID, o, i)
			}
		}
	}
	if _, _, err := parseShard("9/8"); err == nil {
		t.Error("--shard 9/8 accepted")
	}
}
