package web

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/vigia-mx/vigia/auth"
)

// Folios that make the same folder name, exported in the same second (the
// site's clock stands still), each get a package of their own.
func TestExportsOfOneNameInOneSecond(t *testing.T) {
	s := newSite(t)
	seen := map[string]bool{}
	for _, folio := range []string{"UT/0042/2026", "UT-0042-2026", "UT 0042 2026"} {
		code, body := s.do(t, auth.Archivist, http.MethodPost, "/api/v1/exports", `{"folio":"`+folio+`","filters":{"account":"ana"}}`)
		if code != http.StatusOK {
			t.Fatalf("export of folio %q: %d %s", folio, code, body)
		}
		var got struct{ Download string }
		if err := json.Unmarshal([]byte(body), &got); err != nil || got.Download == "" || seen[got.Download] {
			t.Fatalf("export of folio %q: download %q (%v), already given: %v", folio, got.Download, err, seen[got.Download])
		}
		seen[got.Download] = true
		if code, _ := s.get(t, auth.Archivist, got.Download); code != http.StatusOK {
			t.Errorf("download %s: %d", got.Download, code)
		}
	}
}
