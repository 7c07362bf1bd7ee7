package access_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
)

// TestBuildResolvesRevisits delivers a post whose evidence is a revisit
// record (the same page fetched again, with the same payload, into another
// WARC file): the package holds the response the revisit refers to as well,
// with its own file's warcinfo, so that the extract verifies on its own and
// carries the payload; a revisit whose original is gone is missing evidence,
// and one whose original holds a post left out is withheld.
func TestBuildResolvesRevisits(t *testing.T) {
	ev := newEvidence(t, true) // one file per exchange
	uri := "https://social.example/api/v1/statuses/1"
	first := ev.add(uri, page(textPotholes), false)
	again := ev.add(uri, page(textPotholes), false)
	lostURI := "https://social.example/api/v1/statuses/2"
	lost := ev.add(lostURI, page(textPotholes), false)
	lostAgain := ev.add(lostURI, page(textPotholes), false)
	ev.close()
	if again.File == first.File {
		t.Fatalf("both captures in %s", first.File)
	}

	pkg := build(t, request(), []archive.Hit{hit("obras-gdl", "1", archive.Function, textPotholes, again)},
		access.Options{Visibility: testVisibility, WARCDir: ev.dir})
	// package warcinfo; the original's warcinfo and response; the revisit's
	// warcinfo, request and revisit.
	recs := verifyEvidence(t, pkg, 6)
	var types []string
	for _, r := range recs {
		types = append(types, r.typ)
	}
	if got := strings.Join(types, " "); got != "warcinfo warcinfo response warcinfo request revisit" {
		t.Errorf("records %s", got)
	}
	if recs[2].id != first.RecordID || recs[5].id != again.RecordID {
		t.Errorf("response %s and revisit %s, want %s and %s", recs[2].id, recs[5].id, first.RecordID, again.RecordID)
	}
	if files := contents(t, pkg); !strings.Contains(files["evidencia.warc.gz"], collapse(textPotholes)) {
		t.Errorf("the extract lacks the payload the revisit stands for")
	}

	if err := os.Remove(filepath.Join(ev.dir, lost.File)); err != nil {
		t.Fatal(err)
	}
	pkg = build(t, request(), []archive.Hit{hit("obras-gdl", "2", archive.Function, textPotholes, lostAgain)},
		access.Options{Visibility: testVisibility, WARCDir: ev.dir, AllowMissingEvidence: true})
	if len(pkg.Missing) != 1 || !strings.Contains(pkg.Missing[0], "revisita de "+lost.RecordID) {
		t.Errorf("Missing = %q, want the revisit of the lost %s", pkg.Missing, lost.RecordID)
	}

	// The original response holds a post that is not delivered: the
	// revisit, which stands for the same payload, is withheld with it.
	pkg = build(t, request(), []archive.Hit{
		hit("obras-gdl", "1", archive.Function, "Otra publicación, la única que se entrega aquí.", again),
		hit("obras-gdl", "9", archive.Personal, textPotholes, archive.WARCRef{}),
	}, access.Options{Visibility: testVisibility, WARCDir: ev.dir})
	if len(pkg.Withheld) != 1 || !strings.Contains(pkg.Withheld[0], again.RecordID) {
		t.Errorf("Withheld = %q, want the revisit %s", pkg.Withheld, again.RecordID)
	}
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
