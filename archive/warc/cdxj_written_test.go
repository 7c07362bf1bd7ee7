package warc

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestIndexOfWhatWasWritten: the CDXJ index a Writer writes of each file it
// closes, from what it noted of the records as it wrote them, is the index
// read back from the file (IndexFile, as Recover indexes a file): responses
// of several types and statuses, a body cut short, revisits, resources and
// requests (not indexed), across rotated files.
func TestIndexOfWhatWasWritten(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir, MaxFileSize: 16 << 10})
	for i := range 12 {
		ex := exchange(i%5, 100+i*700) // the same URL again: a revisit when the body is the same
		if i%5 == 2 {
			ex.Response = []byte("HTTP/1.1 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
		}
		if i == 7 {
			ex.Body, ex.Truncated = ex.Body[:50], "length"
		}
		mustWrite(t, w, ex)
		if i%5 == 1 {
			mustWrite(t, w, exchange(i%5, 100+i*700)) // the same exchange again: a revisit
		}
	}
	if _, err := w.AppendResource(Resource{TargetURI: "urn:vigia:export:x:sha256:00:2026-12-01", Date: time.Now(),
		ContentType: "application/zip", Block: []byte("PK whole export")}); err != nil {
		t.Fatal(err)
	}
	mustClose(t, w)

	names := warcFiles(t, dir)
	if len(names) < 2 {
		t.Fatalf("%d files, want the writer to have rotated", len(names))
	}
	revisits := 0
	for _, name := range names {
		noted, err := os.ReadFile(CDXJPath(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		members, err := Members(f, fi.Size())
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var read bytes.Buffer
		if err := WriteCDXJ(&read, CDXJIndex(members, name)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(noted, read.Bytes()) {
			t.Errorf("%s: the index written from what was noted:\n%s\nthe index read back from the file:\n%s", name, noted, read.Bytes())
		}
		for _, m := range members {
			if m.Type == "revisit" {
				revisits++
			}
		}
		if len(noted) == 0 {
			t.Errorf("%s: empty index", name)
		}
	}
	if revisits == 0 {
		t.Error("no revisit was written: the test does not cover them")
	}
}
