package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/samplenet"
)

// These tests run an office as it runs: the built vigia binary, in
// processes of their own (DuckDB's lock keeps processes apart, not the
// goroutines of one), on the sample network.

// office is a folder where vigia processes run on one archive.
type office struct {
	t        *testing.T
	bin, dir string
	arc      string
}

func newOffice(t *testing.T) *office {
	dir := t.TempDir()
	return &office{t: t, bin: buildVigia(t), dir: dir, arc: filepath.Join(dir, "oficina.duckdb")}
}

func (o *office) command(stdin string, args ...string) *exec.Cmd {
	cmd := exec.Command(o.bin, args...)
	cmd.Dir = o.dir
	cmd.Env = []string{"HOME=" + o.dir, "PATH=" + os.Getenv("PATH")}
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}

// run runs a command line to its end.
func (o *office) run(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errs syncBuffer
	cmd := o.command(stdin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		o.t.Fatalf("run vigia %v: %v", args, err)
	}
	return out.String(), errs.String(), cmd.ProcessState.ExitCode()
}

// process is a vigia running in the background.
type process struct {
	cmd         *exec.Cmd
	out, errs   syncBuffer
	done        chan struct{}
	interrupted atomic.Bool
}

func (o *office) start(args ...string) *process {
	o.t.Helper()
	p := &process{done: make(chan struct{})}
	p.cmd = o.command("", args...)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errs
	if err := p.cmd.Start(); err != nil {
		o.t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	o.t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// await waits for the process's output (stdout then stderr) to match re,
// returning the first submatch; it fails the test when the process ends or
// a minute passes first.
func (p *process) await(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if m := re.FindStringSubmatch(p.out.String() + p.errs.String()); m != nil {
			return m
		}
		select {
		case <-p.done:
			t.Fatalf("vigia %v ended (%v) before %s:\n%s\n%s", p.cmd.Args[1:], p.cmd.ProcessState, re, p.out.String(), p.errs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("vigia %v: no %s within 2 minutes:\n%s\n%s", p.cmd.Args[1:], re, p.out.String(), p.errs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop interrupts the process as SIGINT does and returns its exit code.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	return p.wait(t)
}

func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("vigia %v did not end:\n%s\n%s", p.cmd.Args[1:], p.out.String(), p.errs.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

// slowSampleNet is the sample network in which one Mastodon account's
// statuses never answer while the test holds them.
type slowSampleNet struct {
	sn      *samplenet.Server
	url     string
	dirFile string
	slow    string // the account whose statuses hang
	mu      sync.Mutex
	hold    chan struct{} // closed: statuses answer; nil: not held
	held    chan struct{} // closed when a held request arrived
}

func newSlowSampleNet(t *testing.T, dir string) *slowSampleNet {
	t.Helper()
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	n := &slowSampleNet{sn: sn}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.mu.Lock()
		hold, held := n.hold, n.held
		n.mu.Unlock()
		if hold != nil && r.URL.Path == "/api/v1/accounts/"+n.slow+"/statuses" {
			select {
			case <-held:
			default:
				close(held)
			}
			select {
			case <-hold:
			case <-r.Context().Done():
				return
			}
		}
		sn.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	n.url = srv.URL
	n.dirFile = filepath.Join(dir, "directorio.yaml")
	if err := os.WriteFile(n.dirFile, sn.DirectoryAt(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	// The slow account: the Mastodon account of the director of public works.
	resp, err := http.Get(srv.URL + "/api/v1/accounts/lookup?acct=" + url.QueryEscape(n.handle(t, "obras-director")))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var acct struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&acct); err != nil || acct.ID == "" {
		t.Fatalf("look up the slow account: %v %v", err, resp.Status)
	}
	n.slow = acct.ID
	return n
}

// handle returns the Mastodon handle (user@domain) of a sample account.
func (n *slowSampleNet) handle(t *testing.T, id string) string {
	t.Helper()
	data, _ := os.ReadFile(n.dirFile)
	for _, block := range strings.Split(string(data), "\n  - ") {
		if strings.Contains(block, "id: "+id+"\n") && strings.Contains(block, "network: mastodon") {
			m := regexp.MustCompile(`handle: ['"]?@([^'"\s]+)`).FindStringSubmatch(block)
			if m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no Mastodon account %q in the sample", id)
	return ""
}

// holdSlow makes the slow account's statuses hang until the returned
// release is called; held is closed once a crawl is waiting on them.
func (n *slowSampleNet) holdSlow() (held <-chan struct{}, release func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	hold, h := make(chan struct{}), make(chan struct{})
	n.hold, n.held = hold, h
	var once sync.Once
	return h, func() { once.Do(func() { close(hold) }) }
}

// crawlArgs are the flags of a crawl of the sample.
func (n *slowSampleNet) crawlArgs() []string {
	return []string{"--directory", n.dirFile, "--allow-private-networks", "--host-rate", "0", "--mirror", n.url, "--timeout", "2m"}
}

// token adds an archivist and returns a token of theirs.
func (o *office) token() string {
	o.t.Helper()
	if _, errs, code := o.run("una clave de prueba larga\n", "users", "add", "lucia", "--role", "archivist", "--archive", o.arc); code != 0 {
		o.t.Fatalf("users add: %d %s", code, errs)
	}
	out, errs, code := o.run("", "users", "token", "lucia", "--archive", o.arc)
	if code != 0 {
		o.t.Fatalf("users token: %d %s", code, errs)
	}
	return strings.TrimSpace(out)
}

var (
	serveAddr   = regexp.MustCompile(`vigia serve: http://(127\.0\.0\.1:\d+)/`)
	metricsAddr = regexp.MustCompile(`vigia \w+: metrics at (http://127\.0\.0\.1:\d+/metrics)`)
)

// apiPage is what GET /api/v1/posts answers.
type apiPage struct {
	Total int              `json:"total"`
	Posts []map[string]any `json:"posts"`
}

// posts asks the API of the server at base for posts.
func posts(base, token, query string) (*apiPage, error) {
	req, _ := http.NewRequest("GET", base+"/api/v1/posts?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v1/posts?%s: %s %s", query, resp.Status, body)
	}
	var p apiPage
	return &p, json.Unmarshal(body, &p)
}

func metricsText(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestServeCrawlEvery: one process crawls and serves. While a crawl waits on
// a slow account the API answers, with what is archived so far; once the
// crawl ends it returns every post crawled; its /metrics has the crawler's.
// On each engine: the embedded archive, and a ClickHouse server.
func TestServeCrawlEvery(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) { testServeCrawlEvery(t, "") })
	t.Run("clickhouse", func(t *testing.T) { testServeCrawlEvery(t, clickhouseArchive(t)) })
}

func testServeCrawlEvery(t *testing.T, arc string) {
	o := newOffice(t)
	if arc != "" {
		o.arc = arc
	}
	n := newSlowSampleNet(t, o.dir)
	token := o.token()
	held, release := n.holdSlow()
	defer release()
	serve := o.start(append([]string{"serve", "--archive", o.arc, "--listen", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
		"--crawl-every", "15m", "--spread", "0"}, n.crawlArgs()...)...)
	base := "http://" + serve.await(t, serveAddr)[1]
	metrics := serve.await(t, metricsAddr)[1]
	<-held // the crawl is under way, and waits on the slow account

	answered := 0
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		page, err := posts(base, token, "limit=200")
		if err != nil {
			t.Fatalf("during the crawl: %v", err)
		}
		answered++
		if page.Total > 0 {
			t.Logf("during the crawl, answer %d: %d posts archived so far", answered, page.Total)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	m := metricsText(t, metrics)
	for _, want := range []string{"vigia_crawler_requests_total{", "vigia_directory_valid 1", "vigia_http_requests_total{"} {
		if !strings.Contains(m, want) {
			t.Errorf("serve's /metrics lacks %q", want)
		}
	}
	release()
	serve.await(t, regexp.MustCompile(`run \S+: \d+ accounts \(0 failed\), \d+ requests, 88 posts seen, 88 new versions`))
	page, err := posts(base, token, "limit=200")
	if err != nil || page.Total != 88 || len(page.Posts) != 88 {
		t.Fatalf("after the crawl: %v, %+v posts; want the sample's 88", err, page)
	}
	if code := serve.stop(t); code != 0 {
		t.Fatalf("serve --crawl-every: exit %d after SIGINT\n%s", code, serve.errs.String())
	}
	// What the API returned is what the archive holds.
	out, errs, code := o.run("", "search", "--archive", o.arc, "--format", "jsonl", "--limit", "200")
	if code != 0 {
		t.Fatalf("search after serve stopped: %d %s", code, errs)
	}
	ids := map[string]bool{}
	for _, p := range page.Posts {
		ids[p["account"].(string)+"/"+p["post_id"].(string)] = true
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var h map[string]any
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatal(err)
		}
		if !ids[h["account"].(string)+"/"+h["post_id"].(string)] {
			t.Errorf("the archive holds %s/%s, which the API did not return", h["account"], h["post_id"])
		}
	}
}

// TestCrawlBesideServe: a separate vigia crawl with a slow account while
// vigia serve runs on the same archive. Searches (the API and vigia search)
// keep answering throughout, and see what the crawl appended before it
// ends; the crawl ends well and its posts are read. Then several crawl
// --once runs, with readers going on, all succeed.
func TestCrawlBesideServe(t *testing.T) {
	o := newOffice(t)
	n := newSlowSampleNet(t, o.dir)
	start := time.Now()
	if out, errs, code := o.run("", append([]string{"crawl", "--archive", o.arc, "--progress=false"}, n.crawlArgs()...)...); code != 0 {
		t.Fatalf("first crawl: %d\n%s%s", code, out, errs)
	}
	t.Logf("the first crawl, alone: %s", time.Since(start).Round(time.Millisecond))
	token := o.token()
	serve := o.start("serve", "--archive", o.arc, "--listen", "127.0.0.1:0")
	base := "http://" + serve.await(t, serveAddr)[1]

	search := func(args ...string) error {
		out, errs, code := o.run("", append([]string{"search", "--archive", o.arc, "--format", "jsonl"}, args...)...)
		if code != 0 {
			return fmt.Errorf("vigia search %v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, `"post_id"`) {
			return fmt.Errorf("vigia search %v found nothing", args)
		}
		return nil
	}

	t.Run("a slow account", func(t *testing.T) {
		if err := n.sn.Edit("gobierno-gdl", "panteones", "Horario de los panteones municipales el 1 y 2 de noviembre: de 6:00 a 21:00 h (ampliado).", time.Now()); err != nil {
			t.Fatal(err)
		}
		held, release := n.holdSlow()
		defer release()
		crawl := o.start(append([]string{"crawl", "--archive", o.arc, "--progress=false"}, n.crawlArgs()...)...)
		<-held
		// Until the edit the crawl found is in the archive, the crawl still
		// waiting on the slow account, both kinds of reader read.
		apiAnswers, cliAnswers := 0, 0
		for deadline := time.Now().Add(2 * time.Minute); ; {
			if time.Now().After(deadline) {
				t.Fatalf("the edit was not archived while the crawl waited on the slow account:\n%s", crawl.errs.String())
			}
			page, err := posts(base, token, "text=ampliado")
			if err != nil {
				t.Fatalf("the API during the crawl: %v", err)
			}
			apiAnswers++
			if err := search("--account", "gobierno-gdl"); err != nil {
				t.Fatalf("during the crawl: %v", err)
			}
			cliAnswers++
			if page.Total == 1 {
				break
			}
		}
		t.Logf("during the crawl: %d answers of the API, %d of vigia search", apiAnswers, cliAnswers)
		select {
		case <-crawl.done:
			t.Fatalf("the crawl ended while its slow account hung:\n%s", crawl.errs.String())
		default:
		}
		release()
		if code := crawl.wait(t); code != 0 || !strings.Contains(crawl.out.String(), " accounts (0 failed)") {
			t.Fatalf("crawl beside serve: exit %d\n%s\n%s", code, crawl.out.String(), crawl.errs.String())
		}
		page, err := posts(base, token, "text=ampliado")
		if err != nil || page.Total != 1 || page.Posts[0]["versions"].(float64) != 2 {
			t.Fatalf("the edit the crawl archived: %v %+v", err, page)
		}
		if page, err = posts(base, token, "limit=200"); err != nil || page.Total != 88 {
			t.Fatalf("after the crawl: %v %+v; want 88 posts", err, page)
		}
	})

	t.Run("crawls with readers open", func(t *testing.T) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var reads atomic.Int64
		var slowest [2]atomic.Int64 // ns: the API's, vigia search's (the whole process)
		readErr := make(chan error, 4)
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					var err error
					began := time.Now()
					if i%2 == 0 {
						_, err = posts(base, token, "limit=50")
					} else {
						err = search("--limit", "50")
					}
					if d := int64(time.Since(began)); d > slowest[i%2].Load() {
						slowest[i%2].Store(d)
					}
					if err != nil {
						readErr <- err
						return
					}
					reads.Add(1)
				}
			}()
		}
		for i := range 4 {
			began := time.Now()
			out, errs, code := o.run("", append([]string{"crawl", "--archive", o.arc, "--progress=false"}, n.crawlArgs()...)...)
			if code != 0 {
				t.Errorf("crawl %d with readers open: exit %d\n%s%s", i+1, code, out, errs)
			}
			t.Logf("crawl %d with 4 readers: %s", i+1, time.Since(began).Round(time.Millisecond))
		}
		close(stop)
		wg.Wait()
		close(readErr)
		for err := range readErr {
			t.Errorf("a reader failed during the crawls: %v", err)
		}
		t.Logf("%d reads during 4 crawls; the slowest answer of the API %s, of vigia search %s", reads.Load(),
			time.Duration(slowest[0].Load()).Round(time.Millisecond), time.Duration(slowest[1].Load()).Round(time.Millisecond))
	})
	if code := serve.stop(t); code != 0 {
		t.Errorf("serve: exit %d\n%s", code, serve.errs.String())
	}
}

// TestContinuousCrawlFollowsTheDirectory: crawl --every reads the directory
// again before each slot. An account added to it is crawled without a
// restart; a broken replacement is reported with its line and the gauge
// vigia_directory_valid, and crawling goes on with the directory before it.
func TestContinuousCrawlFollowsTheDirectory(t *testing.T) {
	o := newOffice(t)
	n := newSlowSampleNet(t, o.dir)
	full, _ := os.ReadFile(n.dirFile)
	// Start without the account of the Treasurer (tesorero).
	var kept []string
	for _, block := range strings.Split(string(full), "\n  - ") {
		if !strings.HasPrefix(block, "id: tesorero\n") {
			kept = append(kept, block)
		}
	}
	accounts := strings.Count(string(full), "\n  - id: ")
	if len(kept) != accounts { // the header and every account but one
		t.Fatalf("tesorero is not one of the sample's %d accounts", accounts)
	}
	if err := os.WriteFile(n.dirFile, []byte(strings.Join(kept, "\n  - ")), 0o644); err != nil {
		t.Fatal(err)
	}
	crawl := o.start(append([]string{"crawl", "--archive", o.arc, "--every", "1m", "--spread", "1m", "--metrics-addr", "127.0.0.1:0"}, n.crawlArgs()...)...)
	metrics := crawl.await(t, metricsAddr)[1]
	crawl.await(t, regexp.MustCompile(`run \S+: \d+ accounts`))
	if err := os.WriteFile(n.dirFile, full, 0o644); err != nil { // an account added
		t.Fatal(err)
	}
	crawl.await(t, regexp.MustCompile(fmt.Sprintf(`the directory \S+ changed: %d accounts to crawl \(%d before\)`, accounts, accounts-1)))
	deadline := time.Now().Add(2 * time.Minute)
	for {
		out, _, code := o.run("", "search", "--archive", o.arc, "--account", "tesorero", "--format", "jsonl")
		if code == 0 && strings.Contains(out, `"tesorero"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the account added to the directory was not crawled:\n%s", crawl.errs.String())
		}
		time.Sleep(time.Second)
	}

	broken := append([]byte(nil), full...)
	broken = append(broken, "  - id: nueva\n    network: mastodon\n    handle: sin-arroba\n"...)
	if err := os.WriteFile(n.dirFile, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	line := strings.Count(string(full), "\n") + 1
	crawl.await(t, regexp.MustCompile(fmt.Sprintf(`the directory file changed and cannot be used; crawling goes on with the directory read at .* \(%d accounts\)`, accounts)))
	crawl.await(t, regexp.MustCompile(regexp.QuoteMeta(fmt.Sprintf("%s:%d", n.dirFile, line))))
	if m := metricsText(t, metrics); !strings.Contains(m, "vigia_directory_valid 0") {
		t.Errorf("metrics after a broken directory lack vigia_directory_valid 0")
	}
	runs := strings.Count(crawl.out.String(), " run ")
	crawl.await(t, regexp.MustCompile(fmt.Sprintf(`(?s)(.* run \S+: \d+ accounts){%d}`, runs+1)))
	if code := crawl.stop(t); code != 0 {
		t.Errorf("crawl --every: exit %d\n%s", code, crawl.errs.String())
	}
	if strings.Count(crawl.errs.String(), "cannot be used") != 1 {
		t.Errorf("the broken directory was reported %d times, want once:\n%s", strings.Count(crawl.errs.String(), "cannot be used"), crawl.errs.String())
	}
}

// serve --crawl-every checks its flags and the directory before it opens
// anything: bad input exits 2, naming the flag or the directory's line.
func TestServeCrawlEveryBadInput(t *testing.T) {
	dir := t.TempDir()
	arc := filepath.Join(dir, "a.duckdb")
	broken := filepath.Join(dir, "directorio.yaml")
	if err := os.WriteFile(broken, []byte("subject: Ayuntamiento\naccounts:\n  - id: a\n    network: mastodon\n    handle: sin-arroba\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--crawl-every", "15m"}, "--crawl-every needs --directory FILE"},
		{[]string{"--crawl-every", "10s", "--directory", broken}, "--crawl-every 10s: use an interval of a minute or more"},
		{[]string{"--crawl-every", "15m", "--directory", broken}, broken + ":3"},
		{[]string{"--crawl-every", "15m", "--directory", filepath.Join(dir, "no-existe.yaml")}, "no-existe.yaml"},
	} {
		_, errs, code := vigia(t, "", append([]string{"serve", "--archive", arc, "--listen", "127.0.0.1:0"}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("serve %v: exit %d, %q; want 2 and %q", c.args, code, errs, c.want)
		}
	}
	if _, err := os.Stat(arc); err == nil {
		t.Error("bad input made the archive")
	}
}
