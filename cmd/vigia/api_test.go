package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/crawler/crawlertest"
	"github.com/vigia-mx/vigia/crawler/graph"
	"github.com/vigia-mx/vigia/crawler/xapi"
)

// TestCrawlOfficialAPIs crawls, as an office would (vigia crawl --once), a
// Facebook Page, an Instagram professional account and an X account
// registered with capture: api, against loopback servers replaying the
// Graph API's and the X API's documented answers, into a DuckDB archive;
// reads them back with search, show and accounts; and finds the tokens
// nowhere in the WARC files. An X account captured from its exports is
// left out of the crawl and shown as overdue.
func TestCrawlOfficialAPIs(t *testing.T) {
	const (
		pageToken = "EAAGm0PX4ZCpsBAoffice-page-token"
		xToken    = "AAAAAAAAAAAAAAAAAAAAAofficeBearer%2Ftoken"
	)
	gdir, xdir := crawlertest.Dir("../../testdata/graph/"), crawlertest.Dir("../../testdata/xapi/")
	graphSrv := crawlertest.Serve(t, crawlertest.Replay{
		Routes: gdir.Recorded(t, map[string]string{
			"/v23.0/me?fields=id,name,username":                                                                       "fb-me.http",
			"/v23.0/104871234567890/published_posts?fields=" + graph.PostFields + "&limit=100":                        "fb-posts-page1.http",
			"/v23.0/104871234567890/published_posts?fields=" + graph.PostFields + "&limit=3&after=QVFIUjNhZAlFXZAl9z": "fb-posts-page2.http",
			"/v23.0/me?fields=id,name,instagram_business_account{id,username}":                                        "ig-me.http",
			"/v23.0/17841406338772941/media?fields=" + graph.MediaFields + "&limit=100":                               "ig-media-page1.http",
			"/v23.0/17841406338772941/media?fields=" + graph.MediaFields + "&limit=2&after=QVFIUk1after":              "ig-media-page2.http",
		}),
		Accept: "application/json", Origin: "https://graph.facebook.com", OriginInBodies: true, Authorization: "Bearer " + pageToken,
	})
	tl := "/2/users/1389562811239542784/tweets?expansions=" + xapi.Expansions + "&max_results=100&media.fields=" + xapi.MediaFields + "&tweet.fields=" + xapi.TweetFields + "&user.fields=" + xapi.UserFields
	xSrv := crawlertest.Serve(t, crawlertest.Replay{
		Routes: xdir.Recorded(t, map[string]string{
			"/2/users/by/username/GobiernoGDL?user.fields=" + xapi.UserFields: "user.http",
			tl: "tweets-page1.http",
			tl + "&pagination_token=7140dibdnow9c7btw3w3itbygz8uu5pbs45oy6erjc2ls": "tweets-page2.http",
		}),
		Accept: "application/json", Authorization: "Bearer " + xToken,
	})

	tmp := t.TempDir()
	tokenFile := filepath.Join(tmp, "secretos", "pagina.token")
	if err := os.MkdirAll(filepath.Dir(tokenFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tokenFile, []byte(pageToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VIGIA_TEST_X_TOKEN", xToken)
	dirFile, arc, warcs := filepath.Join(tmp, "directorio.yaml"), filepath.Join(tmp, "a.duckdb"), filepath.Join(tmp, "warc")
	writeDir := func(tokenLine string) {
		t.Helper()
		y := `subject: Gobierno de Guadalajara
export_every: 30d
accounts:
  - {id: gdl-fb, network: facebook, handle: GobiernoDeGuadalajara, type: official, area: Comunicación Social, capture: api, ` + tokenLine + `, endpoint: "` + graphSrv.URL + `", allow_private_network: true}
  - {id: gdl-ig, network: instagram, handle: gobiernogdl, type: official, area: Comunicación Social, capture: api, token_file: secretos/pagina.token, endpoint: "` + graphSrv.URL + `", allow_private_network: true}
  - {id: gdl-x, network: x, handle: GobiernoGDL, type: official, area: Comunicación Social, capture: api, token_env: VIGIA_TEST_X_TOKEN, endpoint: "` + xSrv.URL + `", allow_private_network: true}
  - {id: regidora-x, network: x, handle: RegidoraEjemplo, type: personal, area: Cabildo, registered_on: 2025-10-01, servant: {name: Ana Ejemplo, position: Regidora, level: 2}}
`
		if err := os.WriteFile(dirFile, []byte(y), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeDir("token_file: secretos/pagina.token")

	out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--warc-dir", warcs, "--host-rate", "0", "--once", "--progress=false")
	if code != 0 {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "3 accounts") {
		t.Errorf("the crawl's summary does not count the three API accounts (the exported one left out):\n%s", out)
	}

	hits := searchJSONL(t, "--archive", arc)
	count := map[string]int{}
	for _, h := range hits {
		count[h["network"].(string)]++
	}
	if count["facebook"] != 4 || count["instagram"] != 3 || count["x"] != 4 {
		t.Errorf("posts by network = %v, want facebook 4, instagram 3, x 4", count)
	}
	edited := searchJSONL(t, "--archive", arc, "--network", "x", "--text", "Feria del Empleo")
	if len(edited) != 1 || edited[0]["post_id"] != "2127799793349558395" || edited[0]["url"] != "https://x.com/GobiernoGDL/status/2127799793349558395" {
		t.Fatalf("the edited X post: %v", edited)
	}
	show, errs, code := vigia(t, "", "show", "--archive", arc, "gdl-x/2127799793349558395")
	if code != 0 || !strings.Contains(show, "https://guadalajara.gob.mx/empleo") || !strings.Contains(show, "edited at the source 2026-12-01") {
		t.Errorf("show: exit %d\n%s\n%s", code, show, errs)
	}

	// The tokens are in no WARC file, not even compressed; the requests
	// are kept with the header redacted.
	var all []byte
	files, _ := filepath.Glob(filepath.Join(warcs, "*.warc.gz"))
	if len(files) == 0 {
		t.Fatal("no WARC file written")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, raw...)
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, plain...)
	}
	for _, tok := range []string{pageToken, xToken} {
		if bytes.Contains(all, []byte(tok)) {
			t.Errorf("a WARC file holds the token %q", tok)
		}
	}
	if !bytes.Contains(all, []byte("Authorization: REDACTED-BY-VIGIA")) {
		t.Error("the WARC request records do not show the redacted Authorization header")
	}

	acc, errs, code := vigia(t, "", "accounts", "--archive", arc, "--directory", dirFile)
	if code != 0 {
		t.Fatalf("accounts: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"gdl-fb", "gdl-x", "regidora-x"} {
		if !strings.Contains(acc, want) {
			t.Errorf("accounts lacks %s:\n%s", want, acc)
		}
	}
	_, table, found := strings.Cut(acc, "CAPTURE  LAST RECEIVED")
	if !found {
		t.Fatalf("accounts --directory shows no capture table:\n%s", acc)
	}
	for _, l := range strings.Split(table, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) > 3 && f[0] == "gdl-ig":
			if f[2] != "api" || f[3] == "-" {
				t.Errorf("gdl-ig: %q, want capture api and its last crawl", l)
			}
		case len(f) > 2 && f[0] == "regidora-x":
			if f[2] != "export" || !strings.Contains(l, "OVERDUE") {
				t.Errorf("regidora-x: %q, want capture export, no export ever handed in: overdue", l)
			}
		}
	}

	// An expired page token: the two Graph accounts fail, each saying so;
	// what was archived stays.
	if err := os.WriteFile(tokenFile, []byte(pageToken+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tokenFile, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, _ = vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--warc-dir", warcs, "--host-rate", "0", "--once", "--progress=false")
	if !strings.Contains(out+errs, "chmod 600 "+tokenFile) {
		t.Errorf("a token file others may read is not refused with its remedy:\n%s\n%s", out, errs)
	}
	if got := len(searchJSONL(t, "--archive", arc)); got != 11 {
		t.Errorf("after the refused crawl the archive holds %d posts, want 11", got)
	}
}
