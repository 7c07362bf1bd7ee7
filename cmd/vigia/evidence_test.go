package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/samplenet"
)

// eventCounts reads, per account, how many events of each kind the archive
// holds.
func eventCounts(t *testing.T, arc string) map[string]map[archive.EventKind]int {
	t.Helper()
	s, err := duckdb.Open(context.Background(), arc, duckdb.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sum, err := s.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[archive.EventKind]int{}
	for _, a := range sum {
		out[a.AccountID] = a.Events
	}
	return out
}

// changeSample changes the sample network between two crawls: one post
// edited, one deleted, one new, one account unreachable.
func changeSample(t *testing.T, sn *samplenet.Server) {
	t.Helper()
	now := time.Now()
	for _, change := range []error{
		sn.Edit("gobierno-gdl", "panteones", "Horario de los panteones municipales el 1 y 2 de noviembre: de 6:00 a 21:00 h. #DíaDeMuertos", now),
		sn.Delete("proteccion-civil", "puntos-inundacion"),
		sn.Publish("avisos-gdl", "aviso-nuevo", "Nuevo horario de atención en las oficinas de Tesorería a partir del lunes.", now),
		sn.SetUnreachable("tesorero", true),
	} {
		if change != nil {
			t.Fatal(change)
		}
	}
}

// TestRecrawlRecordsExactlyTheChanges is the acceptance test: crawl
// a loopback network, change it (one post edited, one deleted, one new, one
// account unreachable), crawl again; the archive shows exactly those events,
// and the evidence passes verify until a byte of it is flipped.
func TestRecrawlRecordsExactlyTheChanges(t *testing.T) {
	sn, srvURL, dirFile, arc := liveSample(t)
	tmp := filepath.Dir(arc)
	crawl := func() string {
		t.Helper()
		out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks",
			"--host-rate", "0", "--mirror", srvURL, "--relist-window", "8760h", "--progress=false")
		if code != 0 {
			t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
		}
		return out + errs
	}
	crawl()
	before := eventCounts(t, arc)

	changeSample(t, sn)
	log := crawl()
	after := eventCounts(t, arc)

	want := map[string]map[archive.EventKind]int{
		"gobierno-gdl":     {archive.Edited: 1},
		"proteccion-civil": {archive.DeletedAtSource: 1},
		"avisos-gdl":       {archive.FirstSeen: 1},
		"tesorero":         {archive.AccountUnreachable: 1},
	}
	for acct, kinds := range after {
		for kind, n := range kinds {
			if got, want := n-before[acct][kind], want[acct][kind]; got != want {
				t.Errorf("%s: %d new %s events, want %d", acct, got, kind, want)
			}
		}
	}
	if !strings.Contains(log, "tesorero") || !strings.Contains(log, "503") {
		t.Errorf("the unreachable account is not reported:\n%s", log)
	}

	// The deleted post is still in the archive, marked; search shows it.
	hits := searchJSONL(t, "--archive", arc, "--account", "proteccion-civil")
	deleted := 0
	for _, h := range hits {
		if h["deleted_at_source"] != nil {
			deleted++
		}
	}
	if deleted != 1 || len(hits) != 8 {
		t.Errorf("proteccion-civil: %d posts, %d deleted at source; want 8 and 1", len(hits), deleted)
	}
	// show prints both versions of the edited post and what changed.
	var edited string
	for _, h := range searchJSONL(t, "--archive", arc, "--account", "gobierno-gdl", "--text", "21:00") {
		edited = h["post_id"].(string)
	}
	out, errs, code := vigia(t, "", "show", "--archive", arc, "gobierno-gdl/"+edited)
	if code != 0 || !strings.Contains(out, "Version 2") || !strings.Contains(out, "[-20:00-] {+21:00+}") ||
		!strings.Contains(out, "edit history of 2 versions kept") {
		t.Errorf("show of the edited post: exit %d\n%s%s", code, out, errs)
	}
	out, _, _ = vigia(t, "", "accounts", "--archive", arc)
	if !strings.Contains(out, "tesorero") || !strings.Contains(out, "unreachable") {
		t.Errorf("accounts table does not show tesorero unreachable:\n%s", out)
	}

	// Fixity: intact, then one flipped byte is found.
	out, errs, code = vigia(t, "", "verify", "--archive", arc)
	if code != 0 || !strings.Contains(out, "all intact") {
		t.Fatalf("verify of intact evidence: exit %d\n%s%s", code, out, errs)
	}
	files, _ := filepath.Glob(filepath.Join(tmp, "a-warc", "*.warc.gz"))
	if len(files) == 0 {
		t.Fatal("no WARC files beside the archive")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	if err := os.WriteFile(files[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = vigia(t, "", "verify", "--archive", arc)
	if code != 1 || !strings.Contains(out, "PROBLEM") || !strings.Contains(out, filepath.Base(files[0])) {
		t.Errorf("verify after a flipped byte: exit %d, want 1 naming %s\n%s%s", code, filepath.Base(files[0]), out, errs)
	}
}

// TestVerifyAfterKill kills a crawl with SIGKILL while it writes evidence;
// verify then recovers the WARC file it left open and finds every record
// the archive refers to intact.
func TestVerifyAfterKill(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "vigia")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build vigia: %v\n%s", err, out)
	}
	farm := samplenet.NewMastodonFarm(500, 40)
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) > 20 {
			time.Sleep(50 * time.Millisecond) // slow enough to be killed mid-crawl
		}
		farm.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	tmp := t.TempDir()
	dirFile := filepath.Join(tmp, "farm.yaml")
	if err := os.WriteFile(dirFile, farm.Directory(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	arc := filepath.Join(tmp, "a.duckdb")
	cmd := exec.Command(bin, "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0",
		"--media-max-bytes", "-1", "--progress=false")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for served.Load() < 600 { // well into the crawl (over 1 s): appends done, a WARC file open
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the crawl made only %d requests in 60 s", served.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	open, _ := filepath.Glob(filepath.Join(tmp, "a-warc", "*.open"))
	if len(open) != 1 {
		t.Fatalf("after the kill, %d WARC files are open, want 1: %v", len(open), open)
	}

	out, errs, code := vigia(t, "", "verify", "--archive", arc)
	if code != 0 || !strings.Contains(errs, "recovered 1 WARC files") || !strings.Contains(out, "all intact") {
		t.Fatalf("verify after a kill: exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out, " 0 archive references") {
		t.Errorf("nothing was archived before the kill, so nothing was checked:\n%s", out)
	}

	// What the killed crawl had spooled is delivered, each record once.
	before := len(searchJSONL(t, "--archive", arc))
	out, errs, code = vigia(t, "", "archive", "flush", "--archive", arc)
	if code != 0 {
		t.Fatalf("archive flush after a kill: exit %d\n%s%s", code, out, errs)
	}
	hits := searchJSONL(t, "--archive", arc)
	if len(hits) < before {
		t.Errorf("after the flush the archive holds %d posts, fewer than the %d before", len(hits), before)
	}
	for i, h := range hits {
		if h["versions"].(float64) != 1 {
			t.Fatalf("post %v has %v versions after the replay, want 1", h["post_id"], h["versions"])
		}
		if i%97 == 0 { // a sample of captures
			o, _, _ := vigia(t, "", "show", "--archive", arc, "--format", "json", h["account"].(string)+"/"+h["post_id"].(string))
			if !strings.Contains(o, `"captures": 1,`) {
				t.Fatalf("post %v: captures after the replay: %s", h["post_id"], o)
			}
		}
	}
	t.Logf("%d posts archived before the flush, %d after (%s)", before, len(hits), strings.TrimSpace(out+errs))
}
