package backlog

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/vigia-mx/vigia/archive"
)

// queue is an archive whose review queue holds, per account, counts.
type queue struct {
	counts []archive.AccountCount
	q      archive.Query
}

func (r *queue) Counts(_ context.Context, q archive.Query) ([]archive.AccountCount, error) {
	r.q = q
	return r.counts, nil
}

func TestMeasure(t *testing.T) {
	published := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	later := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	vis := archive.Visibility{Threshold: 0.9}
	tests := []struct {
		name   string
		counts []archive.AccountCount
		want   Backlog
	}{
		{"empty", nil, Backlog{}},
		{"the oldest of every account", []archive.AccountCount{{AccountID: "a", Posts: 2, Oldest: later}, {AccountID: "b", Posts: 1, Oldest: published}, {AccountID: "c", Posts: 1}},
			Backlog{Posts: 4, Oldest: published}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &queue{counts: tt.counts}
			got, err := Measure(context.Background(), r, vis)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if r.q.NeedsReview != Below || r.q.Visibility != vis {
				t.Errorf("query %+v, want the review queue under the policy's threshold", r.q)
			}
		})
	}
}

func TestCachedMetricsReadAtMostOncePerTTLAndKeepTheLastOnError(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var (
		reads int
		next  Backlog
		fail  error
	)
	reg := prometheus.NewRegistry()
	m := NewCachedMetrics(reg, func(ctx context.Context) (Backlog, error) {
		reads++
		if _, ok := ctx.Deadline(); !ok {
			t.Error("a read at scrape time has no deadline")
		}
		return next, fail
	}, time.Minute)
	m.now = func() time.Time { return now }

	expect := func(step, want string) {
		t.Helper()
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
			"vigia_review_backlog", "vigia_review_backlog_oldest_age_seconds", "vigia_review_backlog_errors_total"); err != nil {
			t.Errorf("%s: %v", step, err)
		}
	}
	const help = `
# HELP vigia_review_backlog Posts awaiting a person's decision: none made on the latest version, and an earlier one decided by a person, or the standing one undetermined, below 0.75 confidence, or a model's function below the publication threshold.
# TYPE vigia_review_backlog gauge
# HELP vigia_review_backlog_errors_total Reads of the review backlog that failed; the gauges keep the last backlog read.
# TYPE vigia_review_backlog_errors_total counter
# HELP vigia_review_backlog_oldest_age_seconds How long ago the oldest post awaiting a person's decision was published (0 when none waits).
# TYPE vigia_review_backlog_oldest_age_seconds gauge
`
	fail = errors.New("archive in use")
	expect("unknown", help+"vigia_review_backlog_errors_total 1\n")

	now = now.Add(time.Minute)
	fail, next = nil, Backlog{Posts: 7, Oldest: now.Add(-time.Hour)}
	expect("read", help+"vigia_review_backlog 7\nvigia_review_backlog_oldest_age_seconds 3600\nvigia_review_backlog_errors_total 1\n")

	now = now.Add(30 * time.Second) // cached: the age grows, the count stays
	next = Backlog{Posts: 1}
	expect("cached", help+"vigia_review_backlog 7\nvigia_review_backlog_oldest_age_seconds 3630\nvigia_review_backlog_errors_total 1\n")

	now = now.Add(30 * time.Second)
	fail = errors.New("connection refused")
	expect("failed read", help+"vigia_review_backlog 7\nvigia_review_backlog_oldest_age_seconds 3660\nvigia_review_backlog_errors_total 2\n")

	now = now.Add(time.Minute)
	fail, next = nil, Backlog{}
	expect("empty", help+"vigia_review_backlog 0\nvigia_review_backlog_oldest_age_seconds 0\nvigia_review_backlog_errors_total 2\n")
	if reads != 4 {
		t.Errorf("%d reads, want 4: one per minute scraped", reads)
	}

	problems, err := testutil.CollectAndLint(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("metric %s: %s", p.Metric, p.Text)
	}
}

func TestRecordedMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	if n := testutil.CollectAndCount(m, "vigia_review_backlog"); n != 0 {
		t.Errorf("a backlog never recorded is exposed (%d series)", n)
	}
	m.Record(Backlog{Posts: 3, Oldest: time.Now().Add(-time.Minute)}, nil)
	m.Record(Backlog{}, errors.New("archive down"))
	if got := testutil.ToFloat64(m.errors); got != 1 {
		t.Errorf("errors = %v, want 1", got)
	}
	if n := testutil.CollectAndCount(m, "vigia_review_backlog"); n != 1 {
		t.Errorf("vigia_review_backlog series = %d, want 1", n)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range families {
		if f.GetName() != "vigia_review_backlog_oldest_age_seconds" {
			continue
		}
		found = true
		if age := f.GetMetric()[0].GetGauge().GetValue(); age < 60 || age > 120 {
			t.Errorf("age = %v s, want a minute", age)
		}
	}
	if !found {
		t.Error("no vigia_review_backlog_oldest_age_seconds")
	}
}
