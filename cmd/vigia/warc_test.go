package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/vigia-mx/vigia/directory"
)

// warcRecords reads every record of the WARC files named, with gowarc, and
// fails on any that does not validate.
func warcRecords(t *testing.T, files []string) []gowarc.WarcRecord {
	t.Helper()
	var out []gowarc.WarcRecord
	for _, name := range files {
		r, err := gowarc.NewWarcFileReader(name, 0, gowarc.WithSpecViolationPolicy(gowarc.ErrFail))
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := rec.WarcRecord.Block().Cache(); err != nil {
				t.Fatal(err)
			}
			out = append(out, rec.WarcRecord)
		}
		r.Close()
	}
	return out
}

func warcSize(t *testing.T, files []string) int64 {
	var n int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}

// A crawl of a network that did not change stores no payload again: each
// response identical to the last capture of its URL is a revisit record
// (identical-payload-digest) referring to it, across runs; every warcinfo
// names vigia's version, the obligated body, the User-Agent and the robots
// policy; verify checks both records of each revisit, and names the
// revisits whose original is gone.
func TestRecrawlWritesRevisits(t *testing.T) {
	_, _, dirFile, arc := liveSample(t)
	warcDir := filepath.Join(filepath.Dir(arc), "warc")
	crawl := func() []string {
		t.Helper()
		before, _ := filepath.Glob(filepath.Join(warcDir, "*.warc.gz"))
		if out, errs, code := vigia(t, "", "crawl", "--warc-dir", warcDir, "--directory", dirFile, "--archive", arc,
			"--allow-private-networks", "--host-rate", "0", "--once", "--progress=false"); code != 0 {
			t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
		}
		after, _ := filepath.Glob(filepath.Join(warcDir, "*.warc.gz"))
		return slices.DeleteFunc(after, func(f string) bool { return slices.Contains(before, f) })
	}
	first, second := crawl(), crawl()
	if len(first) == 0 || len(second) == 0 {
		t.Fatalf("WARC files of the crawls: %v and %v", first, second)
	}

	dir, err := directory.Load(dirFile, networks())
	if err != nil {
		t.Fatal(err)
	}
	originals := map[string]gowarc.WarcRecord{}
	count := func(recs []gowarc.WarcRecord) (responses, revisits int) {
		for _, r := range recs {
			h := r.WarcHeader()
			switch r.Type() {
			case gowarc.Warcinfo:
				raw, _ := r.Block().RawBytes()
				info, _ := io.ReadAll(raw)
				for _, want := range []string{"software: vigia/" + vigiaVersion() + "\r\n", "operator: " + dir.Subject + "\r\n",
					"http-header-user-agent: vigia/" + vigiaVersion() + " (public-records archiver; +", "robots: obey: "} {
					if !strings.Contains(string(info), want) {
						t.Errorf("warcinfo lacks %q:\n%s", want, info)
					}
				}
			case gowarc.Response:
				responses++
				originals[h.Get(gowarc.WarcRecordID)] = r
			case gowarc.Revisit:
				revisits++
				orig, ok := originals[h.Get(gowarc.WarcRefersTo)]
				switch {
				case !ok:
					t.Errorf("revisit %s refers to %s, not a response read before it", h.Get(gowarc.WarcRecordID), h.Get(gowarc.WarcRefersTo))
				case h.Get(gowarc.WarcProfile) != gowarc.ProfileIdenticalPayloadDigestV1_1,
					h.Get(gowarc.WarcPayloadDigest) != orig.WarcHeader().Get(gowarc.WarcPayloadDigest),
					h.Get(gowarc.WarcRefersToTargetURI) != orig.WarcHeader().Get(gowarc.WarcTargetURI),
					h.Get(gowarc.WarcRefersToTargetURI) != h.Get(gowarc.WarcTargetURI),
					h.Get(gowarc.WarcRefersToDate) != orig.WarcHeader().Get(gowarc.WarcDate):
					t.Errorf("revisit %v does not match the response it refers to %v", h, orig.WarcHeader())
				}
			}
		}
		return responses, revisits
	}
	resp1, rev1 := count(warcRecords(t, first))
	resp2, rev2 := count(warcRecords(t, second))
	if rev1 != 0 || resp1 == 0 {
		t.Errorf("first crawl: %d responses, %d revisits; want responses only", resp1, rev1)
	}
	// Only what changes between two fetches (none here but what the sample
	// network makes vary) is a response again.
	if rev2 == 0 || rev2 < 4*resp2 {
		t.Errorf("second crawl of an unchanged network: %d responses, %d revisits", resp2, rev2)
	}
	b1, b2 := warcSize(t, first), warcSize(t, second)
	t.Logf("WARC bytes: first crawl %d (%d responses), second crawl %d (%d responses, %d revisits)", b1, resp1, b2, resp2, rev2)
	if b2*2 > b1 {
		t.Errorf("the second crawl wrote %d bytes, the first %d: revisits should at least halve it", b2, b1)
	}

	out, errs, code := vigia(t, "", "verify", "--archive", arc, "--warc-dir", warcDir)
	if code != 0 || !strings.Contains(out, "all intact") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	// The originals gone, each revisit (and each reference to one) is a problem.
	for _, f := range first {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	out, errs, code = vigia(t, "", "verify", "--archive", arc, "--warc-dir", warcDir)
	if code != 1 || !strings.Contains(out, "the response this revisit refers to") {
		t.Errorf("verify without the first crawl's files: exit %d, want 1 naming the revisits' lost responses\n%s%s", code, out, errs)
	}
}
