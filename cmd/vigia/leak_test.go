package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A package answers what its filters select, but a captured listing page
// holds the account's other posts too. The case: a request for one
// servant's posts of a few days got one post delivered and, in its
// evidence, the listing page with three personal posts of his. No filter
// may let a post that is not public information out through the evidence.
func TestFilteredPackageHoldsNoOtherPost(t *testing.T) {
	arc := demoArchive(t)
	withheld := searchJSONL(t, "--archive", arc, "--account", "obras-director", "--label", "personal")
	withheld = append(withheld, searchJSONL(t, "--archive", arc, "--account", "obras-director", "--label", "undetermined")...)
	if len(withheld) == 0 {
		t.Fatal("the demo has no personal post of obras-director")
	}
	for _, filters := range [][]string{
		{"--account", "obras-director", "--from", "2026-10-01", "--to", "2026-10-03"},
		{"--account", "obras-director", "--text", "colector"},
		{"--account", "obras-director"},
		{"--text", "Obras"},
	} {
		out := filepath.Join(t.TempDir(), "paquete")
		args := append([]string{"export", "--archive", arc, "--request", "UT/0042/2026", "--out", out}, filters...)
		stdout, errs, code := vigia(t, "", args...)
		if code != 0 {
			t.Fatalf("export %v: exit %d: %s", filters, code, errs)
		}
		if !strings.Contains(stdout, " delivered, ") {
			t.Fatalf("export %v: %s", filters, stdout)
		}
		warc := readGzip(t, filepath.Join(out, "evidencia.warc.gz"))
		for _, h := range withheld {
			for _, phrase := range phrases(h["text"].(string)) {
				if bytes.Contains(warc, []byte(phrase)) {
					t.Errorf("export %v: the evidence holds %q, of a %s post", filters, phrase, h["label"])
				}
			}
		}
	}
}

// readGzip reads a whole multi-member gzip file.
func readGzip(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// phrases returns the runs of four words of plain letters in text: what a
// capture holding the text shows verbatim, whatever its markup.
func phrases(text string) []string {
	return regexp.MustCompile(`\p{L}+(?: \p{L}+){3}`).FindAllString(text, -1)
}

// Nor may a filter let out, through the evidence, what the versión pública
// masks in a post it did not select: a citizen's e-mail and telephone in
// another post on the same listing page.
func TestFilteredPackageHoldsNoMaskedData(t *testing.T) {
	sn, _, dirFile, arc := liveSample(t)
	now := time.Now()
	for i, p := range []struct{ key, text string }{
		{"queja", "Atendimos el reporte de la vecina: escríbale a ana.perez@gmail.example o llame al 33 9876 5432 para dar seguimiento."},
		{"aviso", "Aviso de cierre vial en la calzada por obras de drenaje, del lunes al viernes."},
	} {
		if err := sn.Publish("gobierno-gdl", p.key, p.text, now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if _, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0", "--once"); code != 0 {
		t.Fatalf("crawl: exit %d: %s", code, errs)
	}
	out := filepath.Join(t.TempDir(), "paquete")
	stdout, errs, code := vigia(t, "", "export", "--archive", arc, "--request", "SAIP-2026-118", "--out", out,
		"--account", "gobierno-gdl", "--text", "cierre vial en la calzada")
	if code != 0 || !strings.Contains(stdout, ": 1 post delivered") {
		t.Fatalf("export: exit %d: %s%s", code, stdout, errs)
	}
	warc := readGzip(t, filepath.Join(out, "evidencia.warc.gz"))
	for _, masked := range []string{"ana.perez@gmail.example", "9876 5432"} {
		if bytes.Contains(warc, []byte(masked)) {
			t.Errorf("the evidence of a versión pública holds %q, masked in another post", masked)
		}
	}
}
