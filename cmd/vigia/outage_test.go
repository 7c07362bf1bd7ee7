package main

import (
	"bytes"
	"encoding/json"
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
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/samplenet"
)

// outage is a sample network, a ClickHouse server of the test's own that
// the test stops and starts, and the built vigia binary, run as an office
// runs it: its own process, with a spool folder of its own.
type outage struct {
	t                         *testing.T
	bin, arc, dirFile, mirror string
	spoolDir, warcDir, cwd    string
	sn                        *samplenet.Server
	served                    atomic.Int64
	slow                      atomic.Bool
	kill, restart             func()
}

func newOutage(t *testing.T) *outage {
	t.Helper()
	url, kill, restart := ownClickHouse(t)
	return newOutageOn(t, url+"/vigia", kill, restart)
}

// newOutageOn is an outage of the archive arc, whose server kill stops and
// restart starts again.
func newOutageOn(t *testing.T, arc string, kill, restart func()) *outage {
	t.Helper()
	o := &outage{t: t, arc: arc, kill: kill, restart: restart, bin: buildVigia(t)}
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	o.sn = sn
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.slow.Load() {
			time.Sleep(100 * time.Millisecond) // slow enough to be killed mid-crawl
		}
		o.served.Add(1)
		sn.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	tmp := t.TempDir()
	o.mirror, o.cwd = srv.URL, tmp
	o.dirFile = filepath.Join(tmp, "directorio.yaml")
	if err := os.WriteFile(o.dirFile, sn.DirectoryAt(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	o.spoolDir, o.warcDir = filepath.Join(tmp, "spool"), filepath.Join(tmp, "warc")
	return o
}

// command is the binary with the outage's archive and spool.
func (o *outage) command(args ...string) *exec.Cmd {
	cmd := exec.Command(o.bin, args...)
	cmd.Dir = o.cwd
	cmd.Env = append(os.Environ(), "VIGIA_ARCHIVE="+o.arc, "VIGIA_SPOOL_DIR="+o.spoolDir,
		"VIGIA_AUDIT="+filepath.Join(o.cwd, "audit.jsonl"), "VIGIA_AUDIT_KEY="+testAuditKey)
	return cmd
}

// run runs the binary to its end.
func (o *outage) run(args ...string) (code int, stdout, stderr string) {
	o.t.Helper()
	var out, errs bytes.Buffer
	cmd := o.command(args...)
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errs.String()
	}
	if err != nil {
		o.t.Fatalf("run vigia %v: %v", args, err)
	}
	return 0, out.String(), errs.String()
}

func (o *outage) crawlArgs() []string {
	return []string{"crawl", "--directory", o.dirFile, "--allow-private-networks", "--host-rate", "0", "--mirror", o.mirror,
		"--relist-window", "8760h", "--warc-dir", o.warcDir, "--progress=false"}
}

// crawl crawls once and wants it to end well.
func (o *outage) crawl(why string) (stdout, stderr string) {
	o.t.Helper()
	code, out, errs := o.run(o.crawlArgs()...)
	if code != 0 {
		o.t.Fatalf("crawl %s: exit %d\n%s\n%s", why, code, out, errs)
	}
	return out, errs
}

// change publishes, edits and deletes posts of the sample network.
func (o *outage) change() {
	o.t.Helper()
	now := time.Now()
	for _, err := range []error{
		o.sn.Edit("gobierno-gdl", "panteones", "Horario de los panteones municipales el 1 y 2 de noviembre: de 6:00 a 21:00 h. #DíaDeMuertos", now),
		o.sn.Delete("proteccion-civil", "puntos-inundacion"),
		o.sn.Publish("avisos-gdl", "aviso-nuevo", "Nuevo horario de atención en las oficinas de Tesorería a partir del lunes.", now),
	} {
		if err != nil {
			o.t.Fatal(err)
		}
	}
}

// show reads a post's history with vigia show.
func (o *outage) show(ref string) *archive.HistoryJSON {
	o.t.Helper()
	code, out, errs := o.run("show", "--format", "json", ref)
	if code != 0 {
		o.t.Fatalf("show %s: exit %d\n%s", ref, code, errs)
	}
	var h archive.HistoryJSON
	if err := json.Unmarshal([]byte(out), &h); err != nil {
		o.t.Fatalf("show %s: %v\n%s", ref, err, out)
	}
	return &h
}

// search returns the archive's posts, by account/post id, as vigia search
// gives them.
func (o *outage) search(args ...string) map[string]map[string]any {
	o.t.Helper()
	code, out, errs := o.run(append([]string{"search", "--format", "jsonl", "--limit", "1000"}, args...)...)
	if code != 0 {
		o.t.Fatalf("search: exit %d\n%s", code, errs)
	}
	hits := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var h map[string]any
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			o.t.Fatalf("search line %q: %v", line, err)
		}
		hits[h["account"].(string)+"/"+h["post_id"].(string)] = h
	}
	return hits
}

// postID finds the id of the post of an account whose text has text.
func postID(t *testing.T, hits map[string]map[string]any, account, text string) string {
	t.Helper()
	for ref, h := range hits {
		if h["account"] == account && strings.Contains(h["text"].(string), text) {
			return ref
		}
	}
	t.Fatalf("no post of %s says %q", account, text)
	return ""
}

func eventKinds(h *archive.HistoryJSON) map[archive.EventKind]int {
	out := map[archive.EventKind]int{}
	for _, ev := range h.Events {
		out[ev.Kind]++
	}
	return out
}

// checkOutage checks the five outage checks of issue 18 on what the
// archive holds after an outage in which the sample was changed: the new
// post, the edit, the deletion, an unchanged post stored once, and every
// post and event once however often its batch was delivered (before is the
// archive's search before the outage; captures, when not 0, how many
// captures of the unchanged post the crawls made).
func (o *outage) checkOutage(before map[string]map[string]any, unchanged string, captures int) {
	t := o.t
	t.Helper()
	after := o.search()
	if len(after) != len(before)+1 {
		t.Errorf("the archive holds %d posts, want the %d before the outage and the new one", len(after), len(before))
	}
	fresh := postID(t, after, "avisos-gdl", "Nuevo horario de atención")
	if h := o.show(fresh); len(h.Versions) != 1 || eventKinds(h)[archive.FirstSeen] != 1 || len(h.Decisions) != 1 {
		t.Errorf("new post %s: %d versions, events %v, %d decisions; want 1, one first seen, 1", fresh, len(h.Versions), eventKinds(h), len(h.Decisions))
	}
	edited := postID(t, after, "gobierno-gdl", "de 6:00 a 21:00")
	if h := o.show(edited); len(h.Versions) != 2 || h.Versions[1].Version != 2 || eventKinds(h)[archive.Edited] != 1 ||
		eventKinds(h)[archive.FirstSeen] != 1 || len(h.Decisions) != 2 {
		t.Errorf("edited post %s: %d versions, events %v, %d decisions; want 2, first seen and one edit, 2", edited, len(h.Versions), eventKinds(h), len(h.Decisions))
	}
	var deleted []string
	for ref, h := range after {
		if h["deleted_at_source"] != nil {
			deleted = append(deleted, ref)
		}
	}
	if len(deleted) != 1 || !strings.HasPrefix(deleted[0], "proteccion-civil/") {
		t.Errorf("posts deleted at source: %v, want the one of proteccion-civil", deleted)
	} else if h := o.show(deleted[0]); eventKinds(h)[archive.DeletedAtSource] != 1 {
		t.Errorf("deleted post %s: events %v, want one deletion", deleted[0], eventKinds(h))
	}
	if h := o.show(unchanged); len(h.Versions) != 1 || len(h.Decisions) != 1 || eventKinds(h)[archive.FirstSeen] != 1 || (captures != 0 && h.Captures != captures) {
		t.Errorf("unchanged post %s: %d versions, %d decisions, events %v, %d captures; want 1, 1, one first seen, %d captures",
			unchanged, len(h.Versions), len(h.Decisions), eventKinds(h), h.Captures, captures)
	}
	for ref, h := range after {
		want := 1.0
		if ref == edited {
			want = 2
		}
		if h["versions"].(float64) != want {
			t.Errorf("post %s: %v versions, want %v", ref, h["versions"], want)
		}
	}
}

// TestCrawlStartsWithClickHouseDown is issue 18's scenario: ClickHouse is
// down when the crawl starts; meanwhile posts are published, edited and
// deleted; two crawls run during the outage; ClickHouse comes back; after
// the spool is flushed (and replayed, as after a crash between delivery
// and the removal of its files), the five outage checks hold.
func TestCrawlStartsWithClickHouseDown(t *testing.T) {
	o := newOutage(t)
	o.crawl("with the archive up")
	before := o.search()
	unchanged := postID(t, before, "avisos-gdl", "")

	o.kill()
	o.change()
	out, errs := o.crawl("with the archive down")
	if !strings.Contains(errs, "the archive is unreachable") || !strings.Contains(errs, "wait in the spool") {
		t.Errorf("the crawl does not say it goes on into the spool:\n%s", errs)
	}
	if !strings.Contains(out, ", 2 new versions") {
		t.Errorf("the crawl during the outage: want the edit and the new post as new versions:\n%s", out)
	}
	// A second crawl of the same outage records nothing again.
	out, _ = o.crawl("again with the archive down")
	if !strings.Contains(out, " 0 new versions") {
		t.Errorf("the second crawl during the outage records versions again:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 7 && f[5] != "0" && f[5] != "DELETED" {
			t.Errorf("the second crawl during the outage records a deletion again: %s", line)
		}
	}

	// vigia accounts says the archive is unreachable, and what waits.
	code, aout, aerrs := o.run("accounts")
	if code != 1 || !strings.Contains(aerrs, "the archive is unreachable") || !strings.Contains(aout, "wait for the archive, the oldest since") {
		t.Errorf("accounts with the archive down: exit %d\n%s\n%s", code, aout, aerrs)
	}
	t.Logf("vigia accounts during the outage:\n%s%s", aout, aerrs)

	// Keep the spool's files, to replay them as after a crash that came
	// after their delivery and before their removal.
	segments, _ := filepath.Glob(filepath.Join(o.spoolDir, "*.spool"))
	if len(segments) == 0 {
		t.Fatal("nothing waits in the spool")
	}
	saved := map[string][]byte{}
	for _, f := range segments {
		saved[f], _ = os.ReadFile(f)
	}

	o.restart()
	if code, fout, ferrs := o.run("archive", "flush"); code != 0 || !strings.Contains(fout+ferrs, "delivered") {
		t.Fatalf("archive flush: exit %d\n%s%s", code, fout, ferrs)
	}
	code, aout, aerrs = o.run("accounts")
	if code != 0 || strings.Contains(aout, "wait for the archive") {
		t.Errorf("accounts after the flush: exit %d\n%s%s", code, aout, aerrs)
	}
	o.checkOutage(before, unchanged, 3)

	for f, data := range saved {
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if code, fout, ferrs := o.run("archive", "flush"); code != 0 {
		t.Fatalf("archive flush of the replayed files: exit %d\n%s%s", code, fout, ferrs)
	}
	o.checkOutage(before, unchanged, 3)

	// The archive and the crawl agree: a crawl now finds nothing new.
	out, _ = o.crawl("after the outage")
	if !strings.Contains(out, " 0 new versions") {
		t.Errorf("the crawl after the outage records versions again:\n%s", out)
	}
	o.checkOutage(before, unchanged, 4)
}

// crawlKilled starts a slow crawl (small batches) and kills it (SIGKILL)
// after its n-th request; false when it ended before.
func (o *outage) crawlKilled(n int64) bool {
	t := o.t
	t.Helper()
	o.slow.Store(true)
	defer o.slow.Store(false)
	start := o.served.Load()
	cmd := o.command(append(o.crawlArgs(), "--batch-rows", "5")...)
	var errs bytes.Buffer
	cmd.Stderr = &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for o.served.Load()-start < n {
		select {
		case err := <-exited:
			t.Logf("the crawl ended (%v) after %d requests, before request %d", err, o.served.Load()-start, n)
			return false
		case <-time.After(2 * time.Millisecond):
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
	segments, _ := filepath.Glob(filepath.Join(o.spoolDir, "*.spool"))
	t.Logf("killed after request %d; %d spool files", o.served.Load()-start, len(segments))
	return true
}

// TestKillCrawlDuringOutage kills the crawl (SIGKILL) in the middle of runs
// with the archive down, at several moments, runs it to its end, still
// down, then with the archive back kills it once more, and runs it again:
// every post, version and deletion is there once.
func TestKillCrawlDuringOutage(t *testing.T) {
	o := newOutage(t)
	o.crawl("with the archive up")
	before := o.search()
	unchanged := postID(t, before, "avisos-gdl", "")

	o.kill()
	o.change()
	killed := 0
	for _, n := range []int64{6, 14, 22} {
		if o.crawlKilled(n) {
			killed++
		}
	}
	if killed == 0 {
		t.Fatal("no crawl was killed in the middle")
	}
	if b, _, err := spool.Inspect(o.spoolDir); err != nil || b.Batches == 0 {
		t.Fatalf("after the kills nothing waits in the spool: %+v, %v", b, err)
	}
	out, _ := o.crawl("again with the archive down, after the kills")
	t.Logf("the crawl after the kills, still down:\n%s", out)

	o.restart()
	o.crawlKilled(10) // delivered (or not), then killed mid-crawl
	out, errs := o.crawl("with the archive back")
	if !strings.Contains(out, " 0 new versions") {
		t.Errorf("the crawl with the archive back records versions again:\n%s\n%s", out, errs)
	}
	if b, _, err := spool.Inspect(o.spoolDir); err != nil || b.Batches != 0 {
		t.Errorf("after the crawl with the archive back the spool holds %+v (%v)", b, err)
	}
	o.checkOutage(before, unchanged, 0) // the killed crawls may or may not have captured it
}

// TestOfflineCrawlWithoutHeadCache: a crawler whose spool never saw the
// archive (a new machine, a lost spool folder) starts with ClickHouse down:
// it takes every post for new, and at delivery what the archive holds is
// left out and the edit numbered after the archive's version; the deletion,
// which it could not see, is seen by the next crawl.
func TestOfflineCrawlWithoutHeadCache(t *testing.T) {
	o := newOutage(t)
	o.crawl("with the archive up")
	before := o.search()
	unchanged := postID(t, before, "avisos-gdl", "")

	o.kill()
	o.change()
	o.spoolDir = filepath.Join(o.cwd, "another-spool")
	out, errs := o.crawl("with the archive down and no head cache")
	if !strings.Contains(errs, "the heads of 0 posts") {
		t.Errorf("the crawl does not say it knows no heads:\n%s", errs)
	}
	t.Logf("%s", out)
	o.restart()
	if code, fout, ferrs := o.run("archive", "flush"); code != 0 {
		t.Fatalf("archive flush: exit %d\n%s%s", code, fout, ferrs)
	}
	o.crawl("with the archive back")
	o.checkOutage(before, unchanged, 3)
}

// TestOfflineCrawlDecidesWithAdoptedModel: the model adopted for the
// archive is kept in the spool's folder, so that a crawl with the archive
// unreachable decides with it, not with the shipped one.
func TestOfflineCrawlDecidesWithAdoptedModel(t *testing.T) {
	o := newOutage(t)
	model := filepath.Join(o.cwd, "oficina.model")
	labels, err := filepath.Abs("../../classifier/testdata/real")
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := o.run("classifier", "train", "--labels", labels, "--out", model); code != 0 {
		t.Fatalf("classifier train: exit %d\n%s%s", code, out, errs)
	}
	o.crawl("with the archive up")
	if code, out, errs := o.run("classifier", "adopt", model, "--by", "ana", "--reason", "El de la oficina."); code != 0 {
		t.Fatalf("classifier adopt: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ := o.run("classifier", "adopt", "--list")
	ver := ""
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "es-") {
			ver = f
		}
	}
	if ver == "" {
		t.Fatalf("no adopted model listed:\n%s", out)
	}
	o.crawl("with the archive up, after the adoption") // keeps the adopted model in the spool's folder

	o.kill()
	if err := o.sn.Publish("bacheo-jefa", "aprendizaje", "Esta semana tapamos 120 baches en la colonia Oblatos con la cuadrilla nocturna.", time.Now()); err != nil {
		t.Fatal(err)
	}
	o.crawl("with the archive down")
	o.restart()
	if code, fout, ferrs := o.run("archive", "flush"); code != 0 {
		t.Fatalf("archive flush: exit %d\n%s%s", code, fout, ferrs)
	}
	hits := o.search("--text", "cuadrilla nocturna")
	for ref, h := range hits {
		if h["decided_by"] != "model:"+ver {
			t.Errorf("%s, crawled with the archive down, decided by %v; want the adopted model:%s", ref, h["decided_by"], ver)
		}
	}
	if len(hits) != 1 {
		t.Errorf("%d posts say \"cuadrilla nocturna\", want 1", len(hits))
	}
}

// TestCrawlStartsWithClusterServerDown: in cluster mode, the server the
// crawler writes through is down when the crawl starts; the crawl goes on
// into the spool; once the server is back the spool is delivered through
// it, and the outage checks hold read through a server of the other shard.
func TestCrawlStartsWithClusterServerDown(t *testing.T) {
	name, _, db := testCluster(t)
	servers, kill, restart := ownCluster(t)
	o := newOutageOn(t, servers[0]+"/"+db+"?cluster="+name, func() { kill(1) }, func() { restart(1) })
	o.crawl("with the cluster up")
	syncReplicas(t, servers, db)
	before := o.search()
	unchanged := postID(t, before, "avisos-gdl", "")

	o.kill()
	o.change()
	out, errs := o.crawl("with the crawler's server down")
	if !strings.Contains(errs, "the archive is unreachable") || !strings.Contains(out, ", 2 new versions") {
		t.Errorf("the crawl with its server down:\n%s\n%s", out, errs)
	}
	o.restart()
	if code, fout, ferrs := o.run("archive", "flush"); code != 0 || !strings.Contains(fout+ferrs, "delivered") {
		t.Fatalf("archive flush: exit %d\n%s%s", code, fout, ferrs)
	}
	syncReplicas(t, servers, db)
	o.arc = servers[2] + "/" + db + "?cluster=" + name // read through the other shard
	o.checkOutage(before, unchanged, 2)
}
