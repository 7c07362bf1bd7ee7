package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/vigia-mx/vigia/archive"
)

// Facets counts the posts matching q by label, network, area, account and
// basis, in one reading of them (grouping sets).
func (s *Store) Facets(ctx context.Context, q archive.Query) (*archive.Facets, error) {
	from, args := matching(q)
	sqlText := fmt.Sprintf(`SELECT facet, value, n, edited, deleted FROM (
			SELECT CASE WHEN grouping(label) = 0 THEN 'label'
			            WHEN grouping(network) = 0 THEN 'network'
			            WHEN grouping(area) = 0 THEN 'area'
			            WHEN grouping(account_id) = 0 THEN 'account'
			            WHEN grouping(basis) = 0 THEN 'basis'
			            ELSE 'total' END AS facet,
			       coalesce(label, network, area, account_id, basis, '') AS value,
			       count(*) AS n,
			       count(*) FILTER (WHERE edited OR versions > 1) AS edited,
			       count(*) FILTER (WHERE deleted_at_source IS NOT NULL) AS deleted
			FROM (%s)
			GROUP BY GROUPING SETS ((label), (network), (area), (account_id), (basis), ())
		)
		WHERE facet = 'total' OR value <> ''
		QUALIFY row_number() OVER (PARTITION BY facet ORDER BY n DESC, value) <= %d
		ORDER BY facet, n DESC, value`, from, archive.FacetLimit)
	rows, err := s.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("count facets in archive %q: %w", s.path, err)
	}
	defer rows.Close()
	f := &archive.Facets{}
	for rows.Next() {
		var facet, value string
		var n, edited, deleted int
		if err := rows.Scan(&facet, &value, &n, &edited, &deleted); err != nil {
			return nil, fmt.Errorf("count facets in archive %q: %w", s.path, err)
		}
		c := archive.FacetCount{Value: value, Count: n}
		switch facet {
		case "total":
			f.Total, f.Edited, f.Deleted = n, edited, deleted
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
		return nil, fmt.Errorf("count facets in archive %q: %w", s.path, err)
	}
	return f, nil
}

// Counts counts, per account, the posts matching q and the newest and
// oldest dates among them.
func (s *Store) Counts(ctx context.Context, q archive.Query) ([]archive.AccountCount, error) {
	from, args := matching(q)
	rows, err := s.db.QueryContext(ctx, `SELECT account_id, count(*), max(published_at), min(coalesce(published_at, captured_at))
		FROM (`+from+`) GROUP BY account_id ORDER BY account_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("count posts in archive %q: %w", s.path, err)
	}
	defer rows.Close()
	var out []archive.AccountCount
	for rows.Next() {
		var c archive.AccountCount
		var newest, oldest sql.NullTime
		if err := rows.Scan(&c.AccountID, &c.Posts, &newest, &oldest); err != nil {
			return nil, fmt.Errorf("count posts in archive %q: %w", s.path, err)
		}
		c.Newest, c.Oldest = newest.Time, oldest.Time
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count posts in archive %q: %w", s.path, err)
	}
	return out, nil
}
