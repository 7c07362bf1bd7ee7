package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// app is a small web app built as vigia's is meant to be: it authenticates
// every request, guards unsafe ones against CSRF, and decides by role.
type app struct {
	users    *Users
	sessions *Sessions
	srv      *httptest.Server
	clock    *clock
}

func newApp(t *testing.T) *app {
	t.Helper()
	a := &app{users: openUsers(t, filepath.Join(t.TempDir(), "users.json")), clock: newClock()}
	a.users.now = a.clock.now
	a.sessions = NewSessions(a.users, SessionOptions{})
	a.sessions.now = a.clock.now
	for _, u := range []struct {
		name string
		role Role
	}{{"ana", Archivist}, {"pepe", Public}} {
		if err := a.users.Add(u.name, u.role, []byte(anaPassword)); err != nil {
			t.Fatal(err)
		}
	}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		u, err := a.users.Login(r.PostFormValue("name"), []byte(r.PostFormValue("password")))
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		sess, err := a.sessions.Start(w, u)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, sess.CSRF())
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		a.sessions.End(w, r)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, describe(UserFrom(r.Context()), r.Context()))
	})
	mux.HandleFunc("POST /decide", func(w http.ResponseWriter, r *http.Request) {
		if !RoleOf(UserFrom(r.Context())).Reviews() {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		fmt.Fprint(w, "decided")
	})
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, via, err := a.sessions.Authenticate(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if err := a.sessions.CheckCSRF(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		ctx := context.WithValue(WithUser(r.Context(), u), viaKey{}, via)
		mux.ServeHTTP(w, r.WithContext(ctx))
	}))
	t.Cleanup(a.srv.Close)
	return a
}

type viaKey struct{}

func describe(u *User, ctx context.Context) string {
	if u == nil {
		return "anonymous"
	}
	return fmt.Sprintf("%s %s %s", u.Name, u.Role, ctx.Value(viaKey{}))
}

// client is a browser: it keeps cookies.
func (a *app) client(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// login signs c in as name and returns the session's CSRF token.
func (a *app) login(t *testing.T, c *http.Client, name string) string {
	t.Helper()
	code, body := a.do(t, c, "POST", "/login", url.Values{"name": {name}, "password": {anaPassword}}, nil)
	if code != http.StatusOK {
		t.Fatalf("login %s: %d %s", name, code, body)
	}
	return body
}

func (a *app) do(t *testing.T, c *http.Client, method, path string, form url.Values, header http.Header) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, a.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestSessionCookieFlags(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	if err := users.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	u, err := users.Login("ana", []byte(anaPassword))
	if err != nil {
		t.Fatal(err)
	}
	for _, secure := range []bool{true, false} {
		sessions := NewSessions(users, SessionOptions{Secure: secure})
		w := httptest.NewRecorder()
		sess, err := sessions.Start(w, u)
		if err != nil {
			t.Fatal(err)
		}
		cookies := w.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("%d cookies set, want 1", len(cookies))
		}
		c := cookies[0]
		if c.Name != "vigia_session" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure {
			t.Errorf("cookie %s, want vigia_session HttpOnly SameSite=Lax Path=/ Secure=%v", w.Header().Get("Set-Cookie"), secure)
		}
		if c.MaxAge != 8*3600 || len(c.Value) != 43 {
			t.Errorf("cookie Max-Age %d (want 8h), value of %d characters (want 43)", c.MaxAge, len(c.Value))
		}
		if len(sess.CSRF()) != 43 || sess.CSRF() == c.Value {
			t.Errorf("CSRF token %q", sess.CSRF())
		}

		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(c)
		if got, gotSess := sessions.User(r); got == nil || got.Name != "ana" || gotSess != sess {
			t.Errorf("User of the cookie = %v, %v", got, gotSess)
		}
		w = httptest.NewRecorder()
		sessions.End(w, r)
		if cleared := w.Result().Cookies(); len(cleared) != 1 || cleared[0].MaxAge >= 0 || cleared[0].Value != "" {
			t.Errorf("End sets %q, want the cookie cleared", w.Header().Get("Set-Cookie"))
		}
		if got, _ := sessions.User(r); got != nil {
			t.Error("the cookie still works after End")
		}
	}
	if _, err := NewSessions(users, SessionOptions{}).Start(httptest.NewRecorder(), nil); err == nil {
		t.Error("Start of no user succeeded")
	}
}

// TestAuthenticate: an Authorization header is judged alone — a bad one
// fails even with a good cookie — then the cookie, then nobody.
func TestAuthenticate(t *testing.T) {
	a := newApp(t)
	browser := a.client(t)
	a.login(t, browser, "ana")
	token, err := a.users.NewToken("pepe")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		client *http.Client
		auth   []string // Authorization headers
		code   int
		body   string
	}{
		{"nobody", http.DefaultClient, nil, 200, "anonymous"},
		{"cookie", browser, nil, 200, "ana archivist session"},
		{"token", http.DefaultClient, []string{"Bearer " + token}, 200, "pepe public token"},
		{"token and cookie", browser, []string{"Bearer " + token}, 200, "pepe public token"},
		{"scheme in lower case", http.DefaultClient, []string{"bearer " + token}, 200, "pepe public token"},
		{"bad token and good cookie", browser, []string{"Bearer vigia_" + strings.Repeat("A", 43)}, 401, "invalid API token"},
		{"empty bearer and good cookie", browser, []string{"Bearer "}, 401, "invalid API token"},
		{"basic and good cookie", browser, []string{"Basic YW5hOnBhc3M="}, 401, "invalid API token"},
		{"empty header and good cookie", browser, []string{""}, 401, "invalid API token"},
		{"two headers", http.DefaultClient, []string{"Bearer " + token, "Bearer " + token}, 401, "invalid API token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h http.Header
			if tc.auth != nil {
				h = http.Header{"Authorization": tc.auth}
			}
			code, body := a.do(t, tc.client, "GET", "/whoami", nil, h)
			if code != tc.code || body != tc.body {
				t.Errorf("got %d %q, want %d %q", code, body, tc.code, tc.body)
			}
		})
	}
}

// TestDisabledEverywhere: disabling a user (from another process) ends
// their live session and token at once, and refuses their login.
func TestDisabledEverywhere(t *testing.T) {
	a := newApp(t)
	browser := a.client(t)
	csrf := a.login(t, browser, "ana")
	token, err := a.users.NewToken("ana")
	if err != nil {
		t.Fatal(err)
	}
	bearer := http.Header{"Authorization": {"Bearer " + token}}
	if code, body := a.do(t, browser, "POST", "/decide", url.Values{"csrf": {csrf}}, nil); code != 200 {
		t.Fatalf("before: %d %s", code, body)
	}

	cli := openUsers(t, a.users.path)
	if err := cli.Disable("ana"); err != nil {
		t.Fatal(err)
	}
	if code, body := a.do(t, browser, "GET", "/whoami", nil, nil); body != "anonymous" {
		t.Errorf("session of a disabled user: %d %s", code, body)
	}
	if code, _ := a.do(t, browser, "POST", "/decide", url.Values{"csrf": {csrf}}, nil); code != http.StatusForbidden {
		t.Errorf("a disabled user's session decides: %d", code)
	}
	if code, _ := a.do(t, http.DefaultClient, "GET", "/whoami", nil, bearer); code != http.StatusUnauthorized {
		t.Errorf("token of a disabled user: %d", code)
	}
	if code, _ := a.do(t, a.client(t), "POST", "/login", url.Values{"name": {"ana"}, "password": {anaPassword}}, nil); code != http.StatusUnauthorized {
		t.Errorf("login of a disabled user: %d", code)
	}
	// Enabling her again does not revive the old session.
	if err := cli.Enable("ana"); err != nil {
		t.Fatal(err)
	}
	if _, body := a.do(t, browser, "GET", "/whoami", nil, nil); body != "anonymous" {
		t.Errorf("the old session came back: %s", body)
	}
}

func TestCSRF(t *testing.T) {
	a := newApp(t)
	browser := a.client(t)
	csrf := a.login(t, browser, "ana")
	token, err := a.users.NewToken("ana")
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(a.srv.URL, "http://")
	for _, tc := range []struct {
		name   string
		client *http.Client
		form   url.Values
		header http.Header
		code   int
	}{
		{"no token", browser, url.Values{}, nil, 403},
		{"wrong token", browser, url.Values{"csrf": {csrf[:42] + "x"}}, nil, 403},
		{"token in the query only", browser, nil, nil, 403},
		{"empty token", browser, url.Values{"csrf": {""}}, nil, 403},
		{"right field", browser, url.Values{"csrf": {csrf}}, nil, 200},
		{"right header", browser, nil, http.Header{"X-Csrf-Token": {csrf}}, 200},
		{"same origin", browser, url.Values{"csrf": {csrf}}, http.Header{"Origin": {"http://" + host}}, 200},
		{"cross origin", browser, url.Values{"csrf": {csrf}}, http.Header{"Origin": {"https://evil.example"}}, 403},
		{"other port", browser, url.Values{"csrf": {csrf}}, http.Header{"Origin": {"http://127.0.0.1:1"}}, 403},
		{"null origin", browser, url.Values{"csrf": {csrf}}, http.Header{"Origin": {"null"}}, 403},
		{"cross site", browser, url.Values{"csrf": {csrf}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403},
		{"same site", browser, url.Values{"csrf": {csrf}}, http.Header{"Sec-Fetch-Site": {"same-site"}}, 403},
		{"fetch same origin", browser, nil, http.Header{"Sec-Fetch-Site": {"same-origin"}, "X-Csrf-Token": {csrf}}, 200},
		{"bearer, no CSRF token", http.DefaultClient, url.Values{}, http.Header{"Authorization": {"Bearer " + token}}, 200},
		{"bearer, cross origin", http.DefaultClient, url.Values{}, http.Header{"Authorization": {"Bearer " + token}, "Origin": {"https://evil.example"}}, 200},
		{"bearer and cookie, no CSRF token", browser, url.Values{}, http.Header{"Authorization": {"Bearer " + token}}, 200},
		{"anonymous", http.DefaultClient, url.Values{}, nil, 403}, // no CSRF to check, but no role
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "/decide"
			if tc.name == "token in the query only" {
				path += "?csrf=" + url.QueryEscape(csrf)
			}
			code, body := a.do(t, tc.client, "POST", path, tc.form, tc.header)
			if code != tc.code {
				t.Errorf("got %d %s, want %d", code, body, tc.code)
			}
		})
	}

	// The login form has no session yet, but a cross-origin one is refused.
	code, _ := a.do(t, a.client(t), "POST", "/login", url.Values{"name": {"ana"}, "password": {anaPassword}},
		http.Header{"Origin": {"https://evil.example"}})
	if code != http.StatusForbidden {
		t.Errorf("cross-origin login: %d, want 403", code)
	}
	r := httptest.NewRequest("POST", "/decide", nil)
	r.Header.Set("Origin", "https://evil.example")
	if err := a.sessions.CheckCSRF(r); !errors.Is(err, ErrCrossOrigin) {
		t.Errorf("CheckCSRF = %v, want ErrCrossOrigin", err)
	}
}

// TestSessionEnds: a session ends after its TTL, at logout (its cookie
// replayed is of no use), and when the password changes.
func TestSessionEnds(t *testing.T) {
	a := newApp(t)

	browser := a.client(t)
	a.login(t, browser, "ana")
	a.clock.advance(8*time.Hour - time.Second)
	if _, body := a.do(t, browser, "GET", "/whoami", nil, nil); body != "ana archivist session" {
		t.Errorf("just before the TTL: %s", body)
	}
	a.clock.advance(time.Second)
	if _, body := a.do(t, browser, "GET", "/whoami", nil, nil); body != "anonymous" {
		t.Errorf("at the TTL: %s", body)
	}

	browser = a.client(t)
	csrf := a.login(t, browser, "ana")
	u, _ := url.Parse(a.srv.URL)
	stolen := browser.Jar.Cookies(u)
	a.do(t, browser, "POST", "/logout", url.Values{"csrf": {csrf}}, nil)
	if _, body := a.do(t, browser, "GET", "/whoami", nil, nil); body != "anonymous" {
		t.Errorf("after logout: %s", body)
	}
	replay := a.client(t)
	replay.Jar.SetCookies(u, stolen)
	if _, body := a.do(t, replay, "GET", "/whoami", nil, nil); body != "anonymous" {
		t.Errorf("a cookie replayed after logout: %s", body)
	}

	browser = a.client(t)
	a.login(t, browser, "ana")
	a.clock.advance(time.Minute)
	if err := a.users.SetPassword("ana", []byte(beaPassword)); err != nil {
		t.Fatal(err)
	}
	if _, body := a.do(t, browser, "GET", "/whoami", nil, nil); body != "anonymous" {
		t.Errorf("after a password change: %s", body)
	}
	// A role change, though, applies to the live session.
	pepe := a.client(t)
	a.login(t, pepe, "pepe")
	if err := a.users.SetRole("pepe", Admin); err != nil {
		t.Fatal(err)
	}
	if _, body := a.do(t, pepe, "GET", "/whoami", nil, nil); body != "pepe admin session" {
		t.Errorf("after a role change: %s", body)
	}
}

func TestUserContext(t *testing.T) {
	if u := UserFrom(context.Background()); u != nil {
		t.Errorf("UserFrom(empty) = %v", u)
	}
	ana := &User{Name: "ana"}
	if u := UserFrom(WithUser(context.Background(), ana)); u != ana {
		t.Errorf("UserFrom = %v", u)
	}
}
