package main

import (
	"context"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/backlog"
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/web"
)

// crawlMetrics are what vigia crawl measures.
type crawlMetrics struct {
	crawler *crawler.Metrics
	inserts *spool.InsertMetrics
	backlog *backlog.Metrics
}

// newCrawlRegistry registers with reg every metric of vigia crawl: the
// process's, the build's, the crawler's, the spool's (of sp), the archive
// inserts' and the review backlog's.
func newCrawlRegistry(reg prometheus.Registerer, sp *spool.Spool) *crawlMetrics {
	registerProcess(reg)
	spool.Metrics(reg, sp)
	return &crawlMetrics{
		crawler: crawler.NewMetrics(reg),
		inserts: spool.NewInsertMetrics(reg),
		backlog: backlog.NewMetrics(reg),
	}
}

// backlogTTL is how long vigia serve keeps the review backlog it read.
const backlogTTL = time.Minute

// newServeRegistry registers with reg every metric of vigia serve: the
// process's, the build's, the web application's, the review backlog (under
// vis, the policy's publication rule), read from the archive open opens
// when Prometheus scrapes (at most once a minute), and the head of the
// audit log.
func newServeRegistry(reg prometheus.Registerer, open func(context.Context, bool) (archive.Store, error), audit *auth.Audit, vis archive.Visibility) *web.Metrics {
	registerProcess(reg)
	auth.NewAuditMetrics(reg, audit)
	backlog.NewCachedMetrics(reg, func(ctx context.Context) (backlog.Backlog, error) {
		st, err := open(ctx, false)
		if err != nil {
			return backlog.Backlog{}, err
		}
		defer st.Close()
		return backlog.Measure(ctx, st, vis)
	}, backlogTTL)
	return web.NewMetrics(reg)
}

// registerProcess registers the metrics every command serving them has:
// the Go runtime's, the process's, and vigia_build_info.
func registerProcess(reg prometheus.Registerer) {
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "vigia_build_info",
		Help:        "Always 1; its labels say which vigia is running and the Go it was built with.",
		ConstLabels: prometheus.Labels{"version": vigiaVersion(), "goversion": runtime.Version()},
	})
	info.Set(1)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), info)
}

// exposedMetrics returns, sorted, the names of the metric families vigia
// crawl and vigia serve expose (a histogram by its base name), as their
// registries declare them: what dashboards and alert rules may name
// (listed for the dashboards' tests in dashboards/testdata/exposed-metrics.txt,
// kept equal by TestExposedMetricsFile).
func exposedMetrics() []string {
	names := metricNames{}
	newCrawlRegistry(names, nil)
	newServeRegistry(names, nil, nil, archive.Visibility{})
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// metricNames is a Registerer that keeps the names of the metrics its
// collectors describe, without collecting them.
type metricNames map[string]bool

func (n metricNames) Register(c prometheus.Collector) error {
	ch := make(chan *prometheus.Desc)
	go func() {
		c.Describe(ch)
		close(ch)
	}()
	for d := range ch {
		// A Desc tells its name only in its String form: Desc{fqName: "…", …}.
		_, rest, ok := strings.Cut(d.String(), "fqName: ")
		if !ok {
			continue
		}
		if q, err := strconv.QuotedPrefix(rest); err == nil {
			if name, err := strconv.Unquote(q); err == nil {
				n[name] = true
			}
		}
	}
	return nil
}

func (n metricNames) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		_ = n.Register(c)
	}
}

func (n metricNames) Unregister(prometheus.Collector) bool { return false }
