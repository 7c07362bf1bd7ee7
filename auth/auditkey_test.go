package auth

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestAuditKeyFile: the key file is made on first use, mode 0600, and
// every process starting at once reads the one key made.
func TestAuditKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.key")
	if _, err := AuditKeyFile(path, false); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a missing key without create: %v", err)
	}
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			var err error
			if keys[i], err = AuditKeyFile(path, true); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i, k := range keys {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("key %d: %x, want the one key of 32 bytes (%x)", i, k, keys[0])
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v; want mode 0600", fi.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if k, err := AuditKeyFile(path, false); err != nil || !bytes.Equal(k, keys[0]) {
		t.Errorf("read again: %x, %v", k, err)
	}
	if err := os.WriteFile(path, []byte("abcd\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := AuditKeyFile(path, true); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a short key: %v; want an error naming the file", err)
	}
	for _, bad := range []string{"", "zz" + strings.Repeat("0", 62), strings.Repeat("0", 62)} {
		if _, err := ParseAuditKey(bad); err == nil {
			t.Errorf("ParseAuditKey(%q) accepted", bad)
		}
	}
	if k, err := ParseAuditKey(" " + strings.Repeat("ab", 40) + "\n"); err != nil || len(k) != 40 {
		t.Errorf("ParseAuditKey of 40 bytes: %d, %v", len(k), err)
	}
}

// TestAuditMetrics: vigia_audit_entries is the seq of the last entry,
// also of one another process appended, and lints clean.
func TestAuditMetrics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := openAudit(t, path, testKey)
	m := NewAuditMetrics(prometheus.NewRegistry(), a)
	if err := a.Record(Entry{Action: "login"}); err != nil {
		t.Fatal(err)
	}
	other := openAudit(t, path, testKey)
	for range 2 {
		if err := other.Record(Entry{Action: "search"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := testutil.ToFloat64(m); got != 3 {
		t.Errorf("vigia_audit_entries = %v, want 3", got)
	}
	problems, err := testutil.CollectAndLint(m)
	if err != nil || len(problems) != 0 {
		t.Errorf("lint: %v, %v", problems, err)
	}
	a.Close()
	if n := testutil.CollectAndCount(m); n != 0 {
		t.Errorf("a closed log gives %d samples, want none", n)
	}
}
