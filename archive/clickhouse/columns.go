package clickhouse

import (
	"context"
	"fmt"
)

// later lists the columns added to a table after archives were first created
// with it. CREATE TABLE IF NOT EXISTS leaves an existing table as it is, so
// migrate adds each of these where it is missing. ClickHouse 18.16 has no
// ADD COLUMN IF NOT EXISTS: the server's system.columns says which are.
// A column listed here must also be in the table's columns (tables.go).
var later = []struct{ table, column string }{
	{"post_versions", "shared"},          // someone else's post a version carries (archive.Shared, JSON)
	{"account_crawls", "sweep"},          // the crawl was a deep sweep (archive.AccountCrawl.Sweep)
	{"account_crawls", "sweep_complete"}, // its listing reached the end of the history
	{"account_crawls", "sweep_checked"},  // archived posts it checked
	{"accounts", "electoral"},            // leaves and candidacies (archive.Electoral, JSON)
}

// addColumns adds to the tables of an existing archive the columns of later
// it does not have yet. Rows stored before hold the type's default ("").
func (s *Store) addColumns(ctx context.Context) error {
	for _, l := range later {
		typ := ""
		for _, t := range tables {
			if t.name != l.table {
				continue
			}
			for _, c := range t.columns {
				if c.name == l.column {
					typ = c.typ
				}
			}
		}
		if typ == "" {
			return fmt.Errorf("column %s.%s is not among the table's columns", l.table, l.column)
		}
		names := []string{l.table}
		on := ""
		if s.cluster != "" {
			names = []string{l.table + "_local", l.table}
			on = " ON CLUSTER " + s.cluster
		}
		for _, name := range names {
			var n uint64
			if err := s.conn.QueryRow(ctx, "SELECT count() FROM system.columns WHERE database = ? AND table = ? AND name = ?",
				s.db, name, l.column).Scan(&n); err != nil {
				return fmt.Errorf("read the columns of %s: %w", name, err)
			}
			if n > 0 {
				continue
			}
			if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s.%s%s ADD COLUMN %s %s", s.db, name, on, l.column, typ)); err != nil {
				return fmt.Errorf("add column %s to %s: %w", l.column, name, err)
			}
		}
	}
	return nil
}
