package clickhouse

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/ext"

	"github.com/vigia-mx/vigia/archive"
)

// Heads returns the latest hash, version and publication time of every post
// of the accounts, and whether it stands deleted at its source.
func (s *Store) Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error) {
	filter, args := accountFilter(accountIDs)
	fail := func(err error) (map[archive.Key]archive.Head, error) {
		return nil, fmt.Errorf("read heads from archive %q: %w", s.name, err)
	}
	rows, err := s.conn.Query(ctx, `SELECT network, account_id, post_id, argMax(content_sha256, version), max(version),
			argMax(published_at, version)
		FROM `+s.db+`.post_versions`+filter+` GROUP BY network, account_id, post_id`, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	heads := map[archive.Key]archive.Head{}
	for rows.Next() {
		var k archive.Key
		var h archive.Head
		var network string
		var version int32
		var published int64
		if err := rows.Scan(&network, &k.AccountID, &k.PostID, &h.ContentSHA256, &version, &published); err != nil {
			return fail(err)
		}
		k.Network, h.Version, h.PublishedAt = archive.Network(network), int(version), fromUS(published)
		heads[k] = h
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	gone, err := s.conn.Query(ctx, `SELECT network, account_id, post_id, argMax(kind, observed_at)
		FROM `+s.db+`.events`+filter+andOrWhere(filter)+`kind IN ('deleted_at_source', 'restored')
		GROUP BY network, account_id, post_id`, args...)
	if err != nil {
		return fail(err)
	}
	defer gone.Close()
	for gone.Next() {
		var k archive.Key
		var network, kind string
		if err := gone.Scan(&network, &k.AccountID, &k.PostID, &kind); err != nil {
			return fail(err)
		}
		k.Network = archive.Network(network)
		if h, ok := heads[k]; ok {
			h.Deleted = kind == string(archive.DeletedAtSource)
			heads[k] = h
		}
	}
	if err := gone.Err(); err != nil {
		return fail(err)
	}
	return heads, nil
}

func accountFilter(ids []string) (string, []any) {
	if len(ids) == 0 {
		return "", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return " WHERE account_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

func andOrWhere(filter string) string {
	if filter == "" {
		return " WHERE "
	}
	return " AND "
}

// Accounts returns the latest snapshot of every account.
func (s *Store) Accounts(ctx context.Context) ([]archive.Account, error) {
	rows, err := s.conn.Query(ctx, `SELECT `+accountColumns+`
		FROM `+s.db+`.accounts ORDER BY account_id, recorded_at DESC LIMIT 1 BY account_id`)
	if err != nil {
		return nil, fmt.Errorf("read accounts from archive %q: %w", s.name, err)
	}
	defer rows.Close()
	var out []archive.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("read accounts from archive %q: %w", s.name, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Summary counts posts, versions, labels and events per account.
func (s *Store) Summary(ctx context.Context) ([]archive.AccountSummary, error) {
	fail := func(err error) ([]archive.AccountSummary, error) {
		return nil, fmt.Errorf("summarise archive %q: %w", s.name, err)
	}
	byID := map[string]*archive.AccountSummary{}
	get := func(id string) *archive.AccountSummary {
		a, ok := byID[id]
		if !ok {
			a = &archive.AccountSummary{AccountID: id, Labels: map[archive.Label]int{}, Newest: map[archive.Label]time.Time{}, Events: map[archive.EventKind]int{}}
			byID[id] = a
		}
		return a
	}
	rows, err := s.conn.Query(ctx, `SELECT account_id, any(network), any(account_type), label, count(), sum(versions),
			countIf(edited = 1 OR versions > 1), max(published_at)
		FROM (`+s.currentPosts("", false)+`) GROUP BY account_id, label`)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, network, typ, label string
		var posts, versions, edited uint64
		var newest int64
		if err := rows.Scan(&id, &network, &typ, &label, &posts, &versions, &edited, &newest); err != nil {
			return fail(err)
		}
		a := get(id)
		a.Network, a.Type = archive.Network(network), typ
		a.Posts += int(posts)
		a.Versions += int(versions)
		a.Edited += int(edited)
		a.Labels[archive.Label(label)] = int(posts)
		if newest != 0 {
			a.Newest[archive.Label(label)] = fromUS(newest)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	erows, err := s.conn.Query(ctx, `SELECT account_id, kind, count() FROM `+s.db+`.events GROUP BY account_id, kind`)
	if err != nil {
		return fail(err)
	}
	defer erows.Close()
	for erows.Next() {
		var id, kind string
		var n uint64
		if err := erows.Scan(&id, &kind, &n); err != nil {
			return fail(err)
		}
		get(id).Events[archive.EventKind(kind)] = int(n)
	}
	if err := erows.Err(); err != nil {
		return fail(err)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]archive.AccountSummary, 0, len(ids))
	for _, id := range ids {
		out = append(out, *byID[id])
	}
	return out, nil
}

func decodeMedia(what, media string) ([]archive.Media, error) {
	var ms []archive.Media
	if err := json.Unmarshal([]byte(media), &ms); err != nil {
		return nil, fmt.Errorf("post %s: decode media: %w", what, err)
	}
	return ms, nil
}

// accountsMatching returns, as the external table _accounts, the ids of
// the accounts whose latest snapshot is in q's Area and names a servant
// whose name holds q's Servant (case and accents aside). The names are
// compared here, folded as texts are, for 18.16 has no function that
// strips accents; there are as many as accounts in the directory.
func (s *Store) accountsMatching(ctx context.Context, q archive.Query) (*ext.Table, error) {
	rows, err := s.conn.Query(ctx, `SELECT account_id, argMax(area, recorded_at), argMax(servant_name, recorded_at)
		FROM `+s.db+`.accounts GROUP BY account_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t, err := ext.NewTable("_accounts", ext.Column("account_id", "String"))
	if err != nil {
		return nil, err
	}
	servant := archive.FoldText(q.Servant)
	for rows.Next() {
		var id, area, name string
		if err := rows.Scan(&id, &area, &name); err != nil {
			return nil, err
		}
		if q.Area != "" && area != q.Area || !strings.Contains(archive.FoldText(name), servant) {
			continue
		}
		if err := t.Append(id); err != nil {
			return nil, err
		}
	}
	return t, rows.Err()
}
