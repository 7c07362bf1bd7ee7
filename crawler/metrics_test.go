package crawler

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/vigia-mx/vigia/archive"
)

func TestMetricsLintAndCount(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.observe(Attempt{Network: archive.Mastodon, Status: 200, Bytes: 512, Duration: 30 * time.Millisecond})
	m.observe(Attempt{Network: archive.Mastodon, Err: errors.New("refused")})
	m.retry(archive.Mastodon)
	m.robotsDenied(archive.YouTube)
	m.posts(archive.Mastodon, 40, 3)
	m.accountDone(archive.Mastodon, nil)

	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("metric %s: %s", p.Metric, p.Text)
	}
	want := `
# HELP vigia_crawler_requests_total HTTP requests made by the crawler, by network and status code (0: no response).
# TYPE vigia_crawler_requests_total counter
vigia_crawler_requests_total{code="0",network="mastodon"} 1
vigia_crawler_requests_total{code="200",network="mastodon"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "vigia_crawler_requests_total"); err != nil {
		t.Error(err)
	}
	if got := testutil.ToFloat64(m.versions.WithLabelValues("mastodon")); got != 3 {
		t.Errorf("versions = %v, want 3", got)
	}
	var nilMetrics *Metrics
	nilMetrics.observe(Attempt{}) // a nil *Metrics records nothing and does not panic
}
