package auth

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openUsers opens the users file at path with cheap hashing.
func openUsers(t *testing.T, path string) *Users {
	t.Helper()
	u, err := OpenUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	u.params = testParams
	return u
}

const (
	anaPassword  = "ana's long passphrase"
	beaPassword  = "bea's long passphrase"
	wrongPasswrd = "not the passphrase at all"
)

func TestAddLogin(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	if err := users.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	u, err := users.Login("ana", []byte(anaPassword))
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "ana" || u.Role != Archivist || u.Disabled {
		t.Errorf("Login = %+v", u)
	}
	list, err := users.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "ana" {
		t.Errorf("List = %+v", list)
	}
}

// TestLoginSameError: an unknown name and a wrong password give one and
// the same error.
func TestLoginSameError(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	if err := users.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	_, wrong := users.Login("ana", []byte(wrongPasswrd))
	_, unknown := users.Login("nobody", []byte(anaPassword))
	if !errors.Is(wrong, ErrBadLogin) || !errors.Is(unknown, ErrBadLogin) {
		t.Fatalf("wrong password: %v; unknown user: %v; want ErrBadLogin", wrong, unknown)
	}
	if wrong.Error() != unknown.Error() {
		t.Errorf("errors differ: %q and %q", wrong, unknown)
	}
}

func TestAddRejects(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	if err := users.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		role     Role
		password string
		want     error
	}{
		{"ana", Admin, beaPassword, ErrExists},
		{"", Admin, beaPassword, ErrName},
		{"Ana", Admin, beaPassword, ErrName},
		{"ana maría", Admin, beaPassword, ErrName},
		{"../etc", Admin, beaPassword, ErrName},
		{strings.Repeat("a", 65), Admin, beaPassword, ErrName},
		{"bea", "root", beaPassword, ErrRole},
		{"bea", "", beaPassword, ErrRole},
		{"bea", Admin, "elevenbytes", ErrPassword},
		{"bea", Admin, strings.Repeat("x", 1025), ErrPassword},
	} {
		if err := users.Add(tc.name, tc.role, []byte(tc.password)); !errors.Is(err, tc.want) {
			t.Errorf("Add(%q, %q, %d bytes) = %v, want %v", tc.name, tc.role, len(tc.password), err, tc.want)
		}
	}
	if err := users.Add(strings.Repeat("a", 64), Public, []byte("twelve bytes")); err != nil {
		t.Errorf("64-byte name, 12-byte password: %v", err)
	}
	list, _ := users.List()
	if len(list) != 2 {
		t.Errorf("%d users, want 2", len(list))
	}
}

// TestUsersFileSecrets: the file is mode 0600 and holds no password nor
// token in plain text, nor their base64.
func TestUsersFileSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	users := openUsers(t, path)
	if err := users.Add("ana", Admin, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	token, err := users.NewToken("ana")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + ".lock"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), got)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	secretRaw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, tokenPrefix))
	for _, secret := range []string{
		anaPassword,
		base64.StdEncoding.EncodeToString([]byte(anaPassword)),
		token,
		strings.TrimPrefix(token, tokenPrefix),
		fmt.Sprintf("%x", secretRaw),
	} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the users file contains %q", secret)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 2 {
		t.Errorf("folder holds %d files, want users.json and its lock (no temporary files left)", len(entries))
	}
}

// TestUsersReload: a second handle on the file (another process) sees the
// changes of the first without reopening, and the other way round.
func TestUsersReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	server := openUsers(t, path)
	if _, err := server.Get("ana"); !errors.Is(err, ErrNoUser) {
		t.Fatalf("Get before any user: %v", err)
	}
	cli := openUsers(t, path)
	if err := cli.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Login("ana", []byte(anaPassword)); err != nil {
		t.Fatalf("the server does not see a user the CLI added: %v", err)
	}
	token, err := cli.NewToken("ana")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := server.TokenUser(token); err != nil || u.Name != "ana" {
		t.Fatalf("the server does not see a token the CLI made: %v, %v", u, err)
	}
	if err := cli.SetRole("ana", Admin); err != nil {
		t.Fatal(err)
	}
	if u, _ := server.Get("ana"); u.Role != Admin {
		t.Errorf("the server sees role %q, want admin", u.Role)
	}
	if err := server.Add("bea", Public, []byte(beaPassword)); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Get("bea"); err != nil {
		t.Errorf("the CLI does not see a user the server added: %v", err)
	}
	if err := cli.Disable("ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := server.TokenUser(token); err == nil {
		t.Error("the server accepts a token of a user the CLI disabled")
	}
	if _, err := server.Login("ana", []byte(anaPassword)); !errors.Is(err, ErrDisabled) {
		t.Errorf("the server's Login of a user the CLI disabled: %v, want ErrDisabled", err)
	}
}

// TestConcurrentAdds: two handles adding at once, from many goroutines,
// lose no user (the flock serialises read-modify-write across handles).
func TestConcurrentAdds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	handles := []*Users{openUsers(t, path), openUsers(t, path)}
	const each = 12
	var wg sync.WaitGroup
	for h, users := range handles {
		for i := range each {
			wg.Go(func() {
				name := fmt.Sprintf("user%d-%d", h, i)
				if err := users.Add(name, Public, []byte(anaPassword)); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	list, err := openUsers(t, path).List()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(list), len(handles)*each; got != want {
		t.Errorf("%d users in the file, want %d", got, want)
	}
}

func TestTokens(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	for _, name := range []string{"ana", "bea"} {
		if err := users.Add(name, Archivist, []byte(anaPassword)); err != nil {
			t.Fatal(err)
		}
	}
	token, err := users.NewToken("ana")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimPrefix(token, "vigia_"))
	if !strings.HasPrefix(token, "vigia_") || err != nil || len(raw) != 32 {
		t.Fatalf("token %q is not vigia_ and 32 bytes of base64url", token)
	}
	if u, err := users.TokenUser(token); err != nil || u.Name != "ana" {
		t.Fatalf("TokenUser = %v, %v", u, err)
	}
	u, _ := users.Get("ana")
	if len(u.Tokens) != 1 || u.Tokens[0].Last4 != token[len(token)-4:] || u.Tokens[0].ID == "" {
		t.Errorf("ana's tokens: %+v", u.Tokens)
	}
	flipped := []byte(token)
	flipped[10] ^= 1
	for _, bad := range []string{"", "vigia_", token[:len(token)-1], token + "A", strings.ToUpper(token), string(flipped), "Bearer " + token} {
		if _, err := users.TokenUser(bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("TokenUser(%q) = %v, want ErrBadToken", bad, err)
		}
	}

	second, err := users.NewToken("ana")
	if err != nil {
		t.Fatal(err)
	}
	if err := users.RevokeToken("ana", u.Tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := users.TokenUser(token); !errors.Is(err, ErrBadToken) {
		t.Errorf("a revoked token: %v", err)
	}
	if _, err := users.TokenUser(second); err != nil {
		t.Errorf("revoking one token revoked another: %v", err)
	}
	if err := users.RevokeToken("ana", u.Tokens[0].ID); !errors.Is(err, ErrBadToken) {
		t.Errorf("revoking twice: %v", err)
	}
	if err := users.RevokeTokens("ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := users.TokenUser(second); !errors.Is(err, ErrBadToken) {
		t.Errorf("after RevokeTokens: %v", err)
	}

	third, err := users.NewToken("bea")
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Disable("bea"); err != nil {
		t.Fatal(err)
	}
	if _, err := users.TokenUser(third); err == nil {
		t.Error("a disabled user's token works")
	}
	if _, err := users.NewToken("bea"); !errors.Is(err, ErrDisabled) {
		t.Errorf("NewToken of a disabled user: %v", err)
	}
	if err := users.Enable("bea"); err != nil {
		t.Fatal(err)
	}
	if _, err := users.TokenUser(third); err == nil {
		t.Error("enabling a user revived a token revoked by Disable")
	}
	if _, err := users.NewToken("nobody"); !errors.Is(err, ErrNoUser) {
		t.Errorf("NewToken of an unknown user: %v", err)
	}
}

func TestSetPasswordRoleDisable(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	if err := users.Add("ana", Public, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	if err := users.SetPassword("ana", []byte(beaPassword)); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Login("ana", []byte(anaPassword)); !errors.Is(err, ErrBadLogin) {
		t.Errorf("old password: %v", err)
	}
	if _, err := users.Login("ana", []byte(beaPassword)); err != nil {
		t.Errorf("new password: %v", err)
	}
	if err := users.SetPassword("ana", []byte("short")); !errors.Is(err, ErrPassword) {
		t.Errorf("short password: %v", err)
	}
	if err := users.SetRole("ana", Admin); err != nil {
		t.Fatal(err)
	}
	if err := users.SetRole("ana", "root"); !errors.Is(err, ErrRole) {
		t.Errorf("SetRole root: %v", err)
	}
	if err := users.Disable("ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Login("ana", []byte(beaPassword)); !errors.Is(err, ErrDisabled) {
		t.Errorf("disabled user, right password: %v", err)
	}
	if _, err := users.Login("ana", []byte(anaPassword)); !errors.Is(err, ErrBadLogin) {
		t.Errorf("disabled user, wrong password: %v, want ErrBadLogin", err)
	}
	list, _ := users.List()
	if len(list) != 1 || !list[0].Disabled || list[0].Role != Admin {
		t.Errorf("a disabled user is kept, with their role: %+v", list)
	}
	if err := users.Enable("ana"); err != nil {
		t.Fatal(err)
	}
	if u, err := users.Login("ana", []byte(beaPassword)); err != nil || u.Role != Admin {
		t.Errorf("enabled again: %v, %v", u, err)
	}
	for _, err := range []error{
		users.SetPassword("nobody", []byte(anaPassword)),
		users.SetRole("nobody", Admin),
		users.Disable("nobody"),
		users.RevokeTokens("nobody"),
	} {
		if !errors.Is(err, ErrNoUser) {
			t.Errorf("change of an unknown user: %v, want ErrNoUser", err)
		}
	}
}

// TestThrottle: the sixth try within 15 minutes of five failures is
// refused without looking at the password, for 15 minutes; known and
// unknown names alike; a success clears the count.
func TestThrottle(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	clk := newClock()
	users.now = clk.now
	if err := users.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ana", "nobody"} {
		for i := range 5 {
			if _, err := users.Login(name, []byte(wrongPasswrd)); !errors.Is(err, ErrBadLogin) {
				t.Fatalf("%s, failure %d: %v", name, i+1, err)
			}
			clk.advance(time.Minute)
		}
		if _, err := users.Login(name, []byte(anaPassword)); !errors.Is(err, ErrThrottled) {
			t.Errorf("%s after 5 failures: %v, want ErrThrottled", name, err)
		}
		// The lockout began with the fifth failure, a minute ago.
		clk.advance(13 * time.Minute)
		if _, err := users.Login(name, []byte(anaPassword)); !errors.Is(err, ErrThrottled) {
			t.Errorf("%s 14 minutes into the lockout: %v, want ErrThrottled", name, err)
		}
		clk.advance(time.Minute)
	}
	if _, err := users.Login("ana", []byte(anaPassword)); err != nil {
		t.Errorf("ana after the lockout: %v", err)
	}
	if _, err := users.Login("bea", []byte(anaPassword)); !errors.Is(err, ErrBadLogin) {
		t.Errorf("another name is not throttled: %v", err)
	}

	// Failures spread over more than 15 minutes, or cut by a success, do
	// not add up.
	for range 4 {
		users.Login("ana", []byte(wrongPasswrd))
	}
	clk.advance(16 * time.Minute)
	for range 4 {
		users.Login("ana", []byte(wrongPasswrd))
	}
	if _, err := users.Login("ana", []byte(anaPassword)); err != nil {
		t.Fatalf("4 failures, 16 minutes, 4 failures: %v", err)
	}
	for range 4 {
		users.Login("ana", []byte(wrongPasswrd))
	}
	if _, err := users.Login("ana", []byte(anaPassword)); err != nil {
		t.Errorf("a success did not clear the count: %v", err)
	}
}

// TestThrottleParallel: guesses sent at once get no more than five tries.
func TestThrottleParallel(t *testing.T) {
	users := openUsers(t, filepath.Join(t.TempDir(), "users.json"))
	if err := users.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	tried := 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := users.Login("ana", []byte(wrongPasswrd))
			if errors.Is(err, ErrBadLogin) {
				mu.Lock()
				tried++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if tried > 5 {
		t.Errorf("%d of 20 parallel guesses were tried, want at most 5", tried)
	}
}

// TestDamagedUsersFile: a users file that is not as written is refused
// with its place named, and a server reading it fails closed.
func TestDamagedUsersFile(t *testing.T) {
	hash := hashPassword([]byte(anaPassword), testParams)
	record := func(name, fields string) string {
		return `{"name": "` + name + `", "role": "archivist", "password": "` + hash + `"` + fields + `}`
	}
	file := func(records ...string) string {
		return `{"version": 1, "users": [` + strings.Join(records, ", ") + `]}`
	}
	user := func(fields string) string { return file(record("ana", fields)) }
	for _, tc := range []struct {
		name, data, want string
	}{
		{"syntax", "{\"version\": 1,\n\"users\": [\n}", "line 3"},
		{"type", "{\"version\": 1,\n\"users\": 7}", "line 2"},
		{"unknown key", user(`, "admin": true`), `unknown field "admin"`},
		{"version", `{"version": 2, "users": []}`, "version 2"},
		{"role", strings.Replace(user(""), "archivist", "root", 1), `role "root"`},
		{"name", file(record("Ana", "")), `user 1 "Ana"`},
		{"hash", strings.Replace(user(""), "argon2id", "argon2i", 1), "argon2i"},
		{"token", user(`, "tokens": [{"id": "x", "sha256": "abc"}]`), `token "x"`},
		{"twice", file(record("ana", ""), record("bea", ""), record("ana", "")), `user 3 "ana": name appears twice`},
		{"trailing", user("") + "{}", "after"},
		{"empty", "", "EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users.json")
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := OpenUsers(path)
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("OpenUsers = %v, want ErrDamaged naming %s and %q", err, path, tc.want)
			}
		})
	}

	// A server whose file is damaged while it runs refuses logins and
	// tokens rather than using what it had.
	path := filepath.Join(t.TempDir(), "users.json")
	users := openUsers(t, path)
	if err := users.Add("ana", Archivist, []byte(anaPassword)); err != nil {
		t.Fatal(err)
	}
	token, _ := users.NewToken("ana")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(user(`, "extra": 1`)), 0o600); err != nil {
		t.Fatal(err)
	}
	for range maxFailures + 1 {
		if _, err := users.Login("ana", []byte(anaPassword)); !errors.Is(err, ErrDamaged) {
			t.Fatalf("Login on a damaged file: %v, want ErrDamaged", err)
		}
	}
	if _, err := users.TokenUser(token); !errors.Is(err, ErrDamaged) {
		t.Errorf("TokenUser on a damaged file: %v, want ErrDamaged", err)
	}
	if err := users.Add("bea", Public, []byte(beaPassword)); !errors.Is(err, ErrDamaged) {
		t.Errorf("Add on a damaged file: %v, want ErrDamaged", err)
	}
	// Once repaired, the logins refused meanwhile did not count as failures.
	if err := os.WriteFile(path, good, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Login("ana", []byte(anaPassword)); err != nil {
		t.Errorf("Login on the repaired file: %v", err)
	}
}
