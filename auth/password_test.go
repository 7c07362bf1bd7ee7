package auth

import (
	"bytes"
	"regexp"
	"testing"

	"golang.org/x/crypto/argon2"
)

// testParams make argon2id cheap, so the suite stays fast.
var testParams = argonParams{time: 1, memory: 64, threads: 1, keyLen: 32}

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

// TestPHCRoundTrip: the PHC string parses back to its parameters, salt and
// key; the key is argon2id of the password; only that password verifies.
func TestPHCRoundTrip(t *testing.T) {
	password := []byte("correct horse battery staple")
	s := hashPassword(password, testParams)
	if !phcPattern.MatchString(s) {
		t.Fatalf("hash %q is not a PHC argon2id string", s)
	}
	h, err := parsePHC(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.params, testParams; got != want {
		t.Errorf("params = %+v, want %+v", got, want)
	}
	if len(h.salt) != saltLen {
		t.Errorf("salt has %d bytes, want %d", len(h.salt), saltLen)
	}
	key := argon2.IDKey(password, h.salt, 1, 64, 1, 32)
	if !bytes.Equal(key, h.key) {
		t.Error("key is not argon2id(password, salt)")
	}
	if !h.verify(password) {
		t.Error("the password does not verify")
	}
	if h.verify([]byte("correct horse battery stapl")) {
		t.Error("a wrong password verifies")
	}
	if hashPassword(password, testParams) == s {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

// TestPHCRealParams: the default parameters are RFC 9106's second
// recommendation, and a Users store uses them end to end.
func TestPHCRealParams(t *testing.T) {
	users, err := OpenUsers(t.TempDir() + "/users.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Add("ana", Archivist, []byte("correct horse battery")); err != nil {
		t.Fatal(err)
	}
	r, err := users.current("ana")
	if err != nil {
		t.Fatal(err)
	}
	m := phcPattern.FindStringSubmatch(r.Password)
	if m == nil || m[1] != "65536" || m[2] != "3" || m[3] != "4" {
		t.Fatalf("stored hash %q, want m=65536,t=3,p=4", r.Password)
	}
	if _, err := users.Login("ana", []byte("correct horse battery")); err != nil {
		t.Fatal(err)
	}
}

func TestParsePHCRejects(t *testing.T) {
	good := hashPassword([]byte("correct horse battery"), testParams)
	if _, err := parsePHC(good); err != nil {
		t.Fatal(err)
	}
	salt, key := "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	for _, s := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key,
		"$argon2id$v=19$m=4,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$AAAA$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$",
		good + "!",
	} {
		if _, err := parsePHC(s); err == nil {
			t.Errorf("parsePHC(%q) = nil error", s)
		}
	}
}
