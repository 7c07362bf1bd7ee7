package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/samplenet"
)

// startServe runs vigia serve with args on a free loopback port until the
// test ends, and returns its base URL. getenv, when not nil, is the
// environment serve sees.
func startServe(t *testing.T, getenv func(string) string, args ...string) string {
	t.Helper()
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...),
			&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, getenv: getenv})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop when interrupted")
		}
	})
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	deadline := time.Now().Add(20 * time.Second)
	for addr.FindStringSubmatch(stderr.String()) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + addr.FindStringSubmatch(stderr.String())[1]
}

// apiGet sends GET base+path with the bearer token and returns the status
// and the body.
func apiGet(t *testing.T, base, path, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// cli runs vigia command lines in-process with an environment of its own.
type cli map[string]string

func (c cli) run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: c.getenv})
	return out.String(), errb.String(), code
}

func (c cli) getenv(k string) string { return c[k] }

// newToken adds a user of the role and returns an API token of theirs.
func (c cli) newToken(t *testing.T, arc, name, role string) string {
	t.Helper()
	if _, errs, code := c.run(t, "una clave de prueba larga\n", "users", "add", name, "--role", role, "--archive", arc); code != 0 {
		t.Fatalf("users add %s: %d %s", name, code, errs)
	}
	token, errs, code := c.run(t, "", "users", "token", name, "--archive", arc)
	if code != 0 {
		t.Fatalf("users token %s: %d %s", name, code, errs)
	}
	return strings.TrimSpace(token)
}

// A person's decision binds to the content it was made on. The issue's
// case, through the CLI and the API on a real crawl: an archivist decides
// function on a servant's post; the servant edits it into personal text;
// after the next crawl the public finds the edit neither by its text nor at
// the post's address, and the edit waits in the review queue. The reverse:
// a post a person judged personal, edited into an official text, shows the
// public its new version only, never the personal one. On both engines.
func TestAnEditIsDecidedOnItsOwn(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) {
		sn, _, dirFile, arc := liveSample(t)
		testEditDecidedOnItsOwn(t, sn, dirFile, arc, cli{})
	})
	t.Run("clickhouse", func(t *testing.T) {
		arc := clickhouseArchive(t)
		sn, _, dirFile, local := liveSample(t)
		t.Setenv("VIGIA_SPOOL_DIR", local+"-spool")
		testEditDecidedOnItsOwn(t, sn, dirFile, arc, cli{"VIGIA_USERS": local + "-users.json", "VIGIA_AUDIT": local + "-audit.jsonl", "VIGIA_SPOOL_DIR": local + "-spool"})
	})
}

func testEditDecidedOnItsOwn(t *testing.T, sn *samplenet.Server, dirFile, arc string, c cli) {
	warcDir := filepath.Join(filepath.Dir(dirFile), "warc")
	crawl := func() {
		t.Helper()
		if _, errs, code := c.run(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0", "--once"); code != 0 {
			t.Fatalf("crawl: exit %d: %s", code, errs)
		}
	}
	crawl()
	postID := func(text string) string {
		t.Helper()
		out, errs, code := c.run(t, "", "search", "--format", "jsonl", "--archive", arc, "--account", "obras-director", "--text", text)
		var hit struct {
			PostID string `json:"post_id"`
		}
		if code != 0 || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &hit) != nil {
			t.Fatalf("search %q: exit %d, want one post: %s%s", text, code, out, errs)
		}
		return hit.PostID
	}
	colector := postID("colector pluvial de Av. Patria")
	fallo := postID("repavimentar la Calzada Independencia")
	for _, d := range []struct{ id, label, reason string }{
		{colector, "function", "Supervisión de obra pública"},
		{fallo, "personal", "Se juzgó personal"},
	} {
		if _, errs, code := c.run(t, "", "review", "decide", "obras-director/"+d.id, d.label, "--reason", d.reason, "--by", "lucia", "--archive", arc); code != 0 {
			t.Fatalf("review decide %s: exit %d: %s", d.id, code, errs)
		}
	}
	const personal = "Feliz cumpleaños a mi hija Regina; para la fiesta llámenme al 33 1234 5678"
	const official = "Licitación pública LPN-GDL-020/2026 para la rehabilitación del colector de Av. Patria: bases en transparencia"
	now := time.Now()
	if err := sn.Edit("obras-director", "colector-patria", personal, now); err != nil {
		t.Fatal(err)
	}
	if err := sn.Edit("obras-director", "fallo-independencia", official, now); err != nil {
		t.Fatal(err)
	}
	crawl()

	public := c.newToken(t, arc, "ciudadana", "public")
	archivist := c.newToken(t, arc, "lucia", "archivist")
	base := startServe(t, c.getenv, "--archive", arc, "--warc-dir", warcDir)

	// The edit of the post decided function is no longer public.
	if code, body := apiGet(t, base, "/api/v1/posts?text="+url.QueryEscape("cumpleaños a mi hija"), public); code != 200 || !strings.Contains(body, `"total":0`) {
		t.Errorf("public search for the edit's personal text: %d %s", code, body)
	}
	if code, body := apiGet(t, base, "/api/v1/posts/mastodon/obras-director/"+colector, public); code != http.StatusNotFound || strings.Contains(body, "1234") {
		t.Errorf("public read of the edited post: %d, want 404; body %s", code, body)
	}
	code, body := apiGet(t, base, "/api/v1/review?limit=100", archivist)
	if code != 200 || !strings.Contains(body, colector) || !strings.Contains(body, fallo) {
		t.Errorf("review queue lacks the edits of posts a person decided: %d %s", code, body)
	}
	// The archivist still reads both versions.
	if code, body := apiGet(t, base, "/api/v1/posts/mastodon/obras-director/"+colector, archivist); code != 200 || !strings.Contains(body, "cumpleaños") || !strings.Contains(body, "colector pluvial") {
		t.Errorf("archivist read of the edited post: %d %.300s", code, body)
	}

	// The post a person judged personal, edited into another official
	// text and judged function in turn: the public never reads the
	// version judged personal, nor the reason given for it.
	if _, errs, code := c.run(t, "", "review", "decide", "obras-director/"+fallo, "function", "--reason", "Licitación de obra", "--by", "lucia", "--archive", arc); code != 0 {
		t.Fatalf("review decide the edit: exit %d: %s", code, errs)
	}
	code, body = apiGet(t, base, "/api/v1/posts/mastodon/obras-director/"+fallo, public)
	if code != 200 || !strings.Contains(body, "LPN-GDL-020/2026") {
		t.Fatalf("public read of the post decided function on its edit: %d %.300s", code, body)
	}
	if strings.Contains(body, "Calzada Independencia") || strings.Contains(body, "Se juzgó personal") {
		t.Errorf("the public reads the version a person judged personal: %.600s", body)
	}
	var post struct {
		Versions []json.RawMessage `json:"versions"`
	}
	if err := json.Unmarshal([]byte(body), &post); err != nil || len(post.Versions) != 1 {
		t.Errorf("public history: %d versions (%v), want the public one only", len(post.Versions), err)
	}
	// and the review queue no longer holds what a person decided
	if code, body := apiGet(t, base, "/api/v1/review?limit=100", archivist); code != 200 || strings.Contains(body, `"`+fallo+`"`) {
		t.Errorf("review queue still holds the decided edit: %d %s", code, body)
	}
}
