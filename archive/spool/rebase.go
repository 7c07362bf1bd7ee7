package spool

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/vigia-mx/vigia/archive"
)

// rebase returns an offline batch (one crawled from the head cache while
// the archive was unreachable) as it reads against what the archive holds
// now: a cache that was missing something (it never saw the archive, or
// the process died before saving what it had delivered) made the crawl
// take for new what the archive has. So:
//
//   - a version whose content is the post's latest in the archive is left
//     out, with its first-seen or edit event and its decision; any other
//     version is numbered after the archive's latest, and its event says
//     first seen for version 1, an edit after it;
//   - a deletion of a post the archive already has deleted, or a
//     restoration of one it has not, is left out;
//   - an account snapshot with the facts of the archive's latest is left
//     out.
//
// Captures, fetches and crawl records are observations of their own and go
// as they are. A batch is rebased once, before its first delivery, and the
// result kept in the spool (Spool.rebased): a replay, which may find part
// of it stored (ClickHouse stores a batch a table at a time, a cluster a
// shard at a time), sends the very same records. Should that file be lost,
// a replay is rebased again, and a version left out then still has its
// event and decision delivered when the archive's history of the post
// lacks them.
func rebase(ctx context.Context, r archive.Reader, b *archive.Batch) (*archive.Batch, error) {
	var ids []string
	seenAcct := map[string]bool{}
	for _, k := range batchKeys(b) {
		if !seenAcct[k.AccountID] {
			seenAcct[k.AccountID] = true
			ids = append(ids, k.AccountID)
		}
	}
	out := *b
	if len(ids) > 0 {
		heads, err := r.Heads(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("read the archive's heads to number offline records: %w", err)
		}
		if err := rebasePosts(ctx, r, &out, heads); err != nil {
			return nil, err
		}
	}
	if len(b.Accounts) > 0 {
		stored, err := r.Accounts(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the archive's accounts to deliver offline records: %w", err)
		}
		latest := make(map[string]string, len(stored))
		for _, a := range stored {
			latest[a.ID] = a.FactsSHA256
		}
		out.Accounts = nil
		for _, a := range b.Accounts {
			if latest[a.ID] != a.FactsSHA256 {
				out.Accounts = append(out.Accounts, a)
			}
		}
	}
	return &out, nil
}

// version is what became of a version of the batch.
type version struct {
	key    archive.Key
	hash   string
	from   int  // the number the crawl gave it
	to     int  // the number it is delivered with
	stored bool // the archive holds it: left out
}

func rebasePosts(ctx context.Context, r archive.Reader, b *archive.Batch, heads map[archive.Key]archive.Head) error {
	fates := map[archive.Key]map[string]*version{}
	posts := b.Posts
	b.Posts = nil
	for _, p := range posts {
		k := p.Key()
		h, known := heads[k]
		v := &version{key: k, hash: p.ContentSHA256, from: p.Version}
		if known && h.ContentSHA256 == p.ContentSHA256 {
			v.stored, v.to = true, h.Version
		} else {
			v.to = h.Version + 1
			p.Version = v.to
			b.Posts = append(b.Posts, p)
			h.ContentSHA256, h.Version, h.PublishedAt = p.ContentSHA256, v.to, p.PublishedAt
			heads[k] = h
		}
		if fates[k] == nil {
			fates[k] = map[string]*version{}
		}
		fates[k][p.ContentSHA256] = v
	}
	// A replay may have stored some tables of the batch and not others:
	// for a version the archive holds, ask the post's history whether its
	// event and decision are there.
	histories := map[archive.Key]*archive.PostHistory{}
	history := func(k archive.Key) (*archive.PostHistory, error) {
		if h, ok := histories[k]; ok {
			return h, nil
		}
		h, err := r.History(ctx, k)
		if errors.Is(err, archive.ErrNotFound) {
			h, err = &archive.PostHistory{Key: k}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read the archive's history of %s/%s to deliver offline records: %w", k.AccountID, k.PostID, err)
		}
		histories[k] = h
		return h, nil
	}
	events := b.Events
	b.Events = nil
	for _, ev := range events {
		k := archive.Key{Network: ev.Network, AccountID: ev.AccountID, PostID: ev.PostID}
		switch ev.Kind {
		case archive.FirstSeen, archive.Edited, archive.Reparsed:
			v := fates[k][ev.ContentSHA256]
			if v == nil {
				break // no version of it in the batch: as it is
			}
			if v.stored {
				if !b.Replayed {
					continue
				}
				h, err := history(k)
				if err != nil {
					return err
				}
				if hasVersionEvent(h, ev.ContentSHA256) {
					continue
				}
			}
			switch {
			case v.to == 1:
				ev.Kind = archive.FirstSeen
			case ev.Kind == archive.FirstSeen:
				ev.Kind = archive.Edited
			}
			if old := fmt.Sprintf("version %d ", v.from); v.from != v.to && strings.HasPrefix(ev.Evidence, old) {
				ev.Evidence = fmt.Sprintf("version %d ", v.to) + strings.TrimPrefix(ev.Evidence, old)
			}
		case archive.DeletedAtSource, archive.Restored:
			h, known := heads[k]
			deleted := ev.Kind == archive.DeletedAtSource
			if known && h.Deleted == deleted {
				continue // the archive says so already
			}
			if known {
				h.Deleted = deleted
				heads[k] = h
			}
		}
		b.Events = append(b.Events, ev)
	}
	decisions := b.Decisions
	b.Decisions = nil
	for _, d := range decisions {
		k := archive.Key{Network: d.Network, AccountID: d.AccountID, PostID: d.PostID}
		if v := fates[k][d.ContentSHA256]; v != nil && v.stored {
			if !b.Replayed {
				continue
			}
			h, err := history(k)
			if err != nil {
				return err
			}
			if hasDecision(h, d.ContentSHA256) {
				continue
			}
		}
		b.Decisions = append(b.Decisions, d)
	}
	return nil
}

// batchKeys returns the posts a batch's versions and events name.
func batchKeys(b *archive.Batch) []archive.Key {
	var ks []archive.Key
	for i := range b.Posts {
		ks = append(ks, b.Posts[i].Key())
	}
	for _, ev := range b.Events {
		if ev.PostID != "" {
			ks = append(ks, archive.Key{Network: ev.Network, AccountID: ev.AccountID, PostID: ev.PostID})
		}
	}
	return ks
}

func hasVersionEvent(h *archive.PostHistory, hash string) bool {
	for _, ev := range h.Events {
		if ev.ContentSHA256 == hash && (ev.Kind == archive.FirstSeen || ev.Kind == archive.Edited || ev.Kind == archive.Reparsed) {
			return true
		}
	}
	return false
}

func hasDecision(h *archive.PostHistory, hash string) bool {
	for _, d := range h.Decisions {
		if d.ContentSHA256 == hash {
			return true
		}
	}
	return false
}
