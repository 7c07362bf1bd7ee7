package spool

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigia-mx/vigia/archive"
)

// Metrics registers the spool's gauges with reg: batches and records
// waiting, and the age of the oldest.
func Metrics(reg prometheus.Registerer, s *Spool) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vigia_spool_batches",
			Help: "Batches of records kept in the spool, waiting for the archive.",
		}, func() float64 { n, _ := s.Pending(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vigia_spool_records",
			Help: "Records (post versions, captures, events, decisions, fetches…) in the batches waiting in the spool.",
		}, func() float64 { return float64(s.Backlog().Records) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vigia_spool_oldest_age_seconds",
			Help: "How long the oldest batch in the spool has waited for the archive (0 when none waits).",
		}, func() float64 {
			_, oldest := s.Pending()
			if oldest.IsZero() {
				return 0
			}
			return time.Since(oldest).Seconds()
		}),
	)
}

// InsertMetrics measure the appends that reach the archive: the rows of each
// table, the appends refused, and how long each took. A nil *InsertMetrics
// measures nothing.
type InsertMetrics struct {
	rows     *prometheus.CounterVec
	errors   prometheus.Counter
	duration prometheus.Histogram
}

// tables are the archive's tables, as the insert metrics name them: one
// for each kind of record of an archive.Batch.
var tables = []string{"post_versions", "captures", "events", "decisions", "fetches", "accounts", "runs", "account_crawls", "fixity_checks"}

// NewInsertMetrics builds the archive insert metrics and registers them
// with reg.
func NewInsertMetrics(reg prometheus.Registerer) *InsertMetrics {
	m := &InsertMetrics{
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_archive_insert_rows_total",
			Help: "Records appended to the archive, by table (a spooled batch replayed after a failure counts again).",
		}, []string{"table"}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigia_archive_insert_errors_total",
			Help: "Appends the archive refused (their records wait in the spool).",
		}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "vigia_archive_insert_duration_seconds",
			Help:    "Duration of each append to the archive, refused or not.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 9),
		}),
	}
	for _, t := range tables {
		m.rows.WithLabelValues(t)
	}
	reg.MustRegister(m.rows, m.errors, m.duration)
	return m
}

// Instrument returns s with every append measured; reads and Close go to s.
func (m *InsertMetrics) Instrument(s archive.Store) archive.Store {
	if m == nil {
		return s
	}
	return &measured{Store: s, m: m}
}

// measured is a store whose appends are measured.
type measured struct {
	archive.Store
	m *InsertMetrics
}

func (s *measured) Append(ctx context.Context, b *archive.Batch) error {
	start := time.Now()
	err := s.Store.Append(ctx, b)
	s.m.duration.Observe(time.Since(start).Seconds())
	if err != nil {
		s.m.errors.Inc()
		return err
	}
	for i, n := range []int{len(b.Posts), len(b.Captures), len(b.Events), len(b.Decisions), len(b.Fetches),
		len(b.Accounts), len(b.Runs), len(b.Crawls), len(b.Fixity)} {
		if n > 0 {
			s.m.rows.WithLabelValues(tables[i]).Add(float64(n))
		}
	}
	return nil
}
