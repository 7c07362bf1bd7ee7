package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/auth"
)

// demoArchive runs the demo into a new archive and returns it.
func demoArchive(t *testing.T) string {
	t.Helper()
	arc := filepath.Join(t.TempDir(), "demo.duckdb")
	if out, errs, code := vigia(t, "", "demo", "--archive", arc); code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
	}
	return arc
}

// postRef returns ACCOUNT/ID of a post of the archive with label.
func postRef(t *testing.T, arc, label string) string {
	t.Helper()
	hits := searchJSONL(t, "--archive", arc, "--label", label)
	if len(hits) == 0 {
		t.Fatalf("no %s post in %s", label, arc)
	}
	return hits[0]["account"].(string) + "/" + hits[0]["post_id"].(string)
}

// auditEntries reads the audit log at path, line by line.
func auditEntries(t *testing.T, path string) []auth.Entry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []auth.Entry
	for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		var e auth.Entry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// The command line audits what it shows of personal content and every
// decision, with the operating-system user as well as --by; vigia audit
// verify checks the log and its MACs, and finds a rewrite, a cut end (with
// a head kept) and lines written before the log had a key.
func TestCommandLineIsAudited(t *testing.T) {
	arc := demoArchive(t)
	personal, public := postRef(t, arc, "personal"), postRef(t, arc, "function")
	c := cli{}
	log := strings.TrimSuffix(arc, ".duckdb") + "-audit.jsonl"
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		out, errs, code := c.run(t, "", append(args, "--archive", arc)...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, out, errs)
		}
		return out, errs
	}
	run(0, "show", public)
	run(0, "search", "--label", "function")
	if _, err := os.Stat(log); !os.IsNotExist(err) {
		t.Errorf("reading public information only wrote the audit log (%v)", err)
	}
	run(0, "show", personal)
	run(0, "search", "--format", "jsonl")
	run(0, "review", "list")
	run(0, "review", "decide", personal, "function", "--reason", "Informa de una obra pública", "--by", "lucia")
	run(0, "review", "decide", public, "personal", "--reason", "Un saludo familiar")

	me := osUser(&env{getenv: func(string) string { return "" }})
	entries := auditEntries(t, log)
	want := []struct{ user, action, target string }{
		{me, "view_personal", "mastodon/" + personal},
		{me, "view_personal", "todas las publicaciones del archivo"},
		{me, "view_personal", "todas las publicaciones del archivo"},
		{"lucia", "decision", "/" + personal},
		{me, "decision", "/" + public},
	}
	if len(entries) != len(want) {
		t.Fatalf("%d audit entries, want %d: %+v", len(entries), len(want), entries)
	}
	for i, w := range want {
		e := entries[i]
		if e.User != w.user || e.OSUser != me || e.Action != w.action || !strings.HasSuffix(e.Target, w.target) || len(e.MAC) != 64 {
			t.Errorf("entry %d: %+v; want %s by %s (os user %s) on …%s, signed", i+1, e, w.action, w.user, me, w.target)
		}
	}
	if e := entries[1]; e.Results == 0 || !strings.Contains(e.Detail, "vigia search") {
		t.Errorf("the search's entry: %+v", e)
	}
	if e := entries[3]; e.Detail != "function: Informa de una obra pública" {
		t.Errorf("the decision's entry: %+v", e)
	}
	key := strings.TrimSuffix(arc, ".duckdb") + "-audit.key"
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit key beside the users file: %v", err)
	}

	out, _ := run(0, "audit", "verify")
	if !strings.Contains(out, "5 entries: 5 signed and verified") || !regexp.MustCompile(`head 5:[0-9a-f]{64}\n`).MatchString(out) {
		t.Errorf("audit verify:\n%s", out)
	}
	head, _ := run(0, "audit", "verify", "--anchor")
	if !regexp.MustCompile(`^5:[0-9a-f]{64}\n$`).MatchString(head) {
		t.Fatalf("audit verify --anchor printed %q, want the head alone", head)
	}
	head = strings.TrimSpace(head)
	if out, _ := run(0, "audit", "verify", "--expect-head", head); !strings.Contains(out, "the kept head "+head+" is in the log") {
		t.Errorf("with the head kept:\n%s", out)
	}
	run(2, "audit", "verify", "--expect-head", "5:nothex")

	data, _ := os.ReadFile(log)
	lines := bytes.SplitAfter(data, []byte("\n"))[:5]
	// Cut the newest line: the chain is whole, the kept head is gone.
	if err := os.WriteFile(log, bytes.Join(lines[:4], nil), 0o600); err != nil {
		t.Fatal(err)
	}
	run(0, "audit", "verify")
	_, errs := run(1, "audit", "verify", "--expect-head", head)
	if !strings.Contains(errs, log+":5: the log ends at seq 4, before the kept head") {
		t.Errorf("a cut end with the head kept:\n%s", errs)
	}
	// Drop line 2, number and link the rest again: without the key their
	// MACs cannot be made again.
	var rewritten [][]byte
	prev := ""
	for i, l := range lines {
		if i == 1 {
			continue
		}
		var e auth.Entry
		json.Unmarshal(l, &e)
		e.Seq, e.Prev = int64(len(rewritten)+1), prev
		b, _ := json.Marshal(e)
		sum := sha256.Sum256(b)
		prev = hex.EncodeToString(sum[:])
		rewritten = append(rewritten, append(b, '\n'))
	}
	if err := os.WriteFile(log, bytes.Join(rewritten, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs = run(1, "audit", "verify")
	if !strings.Contains(errs, log+":2: its MAC does not verify") || !strings.Contains(errs, "does not verify: ") {
		t.Errorf("a rewrite without the key:\n%s", errs)
	}

	// A log written before logs had a key: checked as a chain, said so.
	if err := os.Remove(log); err != nil {
		t.Fatal(err)
	}
	old, err := auth.OpenAudit(log, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := old.Record(auth.Entry{User: "ana", Action: "search"}); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	run(0, "search", "--label", "personal")
	if out, _ := run(0, "audit", "verify"); !strings.Contains(out, "4 entries: 1 signed and verified, 3 without a MAC (written before the log had a key") {
		t.Errorf("a log begun without a key:\n%s", out)
	}
	// Without the key, the MACs cannot be checked: that is no success.
	if err := os.Rename(key, key+".elsewhere"); err != nil {
		t.Fatal(err)
	}
	if _, errs := run(1, "audit", "verify"); !strings.Contains(errs, "1 lines carry a MAC that could not be checked") {
		t.Errorf("verify without the key:\n%s", errs)
	}
}

// With the audit log unwritable (here a full disk: the log is /dev/full),
// a command that would show personal content, or record a decision, fails
// and shows or changes nothing; public information is still shown.
func TestCommandLineFailsClosed(t *testing.T) {
	arc := demoArchive(t)
	personal, public := postRef(t, arc, "personal"), postRef(t, arc, "function")
	c := cli{"VIGIA_AUDIT": filepath.Join(t.TempDir(), "audit.jsonl")}
	if err := os.Symlink("/dev/full", c["VIGIA_AUDIT"]); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"show", personal},
		{"search", "--format", "jsonl"},
		{"search", "--label", "personal"},
		{"review", "list"},
		{"review", "decide", personal, "function", "--reason", "Informa de una obra pública", "--by", "lucia"},
	} {
		out, errs, code := c.run(t, "", append(args, "--archive", arc)...)
		if code != 1 || out != "" || !strings.Contains(errs, "cannot write the audit log") || !strings.Contains(errs, "no space left on device") {
			t.Errorf("%v with the audit log unwritable: exit %d, stdout %q, stderr %s", args, code, out, errs)
		}
	}
	out := filepath.Join(t.TempDir(), "respuesta")
	if _, errs, code := c.run(t, "", "export", "--request", "UT/0042/2026", "--out", out, "--archive", arc); code != 1 || !strings.Contains(errs, "cannot write the audit log") {
		t.Errorf("export with the audit log unwritable: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an export that could not be audited left its package behind: %v", err)
	}
	if hit := searchJSONL(t, "--archive", arc, "--account", strings.Split(personal, "/")[0]); strings.Contains(hitsText(hit), "person:lucia") {
		t.Error("a decision that could not be audited was recorded")
	}
	for _, args := range [][]string{{"show", public}, {"search", "--label", "function"}} {
		if out, errs, code := c.run(t, "", append(args, "--archive", arc)...); code != 0 || out == "" {
			t.Errorf("%v (public information only): exit %d: %s", args, code, errs)
		}
	}
}

func hitsText(hits []map[string]any) string {
	b, _ := json.Marshal(hits)
	return string(b)
}

// signIn logs name in through the form of base and returns a client
// holding the session, or the answer that refused it.
func signIn(t *testing.T, base, name, password, back string) (*http.Client, *http.Response, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/entrar", url.Values{"usuario": {name}, "contrasena": {password}, "volver": {back}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return c, resp, string(body)
}

func getBody(t *testing.T, c *http.Client, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// One anonymous login with a name of 2 MB used to go into the audit log
// whole, after which the log could not be read (/bitacora and
// /api/v1/audit answered 400) and vigia serve would not start again. Now
// the name is cut; a log damaged otherwise (garbage in the middle, a torn
// end) is read past, its damage named by line, and serve starts. Reading
// the log and the users is audited.
func TestServeAuditLogCannotBeBroken(t *testing.T) {
	arc := demoArchive(t)
	c := cli{}
	admin := c.newToken(t, arc, "root-admin", "admin")
	log := strings.TrimSuffix(arc, ".duckdb") + "-audit.jsonl"
	const password = "una clave de prueba larga"
	readBoth := func(t *testing.T, base string) (string, string) {
		t.Helper()
		code, _, body := apiGetHeader(t, base, "/api/v1/audit", admin)
		if code != http.StatusOK {
			t.Fatalf("/api/v1/audit: %d %.300s", code, body)
		}
		browser, resp, page := signIn(t, base, "root-admin", password, "/bitacora")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin login: %d %.300s", resp.StatusCode, page)
		}
		code, _, page = getBody(t, browser, base+"/bitacora")
		if code != http.StatusOK {
			t.Fatalf("/bitacora: %d %.300s", code, page)
		}
		return body, page
	}
	t.Run("a 2 MB name", func(t *testing.T) {
		base := startServe(t, c.getenv, "--archive", arc)
		_, resp, _ := signIn(t, base, strings.Repeat("a", 2<<20), "x", "/")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("login with a name of 2 MB: %d", resp.StatusCode)
		}
		api, page := readBoth(t, base)
		if !strings.Contains(api, `"action":"login_failed"`) || !strings.Contains(page, "login_failed") {
			t.Errorf("the failed login is not in the log: %.500s", api)
		}
		if fi, _ := os.Stat(log); fi.Size() > 64<<10 {
			t.Errorf("the audit log holds %d bytes", fi.Size())
		}
		code, _, users := apiGetHeader(t, base, "/api/v1/users", admin)
		if code != http.StatusOK || !strings.Contains(users, "root-admin") {
			t.Errorf("/api/v1/users: %d %s", code, users)
		}
	})
	// Damage as a crash or a bad disk leaves it: a line of garbage between
	// entries, and a torn entry at the end.
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\x00\x00 not an entry \x00\n")
	f.Close()
	var lines int
	t.Run("a garbage line", func(t *testing.T) {
		base := startServe(t, c.getenv, "--archive", arc)
		api, _ := readBoth(t, base)
		lines = strings.Count(api, "\n") + 1 // and the garbage
	})
	f, _ = os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"seq":99,"at":"2026-`)
	f.Close()
	data, _ := os.ReadFile(log)
	garbage := bytes.Count(data[:bytes.Index(data, []byte("\x00"))], []byte("\n")) + 1
	torn := bytes.Count(data, []byte("\n")) + 1
	t.Run("after a crash", func(t *testing.T) {
		var stderr syncBuffer
		base := startServeErr(t, c.getenv, &stderr, "--archive", arc)
		if !strings.Contains(stderr.String(), log+":"+strconv.Itoa(torn)+": ") {
			t.Errorf("serve does not name the torn line %d at start:\n%s", torn, stderr.String())
		}
		api, page := readBoth(t, base)
		_, hdr, _ := apiGetHeader(t, base, "/api/v1/audit", admin)
		wantAt := filepath.Base(log) + ":" + strconv.Itoa(garbage) + ", " + filepath.Base(log) + ":" + strconv.Itoa(torn)
		if hdr.Get("X-Vigia-Audit-Damaged") != "2" || hdr.Get("X-Vigia-Audit-Damaged-At") != wantAt {
			t.Errorf("API damage headers %q %q, want 2 and %q", hdr.Get("X-Vigia-Audit-Damaged"), hdr.Get("X-Vigia-Audit-Damaged-At"), wantAt)
		}
		if !strings.Contains(page, `id="bitacora-danada"`) || !strings.Contains(page, wantAt) {
			t.Errorf("/bitacora does not name the damaged lines %s", wantAt)
		}
		for _, a := range []string{`"action":"audit_read"`, `"action":"users_read"`, `"action":"login"`} {
			if !strings.Contains(api, a) {
				t.Errorf("the log lacks %s", a)
			}
		}
		if strings.Count(api, "\n") <= lines {
			t.Errorf("nothing recorded after the damage")
		}
	})
	// The entries after the damage chain over it: verify names the two
	// damaged lines and nothing else.
	_, errs, code := c.run(t, "", "audit", "verify", "--archive", arc)
	if code != 1 || strings.Count(errs, filepath.Base(log)+":") != 3 || !strings.Contains(errs, log+":"+strconv.Itoa(garbage)+": not a JSON entry") ||
		!strings.Contains(errs, log+":"+strconv.Itoa(torn)+": not a JSON entry") {
		t.Errorf("audit verify after the damage: exit %d\n%s", code, errs)
	}
}

// With the audit log unwritable (a full disk), a login is refused: the
// user reads why, in Spanish, and gets no session cookie. A hostile
// return address after a login leads back to the site.
func TestServeLoginFailsClosed(t *testing.T) {
	arc := demoArchive(t)
	c := cli{}
	c.newToken(t, arc, "lucia", "archivist")
	const password = "una clave de prueba larga"
	t.Run("open redirect", func(t *testing.T) {
		base := startServe(t, c.getenv, "--archive", arc)
		for back, want := range map[string]string{"/%09/evil.example/x": "/", "/\t/evil.example/x": "/", "/revision?x=1": "/revision?x=1"} {
			_, resp, body := signIn(t, base, "lucia", password, back)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("volver=%q: %d to %q, want %q (%.200s)", back, resp.StatusCode, resp.Header.Get("Location"), want, body)
			}
		}
	})
	log := strings.TrimSuffix(arc, ".duckdb") + "-audit.jsonl"
	if err := os.Remove(log); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/full", log); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, c.getenv, "--archive", arc)
	_, resp, body := signIn(t, base, "lucia", password, "/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "no se pudo registrar el acceso en la bitácora") {
		t.Errorf("login with the audit log unwritable: %d %.500s", resp.StatusCode, body)
	}
	if cookies := resp.Cookies(); len(cookies) != 0 {
		t.Errorf("a session cookie was issued: %v", cookies)
	}
}

// startServeErr is startServe keeping what serve writes on stderr.
func startServeErr(t *testing.T, getenv func(string) string, stderr *syncBuffer, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...),
			&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr, getenv: getenv})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return waitFor(t, stderr, regexp.MustCompile(`vigia serve: (http://127\.0\.0\.1:\d+)/ `))
}

// apiGetHeader is apiGet with the answer's header.
func apiGetHeader(t *testing.T, base, path, token string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// Copying an archive takes every record out of it, personal content
// included: its audit log says so first.
func TestArchiveCopyIsAudited(t *testing.T) {
	arc := demoArchive(t)
	copyTo := filepath.Join(t.TempDir(), "copia.duckdb")
	if _, errs, code := (cli{}).run(t, "", "archive", "copy", "--from", arc, "--to", copyTo); code != 0 {
		t.Fatalf("archive copy: exit %d: %s", code, errs)
	}
	entries := auditEntries(t, strings.TrimSuffix(arc, ".duckdb")+"-audit.jsonl")
	if len(entries) != 1 || entries[0].Action != "archive_copy" || entries[0].Target != copyTo {
		t.Errorf("audit entries after a copy: %+v", entries)
	}
}

// A raw capture holds more than the post (a Bluesky reply's, the whole post
// it answers): reading one is audited even of a public post.
func TestRawCaptureIsAudited(t *testing.T) {
	arc := demoArchive(t)
	public := postRef(t, arc, "function")
	c := cli{}
	out, errs, code := c.run(t, "", "show", public, "--raw", "1", "--archive", arc)
	if code != 0 || out == "" {
		t.Fatalf("show --raw 1: exit %d: %s", code, errs)
	}
	entries := auditEntries(t, strings.TrimSuffix(arc, ".duckdb")+"-audit.jsonl")
	if len(entries) != 1 || entries[0].Action != "view_raw" || !strings.HasSuffix(entries[0].Target, public) {
		t.Errorf("audit entries after show --raw: %+v", entries)
	}
}
