package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The contract scripts rely on: users add reads the password from stdin,
// users token prints a token, and GET /api/v1/posts with it answers
// {"total", "posts"} with exactly what search --format jsonl prints.
func TestServeAPIMatchesSearch(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "demo.duckdb")
	if _, errs, code := vigia(t, "", "demo", "--archive", arc); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	if _, errs, code := vigia(t, "una clave de prueba larga\n", "users", "add", "lucia", "--role", "archivist", "--archive", arc); code != 0 {
		t.Fatalf("users add: %d %s", code, errs)
	}
	if _, _, code := vigia(t, "corta\n", "users", "add", "otro", "--role", "public", "--archive", arc); code != 2 {
		t.Errorf("users add with a short password: exit %d, want 2", code)
	}
	if _, _, code := vigia(t, "una clave de prueba larga\n", "users", "add", "otro", "--role", "jefe", "--archive", arc); code != 2 {
		t.Errorf("users add with an unknown role: exit %d, want 2", code)
	}
	token, errs, code := vigia(t, "", "users", "token", "lucia", "--archive", arc)
	if code != 0 || !strings.HasPrefix(token, "vigia_") {
		t.Fatalf("users token: %d %q %s", code, token, errs)
	}
	token = strings.TrimSpace(token)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--archive", arc, "--listen", "127.0.0.1:0"},
			&env{stdin: strings.NewReader(""), stdout: &out, stderr: &stderr, getenv: func(string) string { return "" }})
	}()
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	deadline := time.Now().Add(20 * time.Second)
	for addr.FindStringSubmatch(stderr.String()) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	base := "http://" + addr.FindStringSubmatch(stderr.String())[1]

	get := func(path, tok string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp, body
	}
	if resp, _ := get("/api/v1/posts", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
	resp, body := get("/api/v1/posts?network=mastodon&from=2026-01-01&limit=5&offset=2", token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posts: %d %v", resp.StatusCode, body)
	}
	want := searchJSONL(t, "--archive", arc, "--network", "mastodon", "--from", "2026-01-01", "--limit", "5", "--offset", "2")
	all := searchJSONL(t, "--archive", arc, "--network", "mastodon", "--from", "2026-01-01")
	posts, _ := body["posts"].([]any)
	if int(body["total"].(float64)) != len(all) || len(posts) != len(want) {
		t.Fatalf("total %v, %d posts; want %d and %d", body["total"], len(posts), len(all), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(posts[i], any(want[i])) {
			t.Errorf("post %d:\n api    %v\n search %v", i, posts[i], want[i])
		}
	}
	cancel()
	select {
	case c := <-done:
		if c != 0 {
			t.Errorf("serve exit %d after interrupt: %s", c, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop when interrupted")
	}
}

// vigia export builds a package that verifies with sha256sum -c and holds
// only public information.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	arc := filepath.Join(dir, "demo.duckdb")
	if _, errs, code := vigia(t, "", "demo", "--archive", arc); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	personal := searchJSONL(t, "--archive", arc, "--label", "personal")
	if len(personal) == 0 {
		t.Fatal("the demo archive has no personal post")
	}
	pkg := filepath.Join(dir, "respuesta-F-1")
	out, errs, code := vigia(t, "", "export", "--archive", arc, "--request", "F-1", "--received", "2026-11-20", "--out", pkg)
	if code != 0 {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	if !strings.Contains(out, "personal excluded (Sexta)") || !strings.Contains(out, "deadline: 2026-12-18 (20 business days)") {
		t.Errorf("export output: %s", out)
	}
	cmd := exec.Command("sha256sum", "--strict", "-c", "MANIFIESTO.sha256")
	cmd.Dir = pkg
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, b)
	}
	for _, f := range []string{"publicaciones.csv", "publicaciones.jsonl", "respuesta.html"} {
		b, err := os.ReadFile(filepath.Join(pkg, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range personal {
			if text := p["text"].(string); len(text) > 20 && strings.Contains(string(b), text[:20]) {
				t.Errorf("%s holds the personal post %v", f, p["post_id"])
			}
		}
	}
	if _, err := os.Stat(pkg + ".zip"); err != nil {
		t.Error(err)
	}
	if _, _, code := vigia(t, "", "export", "--archive", arc, "--request", "F-1", "--out", pkg); code != 2 {
		t.Errorf("export into an existing package: exit %d, want 2", code)
	}
	// Folios as offices write them, and as an attacker would: each is
	// written verbatim (escaped) in the report, and the package is where
	// --out says, nowhere else.
	for i, folio := range []string{"../../etc", ".hidden", "a/b", "UT/0042/2026", "Solicitud ñandú №7 <i>urgente</i>"} {
		out := filepath.Join(dir, "folios", fmt.Sprint(i), "paquete")
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			t.Fatal(err)
		}
		if stdout, errs, code := vigia(t, "", "export", "--archive", arc, "--request", folio, "--account", "gobierno-gdl", "--out", out); code != 0 {
			t.Errorf("export with folio %q: exit %d\n%s%s", folio, code, stdout, errs)
			continue
		}
		report, err := os.ReadFile(filepath.Join(out, "respuesta.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(report), "<dd>"+html.EscapeString(folio)+"</dd>") {
			t.Errorf("folio %q is not in the report verbatim", folio)
		}
		// The package, its zip and the office's own record (never inside
		// the zip): nothing the folio names lands elsewhere.
		if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 3 || !slices.ContainsFunc(entries, func(e os.DirEntry) bool {
			return e.Name() == filepath.Base(out)+"-registro-interno.html"
		}) {
			t.Errorf("folio %q: %d entries beside the package, want it, its zip and its office record", folio, len(entries))
		}
	}
	for _, folio := range []string{"", "   ", strings.Repeat("1", 101), "UT/0042\n2026", "UT\x00"} {
		if _, errs, code := vigia(t, "", "export", "--archive", arc, "--request", folio, "--out", filepath.Join(dir, "x")); code != 2 || !strings.Contains(strings.ToLower(errs), "folio") {
			t.Errorf("export with folio %q: exit %d, %s; want 2", folio, code, errs)
		}
	}
}

// vigia serve on every interface says where a browser reaches it (this
// machine's name and localhost, never http://[::]:PORT/) and that its
// Secure cookies need HTTPS in front.
func TestServeOnEveryInterfaceSaysWhere(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "demo.duckdb")
	if _, errs, code := vigia(t, "", "demo", "--archive", arc); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--archive", arc, "--listen", "0.0.0.0:0"},
			&env{stdin: strings.NewReader(""), stdout: &out, stderr: &stderr, getenv: func(string) string { return "" }})
	}()
	addr := regexp.MustCompile(`http://localhost:(\d+)/`)
	deadline := time.Now().Add(20 * time.Second)
	for addr.FindStringSubmatch(stderr.String()) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not say where it listens:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	said := stderr.String()
	for _, bad := range []string{"[::]", "0.0.0.0"} {
		if strings.Contains(said, bad) {
			t.Errorf("serve names the unusable address %s:\n%s", bad, said)
		}
	}
	if !strings.Contains(said, "HTTPS") || !strings.Contains(said, "--insecure-cookies") {
		t.Errorf("serve does not say its cookies need HTTPS:\n%s", said)
	}
	resp, err := http.Get("http://localhost:" + addr.FindStringSubmatch(said)[1] + "/entrar")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /entrar at the address serve gave: %d", resp.StatusCode)
	}
	cancel()
	if c := <-done; c != 0 {
		t.Errorf("serve exit %d after interrupt: %s", c, stderr.String())
	}
}
