package crawler

import (
	"errors"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
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
	edits         *prometheus.CounterVec
	decisions     *prometheus.CounterVec
	accountCrawls *prometheus.CounterVec
	deletions     *prometheus.CounterVec
	evidenceBytes prometheus.Counter
	evidenceErrs  prometheus.Counter
	mediaFiles    *prometheus.CounterVec
	lastSuccess   *prometheus.GaugeVec
	failures      *prometheus.GaugeVec
	directory     *prometheus.GaugeVec
	dirValid      prometheus.Gauge
	lastSweep     *prometheus.GaugeVec
	exportDue     *prometheus.GaugeVec
	sweepChecked  *prometheus.CounterVec
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
		edits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_edits_total",
			Help: "New post versions that are edits of a post already archived (not first sightings).",
		}, []string{"network"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_decisions_total",
			Help: "Decisions made by the crawler's judge on new post versions, by label and basis (the policy clause; none when it names none).",
		}, []string{"label", "basis"}),
		accountCrawls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_account_crawls_total",
			Help: "Account crawls finished, by result (ok or error).",
		}, []string{"network", "result"}),
		deletions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_deletions_total",
			Help: "Posts confirmed deleted at their source, by the label that stands for the post (function, personal or undetermined).",
		}, []string{"network", "label"}),
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
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigia_crawler_account_last_success_timestamp_seconds",
			Help: "Unix time at which the account's last successful crawl (ok, or partial: some pages listed) finished.",
		}, []string{"account", "network"}),
		failures: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigia_crawler_account_consecutive_failures",
			Help: "Crawls of the account in a row that could not list it at all (unreachable), since its last successful crawl.",
		}, []string{"account", "network"}),
		directory: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigia_directory_accounts",
			Help: "Accounts of the directory this crawler is responsible for (its shard), by network.",
		}, []string{"network"}),
		dirValid: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vigia_directory_valid",
			Help: "1 when the directory file, as it is now, was read without problems; 0 when the latest reading found problems and a continuous crawler goes on with the directory it read before.",
		}),
		lastSweep: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigia_crawler_account_last_sweep_timestamp_seconds",
			Help: "Unix time at which the account's last deep sweep (its whole history listed again to see deletions of any age) finished well.",
		}, []string{"account", "network"}),
		exportDue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigia_export_due_timestamp_seconds",
			Help: "Unix time at which the next data export of an account captured from its holder's exports (capture: export) is due: export_every after the last one imported, or after the account's registration; past it the export is overdue.",
		}, []string{"account", "network"}),
		sweepChecked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_crawler_sweep_posts_checked_total",
			Help: "Archived posts checked by deep sweeps that finished well: listed again, or asked about one by one.",
		}, []string{"network"}),
	}
	reg.MustRegister(m.requests, m.duration, m.bytes, m.retries, m.robotsDenials,
		m.postsSeen, m.versions, m.edits, m.decisions, m.accountCrawls, m.deletions, m.evidenceBytes, m.evidenceErrs,
		m.mediaFiles, m.lastSuccess, m.failures, m.directory, m.dirValid, m.lastSweep, m.sweepChecked, m.exportDue)
	m.dirValid.Set(1) // a crawler starts only with a valid directory
	// Deletions of public information start at 0, so that the first one
	// shows as an increase (what the alert on it watches).
	for _, n := range archive.Networks {
		m.deletions.WithLabelValues(string(n), string(archive.Function))
	}
	return m
}

// DirectoryAccounts sets the gauge of the accounts this crawler is
// responsible for, by network; every network is set, 0 when it has none.
func (m *Metrics) DirectoryAccounts(accounts []directory.Account) {
	if m == nil {
		return
	}
	count := map[archive.Network]int{}
	for _, a := range accounts {
		count[a.Network]++
	}
	for _, n := range archive.Networks {
		m.directory.WithLabelValues(string(n)).Set(float64(count[n]))
	}
}

// DirectoryValid says whether the latest reading of the directory file
// found it valid (DirectoryAccounts then gives its accounts) or not (the
// crawler goes on with the directory it read before).
func (m *Metrics) DirectoryValid(valid bool) {
	if m == nil {
		return
	}
	v := 0.0
	if valid {
		v = 1
	}
	m.dirValid.Set(v)
}

// RestoreHealth sets the gauges of the accounts given from the archive's
// health records, so that a restarted crawler still tells when each
// account last succeeded. An account never crawled is left unset.
//
// The archive counts as failures every crawl that was not ok since the last
// ok one; here a partial crawl is a success. The restored failures are the
// archive's count when the latest crawl was unreachable (an earlier partial
// crawl among them makes it too high until the next success), 0 otherwise.
func (m *Metrics) RestoreHealth(health []archive.AccountHealth, accounts []directory.Account) {
	if m == nil {
		return
	}
	byID := make(map[string]*archive.AccountHealth, len(health))
	for i := range health {
		byID[health[i].AccountID] = &health[i]
	}
	for _, a := range accounts {
		h := byID[a.ID]
		if h == nil || h.LastAttempt.IsZero() {
			continue
		}
		success, failures := h.LastSuccess, h.ConsecutiveFailures
		if h.LastStatus != archive.CrawlUnreachable {
			failures = 0
		}
		if h.LastStatus == archive.CrawlPartial && h.LastAttempt.After(success) {
			success = h.LastAttempt
		}
		if !success.IsZero() {
			m.lastSuccess.WithLabelValues(a.ID, string(a.Network)).Set(unixSeconds(success))
		}
		m.failures.WithLabelValues(a.ID, string(a.Network)).Set(float64(failures))
		if !h.LastSweep.IsZero() {
			m.lastSweep.WithLabelValues(a.ID, string(a.Network)).Set(unixSeconds(h.LastSweep))
		}
	}
}

// ExportsDue sets, for each account of dir captured from its holder's
// exports, when its next export is due, from the archive's health (an
// import is recorded as the account's crawl).
func (m *Metrics) ExportsDue(dir *directory.Directory, accounts []directory.Account, health []archive.AccountHealth, now time.Time) {
	if m == nil {
		return
	}
	last := make(map[string]time.Time, len(health))
	for _, h := range health {
		last[h.AccountID] = h.LastSuccess
	}
	m.exportDue.Reset()
	for i := range accounts {
		a := &accounts[i]
		if a.Capture == directory.CaptureExport {
			m.exportDue.WithLabelValues(a.ID, string(a.Network)).Set(unixSeconds(dir.NextExport(a, last[a.ID], now)))
		}
	}
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

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

func (m *Metrics) posts(n archive.Network, seen, versions, edits int) {
	if m != nil {
		m.postsSeen.WithLabelValues(string(n)).Add(float64(seen))
		m.versions.WithLabelValues(string(n)).Add(float64(versions))
		m.edits.WithLabelValues(string(n)).Add(float64(edits))
	}
}

func (m *Metrics) decided(d *archive.Decision) {
	if m == nil {
		return
	}
	basis := d.Basis
	if basis == "" {
		basis = "none"
	}
	m.decisions.WithLabelValues(string(labelOrUndetermined(d.Label)), basis).Inc()
}

// accountDone counts an account's crawl and updates its health gauges.
func (m *Metrics) accountDone(acct *directory.Account, status archive.CrawlStatus, finished time.Time) {
	if m == nil {
		return
	}
	n := string(acct.Network)
	result := "ok"
	if status != archive.CrawlOK {
		result = "error"
	}
	m.accountCrawls.WithLabelValues(n, result).Inc()
	if status == archive.CrawlUnreachable {
		m.failures.WithLabelValues(acct.ID, n).Inc()
		return
	}
	m.lastSuccess.WithLabelValues(acct.ID, n).Set(unixSeconds(finished))
	m.failures.WithLabelValues(acct.ID, n).Set(0)
}

// swept records an account's deep sweep that finished well.
func (m *Metrics) swept(acct *directory.Account, checked int, finished time.Time) {
	if m == nil {
		return
	}
	m.lastSweep.WithLabelValues(acct.ID, string(acct.Network)).Set(unixSeconds(finished))
	m.sweepChecked.WithLabelValues(string(acct.Network)).Add(float64(checked))
}

func (m *Metrics) deleted(n archive.Network, label archive.Label) {
	if m != nil {
		m.deletions.WithLabelValues(string(n), string(labelOrUndetermined(label))).Inc()
	}
}

func labelOrUndetermined(l archive.Label) archive.Label {
	if l == "" {
		return archive.Undetermined
	}
	return l
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
