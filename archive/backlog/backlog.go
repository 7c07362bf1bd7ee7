// Package backlog measures an archive's review backlog: the posts awaiting
// a person's decision (archive.Query.NeedsReview: no person decided their
// latest version, and a person decided an earlier one, or their decision
// is undetermined, less confident than Below, or a model's function below
// the policy's publication threshold), and how long ago the oldest of them
// was published. Metrics expose it to Prometheus: vigia crawl
// records it after each run, vigia serve reads it when scraped.
package backlog

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigia-mx/vigia/archive"
)

// Below is the confidence under which a decision awaits a person: the
// review queue's default (vigia review list, the review page).
const Below = 0.75

// Backlog is the review queue at a moment.
type Backlog struct {
	Posts int // posts awaiting a person
	// Oldest is when the oldest of them was published (when it was
	// captured, for a post without a date); zero when none waits.
	Oldest time.Time
}

// Counter is what Measure reads: an archive's per-account counts
// (archive.Reader is one).
type Counter interface {
	Counts(ctx context.Context, q archive.Query) ([]archive.AccountCount, error)
}

var _ Counter = archive.Reader(nil)

// Measure reads the backlog of r under vis, the policy's publication rule
// (a model's function decision below its threshold waits for a person):
// how many posts the review queue holds, and when the oldest of them was
// published. The queue puts first what would most change the public view,
// not the oldest, so the oldest is read from the counts.
func Measure(ctx context.Context, r Counter, vis archive.Visibility) (Backlog, error) {
	counts, err := r.Counts(ctx, archive.Query{NeedsReview: Below, Visibility: vis})
	if err != nil {
		return Backlog{}, fmt.Errorf("measure the review backlog: %w", err)
	}
	var b Backlog
	for _, c := range counts {
		b.Posts += c.Posts
		if !c.Oldest.IsZero() && (b.Oldest.IsZero() || c.Oldest.Before(b.Oldest)) {
			b.Oldest = c.Oldest
		}
	}
	return b, nil
}

// Metrics expose a backlog as gauges, from what Record is given or, when
// made with NewCachedMetrics, read from the archive at scrape time. A
// scrape never fails on their account: until a backlog is known the gauges
// are left out, and after a failed read they keep the last one known.
type Metrics struct {
	read    func(context.Context) (Backlog, error) // nil: values come from Record
	ttl     time.Duration
	timeout time.Duration
	now     func() time.Time

	mu     sync.Mutex
	last   Backlog
	known  bool
	readAt time.Time // of the last read, failed or not

	posts, age *prometheus.Desc
	errors     prometheus.Counter
}

// readTimeout bounds a read at scrape time, within Prometheus's default
// scrape timeout of 10 s.
const readTimeout = 5 * time.Second

// NewMetrics registers with reg the gauges of the backlogs Record is given.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		now: time.Now,
		posts: prometheus.NewDesc("vigia_review_backlog",
			fmt.Sprintf("Posts awaiting a person's decision: none made on the latest version, and an earlier one decided by a person, or the standing one undetermined, below %v confidence, or a model's function below the publication threshold.", Below), nil, nil),
		age: prometheus.NewDesc("vigia_review_backlog_oldest_age_seconds",
			"How long ago the oldest post awaiting a person's decision was published (0 when none waits).", nil, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigia_review_backlog_errors_total",
			Help: "Reads of the review backlog that failed; the gauges keep the last backlog read.",
		}),
	}
	reg.MustRegister(m)
	return m
}

// NewCachedMetrics registers with reg the gauges of the backlog read
// returns, called when Prometheus scrapes and the last read is older than
// ttl, and given 5 s.
func NewCachedMetrics(reg prometheus.Registerer, read func(context.Context) (Backlog, error), ttl time.Duration) *Metrics {
	m := NewMetrics(reg)
	m.read, m.ttl, m.timeout = read, ttl, readTimeout
	return m
}

// Record sets the backlog; a non-nil err counts an error and keeps the
// backlog known before.
func (m *Metrics) Record(b Backlog, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.record(b, err)
}

func (m *Metrics) record(b Backlog, err error) {
	if err != nil {
		m.errors.Inc()
		return
	}
	m.last, m.known = b, true
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.posts
	ch <- m.age
	m.errors.Describe(ch)
}

// Collect implements prometheus.Collector, reading the backlog first when
// it is read at scrape time and the last read is stale.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if m.read != nil && (m.readAt.IsZero() || now.Sub(m.readAt) >= m.ttl) {
		ctx, cancel := context.WithTimeout(context.Background(), m.timeout)
		m.record(m.read(ctx))
		cancel()
		m.readAt = now
	}
	if m.known {
		age := 0.0
		if m.last.Posts > 0 && !m.last.Oldest.IsZero() {
			age = max(now.Sub(m.last.Oldest).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(m.posts, prometheus.GaugeValue, float64(m.last.Posts))
		ch <- prometheus.MustNewConstMetric(m.age, prometheus.GaugeValue, age)
	}
	m.errors.Collect(ch)
}
