// Package wacztest reads a WACZ file back for tests, twice: as a Go reader
// would (archive/zip, gowarc at each index line's offset), and with tools
// the project did not write, from the npm registry: yauzl opens the zip
// and checks datapackage.json, and warcio.js indexes the WARC files inside,
// whose index must be the WACZ's indexes/index.cdxj line for line.
package wacztest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/vigia-mx/vigia/archive/wacz"
	"github.com/vigia-mx/vigia/archive/warc"
)

// The npm packages the independent reader uses, pinned.
var npmPackages = []string{"warcio@2.4.11", "yauzl@3.4.0"}

// Contents is a WACZ file as Check read it.
type Contents struct {
	Dir       string              // where its entries were extracted
	Index     []warc.CDXJ         // indexes/index.cdxj
	Pages     []wacz.PageLine     // pages/pages.jsonl, header left out
	Resources []wacz.Resource     // datapackage.json's
	Package   map[string]any      // datapackage.json
	Records   map[string][]byte   // by WARC-Record-ID: the block of each indexed record
	Types     map[string]string   // by WARC-Record-ID: WARC-Type
	Headers   map[string][]string // by WARC-Record-ID: "Name: value" lines of the WARC header
}

// Check reads the WACZ at path with Go's zip reader and gowarc and fails t
// on anything against the format: a WARC file compressed in the zip, a
// resource whose size or SHA-256 is not what datapackage.json says, a
// datapackage-digest.json that does not match, an index line whose offset
// and length do not hold exactly one record with its URL, time and digest,
// a page that opens no indexed record.
func Check(t testing.TB, path string) *Contents {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer zr.Close()
	c := &Contents{Dir: t.TempDir(), Records: map[string][]byte{}, Types: map[string]string{}, Headers: map[string][]string{}}
	sums := map[string]string{}
	sizes := map[string]int64{}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, wacz.DirArchive) && f.Method != zip.Store {
			t.Errorf("%s: zip method %d, want Store", f.Name, f.Method)
		}
		if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") {
			t.Fatalf("entry name %q", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		sum := sha256.Sum256(data)
		sums[f.Name], sizes[f.Name] = "sha256:"+hex.EncodeToString(sum[:]), int64(len(data))
		dst := filepath.Join(c.Dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dp := read(t, c.Dir, wacz.PathPackage)
	if err := json.Unmarshal(dp, &c.Package); err != nil {
		t.Fatalf("datapackage.json: %v", err)
	}
	var typed struct {
		Resources []wacz.Resource `json:"resources"`
	}
	_ = json.Unmarshal(dp, &typed)
	c.Resources = typed.Resources
	if c.Package["profile"] != "data-package" || c.Package["wacz_version"] != wacz.Version {
		t.Errorf("datapackage.json: profile %v, wacz_version %v", c.Package["profile"], c.Package["wacz_version"])
	}
	listed := map[string]bool{}
	for _, r := range c.Resources {
		listed[r.Path] = true
		if sums[r.Path] != r.Hash || sizes[r.Path] != r.Bytes {
			t.Errorf("datapackage.json: %s: %s, %d bytes; the zip holds %s, %d bytes", r.Path, r.Hash, r.Bytes, sums[r.Path], sizes[r.Path])
		}
	}
	for name := range sums {
		if !listed[name] && name != wacz.PathPackage && name != wacz.PathDigest {
			t.Errorf("%s: in the zip, not in datapackage.json", name)
		}
	}
	var dg struct{ Path, Hash string }
	if err := json.Unmarshal(read(t, c.Dir, wacz.PathDigest), &dg); err != nil {
		t.Fatalf("datapackage-digest.json: %v", err)
	}
	if dg.Path != wacz.PathPackage || dg.Hash != sums[wacz.PathPackage] {
		t.Errorf("datapackage-digest.json: %+v; datapackage.json is %s", dg, sums[wacz.PathPackage])
	}

	for _, line := range lines(read(t, c.Dir, wacz.PathIndex)) {
		l, err := warc.ParseCDXJ(line)
		if err != nil {
			t.Fatal(err)
		}
		c.Index = append(c.Index, l)
		c.record(t, l)
	}
	if !slices.IsSortedFunc(c.Index, func(a, b warc.CDXJ) int { return strings.Compare(a.String(), b.String()) }) {
		t.Errorf("indexes/index.cdxj is not sorted")
	}
	pl := lines(read(t, c.Dir, wacz.PathPages))
	if len(pl) == 0 || !strings.Contains(pl[0], `"format":"json-pages-1.0"`) {
		t.Fatalf("pages.jsonl header: %q", pl)
	}
	for _, line := range pl[1:] {
		var p wacz.PageLine
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("pages.jsonl: %v", err)
		}
		c.Pages = append(c.Pages, p)
		ts := strings.NewReplacer("-", "", ":", "", "T", "").Replace(p.TS)
		if len(ts) < 14 || !slices.ContainsFunc(c.Index, func(l warc.CDXJ) bool { return l.URL == p.URL && l.Timestamp == ts[:14] }) {
			t.Errorf("page %+v opens no record of the index", p)
		}
	}
	return c
}

// record reads the record an index line points at: exactly one gzip
// member, whose record has the line's URL, time and digest.
func (c *Contents) record(t testing.TB, l warc.CDXJ) {
	t.Helper()
	off, err1 := strconv.ParseInt(l.Offset, 10, 64)
	n, err2 := strconv.ParseInt(l.Length, 10, 64)
	data, err3 := os.ReadFile(filepath.Join(c.Dir, "archive", filepath.Base(l.Filename)))
	if err := errors.Join(err1, err2, err3); err != nil || off < 0 || n <= 0 || off+n > int64(len(data)) {
		t.Fatalf("index line %s: offset/length/file: %v", l, err)
	}
	member := data[off : off+n]
	zr, err := gzip.NewReader(bytes.NewReader(member))
	if err != nil {
		t.Fatalf("index line %s: no gzip member at the offset: %v", l, err)
	}
	zr.Multistream(false)
	if _, err := io.Copy(io.Discard, zr); err != nil {
		t.Fatalf("index line %s: the member does not end where the length says: %v", l, err)
	}
	rd, err := gowarc.NewWarcFileReaderFromStream(struct{ io.ReadSeeker }{bytes.NewReader(member)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	rec, err := rd.Next()
	if err != nil {
		t.Fatalf("index line %s: gowarc reads no record there: %v", l, err)
	}
	defer rec.Close()
	if rec.Size != n {
		t.Errorf("index line %s: the record takes %d bytes, not %d", l, rec.Size, n)
	}
	h := rec.WarcRecord.WarcHeader()
	id := h.Get(gowarc.WarcRecordID)
	date := strings.NewReplacer("-", "", ":", "", "T", "").Replace(h.Get(gowarc.WarcDate))
	if h.Get(gowarc.WarcTargetURI) != l.URL || len(date) < 14 || date[:14] != l.Timestamp {
		t.Errorf("index line %s: record %s is of %s at %s", l, id, h.Get(gowarc.WarcTargetURI), h.Get(gowarc.WarcDate))
	}
	if pd := h.Get(gowarc.WarcPayloadDigest); l.Digest != "" && !strings.HasSuffix(pd, ":"+l.Digest) {
		t.Errorf("index line %s: record %s has payload digest %s", l, id, pd)
	}
	r, err := rec.WarcRecord.Block().RawBytes()
	if err != nil {
		t.Fatal(err)
	}
	block, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	c.Records[id] = block
	c.Types[id] = string(rec.WarcRecord.Type().String())
	for _, f := range *h {
		c.Headers[id] = append(c.Headers[id], f.Name+": "+f.Value)
	}
}

func read(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("the WACZ has no %s: %v", name, err)
	}
	return b
}

func lines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Independent reads the WACZ at path with tools from the npm registry,
// installed when missing into a cache folder ($VIGIA_NPM_DIR, default
// the user's cache folder/vigia/npm): yauzl opens the zip (reader.mjs
// checks that the WARC files are stored, and every hash and size of
// datapackage.json and datapackage-digest.json), then warcio.js's
// cdx-index indexes the WARC files it extracted, and its lines must be the
// WACZ's indexes/index.cdxj exactly (keys, times, offsets, lengths,
// digests, statuses). It returns warcio's lines. Without npm the test is
// skipped, unless VIGIA_REQUIRE_NPM is set, when it fails.
func Independent(t testing.TB, path string) []string {
	t.Helper()
	dir := NPM(t)
	out := t.TempDir()
	cmd := exec.Command("node", filepath.Join(dir, "reader.mjs"), path, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("node reader.mjs %s: %v\n%s", path, err, stderr.Bytes())
	}
	var rep struct {
		Entries []struct {
			Name   string
			Method int
			Size   int64
			SHA256 string
		}
		Problems []string
	}
	if err := json.Unmarshal(res, &rep); err != nil {
		t.Fatalf("reader.mjs said %q: %v", res, err)
	}
	for _, p := range rep.Problems {
		t.Errorf("independent reader (yauzl): %s", p)
	}
	var warcs []string
	for _, e := range rep.Entries {
		if name, ok := strings.CutPrefix(e.Name, wacz.DirArchive); ok {
			warcs = append(warcs, name)
		}
	}
	if len(warcs) == 0 {
		t.Fatalf("independent reader: no archive/ entries in %v", rep.Entries)
	}
	theirs := Warcio(t, filepath.Join(out, "archive"), warcs...)
	ours := lines(read(t, out, wacz.PathIndex))
	if d := Diff(theirs, ours); d != "" {
		t.Errorf("warcio.js indexes the WARC files of %s otherwise than its index.cdxj:\n%s", path, d)
	}
	return theirs
}

// Warcio returns the CDXJ lines warcio.js's cdx-index writes for the WARC
// files names of dir, sorted.
func Warcio(t testing.TB, dir string, names ...string) []string {
	t.Helper()
	tools := NPM(t)
	idx := exec.Command(filepath.Join(tools, "node_modules", ".bin", "warcio"), append([]string{"cdx-index", "--format", "cdxj"}, names...)...)
	idx.Dir = dir
	var stderr bytes.Buffer
	idx.Stderr = &stderr
	got, err := idx.Output()
	if err != nil {
		t.Fatalf("warcio cdx-index: %v\n%s", err, stderr.Bytes())
	}
	theirs := lines(got)
	slices.Sort(theirs)
	return theirs
}

// NPM returns the folder where the npm packages of the independent reader
// are installed (with reader.mjs beside them), installing them when
// missing. Without npm it skips t, unless VIGIA_REQUIRE_NPM is set.
func NPM(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		if os.Getenv("VIGIA_REQUIRE_NPM") == "" {
			t.Skip("npm is not installed (set VIGIA_REQUIRE_NPM=1 to make this a failure)")
		}
		t.Fatalf("VIGIA_REQUIRE_NPM is set and npm is not installed: %v", err)
	}
	dir := os.Getenv("VIGIA_NPM_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(cache, "vigia", "npm")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer lockDir(t, dir)()
	stamp := filepath.Join(dir, ".installed")
	want := strings.Join(npmPackages, " ")
	if have, _ := os.ReadFile(stamp); string(have) != want {
		cmd := exec.Command("npm", append([]string{"install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save"}, npmPackages...)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install %s: %v\n%s", want, err, b)
		}
		if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, src, _, _ := runtime.Caller(0)
	script, err := os.ReadFile(filepath.Join(filepath.Dir(src), "reader.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, fmt.Sprintf("reader.mjs.%d", os.Getpid()))
	if err := os.WriteFile(tmp, script, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "reader.mjs")); err != nil { // a reader running meanwhile keeps the old one
		t.Fatal(err)
	}
	return dir
}

// lockDir takes an exclusive lock on the npm folder, for one install at a
// time (the tests of several packages run at once), and returns its
// release.
func lockDir(t testing.TB, dir string) func() {
	t.Helper()
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		lock.Close()
		t.Fatal(err)
	}
	return func() { lock.Close() }
}

// String names c for messages.
func (c *Contents) String() string {
	return fmt.Sprintf("WACZ with %d index lines, %d pages", len(c.Index), len(c.Pages))
}

// Diff lists the lines only warcio wrote ("warcio: …") and those only we
// wrote ("ours: …"); "" when both are the same.
func Diff(warcio, ours []string) string {
	var b strings.Builder
	for _, l := range warcio {
		if !slices.Contains(ours, l) {
			b.WriteString("warcio: " + l + "\n")
		}
	}
	for _, l := range ours {
		if !slices.Contains(warcio, l) {
			b.WriteString("ours:   " + l + "\n")
		}
	}
	if b.Len() == 0 && len(warcio) != len(ours) {
		fmt.Fprintf(&b, "warcio wrote %d lines, ours %d", len(warcio), len(ours))
	}
	return b.String()
}

// ReplayWebPage returns a folder holding ReplayWeb.page's web application
// (index.html, ui.js, sw.js) from the npm package replaywebpage, fetched
// with "npm pack" into the npm folder when missing (its dependencies are
// bundled into ui.js and sw.js). Without npm it skips t, unless
// VIGIA_REQUIRE_NPM is set.
func ReplayWebPage(t testing.TB) string {
	t.Helper()
	dir := NPM(t)
	defer lockDir(t, dir)()
	app := filepath.Join(dir, "replaywebpage-"+replayVersion, "package")
	if _, err := os.Stat(filepath.Join(app, ".complete")); err == nil {
		return app
	}
	tgz := filepath.Join(dir, "replaywebpage-"+replayVersion+".tgz")
	cmd := exec.Command("npm", "pack", "replaywebpage@"+replayVersion, "--pack-destination", dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm pack replaywebpage@%s: %v\n%s", replayVersion, err, b)
	}
	out := filepath.Join(dir, "replaywebpage-"+replayVersion)
	if b, err := exec.Command("tar", "-xzf", tgz, "-C", mkdir(t, out)).CombinedOutput(); err != nil {
		t.Fatalf("untar %s: %v\n%s", tgz, err, b)
	}
	if err := os.WriteFile(filepath.Join(app, ".complete"), nil, 0o644); err != nil { // whole, for the next run
		t.Fatal(err)
	}
	return app
}

const replayVersion = "2.5.3"

func mkdir(t testing.TB, dir string) string {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Chromium returns the path of a chromium to drive; without one it skips t,
// unless VIGIA_REQUIRE_BROWSER is set (as in CI).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("VIGIA_REQUIRE_BROWSER") != "" {
		t.Fatal("VIGIA_REQUIRE_BROWSER is set but no chromium was found")
	}
	t.Skip("no chromium (VIGIA_REQUIRE_BROWSER=1 scripts/test installs it)")
	return ""
}
