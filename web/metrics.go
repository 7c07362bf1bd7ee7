package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the application's Prometheus metrics: requests by route
// (the pattern registered, never the path asked for, so that the series
// stay few; "other" for a request no route matches) and status code. A nil
// *Metrics records nothing.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// otherRoute names the requests no registered route matches.
const otherRoute = "other"

// NewMetrics builds the application's metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigia_http_requests_total",
			Help: `Requests answered by the web application, by route (the pattern, e.g. "GET /api/v1/posts"; other when none matched) and status code.`,
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "vigia_http_request_duration_seconds",
			Help:    "Time the web application took to answer a request, by route.",
			Buckets: prometheus.ExponentialBuckets(0.005, 3, 9),
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// instrument returns h with its requests counted and timed under route.
func (m *Metrics) instrument(route string, h http.Handler) http.Handler {
	if m == nil {
		return h
	}
	labels := prometheus.Labels{"route": route}
	return promhttp.InstrumentHandlerDuration(m.duration.MustCurryWith(labels),
		promhttp.InstrumentHandlerCounter(m.requests.MustCurryWith(labels), h))
}
