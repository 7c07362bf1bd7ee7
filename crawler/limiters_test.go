package crawler

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestIdleLimitersAreDropped(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		rate     float64
		idle     time.Duration // since the host's last request
		wantKept bool
	}{
		{"idle and refilled", 1, 2 * limiterIdle, false},
		{"used recently", 1, limiterIdle / 2, true},
		// One request every 100 days: idle for long, its bucket still empty.
		{"idle but not refilled", 1.0 / (100 * 24 * 3600), 2 * limiterIdle, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClient(ClientOptions{HostRate: tt.rate}, nil)
			if err := c.wait(ctx, "a.example"); err != nil {
				t.Fatal(err)
			}
			c.mu.Lock()
			now := c.used["a.example"].Add(tt.idle)
			c.sweepLimiters(now)
			_, kept := c.limiters["a.example"]
			c.mu.Unlock()
			if kept != tt.wantKept {
				t.Errorf("limiter kept: %v, want %v", kept, tt.wantKept)
			}
		})
	}
}

// A new host sweeps the idle limiters, at most once per limiterSweepEvery.
func TestNewHostSweepsLimiters(t *testing.T) {
	ctx := context.Background()
	c := NewClient(ClientOptions{HostRate: 1e6}, nil) // a bucket refilled within a microsecond
	for _, h := range []string{"a.example", "b.example"} {
		if err := c.wait(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	c.mu.Lock()
	c.used["a.example"] = time.Now().Add(-2 * limiterIdle)
	// a.example's bucket, refilled: a new limiter is full. (Waiting for the
	// clock to refill the used one depends on its resolution, which on a
	// busy virtual machine can stand still for the whole test.)
	c.limiters["a.example"] = rate.NewLimiter(rate.Limit(c.opts.HostRate), 1)
	c.swept = time.Now() // swept just now: the next host does not sweep again
	c.mu.Unlock()
	if err := c.wait(ctx, "c.example"); err != nil {
		t.Fatal(err)
	}
	if got, want := len(c.limiters), 3; got != want {
		t.Fatalf("%d limiters after a sweep within a minute, want %d", got, want)
	}
	c.mu.Lock()
	c.swept = time.Now().Add(-2 * limiterSweepEvery)
	c.mu.Unlock()
	if err := c.wait(ctx, "d.example"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.limiters["a.example"]; ok || len(c.limiters) != 3 {
		t.Errorf("limiters %v: want a.example dropped, b, c and d kept", c.limiters)
	}
	if _, ok := c.used["a.example"]; ok {
		t.Error("a.example's last use is kept after its limiter went")
	}
}
