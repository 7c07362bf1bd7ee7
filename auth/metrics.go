package auth

import "github.com/prometheus/client_golang/prometheus"

// AuditMetrics exposes the audit log's head to Prometheus.
type AuditMetrics struct {
	audit   *Audit
	entries *prometheus.Desc
}

// NewAuditMetrics registers with reg the gauge vigia_audit_entries: the seq
// of a's last entry, read when Prometheus scrapes. Prometheus keeps what
// the log's writer cannot rewrite: a log whose seq goes down was cut. A
// scrape while the log cannot be read has no sample (alert on its
// absence).
func NewAuditMetrics(reg prometheus.Registerer, a *Audit) *AuditMetrics {
	m := &AuditMetrics{audit: a, entries: prometheus.NewDesc("vigia_audit_entries",
		"Seq of the audit log's last entry: the entries it has recorded.", nil, nil)}
	reg.MustRegister(m)
	return m
}

// Describe implements prometheus.Collector.
func (m *AuditMetrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.entries }

// Collect implements prometheus.Collector.
func (m *AuditMetrics) Collect(ch chan<- prometheus.Metric) {
	h, err := m.audit.Head()
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(m.entries, prometheus.GaugeValue, float64(h.Seq))
}
