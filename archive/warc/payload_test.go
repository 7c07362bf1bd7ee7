package warc

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"path/filepath"
	"testing"
)

func TestReadPayload(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 3000)...)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(png)
	_ = zw.Close()
	plain := &Exchange{TargetURI: "https://cdn.example/a.png", Date: t0,
		Request:  []byte("GET /a.png HTTP/1.1\r\nHost: cdn.example\r\n\r\n"),
		Response: fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n", len(png)), Body: png}
	zipped := &Exchange{TargetURI: "https://cdn.example/b.png", Date: t0,
		Request:  []byte("GET /b.png HTTP/1.1\r\nHost: cdn.example\r\n\r\n"),
		Response: fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", gz.Len()), Body: gz.Bytes()}
	a, b := mustWrite(t, w, plain), mustWrite(t, w, zipped)
	for _, ref := range []Ref{a, b} {
		p, err := ReadPayload(dir, ref.File, ref.Offset, ref.RecordID, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p.Body, png) || p.Status != 200 || p.Header.Get("Content-Type") != "image/png" {
			t.Errorf("%s: %d %q, %d bytes", p.TargetURI, p.Status, p.Header.Get("Content-Type"), len(p.Body))
		}
	}
	mustClose(t, w)
	if _, err := ReadPayload(dir, a.File, a.Offset, b.RecordID, 1<<20); err == nil {
		t.Error("a record read at another's offset")
	}
	if _, err := ReadPayload(dir, a.File, a.Offset, a.RecordID, 100); err == nil {
		t.Error("a body over the cap was read")
	}
	for _, name := range []string{"../" + a.File, "/etc/passwd", "", "."} {
		if _, err := ReadPayload(dir, name, 0, a.RecordID, 1<<20); err == nil {
			t.Errorf("%q: read", name)
		}
	}
	if _, err := ReadPayload(dir, a.File, 0, a.RecordID, 1<<20); err == nil {
		t.Error("the warcinfo record read as the response")
	}
}

// A revisit is read as the response it refers to, in this run or an
// earlier one.
func TestReadPayloadOfRevisit(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	ex := exchange(1, 4000)
	first := mustWrite(t, w, ex)
	again := mustWrite(t, w, ex)
	mustClose(t, w)
	w = newWriter(t, Options{Dir: dir})
	mustWrite(t, w, exchange(2, 10))
	later := mustWrite(t, w, ex)
	mustClose(t, w)
	for _, ref := range []Ref{again, later} {
		if typ := readRecord(t, filepath.Join(dir, ref.File), ref.Offset).get("WARC-Type"); typ != "revisit" {
			t.Fatalf("%s is a %s record, want a revisit", ref.RecordID, typ)
		}
	}
	for _, ref := range []Ref{first, again, later} {
		p, err := ReadPayload(dir, ref.File, ref.Offset, ref.RecordID, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p.Body, ex.Body) || p.Status != 200 {
			t.Errorf("%s: %d, %d bytes", ref.RecordID, p.Status, len(p.Body))
		}
	}
}
