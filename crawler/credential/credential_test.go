package credential

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/directory"
)

func TestToken(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		return p
	}
	good := write("good.token", "EAAGm0PX4ZCpsBAtoken123\n", 0o600)
	loose := write("loose.token", "EAAGm0PX4ZCpsBAtoken123\n", 0o644)
	group := write("group.token", "EAAGm0PX4ZCpsBAtoken123\n", 0o640)
	crlf := write("inject.token", "abc\r\nX-Evil: 1\n", 0o600)
	empty := write("empty.token", "\n", 0o600)
	env := map[string]string{"VIGIA_X_TOKEN": "AAAAAAAAAAAAAAAAAAAAAbearer%2Ftoken"}
	getenv := func(k string) string { return env[k] }

	tests := []struct {
		name    string
		acct    directory.Account
		want    string
		wantErr error
		wantMsg string // part of the message
	}{
		{name: "a file of mode 600", acct: directory.Account{ID: "a", TokenPath: good}, want: "EAAGm0PX4ZCpsBAtoken123"},
		{name: "the environment", acct: directory.Account{ID: "a", TokenEnv: "VIGIA_X_TOKEN"}, want: "AAAAAAAAAAAAAAAAAAAAAbearer%2Ftoken"},
		{name: "a file others may read", acct: directory.Account{ID: "a", TokenPath: loose}, wantErr: ErrLooseFile, wantMsg: "has mode 0644, so others on this machine may read the office's token; make it the owner's only (chmod 600 " + loose},
		{name: "a file its group may read", acct: directory.Account{ID: "a", TokenPath: group}, wantErr: ErrLooseFile, wantMsg: "mode 0640"},
		{name: "a line break in the token", acct: directory.Account{ID: "a", TokenPath: crlf}, wantErr: ErrMalformToken},
		{name: "an empty file", acct: directory.Account{ID: "a", TokenPath: empty}, wantErr: ErrNoToken},
		{name: "an unset variable", acct: directory.Account{ID: "a", TokenEnv: "VIGIA_FB_TOKEN"}, wantErr: ErrNoToken, wantMsg: `account "a": no token: the environment variable VIGIA_FB_TOKEN is not set or empty`},
		{name: "a missing file", acct: directory.Account{ID: "a", TokenPath: filepath.Join(dir, "none")}, wantErr: os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Token(&tt.acct, getenv)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("error = %v, want %v with %q", err, tt.wantErr, tt.wantMsg)
				}
				if strings.Contains(err.Error(), "EAAG") || strings.Contains(err.Error(), "X-Evil") {
					t.Errorf("the message repeats the token: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Token = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestEndpoint checks where an account's endpoint: may send the token: the
// platform's host over https, or loopback; nowhere else.
func TestEndpoint(t *testing.T) {
	for _, c := range []struct {
		endpoint string
		ok       bool
	}{
		{"", true},
		{"https://graph.facebook.com/", true},
		{"https://GRAPH.facebook.com:443", true},
		{"http://127.0.0.1:8080", true},
		{"http://[::1]:8080", true},
		{"http://localhost:9000", true},
		{"http://graph.facebook.com", false},
		{"https://graph.facebook.com:8443", false},
		{"https://graph.facebook.com.example.net", false},
		{"https://api.twitter.com", false}, // not Graph's
		{"https://10.0.0.5", false},
		{"ftp://127.0.0.1", false},
		{"graph.facebook.com", false},
	} {
		u, err := Endpoint(&directory.Account{ID: "gdl", Endpoint: c.endpoint}, "https://graph.facebook.com")
		if c.ok != (err == nil) {
			t.Errorf("endpoint %q: %v, %v; want allowed %v", c.endpoint, u, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), c.endpoint) {
			t.Errorf("endpoint %q: the error does not name it: %v", c.endpoint, err)
		}
	}
	if _, err := Endpoint(&directory.Account{ID: "x", Endpoint: "https://api.twitter.com"}, "https://api.x.com", "api.twitter.com"); err != nil {
		t.Errorf("api.twitter.com for X: %v", err)
	}
}

// TestTokenEnvNames checks that token_env: names only a token's variable:
// not the audit key nor another secret of the process.
func TestTokenEnvNames(t *testing.T) {
	env := map[string]string{"VIGIA_AUDIT_KEY": "secret-audit-key", "VIGIA_CLICKHOUSE_PASSWORD": "clickhouse-pw-value", "HOME_TOKEN": "home-token-value", "VIGIA_TOKEN_OBRAS": "obras-token-value"}
	for name := range env {
		tok, err := Token(&directory.Account{ID: "gdl", TokenEnv: name}, func(k string) string { return env[k] })
		if want := name == "VIGIA_TOKEN_OBRAS"; (err == nil) != want {
			t.Errorf("token_env %s: %q, %v; want allowed %v", name, tok, err, want)
		}
		if err != nil && strings.Contains(err.Error(), env[name]) {
			t.Errorf("token_env %s: the error prints the value: %v", name, err)
		}
	}
}
