package spool

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/vigia-mx/vigia/archive"
)

// failing is a store whose appends fail while down is set.
type failing struct {
	archive.Store
	down bool
}

func (f *failing) Append(ctx context.Context, b *archive.Batch) error {
	if f.down {
		return context.DeadlineExceeded
	}
	return f.Store.Append(ctx, b)
}

// TestInsertMetricsCountWhatReachesTheArchive: rows are counted by table
// when the archive takes them, refusals as errors, every append timed.
func TestInsertMetricsCountWhatReachesTheArchive(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewInsertMetrics(reg)
	sp, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	Metrics(reg, sp)
	arc := &failing{Store: store(t), down: true}
	front := &Front{Store: m.Instrument(arc), Spool: sp}
	ctx := context.Background()
	if err := front.Append(ctx, batch("1")); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.errors); got != 1 {
		t.Errorf("errors = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.rows.WithLabelValues("post_versions")); got != 0 {
		t.Errorf("rows counted while the archive refused them: %v", got)
	}
	arc.down = false
	if err := front.Append(ctx, batch("2")); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]float64{"post_versions": 2, "captures": 2, "events": 0, "runs": 0} {
		if got := testutil.ToFloat64(m.rows.WithLabelValues(table)); got != want {
			t.Errorf("rows of %s = %v, want %v", table, got, want)
		}
	}
	if got := testutil.CollectAndCount(m.duration); got != 1 {
		t.Errorf("duration series = %d, want 1", got)
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("metric %s: %s", p.Metric, p.Text)
	}
	if n, _ := sp.Pending(); n != 0 {
		t.Errorf("%d batches wait after the archive came back", n)
	}
	var none *InsertMetrics
	if none.Instrument(arc) != archive.Store(arc) {
		t.Error("a nil *InsertMetrics changed the store")
	}
}
