package spool

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/durable"
)

// headsFile is the head cache's file in the spool's folder.
const headsFile = "heads.gob"

// Heads is the spool's cache of what a crawl reads of the archive to
// detect changes: each post's head (latest content hash, version, deletion
// state), each account's crawl health (last status, last deep sweep) and
// the hash of the facts of its latest snapshot. It is refreshed from the
// archive whenever the archive answers (Front's reads), and updated from
// every batch the spool takes, so that a crawl that starts with the
// archive unreachable detects edits and deletions from it, and a second
// crawl of the same outage does not record the first one's edits again.
//
// It lives in heads.gob in the spool's folder, written whole to a
// temporary file, synced and renamed over the old one (a crash leaves the
// old or the new, never a mix). What it may miss — batches taken after it
// was last saved — is either still pending in the spool, and applied again
// when the spool is opened, or was delivered, and then the archive holds it
// and a batch crawled from a stale cache is numbered again at delivery
// (rebase). Safe for concurrent use.
type Heads struct {
	path string

	mu      sync.Mutex
	c       headsCache
	dirty   bool
	savedAt time.Time
}

// saveEvery spaces the saves a crawl asks for (SaveDue): the file is
// written whole (some 125 bytes a post: 12 MB and 0.2 s for 100,000
// posts), and what a save misses is found again anyway (pending batches
// are applied on open, delivered ones are in the archive).
const saveEvery = time.Minute

// SaveDue saves the cache if it changed and was last saved over saveEvery
// ago (or never by this process).
func (h *Heads) SaveDue() error {
	h.mu.Lock()
	due := h.savedAt.IsZero() || time.Since(h.savedAt) >= saveEvery
	h.mu.Unlock()
	if !due {
		return nil
	}
	return h.Save()
}

// headsCache is what heads.gob holds.
type headsCache struct {
	Posts     map[archive.Key]cachedHead
	Accounts  map[string]cachedAccount
	Refreshed time.Time // when the archive last answered; zero: never
}

type cachedHead struct {
	archive.Head
	StateAt time.Time // of the latest deletion or restoration applied
}

type cachedAccount struct {
	Health     archive.AccountHealth
	Facts      string // FactsSHA256 of the latest snapshot
	RecordedAt time.Time
}

// openHeads reads the cache in dir; a missing file is an empty cache, an
// unreadable one is reported and replaced by an empty one (it is only a
// cache: batches crawled from it are numbered again at delivery).
func openHeads(dir string) (*Heads, *Problem) {
	h := &Heads{path: filepath.Join(dir, headsFile), c: emptyCache()}
	data, err := os.ReadFile(h.path)
	if errors.Is(err, os.ErrNotExist) {
		return h, nil
	}
	if err == nil {
		var c headsCache
		if err = gob.NewDecoder(bytes.NewReader(data)).Decode(&c); err == nil {
			if c.Posts == nil {
				c.Posts = map[archive.Key]cachedHead{}
			}
			if c.Accounts == nil {
				c.Accounts = map[string]cachedAccount{}
			}
			h.c = c
			return h, nil
		}
	}
	return h, &Problem{File: h.path, Msg: "head cache unreadable (" + err.Error() + "); starting empty: until the archive answers, posts are taken as new and numbered again at delivery"}
}

func emptyCache() headsCache {
	return headsCache{Posts: map[archive.Key]cachedHead{}, Accounts: map[string]cachedAccount{}}
}

// Refreshed returns when the archive last answered the cache's reads
// (zero: never, the cache knows only what the spool took).
func (h *Heads) Refreshed() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.c.Refreshed
}

// Len returns how many posts the cache knows.
func (h *Heads) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.c.Posts)
}

// apply updates the cache from a batch the spool took. Applying a batch
// twice changes nothing more than applying it once.
func (h *Heads) apply(b *archive.Batch) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range b.Posts {
		p := &b.Posts[i]
		k := p.Key()
		cur, ok := h.c.Posts[k]
		if ok && p.Version < cur.Version {
			continue
		}
		cur.ContentSHA256, cur.Version, cur.PublishedAt = p.ContentSHA256, p.Version, p.PublishedAt
		h.c.Posts[k] = cur
		h.dirty = true
	}
	for i := range b.Events {
		ev := &b.Events[i]
		if ev.Kind != archive.DeletedAtSource && ev.Kind != archive.Restored {
			continue
		}
		k := archive.Key{Network: ev.Network, AccountID: ev.AccountID, PostID: ev.PostID}
		cur, ok := h.c.Posts[k]
		if !ok || ev.ObservedAt.Before(cur.StateAt) {
			continue
		}
		cur.Deleted, cur.StateAt = ev.Kind == archive.DeletedAtSource, ev.ObservedAt
		h.c.Posts[k] = cur
		h.dirty = true
	}
	for i := range b.Accounts {
		a := &b.Accounts[i]
		cur := h.c.Accounts[a.ID]
		if a.RecordedAt.Before(cur.RecordedAt) {
			continue
		}
		cur.Facts, cur.RecordedAt = a.FactsSHA256, a.RecordedAt
		cur.Health.AccountID, cur.Health.Network, cur.Health.Handle = a.ID, a.Network, a.Handle
		h.c.Accounts[a.ID] = cur
		h.dirty = true
	}
	for i := range b.Crawls {
		c := &b.Crawls[i]
		cur := h.c.Accounts[c.AccountID]
		hl := &cur.Health
		if !c.FinishedAt.After(hl.LastAttempt) {
			continue // applied already, or older than what is known
		}
		hl.AccountID, hl.Network = c.AccountID, c.Network
		hl.LastAttempt, hl.LastStatus = c.FinishedAt, c.Status
		if c.Status == archive.CrawlOK {
			hl.LastSuccess, hl.ConsecutiveFailures = c.FinishedAt, 0
			if c.Sweep {
				hl.LastSweep, hl.LastSweepChecked, hl.LastSweepComplete = c.FinishedAt, c.SweepChecked, c.SweepComplete
			}
		} else {
			hl.ConsecutiveFailures++
			hl.LastError, hl.LastErrorAt = c.Error, c.FinishedAt
		}
		if c.NewestPostAt.After(hl.NewestPostAt) {
			hl.NewestPostAt = c.NewestPostAt
		}
		h.c.Accounts[c.AccountID] = cur
		h.dirty = true
	}
}

// refreshHeads replaces what the cache knows of the accounts' posts (all
// accounts when ids is empty) with what the archive answered, then applies
// again the batches still pending (the archive has not got them yet).
func (h *Heads) refreshHeads(ids []string, heads map[archive.Key]archive.Head, pending []*archive.Batch) {
	of := accountSet(ids)
	h.mu.Lock()
	for k := range h.c.Posts {
		if of(k.AccountID) {
			delete(h.c.Posts, k)
		}
	}
	// The archive's deletion states hold until a pending batch says
	// otherwise: a zero StateAt lets any event of those batches apply.
	for k, hd := range heads {
		h.c.Posts[k] = cachedHead{Head: hd}
	}
	h.c.Refreshed, h.dirty = time.Now().UTC(), true
	h.mu.Unlock()
	for _, b := range pending {
		h.apply(b)
	}
}

// refreshHealth replaces the cache's account health with the archive's.
func (h *Heads) refreshHealth(health []archive.AccountHealth, pending []*archive.Batch) {
	h.mu.Lock()
	for _, hl := range health {
		cur := h.c.Accounts[hl.AccountID]
		cur.Health = hl
		h.c.Accounts[hl.AccountID] = cur
	}
	h.dirty = true
	h.mu.Unlock()
	for _, b := range pending {
		h.apply(b)
	}
}

// refreshAccounts replaces the cache's snapshot hashes with the archive's.
func (h *Heads) refreshAccounts(accounts []archive.Account, pending []*archive.Batch) {
	h.mu.Lock()
	for _, a := range accounts {
		cur := h.c.Accounts[a.ID]
		cur.Facts, cur.RecordedAt = a.FactsSHA256, a.RecordedAt
		if cur.Health.AccountID == "" {
			cur.Health.AccountID, cur.Health.Network, cur.Health.Handle = a.ID, a.Network, a.Handle
		}
		h.c.Accounts[a.ID] = cur
	}
	h.dirty = true
	h.mu.Unlock()
	for _, b := range pending {
		h.apply(b)
	}
}

// accountSet tells whether an account is among ids (every account when
// ids is empty).
func accountSet(ids []string) func(string) bool {
	if len(ids) == 0 {
		return func(string) bool { return true }
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return func(id string) bool { return set[id] }
}

// heads answers archive.Reader's Heads from the cache.
func (h *Heads) heads(ids []string) map[archive.Key]archive.Head {
	h.mu.Lock()
	defer h.mu.Unlock()
	of := accountSet(ids)
	out := map[archive.Key]archive.Head{}
	for k, cur := range h.c.Posts {
		if of(k.AccountID) {
			out[k] = cur.Head
		}
	}
	return out
}

// health answers archive.Reader's Health from the cache.
func (h *Heads) health() []archive.AccountHealth {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []archive.AccountHealth
	for _, a := range h.c.Accounts {
		if !a.Health.LastAttempt.IsZero() {
			out = append(out, a.Health)
		}
	}
	slices.SortFunc(out, func(a, b archive.AccountHealth) int { return cmp.Compare(a.AccountID, b.AccountID) })
	return out
}

// accounts answers archive.Reader's Accounts from the cache: each account's
// id, network, handle and the hash of its latest snapshot's facts.
func (h *Heads) accounts() []archive.Account {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []archive.Account
	for id, a := range h.c.Accounts {
		if a.Facts != "" {
			out = append(out, archive.Account{ID: id, Network: a.Health.Network, Handle: a.Health.Handle, FactsSHA256: a.Facts, RecordedAt: a.RecordedAt})
		}
	}
	slices.SortFunc(out, func(a, b archive.Account) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Save writes the cache to its file if it changed since it was read or last
// saved: a temporary file, synced, renamed over the old one, and the folder
// synced.
func (h *Heads) Save() error {
	h.mu.Lock()
	if !h.dirty {
		h.mu.Unlock()
		return nil
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(&h.c)
	h.dirty, h.savedAt = false, time.Now()
	h.mu.Unlock()
	if err != nil {
		return fmt.Errorf("save the head cache %s: %w", h.path, err)
	}
	if err := writeAtomic(h.path, buf.Bytes()); err != nil {
		h.mu.Lock()
		h.dirty = true
		h.mu.Unlock()
		return fmt.Errorf("save the head cache: %w", err)
	}
	return nil
}

// writeAtomic replaces path with data: a crash leaves the old file or the
// new one whole.
func writeAtomic(path string, data []byte) error { return durable.WriteFile(path, data, 0o600) }
