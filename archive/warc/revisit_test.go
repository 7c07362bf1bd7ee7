package warc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRevisitSameRunAndNextRun writes one URL's exchange three times with the
// same payload (twice in one run, once in a later run with a new Writer) and
// once with another payload: the repeats are revisit records referring to
// the first response, holding its head but not its payload, and they verify.
func TestRevisitSameRunAndNextRun(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	ex := exchange(1, 4000)
	first := mustWrite(t, w, ex)
	ex2 := *ex
	ex2.Date = ex.Date.Add(time.Hour)
	ex2.Response = []byte("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nDate: later\r\nContent-Length: 4000\r\n\r\n")
	again := mustWrite(t, w, &ex2)
	changed := *ex
	changed.Body = append([]byte("edited "), ex.Body...)
	edited := mustWrite(t, w, &changed)
	cut := *ex
	cut.Truncated = "length"
	truncated := mustWrite(t, w, &cut) // a body cut short is never a revisit
	mustClose(t, w)

	w = newWriter(t, Options{Dir: dir})
	nextRun := mustWrite(t, w, ex) // the last full response of the URL is the edited one: written in full
	nextRun2 := mustWrite(t, w, ex)
	mustClose(t, w)

	rev := readRecord(t, filepath.Join(dir, again.File), again.Offset)
	if rev.get("WARC-Type") != "revisit" || rev.get("WARC-Profile") != ProfileIdenticalPayload ||
		rev.get("WARC-Refers-To") != first.RecordID || rev.get("WARC-Refers-To-Target-URI") != ex.TargetURI ||
		rev.get("WARC-Refers-To-Date") != ex.Date.UTC().Format(time.RFC3339Nano) ||
		rev.get("WARC-Payload-Digest") != first.PayloadDigest || rev.get("Content-Type") != responseType {
		t.Errorf("second capture: %v, want a revisit of %s", rev.header, first.RecordID)
	}
	if string(rev.block) != string(ex2.Response) {
		t.Errorf("revisit block %q, want the head received %q", rev.block, ex2.Response)
	}
	if again.PayloadDigest != first.PayloadDigest {
		t.Errorf("revisit payload digest %s, want %s", again.PayloadDigest, first.PayloadDigest)
	}
	for name, ref := range map[string]Ref{"edited": edited, "truncated": truncated, "next run": nextRun} {
		if typ := readRecord(t, filepath.Join(dir, ref.File), ref.Offset).get("WARC-Type"); typ != "response" {
			t.Errorf("%s capture is a %s record, want a response", name, typ)
		}
	}
	r := readRecord(t, filepath.Join(dir, nextRun2.File), nextRun2.Offset)
	if r.get("WARC-Type") != "revisit" || r.get("WARC-Refers-To") != nextRun.RecordID {
		t.Errorf("repeat in the next run: %v, want a revisit of %s", r.header, nextRun.RecordID)
	}

	ix, problems := verify(t, dir)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	for _, ref := range []Ref{first, again, edited, truncated, nextRun, nextRun2} {
		if err := ix.CheckRef(ref); err != nil {
			t.Error(err)
		}
	}
	if o, err := RefersTo(dir, again.File, again.Offset, again.RecordID); err != nil || o.RecordID != first.RecordID {
		t.Errorf("RefersTo(revisit) = %+v, %v; want %s", o, err, first.RecordID)
	}
	if _, err := RefersTo(dir, first.File, first.Offset, first.RecordID); !errors.Is(err, ErrNotRevisit) {
		t.Errorf("RefersTo(response) = %v, want ErrNotRevisit", err)
	}
	origs, err := Originals(dir)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := origs[first.RecordID]; !ok || o.File != first.File || o.Offset != first.Offset {
		t.Errorf("Originals()[%s] = %+v, %v", first.RecordID, o, ok)
	}
	if _, ok := origs[truncated.RecordID]; ok {
		t.Errorf("a truncated response is listed as a payload to refer to")
	}
}

// TestRevisitOfLostOriginal removes the file of the response a revisit
// refers to: verify names the revisit, and the next run writes the payload
// in full again rather than refer to what is gone.
func TestRevisitOfLostOriginal(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir, MaxFileSize: 1}) // one exchange per file
	ex := exchange(7, 2000)
	first := mustWrite(t, w, ex)
	again := mustWrite(t, w, ex)
	mustClose(t, w)
	if first.File == again.File {
		t.Fatalf("both in %s", first.File)
	}
	if err := os.Remove(filepath.Join(dir, first.File)); err != nil {
		t.Fatal(err)
	}
	ix, problems := verify(t, dir)
	if len(problems) != 1 || problems[0].RecordID != again.RecordID || !strings.Contains(problems[0].Msg, first.RecordID) {
		t.Errorf("problems = %v, want one naming revisit %s and the lost %s", problems, again.RecordID, first.RecordID)
	}
	if err := ix.CheckRef(again); !errors.Is(err, ErrRecordMissing) {
		t.Errorf("CheckRef(revisit) = %v, want ErrRecordMissing", err)
	}

	w = newWriter(t, Options{Dir: dir})
	next := mustWrite(t, w, ex)
	mustClose(t, w)
	if typ := readRecord(t, filepath.Join(dir, next.File), next.Offset).get("WARC-Type"); typ != "response" {
		t.Errorf("after the original was lost the capture is a %s record, want a response", typ)
	}
}
