package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/vigia-mx/vigia/auth"
)

// Requests are counted under the route's pattern, never the path asked
// for; what no route matches is "other".
func TestMetricsCountRoutesNotPaths(t *testing.T) {
	s := newSite(t)
	for _, r := range []struct {
		role         auth.Role
		method, path string
		code         int
	}{
		{auth.Archivist, "GET", "/publicaciones/mastodon/ana/201", http.StatusOK},
		{auth.Archivist, "GET", "/publicaciones/mastodon/gobierno/100", http.StatusOK},
		{auth.Public, "GET", "/publicaciones/mastodon/ana/201", http.StatusNotFound},
		{"", "GET", "/api/v1/posts", http.StatusUnauthorized},
		{auth.Public, "GET", "/api/v1/posts?limit=1", http.StatusOK},
		{auth.Public, "GET", "/no/existe/123", http.StatusNotFound},
		{auth.Public, "DELETE", "/api/v1/posts", http.StatusMethodNotAllowed},
	} {
		if code, _ := s.do(t, r.role, r.method, r.path, ""); code != r.code {
			t.Errorf("%s %s as %q: %d, want %d", r.method, r.path, r.role, code, r.code)
		}
	}
	want := `
# HELP vigia_http_requests_total Requests answered by the web application, by route (the pattern, e.g. "GET /api/v1/posts"; other when none matched) and status code.
# TYPE vigia_http_requests_total counter
vigia_http_requests_total{code="200",route="GET /api/v1/posts"} 1
vigia_http_requests_total{code="401",route="GET /api/v1/posts"} 1
vigia_http_requests_total{code="200",route="GET /publicaciones/{network}/{account}/{id}"} 2
vigia_http_requests_total{code="404",route="GET /publicaciones/{network}/{account}/{id}"} 1
vigia_http_requests_total{code="404",route="other"} 1
vigia_http_requests_total{code="405",route="other"} 1
`
	if err := testutil.GatherAndCompare(s.reg, strings.NewReader(want), "vigia_http_requests_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(s.app.cfg.Metrics.duration); n != 3 {
		t.Errorf("duration series = %d, want one per route asked (3)", n)
	}
	problems, err := testutil.GatherAndLint(s.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("metric %s: %s", p.Metric, p.Text)
	}
}
