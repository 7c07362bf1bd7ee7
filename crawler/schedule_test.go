package crawler

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/directory"
)

func TestScheduleOffsetsAreSpreadAndStable(t *testing.T) {
	s := Schedule{Every: 15 * time.Minute, Spread: 15 * time.Minute}
	if got, want := s.slot(), 15*time.Second; got != want {
		t.Fatalf("slot = %s, want %s", got, want)
	}
	slots := map[time.Duration]int{}
	for i := range 600 {
		id := fmt.Sprintf("cuenta-%d", i)
		off := s.Offset(id)
		if off < 0 || off >= s.Every || off%s.slot() != 0 {
			t.Fatalf("Offset(%q) = %s: want a whole slot within the period", id, off)
		}
		if off != s.Offset(id) {
			t.Fatalf("Offset(%q) changed between calls", id)
		}
		slots[off]++
	}
	// 600 accounts over 60 slots: every slot used, none with a crowd.
	if len(slots) != 60 {
		t.Errorf("accounts fell in %d of 60 slots", len(slots))
	}
	for off, n := range slots {
		if n > 30 {
			t.Errorf("slot %s holds %d of 600 accounts", off, n)
		}
	}
	if got := (Schedule{Every: time.Hour}).Offset("cuenta-1"); got != 0 {
		t.Errorf("offset without spread = %s, want 0", got)
	}
}

func TestScheduleRunCrawlsEveryAccountUntilStopped(t *testing.T) {
	var accounts []directory.Account
	for i := range 8 {
		accounts = append(accounts, directory.Account{ID: fmt.Sprintf("c%d", i)})
	}
	s := Schedule{Every: 200 * time.Millisecond, Spread: 200 * time.Millisecond, Slot: 50 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	crawled := map[string]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, accounts, func(_ context.Context, due []directory.Account) {
			mu.Lock()
			defer mu.Unlock()
			slot := s.Offset(due[0].ID)
			for _, a := range due {
				crawled[a.ID]++
				if s.Offset(a.ID) != slot && crawled[a.ID] == 1 {
					t.Errorf("one wave mixes slots: %s and %s", due[0].ID, a.ID)
				}
			}
			if len(crawled) == len(accounts) && crawled[due[0].ID] >= 2 {
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not stop after its context ended")
	}
	for _, a := range accounts {
		if crawled[a.ID] == 0 {
			t.Errorf("account %s never crawled", a.ID)
		}
	}
}

// TestScheduleRunFromFollowsTheDirectory: the accounts are asked for again
// before each slot; one that appears is crawled, one that disappears is not
// crawled again.
func TestScheduleRunFromFollowsTheDirectory(t *testing.T) {
	s := Schedule{Every: 100 * time.Millisecond, Spread: 100 * time.Millisecond, Slot: 25 * time.Millisecond}
	var mu sync.Mutex
	listed := []directory.Account{{ID: "antes"}, {ID: "se-va"}}
	crawled := map[string]int{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.RunFrom(ctx, func() []directory.Account {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(listed)
		}, func(_ context.Context, due []directory.Account) {
			mu.Lock()
			defer mu.Unlock()
			for _, a := range due {
				crawled[a.ID]++
			}
			switch {
			case crawled["antes"] == 2 && crawled["nueva"] == 0: // the directory is replaced
				listed = []directory.Account{{ID: "antes"}, {ID: "nueva"}}
			case crawled["nueva"] >= 2:
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("RunFrom did not crawl the new account twice")
	}
	if got := crawled["se-va"]; got > 2 {
		t.Errorf("the account removed from the directory was crawled %d times, want at most 2 (before it went)", got)
	}
}
