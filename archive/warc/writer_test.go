package warc

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 27, 18, 53, 0, 123456789, time.FixedZone("CST", -6*3600))

// exchange makes the i-th test exchange with a body of n random bytes.
func exchange(i, n int) *Exchange {
	body := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(i), byte(i >> 8)})
	_, _ = r.Read(body)
	return &Exchange{
		TargetURI: fmt.Sprintf("https://social.example/@obras/%d", i),
		Date:      t0.Add(time.Duration(i) * time.Second),
		Request:   fmt.Appendf(nil, "GET /@obras/%d HTTP/1.1\r\nHost: social.example\r\nUser-Agent: vigia\r\n\r\n", i),
		Response:  fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", n),
		Body:      body,
	}
}

func sha(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func newWriter(t testing.TB, opts Options) *Writer {
	t.Helper()
	w, err := NewWriter(opts)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustWrite(t testing.TB, w *Writer, ex *Exchange) Ref {
	t.Helper()
	ref, err := w.Write(ex)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func mustClose(t testing.TB, w *Writer) {
	t.Helper()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func verify(t *testing.T, dir string) (*Index, []Problem) {
	t.Helper()
	ix, problems, err := Verify(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ix, problems
}

// record is one WARC record as read back with the standard library alone.
type record struct {
	header map[string][]string
	block  []byte
}

func (r record) get(name string) string {
	if v := r.header[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// readRecord decompresses the gzip member at offset of file and parses the
// WARC record in it.
func readRecord(t *testing.T, file string, offset int64) record {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("gzip member at %d: %v", offset, err)
	}
	zr.Multistream(false)
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip member at %d: %v", offset, err)
	}
	head, rest, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok || !bytes.HasSuffix(rest, []byte("\r\n\r\n")) {
		t.Fatalf("record at %d is not framed: %q", offset, raw)
	}
	lines := strings.Split(string(head), "\r\n")
	if lines[0] != "WARC/1.1" {
		t.Fatalf("record at %d starts with %q, want WARC/1.1", offset, lines[0])
	}
	r := record{header: map[string][]string{}, block: rest[:len(rest)-4]}
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, ": ")
		r.header[k] = append(r.header[k], v)
	}
	return r
}

// warcFiles lists the names in dir, failing on any that is not a closed
// WARC file.
func warcFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && e.Name() == CDXJDir {
			continue // the CDXJ index of each file closed
		}
		if !strings.HasSuffix(e.Name(), ".warc.gz") {
			t.Errorf("unexpected file %q in %s", e.Name(), dir)
		}
		names = append(names, e.Name())
	}
	return names
}

func TestWriteVerifyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir, Software: "vigia test"})
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"id":"1","content":"<p>Aviso de obras</p>"}`))
	_ = zw.Close()
	exs := []*Exchange{exchange(1, 1000), exchange(2, 5000), exchange(3, 0), {
		TargetURI: "https://social.example/api/v1/statuses/1",
		Date:      t0,
		IP:        "203.0.113.7",
		Request:   []byte("GET /api/v1/statuses/1 HTTP/1.1\r\nHost: social.example\r\nAccept-Encoding: gzip\r\n\r\n"),
		Response:  []byte("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\n\r\n"),
		Body:      gz.Bytes()[:gz.Len()-3],
		Truncated: "length",
	}}
	refs := make([]Ref, len(exs))
	for i, ex := range exs {
		refs[i] = mustWrite(t, w, ex)
	}
	mustClose(t, w)

	names := warcFiles(t, dir)
	if len(names) != 1 || !regexp.MustCompile(`^vigia-\d{14}-00001-[0-9a-f]{6}\.warc\.gz$`).MatchString(names[0]) {
		t.Fatalf("files = %q, want one vigia-<time>-00001-<hex>.warc.gz", names)
	}
	name := names[0]
	path := filepath.Join(dir, name)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.BytesWritten(); got != fi.Size() {
		t.Errorf("BytesWritten = %d, want the file's size %d", got, fi.Size())
	}

	var seen []string
	ix, problems, err := Verify(context.Background(), dir, func(f string) { seen = append(seen, f) })
	if err != nil || len(problems) > 0 {
		t.Fatalf("Verify = %v, %v; want no problems", problems, err)
	}
	if !slices.Equal(seen, []string{name}) {
		t.Errorf("progress saw %q, want %q", seen, name)
	}
	if ix.Files != 1 || ix.Records != 1+2*len(exs) || ix.Bytes != fi.Size() {
		t.Errorf("index counts files %d records %d bytes %d, want 1, %d, %d", ix.Files, ix.Records, ix.Bytes, 1+2*len(exs), fi.Size())
	}

	info := readRecord(t, path, 0)
	if info.get("WARC-Type") != "warcinfo" || info.get("WARC-Filename") != name ||
		!bytes.Contains(info.block, []byte("software: vigia test\r\n")) {
		t.Errorf("first record = %v %q, want the warcinfo of %s naming the software", info.header, info.block, name)
	}

	for i, ex := range exs {
		ref := refs[i]
		want := Ref{File: name, RecordID: ref.RecordID, Offset: ref.Offset,
			BlockDigest: sha(ex.Response, ex.Body), PayloadDigest: sha(ex.Body)}
		if ref != want || !strings.HasPrefix(ref.RecordID, "<urn:uuid:") {
			t.Errorf("exchange %d: ref = %+v, want %+v", i, ref, want)
		}
		if got, ok := ix.Lookup(ref.RecordID); !ok || got != ref {
			t.Errorf("exchange %d: Lookup = %+v, %v; want %+v", i, got, ok, ref)
		}
		if err := ix.CheckRef(ref); err != nil {
			t.Errorf("exchange %d: CheckRef: %v", i, err)
		}

		resp := readRecord(t, path, ref.Offset)
		wantHeader := map[string]string{
			"WARC-Type":           "response",
			"WARC-Record-ID":      ref.RecordID,
			"WARC-Target-URI":     ex.TargetURI,
			"WARC-Date":           ex.Date.UTC().Format(time.RFC3339Nano),
			"Content-Type":        "application/http;msgtype=response",
			"Content-Length":      fmt.Sprint(len(ex.Response) + len(ex.Body)),
			"WARC-Block-Digest":   want.BlockDigest,
			"WARC-Payload-Digest": want.PayloadDigest,
			"WARC-IP-Address":     ex.IP,
			"WARC-Truncated":      ex.Truncated,
			"WARC-Warcinfo-ID":    info.get("WARC-Record-ID"),
		}
		for k, v := range wantHeader {
			if got := resp.get(k); got != v {
				t.Errorf("exchange %d: response %s = %q, want %q", i, k, got, v)
			}
		}
		if !bytes.Equal(resp.block, append(slices.Clip(ex.Response), ex.Body...)) {
			t.Errorf("exchange %d: response block is not the head and body as received", i)
		}

		reqID := resp.get("WARC-Concurrent-To")
		reqRef, ok := ix.Lookup(reqID)
		if !ok || reqRef.File != name {
			t.Fatalf("exchange %d: request %q not found in %s", i, reqID, name)
		}
		req := readRecord(t, path, reqRef.Offset)
		if req.get("WARC-Type") != "request" || req.get("WARC-Concurrent-To") != ref.RecordID ||
			req.get("Content-Type") != "application/http;msgtype=request" || req.get("WARC-Target-URI") != ex.TargetURI ||
			!bytes.Equal(req.block, ex.Request) || reqRef.BlockDigest != sha(ex.Request) {
			t.Errorf("exchange %d: request record = %v %q, want the request as sent, linked to %s", i, req.header, req.block, ref.RecordID)
		}
	}
}

// TestLargeRecord writes a body larger than the buffer gowarc keeps in
// memory when it reads a record back (1 MiB): the rest goes through a
// temporary file, and the digests must hold all the same.
func TestLargeRecord(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	ex := exchange(1, 3<<20)
	ref := mustWrite(t, w, ex)
	mustClose(t, w)
	ix, problems := verify(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if ref.PayloadDigest != sha(ex.Body) {
		t.Errorf("payload digest %s, want %s", ref.PayloadDigest, sha(ex.Body))
	}
	if err := ix.CheckRef(ref); err != nil {
		t.Error(err)
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	const max = 8 << 10
	w := newWriter(t, Options{Dir: dir, Prefix: "rot", MaxFileSize: max})
	var refs []Ref
	for i := range 20 {
		refs = append(refs, mustWrite(t, w, exchange(i, 3000)))
	}
	mustClose(t, w)

	names := warcFiles(t, dir)
	if len(names) < 5 {
		t.Fatalf("%d files, want at least 5 for 20 incompressible 3 KB bodies in 8 KiB files", len(names))
	}
	ix, problems := verify(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if ix.Files != len(names) {
		t.Errorf("index has %d files, want %d", ix.Files, len(names))
	}
	var total int64
	for i, name := range names {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
		if i < len(names)-1 && fi.Size() < max {
			t.Errorf("%s: %d bytes: rotated before passing %d", name, fi.Size(), max)
		}
		if info := readRecord(t, filepath.Join(dir, name), 0); info.get("WARC-Type") != "warcinfo" || info.get("WARC-Filename") != name {
			t.Errorf("%s does not start with its warcinfo record: %v", name, info.header)
		}
	}
	if w.BytesWritten() != total {
		t.Errorf("BytesWritten = %d, want the files' %d", w.BytesWritten(), total)
	}
	for i, ref := range refs {
		if err := ix.CheckRef(ref); err != nil {
			t.Errorf("exchange %d: %v", i, err)
		}
		resp := readRecord(t, filepath.Join(dir, ref.File), ref.Offset)
		req, ok := ix.Lookup(resp.get("WARC-Concurrent-To"))
		if !ok || req.File != ref.File {
			t.Errorf("exchange %d: request in %q, response in %q: an exchange must not straddle files", i, req.File, ref.File)
		}
		if req.Offset >= max {
			t.Errorf("exchange %d: written at offset %d of %s, after the file passed %d", i, req.Offset, ref.File, max)
		}
	}
}

func TestConcurrentWrites(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir, MaxFileSize: 16 << 10})
	const writers, each = 8, 20
	var (
		mu   sync.Mutex
		refs []Ref
		wg   sync.WaitGroup
	)
	for g := range writers {
		wg.Go(func() {
			for i := range each {
				ref, err := w.Write(exchange(g*each+i, 1000))
				if err != nil {
					t.Error(err)
					return
				}
				_ = w.BytesWritten()
				mu.Lock()
				refs = append(refs, ref)
				mu.Unlock()
			}
		})
	}
	// A verification may run while the writer works: it reads closed files only.
	wg.Go(func() {
		if _, problems, err := Verify(context.Background(), dir, nil); err != nil || len(problems) > 0 {
			t.Errorf("Verify during writes = %v, %v", problems, err)
		}
	})
	wg.Wait()
	mustClose(t, w)

	names := warcFiles(t, dir)
	ix, problems := verify(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if len(refs) != writers*each || ix.Records != len(names)+2*writers*each {
		t.Fatalf("%d refs and %d records in %d files, want %d refs and %d records", len(refs), ix.Records, len(names), writers*each, len(names)+2*writers*each)
	}
	ids := map[string]bool{}
	for _, ref := range refs {
		if ids[ref.RecordID] {
			t.Errorf("record ID %s returned twice", ref.RecordID)
		}
		ids[ref.RecordID] = true
		if err := ix.CheckRef(ref); err != nil {
			t.Error(err)
		}
	}
}

func TestWriteRejects(t *testing.T) {
	ok := exchange(1, 10)
	for _, tc := range []struct {
		name string
		edit func(ex *Exchange)
	}{
		{"no target", func(ex *Exchange) { ex.TargetURI = "" }},
		{"no date", func(ex *Exchange) { ex.Date = time.Time{} }},
		{"no request", func(ex *Exchange) { ex.Request = nil }},
		{"response head without its empty line", func(ex *Exchange) { ex.Response = []byte("HTTP/1.1 200 OK\r\nA: b\r\n") }},
		{"response head with body bytes", func(ex *Exchange) { ex.Response = append(slices.Clip(ex.Response), "x"...) }},
		{"empty line inside the head", func(ex *Exchange) { ex.Response = []byte("HTTP/1.1 200 OK\r\n\r\nA: b\r\n\r\n") }},
		{"unknown truncation", func(ex *Exchange) { ex.Truncated = "tired" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWriter(t, Options{Dir: t.TempDir()})
			defer mustClose(t, w)
			ex := *ok
			tc.edit(&ex)
			if _, err := w.Write(&ex); !errors.Is(err, ErrBadExchange) {
				t.Errorf("Write = %v, want ErrBadExchange", err)
			}
			if w.BytesWritten() != 0 {
				t.Errorf("a rejected exchange wrote %d bytes", w.BytesWritten())
			}
		})
	}

	w := newWriter(t, Options{Dir: t.TempDir()})
	mustClose(t, w)
	if _, err := w.Write(ok); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}

	for _, opts := range []Options{{}, {Dir: t.TempDir(), Prefix: "a/b"}, {Dir: t.TempDir(), MaxFileSize: -1}} {
		if _, err := NewWriter(opts); err == nil {
			t.Errorf("NewWriter(%+v) accepted", opts)
		}
	}
}

func TestNewWriterOpensNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "warc", "2026")
	w := newWriter(t, Options{Dir: dir})
	mustClose(t, w)
	if names := warcFiles(t, dir); len(names) != 0 {
		t.Errorf("a writer that wrote nothing left %q", names)
	}
}

func TestAppendThenSync(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	var refs []Ref
	for i := range 5 {
		ref, err := w.Append(exchange(i, 2048))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if w.durable.Load() < 5 {
		t.Errorf("after Sync, %d of 5 writes are durable", w.durable.Load())
	}
	mustClose(t, w)
	ix, problems := verify(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	for _, r := range refs {
		if err := ix.CheckRef(r); err != nil {
			t.Errorf("appended record: %v", err)
		}
	}
}

// TestRecoverRenamesOnlyOrphans: a file a Writer holds stays open; once its
// writer is gone (its lock released, as when its process dies), Recover
// gives it its final name and its records verify.
func TestRecoverRenamesOnlyOrphans(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	ref := mustWrite(t, w, exchange(1, 4096))
	if got, err := Recover(dir); err != nil || len(got) != 0 {
		t.Fatalf("Recover while a Writer writes = %v, %v; want nothing renamed", got, err)
	}
	// What a kill -9 leaves: the file still ".open", no process holding it.
	w.mu.Lock()
	w.lock.Close()
	w.lock, w.files = nil, nil
	w.mu.Unlock()
	// ... and a record the crash cut short at its end.
	open := filepath.Join(dir, ref.File+openSuffix)
	f, err := os.OpenFile(open, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	torn := append([]byte{}, gzipHeader[:]...)
	torn = append(torn, "cut short by the crash"...)
	if _, err := f.Write(torn); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := Recover(dir)
	if err != nil || len(got) != 1 || got[0].Name != ref.File || got[0].Torn != int64(len(torn)) {
		t.Fatalf("Recover of an orphan = %+v, %v; want [{%s %d}]", got, err, ref.File, len(torn))
	}
	if kept, err := os.ReadFile(filepath.Join(dir, ref.File+".torn")); err != nil || string(kept) != string(torn) {
		t.Errorf("the torn bytes set aside = %q, %v; want them kept", kept, err)
	}
	ix, problems := verify(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems after recovery: %v", problems)
	}
	if err := ix.CheckRef(ref); err != nil {
		t.Errorf("the record written before the crash: %v", err)
	}
}

// checkMode checks the permission bits of a file or folder.
func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
}

// Evidence holds personal content: the folder is 0700 and every file 0600,
// while written, once named for good, and after a crash's recovery.
func TestFilesAreTheOwnersOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "evidencia", "warc")
	w := newWriter(t, Options{Dir: dir})
	checkMode(t, dir, 0o700)
	checkMode(t, filepath.Dir(dir), 0o700)
	ref := mustWrite(t, w, exchange(1, 4096))
	checkMode(t, filepath.Join(dir, ref.File+openSuffix), 0o600)
	mustClose(t, w)
	checkMode(t, filepath.Join(dir, ref.File), 0o600)

	// A crash before the Writer tightened its file, and a torn record.
	w = newWriter(t, Options{Dir: dir})
	ref = mustWrite(t, w, exchange(2, 4096))
	w.mu.Lock()
	w.lock.Close()
	w.lock, w.files = nil, nil
	w.mu.Unlock()
	open := filepath.Join(dir, ref.File+openSuffix)
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(open, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(append(append([]byte{}, gzipHeader[:]...), "cut short"...))
	f.Close()
	if got, err := Recover(dir); err != nil || len(got) != 1 {
		t.Fatalf("Recover = %+v, %v; want one file", got, err)
	}
	checkMode(t, filepath.Join(dir, ref.File), 0o600)
	checkMode(t, filepath.Join(dir, ref.File+".torn"), 0o600)
}

// TestAppendResource: a resource record appended (the data export a holder
// handed in, a post's part of it made from the whole) is in the file at
// its Ref, with its digests and WARC-Concurrent-To, and Verify finds it
// intact.
func TestAppendResource(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	whole, err := w.AppendResource(Resource{TargetURI: "urn:vigia:export:x:sha256:00:2026-12-01", Date: time.Now(),
		ContentType: "application/zip", Block: []byte("PK whole export")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := w.AppendResource(Resource{TargetURI: "urn:vigia:export:x:sha256:00:2026-12-01#123", Date: time.Now(),
		ContentType: "application/json", Block: []byte(`{"tweet":{"id_str":"123"}}`), MadeFrom: whole.RecordID})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, part.File))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	got, err := ReadAt(f, st.Size(), part.Offset, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != "resource" || got.ID != part.RecordID || string(got.Block) != `{"tweet":{"id_str":"123"}}` ||
		got.BlockDigest != part.BlockDigest || len(got.ConcurrentTo) != 1 || got.ConcurrentTo[0] != whole.RecordID {
		t.Errorf("read back %s %s %q %s %v; want the resource made from %s", got.Type, got.ID, got.Block, got.BlockDigest, got.ConcurrentTo, whole.RecordID)
	}
	if _, problems, err := Verify(context.Background(), dir, nil); err != nil || len(problems) > 0 {
		t.Errorf("verify: %v %v", err, problems)
	}
}
