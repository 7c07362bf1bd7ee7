// Package credential reads the office's token for an account captured
// through a platform's official API (capture: api): from the environment
// variable its token_env: names, or from the file its token_file: names,
// which only its owner may read (mode 600). The directory never holds the
// token; vigia never writes it anywhere (the evidence keeps requests with
// it redacted: crawler/redact.go) and stores no password.
package credential

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/vigia-mx/vigia/directory"
)

// Errors Token reports; match them with errors.Is.
var (
	ErrNoToken      = errors.New("no token")
	ErrLooseFile    = errors.New("token file readable by others")
	ErrMalformToken = errors.New("malformed token")
)

// maxToken bounds a token file: Graph API and X API tokens are a few
// hundred bytes.
const maxToken = 8 << 10

// Token returns the token of acct, read through getenv (os.Getenv) or from
// its file. An error names the account and where the token was looked for,
// never the token.
func Token(acct *directory.Account, getenv func(string) string) (string, error) {
	var tok, where string
	switch {
	case acct.TokenEnv != "":
		where = "environment variable " + acct.TokenEnv
		if !strings.HasPrefix(acct.TokenEnv, "VIGIA_") || !strings.Contains(acct.TokenEnv, "TOKEN") {
			// The directory is edited from the web: it must not be able to
			// send another of the process's secrets (VIGIA_AUDIT_KEY, a
			// database password) to an API as if it were a token.
			return "", fmt.Errorf("account %q: %w: token_env: %s is not a token's variable: name one that starts with VIGIA_ and holds TOKEN, such as VIGIA_TOKEN_OBRAS", acct.ID, ErrNoToken, acct.TokenEnv)
		}
		tok = getenv(acct.TokenEnv)
		if tok == "" {
			return "", fmt.Errorf("account %q: %w: the %s is not set or empty", acct.ID, ErrNoToken, where)
		}
	case acct.TokenPath != "":
		where = "token file " + acct.TokenPath
		b, err := readFile(acct.TokenPath)
		if err != nil {
			return "", fmt.Errorf("account %q: %w", acct.ID, err)
		}
		tok = string(b)
	default:
		return "", fmt.Errorf("account %q: %w: the directory names no token_file: or token_env:", acct.ID, ErrNoToken)
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", fmt.Errorf("account %q: %w: the %s is empty", acct.ID, ErrNoToken, where)
	}
	for _, r := range tok {
		if r <= ' ' || r > '~' { // a token is printable ASCII; anything else would change the request's header
			return "", fmt.Errorf("account %q: %w: the %s holds spaces, line breaks or characters other than printable ASCII", acct.ID, ErrMalformToken, where)
		}
	}
	return tok, nil
}

// Endpoint returns the base URL an account's API requests go to, with the
// office's token: def, the platform's API, or the account's endpoint:
// when its host is def's or one of hosts, over https, or a server on this
// machine (loopback: a test's, the demo's). The directory is edited from
// the web, so an endpoint: elsewhere would hand the token to whoever
// wrote it; it is refused, naming the hosts the token may go to.
func Endpoint(acct *directory.Account, def string, hosts ...string) (*url.URL, error) {
	base := strings.TrimRight(acct.Endpoint, "/")
	if base == "" {
		base = def
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("account %q: endpoint %q is not a URL", acct.ID, base)
	}
	d, _ := url.Parse(def)
	official := append([]string{d.Hostname()}, hosts...)
	host := strings.ToLower(u.Hostname())
	ip := net.ParseIP(host)
	switch {
	case host == "localhost" || ip != nil && ip.IsLoopback():
		return u, nil
	case slices.Contains(official, host) && u.Scheme == "https" && (u.Port() == "" || u.Port() == "443"):
		return u, nil
	}
	return nil, fmt.Errorf("account %q: endpoint %q: the office's token is sent only to %s over https (or to a server on this machine, for tests): remove endpoint: from the account", acct.ID, base, strings.Join(official, " or "))
}

// readFile reads a token file that only its owner may read or write.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("token file %s: not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o, so others on this machine may read the office's token; make it the owner's only (chmod 600 %s) and, since others could read it, ask the platform for a new token", ErrLooseFile, path, perm, path)
	}
	if fi.Size() > maxToken {
		return nil, fmt.Errorf("token file %s: %d bytes, more than a token (%d at most)", path, fi.Size(), maxToken)
	}
	b := make([]byte, fi.Size())
	if _, err := f.ReadAt(b, 0); err != nil && fi.Size() > 0 {
		return nil, fmt.Errorf("read token file %s: %w", path, err)
	}
	return b, nil
}
