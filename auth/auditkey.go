package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigia-mx/vigia/internal/durable"
)

// An audit key is 32 bytes or more, written as hex (VIGIA_AUDIT_KEY, or
// the key file). It is kept apart from the log: whoever can write the log
// but not read the key cannot forge a line's MAC, so cannot drop lines and
// rewrite the chain after them unnoticed.
const minAuditKey = 32

// ParseAuditKey reads a key written as hex: at least 64 hex digits.
func ParseAuditKey(s string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) < minAuditKey {
		return nil, fmt.Errorf("audit key: expected at least %d hex digits (e.g. openssl rand -hex 32)", 2*minAuditKey)
	}
	return key, nil
}

// AuditKeyFile reads the audit key kept in the file at path. When the file
// is missing and create is set, it makes one: 32 random bytes, hex, mode
// 0600, written whole before it appears (two processes starting at once
// read the same key). Without create a missing file is fs.ErrNotExist.
func AuditKeyFile(path string, create bool) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		err = newKeyFile(path)
		if err == nil || errors.Is(err, fs.ErrExist) {
			data, err = os.ReadFile(path)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	key, err := ParseAuditKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}

// newKeyFile writes a new random key to path, which must not exist: a
// temporary file in the same folder, fsynced, then linked to path (which
// fails when another process made it first).
func newKeyFile(path string) error {
	key := make([]byte, minAuditKey)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	}
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return err
	}
	if err := os.Link(f.Name(), path); err != nil {
		return err
	}
	return durable.SyncDir(dir)
}

// macField is how a signed line ends: ,"mac":"<64 hex digits>"}.
const macField = `,"mac":"`

// sign adds to line (a JSON object without a MAC) its MAC under key, as
// the last field.
func sign(key, line []byte) []byte {
	out := bytes.Clone(line[:len(line)-1])
	out = append(out, macField...)
	out = append(out, mac(key, line)...)
	return append(out, `"}`...)
}

// mac is the hex HMAC-SHA256 of line under key.
func mac(key, line []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write(line)
	return hex.EncodeToString(m.Sum(nil))
}

// verifyMAC reports whether line ends in the MAC under key of the line
// without it.
func verifyMAC(key, line []byte) bool {
	tail := len(macField) + 2*sha256.Size + len(`"}`)
	if len(line) < tail+1 {
		return false
	}
	end := line[len(line)-tail:]
	if !bytes.HasPrefix(end, []byte(macField)) || !bytes.HasSuffix(end, []byte(`"}`)) {
		return false
	}
	unsigned := append(bytes.Clone(line[:len(line)-tail]), '}')
	want := mac(key, unsigned)
	return hmac.Equal([]byte(want), end[len(macField):len(macField)+2*sha256.Size])
}
