package clickhouse

import (
	"context"
	"fmt"

	"github.com/vigia-mx/vigia/archive"
)

// Facets counts the posts matching q by label, network, area, account and
// basis, in one reading of them: the posts are first counted by the
// combination of their facets' values (a few thousand rows for a million
// posts), then each combination becomes a row per facet (arrayJoin, as
// 18.16 has no grouping sets) and the counts are summed.
func (s *Store) Facets(ctx context.Context, q archive.Query) (*archive.Facets, error) {
	fail := func(err error) (*archive.Facets, error) {
		return nil, fmt.Errorf("count facets in archive %q: %w", s.name, err)
	}
	ctx, from, args, err := s.matching(ctx, q)
	if err != nil {
		return fail(err)
	}
	// edited and deleted count the posts whose value is "1"; an empty area
	// or basis is not listed.
	sqlText := fmt.Sprintf(`SELECT fv.1 AS facet, fv.2 AS value, sum(posts) AS n
		FROM (
			SELECT arrayJoin([('total', ''), ('label', label), ('network', network), ('area', area),
				('account', account_id), ('basis', d_basis), ('edited', if(is_edited, '1', '')),
				('deleted', if(is_deleted, '1', ''))]) AS fv, posts
			FROM (
				SELECT label, network, area, account_id, d_basis, edited = 1 OR versions > 1 AS is_edited,
					deleted_at_source != 0 AS is_deleted, count() AS posts
				FROM (%s)
				GROUP BY label, network, area, account_id, d_basis, is_edited, is_deleted
			)
		)
		WHERE facet = 'total' OR value != ''
		GROUP BY fv
		ORDER BY facet, n DESC, value
		LIMIT %d BY facet`, from, archive.FacetLimit)
	rows, err := s.conn.Query(ctx, sqlText, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	f := &archive.Facets{}
	for rows.Next() {
		var facet, value string
		var n uint64
		if err := rows.Scan(&facet, &value, &n); err != nil {
			return fail(err)
		}
		c := archive.FacetCount{Value: value, Count: int(n)}
		switch facet {
		case "total":
			f.Total = c.Count
		case "edited":
			f.Edited = c.Count
		case "deleted":
			f.Deleted = c.Count
		case "label":
			f.Labels = append(f.Labels, c)
		case "network":
			f.Networks = append(f.Networks, c)
		case "area":
			f.Areas = append(f.Areas, c)
		case "account":
			f.Accounts = append(f.Accounts, c)
		case "basis":
			f.Bases = append(f.Bases, c)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return f, nil
}

// Counts counts, per account, the posts matching q and the newest and
// oldest dates among them.
func (s *Store) Counts(ctx context.Context, q archive.Query) ([]archive.AccountCount, error) {
	fail := func(err error) ([]archive.AccountCount, error) {
		return nil, fmt.Errorf("count posts in archive %q: %w", s.name, err)
	}
	ctx, from, args, err := s.matching(ctx, q)
	if err != nil {
		return fail(err)
	}
	rows, err := s.conn.Query(ctx, `SELECT account_id, count(), max(published_at), min(if(published_at != 0, published_at, captured_at))
		FROM (`+from+`) GROUP BY account_id ORDER BY account_id`, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	var out []archive.AccountCount
	for rows.Next() {
		var id string
		var n uint64
		var newest, oldest int64
		if err := rows.Scan(&id, &n, &newest, &oldest); err != nil {
			return fail(err)
		}
		c := archive.AccountCount{AccountID: id, Posts: int(n)}
		if newest != 0 {
			c.Newest = fromUS(newest)
		}
		if oldest != 0 {
			c.Oldest = fromUS(oldest)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return out, nil
}
