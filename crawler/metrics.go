package crawler

import (
	"errors"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigia-mx/vigia/archive"
)

// Metrics are the crawler's Prometheus metrics. A nil *Metrics records
// nothing, so that tests and one-off commands need no registry.
type Metrics struct {
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	bytes         *prometheus.CounterVec
	retries       *prometheus.CounterVec
	robotsDenials *prometheus.CounterVec
	postsSeen     *prometheus.CounterVec
	versions      *prometheus.CounterVec
	accountCrawls *prometheus.CounterVec
	deletions     *prometheus.CounterVec
	evidenceBytes prometheus.Counter
	evidenceErrs  prometheus.Counter
	mediaFiles    *prometheus.CounterVec
}

// NewMetrics builds the crawler's metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_requests_total",
			Help: "HTTP requests made by the crawler, by network and status code (0: no response).",
		}, []string{"network", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "vigia_crawler_request_duration_seconds",
			Help:    "Duration of the crawler's HTTP requests, headers and body.",
			Buckets: prometheus.ExponentialBuckets(0.005, 3, 9),
		}, []string{"network"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_response_bytes_total",
			Help: "Bytes of response bodies received, after decompression.",
		}, []string{"network"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_retries_total",
			Help: "Requests retried after a retryable failure.",
		}, []string{"network"}),
		robotsDenials: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_robots_denials_total",
			Help: "Requests not made because robots.txt disallows them.",
		}, []string{"network"}),
		postsSeen: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_posts_seen_total",
			Help: "Posts observed in listings, changed or not.",
		}, []string{"network"}),
		versions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_post_versions_total",
			Help: "New post versions captured (first sightings and edits).",
		}, []string{"network"}),
		accountCrawls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_account_crawls_total",
			Help: "Account crawls finished, by result (ok or error).",
		}, []string{"network", "result"}),
		deletions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_deletions_total",
			Help: "Posts confirmed deleted at their source.",
		}, []string{"network"}),
		evidenceBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigia_crawler_warc_bytes_total",
			Help: "Bytes of HTTP exchanges written to WARC evidence files, before compression.",
		}),
		evidenceErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigia_crawler_warc_errors_total",
			Help: "HTTP exchanges that could not be written to the WARC evidence files.",
		}),
		mediaFiles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_media_files_total",
			Help: "Media files of new post versions, by outcome (fetched, referenced, failed).",
		}, []string{"network", "outcome"}),
	}
	reg.MustRegister(m.requests, m.duration, m.bytes, m.retries, m.robotsDenials,
		m.postsSeen, m.versions, m.accountCrawls, m.deletions, m.evidenceBytes, m.evidenceErrs, m.mediaFiles)
	return m
}

func (m *Metrics) observe(a Attempt) {
	if m == nil || errors.Is(a.Err, ErrRobots) {
		return
	}
	n := string(a.Network)
	m.requests.WithLabelValues(n, strconv.Itoa(a.Status)).Inc()
	m.duration.WithLabelValues(n).Observe(a.Duration.Seconds())
	m.bytes.WithLabelValues(n).Add(float64(a.Bytes))
}

func (m *Metrics) retry(n archive.Network) {
	if m != nil {
		m.retries.WithLabelValues(string(n)).Inc()
	}
}

func (m *Metrics) robotsDenied(n archive.Network) {
	if m != nil {
		m.robotsDenials.WithLabelValues(string(n)).Inc()
	}
}

func (m *Metrics) posts(n archive.Network, seen, versions int) {
	if m != nil {
		m.postsSeen.WithLabelValues(string(n)).Add(float64(seen))
		m.versions.WithLabelValues(string(n)).Add(float64(versions))
	}
}

func (m *Metrics) accountDone(n archive.Network, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.accountCrawls.WithLabelValues(string(n), result).Inc()
}

func (m *Metrics) deleted(n archive.Network, count int) {
	if m != nil {
		m.deletions.WithLabelValues(string(n)).Add(float64(count))
	}
}

func (m *Metrics) evidence(bytes int64, err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.evidenceErrs.Inc()
		return
	}
	m.evidenceBytes.Add(float64(bytes))
}

func (m *Metrics) media(n archive.Network, outcome string) {
	if m != nil {
		m.mediaFiles.WithLabelValues(string(n), outcome).Inc()
	}
}
