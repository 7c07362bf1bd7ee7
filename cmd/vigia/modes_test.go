package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCrawlMakesNothingOthersCanRead crawls the sample network into a new
// archive and checks every file and folder the crawl made (the archive and
// its write-ahead log, the WARC folder and files, the spool): the owner's
// only, 0600 and 0700.
func TestCrawlMakesNothingOthersCanRead(t *testing.T) {
	_, _, dirFile, arc := liveSample(t)
	if out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks",
		"--host-rate", "0", "--once", "--progress=false"); code != 0 {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	root := filepath.Dir(arc)
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == root || path == dirFile {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		seen[filepath.Dir(rel)+"/"] = true
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", rel, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"./", "a-warc/"} {
		if !seen[want] {
			t.Errorf("the crawl made nothing in %s (made: %v)", want, seen)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "a-spool")); err != nil {
		t.Errorf("spool folder: %v", err)
	}
}
