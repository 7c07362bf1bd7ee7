package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// attackDirectory registers the X accounts the hostile exports are handed
// in for: an official one and a personal one.
const attackDirectory = `subject: Ayuntamiento de Guadalajara (muestra)
accounts:
  - {id: gdl-x, network: x, handle: GobiernoGDL, type: official, area: Comunicación Social}
  - id: karla-x
    network: x
    handle: karla_gdl
    type: personal
    area: Cabildo
    servant: {name: Karla Ruiz, position: Regidora, level: 2}
    office: {from: 2024-10-01, to: }
    registered_on: 2024-10-03
`

// xArchiveFiles returns the files of the documented X archive sample
// (dataexport/testdata/x), by their name in the zip.
func xArchiveFiles(t *testing.T) map[string][]byte {
	t.Helper()
	const dir = "../../dataexport/testdata/x"
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// zipEntry is one entry of a zip a test writes, in order.
type zipEntry struct {
	name string
	data []byte
	mode fs.FileMode // 0 for a plain file
}

func writeZip(t *testing.T, path string, entries []zipEntry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// archiveEntries returns the sample's files as zip entries, in name order,
// with replace's files instead of (or besides) its own; a nil one dropped.
func archiveEntries(files map[string][]byte, replace map[string][]byte) []zipEntry {
	merged := map[string][]byte{}
	for n, b := range files {
		merged[n] = b
	}
	for n, b := range replace {
		if b == nil {
			delete(merged, n)
		} else {
			merged[n] = b
		}
	}
	var out []zipEntry
	for _, n := range slices.Sorted(maps.Keys(merged)) {
		out = append(out, zipEntry{name: n, data: merged[n]})
	}
	return out
}

// tweetsJS writes a data/tweets.js of posts with the given ids and texts,
// one a minute.
func tweetsJS(t *testing.T, ids, texts []string) []byte {
	t.Helper()
	var minutes []int
	for i := range ids {
		minutes = append(minutes, i)
	}
	return tweetsJSAt(t, ids, texts, minutes)
}

// tweetsJSAt is tweetsJS with each post's minute past 14:00.
func tweetsJSAt(t *testing.T, ids, texts []string, minutes []int) []byte {
	t.Helper()
	var list []map[string]any
	for i, id := range ids {
		list = append(list, map[string]any{"tweet": map[string]any{
			"id_str": id, "id": id, "full_text": texts[i], "lang": "es",
			"created_at":     fmt.Sprintf("Fri Nov 20 14:%02d:00 +0000 2026", minutes[i]),
			"favorite_count": "3", "retweet_count": "1",
		}})
	}
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte("window.YTD.tweets.part0 = "), b...)
}

// manifestFor is the sample's manifest for handle, listing data/tweets.js
// with count posts and deleted as the file of deleted posts.
func manifestFor(handle string, count int, deleted string) []byte {
	return []byte(`window.__THAR_CONFIG = {
  "userInfo" : { "accountId" : "1456789012345678901", "userName" : ` + strconvQuote(handle) + ` },
  "archiveInfo" : { "generationDate" : "2026-11-28T16:04:12.000Z", "isPartialArchive" : false },
  "dataTypes" : {
    "tweets" : { "files" : [ { "fileName" : "data/tweets.js", "globalName" : "YTD.tweets.part0", "count" : "` + fmt.Sprint(count) + `" } ] },
    "deletedTweets" : { "files" : [ { "fileName" : ` + strconvQuote(deleted) + `, "globalName" : "YTD.deleted_tweets.part0", "count" : "1" } ] }
  }
}`)
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestImportRefusesHostileExports hands vigia import exports built to
// attack it — names outside the zip, a name twice, a symbolic link, a zip
// inside the zip, a zip bomb, a folder whose posts are a link to a file
// outside it, post ids that are not X's, another account's username
// written with a Unicode look-alike — and checks that each is refused
// with a message naming what is wrong, before anything is written: no
// archive, no evidence. The sample itself then imports.
func TestImportRefusesHostileExports(t *testing.T) {
	tmp := t.TempDir()
	dirFile := writeFile(t, tmp, "directorio.yaml", []byte(attackDirectory))
	arc, warcs := filepath.Join(tmp, "a.duckdb"), filepath.Join(tmp, "warc")
	files := xArchiveFiles(t)
	tweets := files["data/tweets.js"]

	folder := filepath.Join(tmp, "carpeta")
	for n, b := range files {
		if n == "data/tweets.js" {
			continue
		}
		p := filepath.Join(folder, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Dir(p), filepath.Base(p), b)
	}
	outside := writeFile(t, tmp, "fuera.js", tweets)
	if err := os.Symlink(outside, filepath.Join(folder, "data", "tweets.js")); err != nil {
		t.Fatal(err)
	}

	// A zip bomb: a data/tweets.js of 96 MiB of spaces, about 100 KiB
	// compressed.
	bomb := append([]byte("window.YTD.tweets.part0 = ["), bytes.Repeat([]byte(" "), 96<<20)...)
	bomb = append(bomb, ']')

	hostileID := tweetsJS(t, []string{"19\x1b[2J/../../x<b>"}, []string{"Licitación pública"})
	kelvin := archiveEntries(files, map[string][]byte{
		"data/manifest.js": manifestFor("\u212Aarla_gdl", 6, "data/deleted-tweets.js"),
		"data/account.js":  nil,
	})

	cases := []struct {
		name, account, path, want string
	}{
		{"a name with ..", "gdl-x", writeZip(t, filepath.Join(tmp, "subida.zip"), append(archiveEntries(files, map[string][]byte{"data/tweets.js": nil}),
			zipEntry{name: "../data/tweets.js", data: tweets})), `entry named "../data/tweets.js", outside its folder`},
		{"an absolute name", "gdl-x", writeZip(t, filepath.Join(tmp, "absoluta.zip"), append(archiveEntries(files, nil),
			zipEntry{name: "/etc/cron.d/vigia", data: []byte("x")})), `entry named "/etc/cron.d/vigia", outside its folder`},
		{"a name twice", "gdl-x", writeZip(t, filepath.Join(tmp, "doble.zip"), append(archiveEntries(files, nil),
			zipEntry{name: "data/tweets.js", data: []byte("window.YTD.tweets.part0 = []")})), `the zip holds "data/tweets.js" twice`},
		{"a symbolic link", "gdl-x", writeZip(t, filepath.Join(tmp, "enlace.zip"), append(archiveEntries(files, map[string][]byte{"data/tweets.js": nil}),
			zipEntry{name: "data/tweets.js", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777})), `"data/tweets.js" as a symbolic link`},
		{"a zip inside the zip", "gdl-x", writeZip(t, filepath.Join(tmp, "doble-zip.zip"), []zipEntry{
			{name: "twitter-2026-11-28.zip", data: []byte("PK\x03\x04")}}), `a zip holding the zip "twitter-2026-11-28.zip"`},
		{"a zip bomb", "gdl-x", writeZip(t, filepath.Join(tmp, "bomba.zip"), archiveEntries(files, map[string][]byte{"data/tweets.js": bomb})),
			`data/tweets.js: inflates to 100663324 bytes`},
		{"a folder linking outside", "gdl-x", folder, `data/tweets.js is not a plain file (a symbolic link?)`},
		{"a post id that is not X's", "gdl-x", writeZip(t, filepath.Join(tmp, "id.zip"), archiveEntries(files, map[string][]byte{
			"data/tweets.js": hostileID, "data/manifest.js": manifestFor("GobiernoGDL", 1, "data/deleted-tweets.js")})),
			`data/tweets.js: field [0].tweet.id_str: "19\x1b[2J/../../x<b>" is not a post id as X writes it (digits)`},
		{"a device instead of a file", "gdl-x", "/dev/zero", `/dev/zero: not a file nor a folder (a device or a pipe)`},
		{"a malformed window.YTD prefix", "gdl-x", writeZip(t, filepath.Join(tmp, "prefijo.zip"), archiveEntries(files, map[string][]byte{
			"data/tweets.js": append([]byte("window.YTD.tweets.part0 "), tweets[bytes.IndexByte(tweets, '=')+1:]...)})),
			`data/tweets.js: not a data file of an X archive (it should start with window.YTD.… =)`},
		{"a name that is not UTF-8", "gdl-x", writeZip(t, filepath.Join(tmp, "cp437.zip"), append(archiveEntries(files, nil),
			zipEntry{name: "data/tweets-part\x9b2J.js", data: []byte("window.YTD.tweets.part1 = [ {")})), `an entry whose name, "data/tweets-part\x9b2J.js", is not UTF-8`},
		{"a Unicode look-alike of the handle", "karla-x", writeZip(t, filepath.Join(tmp, "kelvin.zip"), kelvin),
			`the export is of "\u212aarla_gdl"; account "karla-x" of the directory is "karla_gdl": another account's export`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := vigia(t, "", "import", "--account", c.account, "--directory", dirFile, "--archive", arc, "--warc-dir", warcs, "--received", "2026-11-28", c.path)
			if code != 2 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, want 2 and an error holding %q:\n%s\n%s", code, c.want, out, errs)
			}
			if strings.Contains(errs, "\x1b") || strings.Contains(errs, "\x9b") {
				t.Errorf("the error writes an escape sequence to the terminal: %q", errs)
			}
			for _, p := range []string{arc, warcs} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s was written from a refused export", p)
				}
			}
		})
	}

	// The sample, zipped as X delivers it, imports; the folder's posts
	// are those of the zip vigia keeps of it.
	ok := writeZip(t, filepath.Join(tmp, "twitter-2026-11-28.zip"), archiveEntries(files, nil))
	out, errs, code := vigia(t, "", "import", "--account", "gdl-x", "--directory", dirFile, "--archive", arc, "--warc-dir", warcs, "--received", "2026-11-28", ok)
	if code != 0 || !strings.Contains(out, "5 posts: 5 new") {
		t.Fatalf("the sample: exit %d\n%s\n%s", code, out, errs)
	}
	if got := len(searchJSONL(t, "--archive", arc, "--account", "gdl-x")); got != 6 {
		t.Errorf("the archive holds %d posts of gdl-x, want the sample's 5 and its deleted one", got)
	}
}

// TestImportedHostileTextStaysText imports an X archive whose posts carry
// HTML and script, bidirectional overrides and terminal escape sequences,
// and whose list of deleted posts has an escape sequence in its name, for
// an official account and for a personal one; vigia import, show and
// search print none of those controls to the terminal, and the access
// package delivers the official posts with their markup as text and
// nothing of the personal account.
func TestImportedHostileTextStaysText(t *testing.T) {
	tmp := t.TempDir()
	dirFile := writeFile(t, tmp, "directorio.yaml", []byte(attackDirectory))
	arc := filepath.Join(tmp, "a.duckdb")
	texts := []string{
		`Obra pública: <script>alert('xss')</script> "><img src=x onerror=alert(1)> fin`,
		"Informe de obras \u202egnp.exe\u202c y \u2066aislado\u2069",
		"Aviso \x1b[2J\x1b[H\x1b]0;TITULO\x07 \x1b[31mrojo\x1b[0m \rOCULTO",
	}
	ids := []string{"1900000000000000001", "1900000000000000002", "1900000000000000003"}
	deletedName := "data/deleted-\x1b[2Jtweets.js"
	deleted := []byte(`window.YTD.deleted_tweets.part0 = [ { "tweet" : { "id_str" : "1861500000000000707", "full_text" : "Aviso retirado", "created_at" : "Sun Nov 15 12:00:00 +0000 2026", "deleted_at" : "2026-11-15T12:40:03.000Z" } } ]`)
	for _, a := range []struct{ account, handle, text string }{
		{"gdl-x", "GobiernoGDL", "Licitación pública 2026: bases en el portal"},
		{"karla-x", "karla_gdl", "Fiesta familiar por el cumpleaños de mi hija"},
	} {
		zipPath := writeZip(t, filepath.Join(tmp, a.account+".zip"), []zipEntry{
			{name: "data/manifest.js", data: manifestFor(a.handle, 4, deletedName)},
			{name: "data/tweets.js", data: tweetsJS(t, append(ids, "1900000000000000004"), append(texts, a.text))},
			{name: deletedName, data: deleted},
		})
		out, errs, code := vigia(t, "", "import", "--account", a.account, "--directory", dirFile, "--archive", arc, "--received", "2026-11-28", zipPath)
		if code != 0 || !strings.Contains(out, "4 posts: 4 new") {
			t.Fatalf("import %s: exit %d\n%s\n%s", a.account, code, out, errs)
		}
		if !strings.Contains(out, "data/deleted-␛[2Jtweets.js") {
			t.Errorf("import does not show the deleted posts' file as text:\n%q", out)
		}
		checkTerminal(t, "import", out+errs)
	}

	out, errs, code := vigia(t, "", "search", "--archive", arc)
	if code != 0 || !strings.Contains(out, "<script>alert('xss')</script>") || !strings.Contains(out, "␛[31mrojo") {
		t.Errorf("search: exit %d\n%s\n%s", code, out, errs)
	}
	checkTerminal(t, "search", out)
	out, errs, code = vigia(t, "", "show", "--archive", arc, "gdl-x/1900000000000000003")
	if code != 0 || !strings.Contains(out, "␛]0;TITULO␇") || !strings.Contains(out, "importado de la exportación del titular") {
		t.Errorf("show: exit %d\n%s\n%s", code, out, errs)
	}
	checkTerminal(t, "show", out)

	pkg := filepath.Join(tmp, "respuesta")
	out, errs, code = vigia(t, "", "export", "--archive", arc, "--request", "UT/0042/2026", "--out", pkg)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s\n%s", code, out, errs)
	}
	report, err := os.ReadFile(filepath.Join(pkg, "respuesta.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("respuesta.html does not carry the post's markup as text")
	}
	if bytes.Contains(report, []byte("<script")) || bytes.Contains(report, []byte("<img src=x")) {
		t.Error("respuesta.html carries the post's markup as markup")
	}
	lines, err := os.ReadFile(filepath.Join(pkg, "publicaciones.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(lines, []byte("karla")) || bytes.Contains(lines, []byte("cumpleaños")) {
		t.Errorf("the package delivers the personal account's posts:\n%s", lines)
	}
	if !bytes.Contains(lines, []byte("Licitación pública 2026")) {
		t.Errorf("the package lacks the official account's post:\n%s", lines)
	}
}

// checkTerminal fails when out holds a control character a terminal would
// obey, or a bidirectional override.
func checkTerminal(t *testing.T, what, out string) {
	t.Helper()
	for _, r := range out {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			t.Errorf("%s writes %U to the terminal:\n%q", what, r, out)
			return
		}
	}
}

// TestAPITokenGoesOnlyToTheAPI crawls accounts whose directory entries try
// to send a token elsewhere — an endpoint: on another host, a token_env:
// naming the audit key — and checks that each account's crawl is refused
// naming why, and that the server named received no request at all.
func TestAPITokenGoesOnlyToTheAPI(t *testing.T) {
	const auditKey = "audit-key-that-must-stay-home-0123456789abcdef"
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.String()+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	defer srv.Close()
	t.Setenv("VIGIA_AUDIT_KEY", auditKey)

	tmp := t.TempDir()
	if err := os.MkdirAll(filepath.Join(tmp, "secretos"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(tmp, "secretos"), "pagina.token", []byte("EAAGm0PX4ZCpsBAoffice-page-token\n"))
	dirFile := writeFile(t, tmp, "directorio.yaml", []byte(`subject: Gobierno de Guadalajara
accounts:
  - {id: gdl-fb, network: facebook, handle: GobiernoDeGuadalajara, type: official, area: Comunicación Social, capture: api, token_file: secretos/pagina.token, endpoint: "https://graph.facebook.com.example.net"}
  - {id: gdl-x, network: x, handle: GobiernoGDL, type: official, area: Comunicación Social, capture: api, token_env: VIGIA_AUDIT_KEY, endpoint: "`+srv.URL+`", allow_private_network: true}
`))
	arc := filepath.Join(tmp, "a.duckdb")
	out, errs, _ := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--warc-dir", filepath.Join(tmp, "warc"), "--host-rate", "0", "--once", "--progress=false")
	for _, want := range []string{
		`https://graph.facebook.com.example.net\": the office's token is sent only to graph.facebook.com over https`,
		`token_env: VIGIA_AUDIT_KEY is not a token's variable`,
	} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("the crawl does not refuse with %q:\n%s\n%s", want, out, errs)
		}
	}
	if strings.Contains(out+errs, auditKey) {
		t.Error("the crawl prints the audit key")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) > 0 {
		t.Errorf("the server named by endpoint: received %v", got)
	}
}

// editChain writes a data/tweets.js of one post edited along chain: its
// versions' ids, texts and minutes past 14:00, as X's archive lists an
// edited post (each version a tweet of its own, named by editTweetIds).
func editChain(t *testing.T, ids, texts []string, minutes []int) []byte {
	t.Helper()
	var list []map[string]any
	for i, id := range ids {
		tw := map[string]any{"id_str": id, "id": id, "full_text": texts[i], "lang": "es",
			"created_at": fmt.Sprintf("Fri Nov 20 %02d:%02d:00 +0000 2026", 14+minutes[i]/60, minutes[i]%60)}
		if i == 0 {
			tw["edit_info"] = map[string]any{"initial": map[string]any{"editTweetIds": ids}}
		} else {
			tw["edit_info"] = map[string]any{"edit": map[string]any{"initialTweetId": ids[0], "editControlInitial": map[string]any{"editTweetIds": ids}}}
		}
		list = append(list, map[string]any{"tweet": tw})
	}
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte("window.YTD.tweets.part0 = "), b...)
}

// TestImportOlderExportIsNotAnEdit imports an X archive, a later one in
// which the post was edited, then the first again (an older export handed
// in after a newer one): the post keeps its two versions, the import
// names it as shown as it was before, and no edit back is recorded. A
// later archive whose edit chain goes back to the first text, dated after
// the second version, is an edit.
func TestImportOlderExportIsNotAnEdit(t *testing.T) {
	tmp := t.TempDir()
	dirFile := writeFile(t, tmp, "directorio.yaml", []byte(attackDirectory))
	arc := filepath.Join(tmp, "a.duckdb")
	const first, second = "Convocatoria: registro hasta el 30 de noviembre", "Convocatoria: registro hasta el 5 de diciembre"
	exports := map[string][]byte{
		"old":  editChain(t, []string{"1900000000000000100"}, []string{first}, []int{0}),
		"new":  editChain(t, []string{"1900000000000000100", "1900000000000000101"}, []string{first, second}, []int{0, 30}),
		"back": editChain(t, []string{"1900000000000000100", "1900000000000000101", "1900000000000000102"}, []string{first, second, first}, []int{0, 30, 90}),
	}
	imp := func(name, received string) string {
		t.Helper()
		n := strings.Count(string(exports[name]), `"tweet"`)
		zipPath := writeZip(t, filepath.Join(tmp, name+received+".zip"), []zipEntry{
			{name: "data/manifest.js", data: manifestFor("GobiernoGDL", n, "data/deleted-tweets.js")},
			{name: "data/tweets.js", data: exports[name]},
		})
		out, errs, code := vigia(t, "", "import", "--account", "gdl-x", "--directory", dirFile, "--archive", arc, "--received", received, zipPath)
		if code != 0 {
			t.Fatalf("import %s: exit %d\n%s\n%s", name, code, out, errs)
		}
		return out
	}
	versions := func() []string {
		t.Helper()
		out, errs, code := vigia(t, "", "show", "--archive", arc, "--format", "json", "gdl-x/1900000000000000100")
		if code != 0 {
			t.Fatalf("show: exit %d\n%s", code, errs)
		}
		var h struct {
			Versions []struct {
				Text string `json:"text"`
			} `json:"versions"`
		}
		if err := json.Unmarshal([]byte(out), &h); err != nil {
			t.Fatalf("show --format json: %v\n%s", err, out)
		}
		var texts []string
		for _, v := range h.Versions {
			texts = append(texts, v.Text)
		}
		return texts
	}

	imp("old", "2026-11-21")
	if out := imp("new", "2026-11-28"); !strings.Contains(out, "1 version archived (1 edits)") {
		t.Errorf("the newer export's edit:\n%s", out)
	}
	out := imp("old", "2026-12-01")
	if !strings.Contains(out, "not taken as edits back nor restorations (1):\n    1900000000000000100") ||
		!strings.Contains(out, "0 versions archived") {
		t.Errorf("the older export handed in last:\n%s", out)
	}
	if got := versions(); !slices.Equal(got, []string{first, second}) {
		t.Errorf("after the older export, the versions are %q, want the first and the edit", got)
	}
	if out := imp("back", "2026-12-02"); !strings.Contains(out, "1 version archived (1 edits)") {
		t.Errorf("an edit back to the first text, dated after the second:\n%s", out)
	}
	if got := versions(); !slices.Equal(got, []string{first, second, first}) {
		t.Errorf("after the edit back, the versions are %q, want three", got)
	}
}

// TestImportOlderExportRestoresNothing imports a whole X archive, a later
// whole one lacking a post (deleted at the source), then the first again:
// the post stays deleted, named as shown as it was before. An archive
// made after the deletion that lists the post restores it.
func TestImportOlderExportRestoresNothing(t *testing.T) {
	tmp := t.TempDir()
	dirFile := writeFile(t, tmp, "directorio.yaml", []byte(attackDirectory))
	arc := filepath.Join(tmp, "a.duckdb")
	ids := []string{"1900000000000000200", "1900000000000000201", "1900000000000000202", "1900000000000000203"}
	texts := []string{"Aviso uno", "Aviso dos", "Aviso tres", "Aviso cuatro"}
	imp := func(name string, n []int, generated string) string {
		t.Helper()
		var is, ts []string
		for _, i := range n {
			is, ts = append(is, ids[i]), append(ts, texts[i])
		}
		tweets := tweetsJSAt(t, is, ts, n)
		man := bytes.Replace(manifestFor("GobiernoGDL", len(is), "data/deleted-tweets.js"), []byte("2026-11-28T16:04:12.000Z"), []byte(generated), 1)
		zipPath := writeZip(t, filepath.Join(tmp, name+".zip"), []zipEntry{
			{name: "data/manifest.js", data: man},
			{name: "data/tweets.js", data: tweets},
		})
		out, errs, code := vigia(t, "", "import", "--account", "gdl-x", "--directory", dirFile, "--archive", arc, "--received", "2026-12-01", zipPath)
		if code != 0 {
			t.Fatalf("import %s: exit %d\n%s\n%s", name, code, out, errs)
		}
		return out
	}
	deleted := func() bool {
		t.Helper()
		out, errs, code := vigia(t, "", "show", "--archive", arc, "--format", "json", "gdl-x/"+ids[2])
		if code != 0 {
			t.Fatalf("show: exit %d\n%s", code, errs)
		}
		var h struct {
			Events []struct {
				Kind string `json:"kind"`
			} `json:"events"`
		}
		if err := json.Unmarshal([]byte(out), &h); err != nil {
			t.Fatalf("show --format json: %v\n%s", err, out)
		}
		return len(h.Events) > 0 && h.Events[len(h.Events)-1].Kind == "deleted_at_source"
	}

	imp("all", []int{0, 1, 2, 3}, "2026-11-21T10:00:00.000Z")
	if out := imp("three", []int{0, 1, 3}, "2026-11-28T10:00:00.000Z"); !strings.Contains(out, "3 posts: 0 new, 0 changed, 3 unchanged") || !strings.Contains(out, "deleted at the source (1):\n    "+ids[2]) {
		t.Fatalf("the whole export lacking a post:\n%s", out)
	}
	out := imp("all-again", []int{0, 1, 2, 3}, "2026-11-21T10:00:00.000Z")
	if !strings.Contains(out, "not taken as edits back nor restorations (1):\n    "+ids[2]) || !strings.Contains(out, "0 restored") {
		t.Errorf("the older export handed in last:\n%s", out)
	}
	if !deleted() {
		t.Error("the older export restored the deleted post")
	}
	if out := imp("later", []int{0, 1, 2, 3}, "2099-01-01T00:00:00.000Z"); !strings.Contains(out, "1 restored") {
		t.Errorf("an export made after the deletion that lists the post:\n%s", out)
	}
	if deleted() {
		t.Error("an export made after the deletion did not restore the post")
	}
}
