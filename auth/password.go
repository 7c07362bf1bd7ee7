package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argonParams are the cost of argon2id. Hashes keep their own parameters
// (in the PHC string), so raising the defaults never locks anyone out.
type argonParams struct {
	time    uint32 // passes
	memory  uint32 // KiB
	threads uint8
	keyLen  uint32
}

// defaultParams is the second recommended option of RFC 9106 (section 4):
// t=3, m=64 MiB, p=4, 256-bit tag.
var defaultParams = argonParams{time: 3, memory: 64 * 1024, threads: 4, keyLen: 32}

const (
	saltLen = 16
	// maxMemory bounds what a hash read from the users file may ask for
	// (1 GiB), so a damaged file cannot exhaust memory at login.
	maxMemory   = 1 << 20
	minPassword = 12
	maxPassword = 1024
)

var b64 = base64.RawStdEncoding

// hashPassword hashes password with a new random salt and encodes it as a
// PHC string: $argon2id$v=19$m=65536,t=3,p=4$SALT$HASH (unpadded base64).
func hashPassword(password []byte, p argonParams) string {
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails (crypto/rand, Go 1.24+)
	key := argon2.IDKey(password, salt, p.time, p.memory, p.threads, p.keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// phc is a parsed argon2id PHC string.
type phc struct {
	params argonParams
	salt   []byte
	key    []byte
}

// parsePHC parses an argon2id PHC string as hashPassword writes it. The
// parameters must appear in the order m, t, p (as the PHC format requires).
func parsePHC(s string) (phc, error) {
	bad := func(why string) (phc, error) {
		return phc{}, fmt.Errorf("parse password hash: %s", why)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return bad(fmt.Sprintf("algorithm %q is not argon2id", parts[1]))
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad(fmt.Sprintf("version %q is not v=%d", parts[2], argon2.Version))
	}
	var h phc
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return bad(fmt.Sprintf("parameters %q are not m=,t=,p=", parts[3]))
	}
	for i, want := range []string{"m", "t", "p"} {
		k, v, ok := strings.Cut(kv[i], "=")
		if !ok || k != want {
			return bad(fmt.Sprintf("parameters %q are not m=,t=,p=", parts[3]))
		}
		bits := 32
		if k == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(v, 10, bits)
		if err != nil || n == 0 || (len(v) > 1 && v[0] == '0') {
			return bad(fmt.Sprintf("parameter %s=%q", k, v))
		}
		switch k {
		case "m":
			h.params.memory = uint32(n)
		case "t":
			h.params.time = uint32(n)
		case "p":
			h.params.threads = uint8(n)
		}
	}
	if h.params.memory < 8*uint32(h.params.threads) || h.params.memory > maxMemory {
		return bad(fmt.Sprintf("memory m=%d out of range", h.params.memory))
	}
	var err error
	if h.salt, err = b64.Strict().DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return bad("salt is not base64 of at least 8 bytes")
	}
	if h.key, err = b64.Strict().DecodeString(parts[5]); err != nil || len(h.key) < 16 {
		return bad("hash is not base64 of at least 16 bytes")
	}
	h.params.keyLen = uint32(len(h.key))
	return h, nil
}

// verify reports whether password hashes to h, comparing in constant time.
func (h phc) verify(password []byte) bool {
	key := argon2.IDKey(password, h.salt, h.params.time, h.params.memory, h.params.threads, h.params.keyLen)
	return subtle.ConstantTimeCompare(key, h.key) == 1
}

// checkPassword enforces the length rules on a new password.
func checkPassword(password []byte) error {
	if len(password) < minPassword || len(password) > maxPassword {
		return ErrPassword
	}
	return nil
}
