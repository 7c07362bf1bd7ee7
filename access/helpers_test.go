package access_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the report's dates are in America/Mexico_City on any machine

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
)

var (
	now      = time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC) // 12:00 in Mexico City
	received = time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)
	deadline = time.Date(2026, 12, 11, 23, 0, 0, 0, time.UTC) // still the 11th in Mexico City
)

func request() access.Request {
	return access.Request{
		Folio:       "140285725000123",
		Received:    received,
		Scope:       "Solicito las publicaciones de la Dirección de Obras Públicas sobre baches y repavimentación.",
		Searched:    "cuentas: obras-gdl, regidora-lopez; desde 2026-11-01; texto: bache",
		Deadline:    deadline,
		DaysAllowed: 15,
		Subject:     "Ayuntamiento de Ejemplo",
		PreparedBy:  "mgarcia",
	}
}

// status is a post as a Mastodon-like network serves it.
type status struct {
	ID      string `json:"id"`
	Content string `json:"content"`
}

// page is the body of a response listing posts, as the network serves it:
// each text as an HTML paragraph, lines joined by <br>.
func page(texts ...string) []byte {
	var ss []status
	for i, t := range texts {
		ss = append(ss, status{ID: fmt.Sprint(i + 1), Content: "<p>" + strings.ReplaceAll(t, "\n", "<br>") + "</p>"})
	}
	b, _ := json.Marshal(ss)
	return b
}

// evidence writes HTTP exchanges to WARC files in a folder of their own.
type evidence struct {
	t   *testing.T
	dir string
	w   *warc.Writer
}

// newEvidence starts a WARC folder; oneFilePerExchange rotates after each.
func newEvidence(t *testing.T, oneFilePerExchange bool) *evidence {
	t.Helper()
	opts := warc.Options{Dir: t.TempDir(), Software: "vigia test"}
	if oneFilePerExchange {
		opts.MaxFileSize = 1
	}
	w, err := warc.NewWriter(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return &evidence{t: t, dir: opts.Dir, w: w}
}

// add keeps a GET of uri answered with body, gzipped on the wire when gz.
func (e *evidence) add(uri string, body []byte, gz bool) archive.WARCRef {
	e.t.Helper()
	head := "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
	if gz {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(body)
		zw.Close()
		body = b.Bytes()
		head += "Content-Encoding: gzip\r\n"
	}
	ref, err := e.w.Write(&warc.Exchange{
		TargetURI: uri,
		Date:      now.Add(-48 * time.Hour),
		Request:   []byte("GET " + strings.TrimPrefix(uri, "https://social.example") + " HTTP/1.1\r\nHost: social.example\r\nUser-Agent: vigia\r\n\r\n"),
		Response:  fmt.Appendf(nil, "%sContent-Length: %d\r\n\r\n", head, len(body)),
		Body:      body,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return archive.WARCRef{File: ref.File, RecordID: ref.RecordID, Offset: ref.Offset, Digest: ref.BlockDigest}
}

func (e *evidence) close() {
	e.t.Helper()
	if err := e.w.Close(); err != nil {
		e.t.Fatal(err)
	}
}

// hit makes a post of account with its decision and evidence.
func hit(account, id string, label archive.Label, text string, ref archive.WARCRef) archive.Hit {
	published := time.Date(2026, 11, 18, 15, 4, 0, 0, time.UTC)
	h := archive.Hit{
		Post: archive.Post{
			Network: archive.Mastodon, AccountID: account, PostID: id,
			URL: "https://social.example/@" + account + "/" + id, Author: "@" + account,
			PublishedAt: published, CapturedAt: published.Add(time.Hour), Text: text, Language: "es", WARC: ref,
		},
		Decision: archive.Decision{Network: archive.Mastodon, AccountID: account, PostID: id, Label: label,
			Confidence: 0.9, Basis: "Sexta", Rationale: "Decisión de prueba.", DecidedBy: "rule"},
		Versions: 1,
	}
	h.ContentSHA256 = h.ContentHash()
	h.Decision.ContentSHA256 = h.ContentSHA256
	return h
}

// redact masks e-mail addresses, telephone numbers and mentions.
func redact(h *archive.Hit) (string, []access.Redaction) {
	const basis = "Artículo 115 de la Ley General de Transparencia y Acceso a la Información Pública"
	kinds := []struct {
		kind string
		re   *regexp.Regexp
	}{
		{"correo", regexp.MustCompile(`[\w.+-]+@[\w-]+(\.[\w-]+)+`)},
		{"teléfono", regexp.MustCompile(`\b\d{2} \d{4} \d{4}\b`)},
		{"mención", regexp.MustCompile(`\B@\w+`)},
	}
	var marks []access.Redaction
	for _, k := range kinds {
		for _, m := range k.re.FindAllStringIndex(h.Text, -1) {
			marks = append(marks, access.Redaction{Kind: k.kind, Start: m[0], End: m[1], Basis: basis})
		}
	}
	slices.SortFunc(marks, func(a, b access.Redaction) int { return a.Start - b.Start })
	var b strings.Builder
	at := 0
	for _, m := range marks {
		b.WriteString(h.Text[at:m.Start])
		b.WriteString("[" + m.Kind + " testado]")
		at = m.End
	}
	b.WriteString(h.Text[at:])
	return b.String(), marks
}

func build(t *testing.T, req access.Request, hits []archive.Hit, opt access.Options) *access.Package {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return now }
	}
	dir := filepath.Join(t.TempDir(), "solicitud-"+req.Folio)
	pkg, err := access.Build(t.Context(), req, hits, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// warcRecord is a WARC record read back with the standard library alone.
type warcRecord struct {
	typ, id, target string
	warcinfo        string // WARC-Warcinfo-ID
	block           []byte
}

// readWARC reads every gzip member of a .warc.gz, one record each.
func readWARC(t *testing.T, data []byte) []warcRecord {
	t.Helper()
	br := bufio.NewReader(bytes.NewReader(data))
	var recs []warcRecord
	for {
		if _, err := br.Peek(1); errors.Is(err, io.EOF) {
			return recs
		}
		zr, err := gzip.NewReader(br)
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		head, rest, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		r := warcRecord{block: bytes.TrimSuffix(rest, []byte("\r\n\r\n"))}
		for l := range strings.SplitSeq(string(head), "\r\n") {
			k, v, _ := strings.Cut(l, ": ")
			switch k {
			case "WARC-Type":
				r.typ = v
			case "WARC-Record-ID":
				r.id = v
			case "WARC-Target-URI":
				r.target = v
			case "WARC-Warcinfo-ID":
				r.warcinfo = v
			}
		}
		recs = append(recs, r)
	}
}

// firstMember returns the length of the first gzip member of data.
func firstMember(t *testing.T, data []byte) int64 {
	t.Helper()
	r := bytes.NewReader(data)
	br := bufio.NewReader(r)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	if _, err := io.Copy(io.Discard, zr); err != nil {
		t.Fatal(err)
	}
	return int64(len(data) - r.Len() - br.Buffered())
}

// plain is what a file says once every layer of compression is undone: for
// a .warc.gz, its records with their HTTP bodies decoded.
func plain(t *testing.T, name string, data []byte) string {
	t.Helper()
	if !strings.HasSuffix(name, ".warc.gz") {
		return string(data)
	}
	var b strings.Builder
	for _, r := range readWARC(t, data) {
		head, body, _ := bytes.Cut(r.block, []byte("\r\n\r\n"))
		b.Write(head)
		if bytes.Contains(head, []byte("Content-Encoding: gzip")) {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		b.Write(body)
	}
	return b.String()
}

// contents returns what every file of the package says, by name: the files
// of the folder, and the entries of the zip as "zip:NAME". It checks that
// the zip holds exactly the folder, under its base name.
func contents(t *testing.T, pkg *access.Package) map[string]string {
	t.Helper()
	out := map[string]string{}
	disk := map[string][]byte{}
	err := filepath.WalkDir(pkg.Dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		name, _ := filepath.Rel(pkg.Dir, path) // publicaciones/NAME.html: the pages of the versions delivered
		name = filepath.ToSlash(name)
		disk[name] = readFile(t, path)
		out[name] = plain(t, name, disk[name])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(pkg.Zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	base := filepath.Base(pkg.Dir) + "/"
	var names []string
	for _, f := range zr.File {
		if f.Name == base {
			continue
		}
		name, ok := strings.CutPrefix(f.Name, base)
		if !ok {
			t.Errorf("zip entry %q is not under %q", f.Name, base)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, disk[name]) {
			t.Errorf("zip entry %q differs from the file in the folder", f.Name)
		}
		names = append(names, name)
		out["zip:"+name] = plain(t, name, data)
	}
	slices.Sort(names)
	if want := slices.Sorted(maps.Keys(disk)); !slices.Equal(names, want) {
		t.Errorf("zip holds %q, folder %q", names, want)
	}
	return out
}

// nowhere fails for each secret that some file of the package holds.
func nowhere(t *testing.T, files map[string]string, secrets ...string) {
	t.Helper()
	for name, text := range files {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s holds %q", name, s)
			}
		}
	}
}

// testVisibility is the default policy's publication rule.
var testVisibility = archive.Visibility{Threshold: 0.75}
