package clickhouse

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/vigia-mx/vigia/archive"
)

// Store is an archive in a ClickHouse database.
type Store struct {
	conn    driver.Conn
	db      string
	cluster string // "" on one server
	quorum  int    // on a cluster, the replicas of a shard an insert waits for (0: one)
	name    string // the URL without password, for messages
}

var _ archive.Store = (*Store)(nil)

// SchemaVersion is the version of the tables this build creates: 2 added
// post_heads and its views (heads.go).
const SchemaVersion = 2

var dbName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ErrBadURL reports an archive URL Open cannot use.
var ErrBadURL = errors.New("bad ClickHouse archive URL")

// Open connects to the database a clickhouse:// URL names —
// clickhouse://[USER[:PASSWORD]@]HOST:PORT/DB[?secure=true&skip_verify=true&cluster=NAME]
// (the native protocol's port, 9000 by default) — and creates the database
// and its tables if they are missing (on every server of cluster NAME when
// given; see DDL). password, when not empty, is used when
// the URL has none (VIGIA_CLICKHOUSE_PASSWORD).
func Open(ctx context.Context, rawURL, password string) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "clickhouse" || u.Host == "" {
		return nil, fmt.Errorf("open archive %q: %w: expected clickhouse://HOST:PORT/DB", redact(rawURL), ErrBadURL)
	}
	db := strings.Trim(u.Path, "/")
	if db == "" {
		db = "vigia"
	}
	if !dbName.MatchString(db) {
		return nil, fmt.Errorf("open archive %q: %w: database name %q: letters, digits and _ only", redact(rawURL), ErrBadURL, db)
	}
	host := u.Host
	if u.Port() == "" {
		host += ":9000"
	}
	opts := &clickhouse.Options{
		Addr:        []string{host},
		Protocol:    clickhouse.Native,
		DialTimeout: 10 * time.Second,
		Auth:        clickhouse.Auth{Database: "default", Username: u.User.Username()},
	}
	if pw, ok := u.User.Password(); ok {
		opts.Auth.Password = pw
	} else {
		opts.Auth.Password = password
	}
	if opts.Auth.Username == "" {
		opts.Auth.Username = "default"
	}
	q := u.Query()
	cluster := q.Get("cluster")
	if cluster != "" && !dbName.MatchString(cluster) {
		return nil, fmt.Errorf("open archive %q: %w: cluster name %q: letters, digits and _ only", redact(rawURL), ErrBadURL, cluster)
	}
	// (No setting goes with every query: clickhouse-go sends 18.16 only
	// numeric ones, and a readonly=1 user may send none. The reads need
	// none on a cluster: see DDL.)
	quorum := 0
	if v := q.Get("insert_quorum"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10 || cluster == "" {
			return nil, fmt.Errorf("open archive %q: %w: insert_quorum %q: a number of replicas (0–10), with cluster=NAME", redact(rawURL), ErrBadURL, v)
		}
		quorum = n
	}
	if q.Get("secure") == "true" {
		opts.TLS = &tls.Config{InsecureSkipVerify: q.Get("skip_verify") == "true"} //nolint:gosec // the operator's explicit choice
	}
	s := &Store{db: db, cluster: cluster, quorum: quorum, name: redact(rawURL)}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("open archive %q: %w", s.name, err)
	}
	s.conn = conn
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("open archive %q: %w", s.name, err)
	}
	if err := s.migrate(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("open archive %q: %w", s.name, err)
	}
	return s, nil
}

// redact drops the password from a URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// DDL returns the statements that create the database and its tables. On
// one server (cluster ""), MergeTree tables. On a cluster, every statement
// runs ON CLUSTER: each table is a ReplicatedMergeTree NAME_local on every
// replica of every shard (paths from the {shard} and {replica} macros of the
// servers' configuration) and a Distributed table NAME over them, sharded by
// account (cityHash64(account_id)), so that a post's records stay on one
// shard. Reads and inserts use the Distributed tables by the same names as
// on one server; every JOIN and IN of the reads is on a subquery, which the
// server that received the query runs over the Distributed tables, or on
// an external table it sends to every shard, so that no read needs
// distributed_product_mode (queries_test.go in dashboards checks the
// dashboards' queries the same way).
func DDL(db, cluster string) []string {
	on, engine := "", func(kind, _ string) string { return kind + "()" }
	if cluster != "" {
		on = " ON CLUSTER " + cluster
		engine = func(kind, local string) string {
			return fmt.Sprintf("Replicated%s('/clickhouse/tables/{shard}/%s/%s', '{replica}')", kind, db, local)
		}
	}
	type def struct {
		name, columns, partition, order, shardBy string
		granule                                  int
	}
	defs := []def{{"schema_migrations", "version Int32, applied_at Int64", "", "version", "version", 0}}
	for _, t := range tables {
		var cs []string
		for _, c := range t.columns {
			cs = append(cs, c.name+" "+c.typ)
		}
		cs = append(cs, "batch_id String") // the spool's batch, for idempotent replays
		// A table of no account (runs, fixity_checks) is sharded by its
		// first column, not at random: a block sent again is split the
		// same way, so each shard can drop its part as a repeat (Append).
		shardBy := "cityHash64(account_id)"
		if !slices.ContainsFunc(t.columns, func(c column) bool { return c.name == "account_id" }) {
			shardBy = "cityHash64(" + t.columns[0].name + ")"
		}
		defs = append(defs, def{t.name, strings.Join(cs, ", "), t.partition, t.order, shardBy, t.granule})
	}
	stmts := []string{"CREATE DATABASE IF NOT EXISTS " + db + on}
	for _, d := range defs {
		partition := ""
		if d.partition != "" {
			partition = " PARTITION BY " + d.partition
		}
		settings := ""
		if d.granule > 0 {
			settings = fmt.Sprintf(" SETTINGS index_granularity = %d", d.granule)
		}
		local := d.name
		if cluster != "" {
			local += "_local"
		}
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s (%s) ENGINE = %s%s ORDER BY %s%s",
			db, local, on, d.columns, engine("MergeTree", local), partition, d.order, settings))
		if cluster != "" {
			stmts = append(stmts, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s AS %s.%s ENGINE = Distributed(%s, %s, %s, %s)",
				db, d.name, on, db, local, cluster, db, local, d.shardBy))
		}
	}
	if cluster == "" {
		return append(stmts, headsDDL(db, "", "post_heads", engine("AggregatingMergeTree", "post_heads"), "")...)
	}
	stmts = append(stmts, headsDDL(db, on, "post_heads_local", engine("AggregatingMergeTree", "post_heads_local"), "_local")...)
	return append(stmts, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.post_heads%s AS %s.post_heads_local ENGINE = Distributed(%s, %s, post_heads_local, cityHash64(account_id))",
		db, on, db, cluster, db))
}

func (s *Store) migrate(ctx context.Context) error {
	present, err := s.schemaPresent(ctx)
	if err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if !present {
		for _, stmt := range DDL(s.db, s.cluster) {
			if err := s.conn.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("create schema: %w", err)
			}
		}
	}
	if err := s.addColumns(ctx); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if !present {
		if err := s.createModelAdoptions(ctx); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	var v int32
	if err := s.conn.QueryRow(ctx, "SELECT max(version) FROM "+s.db+".schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case v > SchemaVersion:
		return fmt.Errorf("schema version %d is newer than this vigia understands (%d): upgrade vigia", v, SchemaVersion)
	case v < SchemaVersion:
		if v < 2 { // post_heads is new: add what was stored before it
			for _, stmt := range fillHeads(s.db, false) {
				if err := s.conn.Exec(s.writing(ctx), stmt); err != nil {
					return fmt.Errorf("fill post_heads: %w", err)
				}
			}
		}
		// INSERT … VALUES through Exec does not return on 18.16: a batch does.
		b, err := s.conn.PrepareBatch(s.writing(ctx), "INSERT INTO "+s.db+".schema_migrations (version, applied_at)")
		if err != nil {
			return err
		}
		if err := b.Append(int32(SchemaVersion), time.Now().UnixMicro()); err != nil {
			return errors.Join(err, b.Abort())
		}
		return b.Send()
	}
	return nil
}

// created is the name a CREATE statement of DDL creates.
var created = regexp.MustCompile(`^CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS [A-Za-z0-9_]+\.([A-Za-z0-9_]+)`)

// schemaPresent tells whether this server has every table and view of the
// schema, on a cluster. A DDL statement ON CLUSTER waits for every server
// of the cluster, up to distributed_ddl_task_timeout (180 s): with one
// replica down, opening the archive would wait that long and fail, though
// nothing is to be created.
func (s *Store) schemaPresent(ctx context.Context) (bool, error) {
	if s.cluster == "" {
		return false, nil // CREATE … IF NOT EXISTS on one server is quick
	}
	var names []any
	for _, stmt := range append(DDL(s.db, s.cluster), modelAdoptionsDDL(s.db, s.cluster)...) {
		if m := created.FindStringSubmatch(stmt); m != nil {
			names = append(names, m[1])
		}
	}
	var n uint64
	err := s.conn.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = ? AND name IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")+")", append([]any{s.db}, names...)...).Scan(&n)
	return err == nil && n == uint64(len(names)), err
}

// Close closes the connection.
func (s *Store) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("close archive %q: %w", s.name, err)
	}
	return nil
}

// Append inserts the batch, one INSERT naming its columns per table. It is
// not atomic across tables, but each table's INSERT is one block, stored
// whole or not at all: a replayed batch (Replayed, with an ID) skips the
// tables that already hold rows of its ID, so that a batch interrupted half
// way is completed, and one delivered already is not stored twice. The
// server's views add each block to post_heads; a block that was stored
// before a replay may have missed that (the view runs after the block is
// stored), so a replay adds it again, which is harmless (heads.go).
func (s *Store) Append(ctx context.Context, b *archive.Batch) error {
	for _, t := range tables {
		n := t.rows(b)
		if n == 0 {
			continue
		}
		if b.ID != "" && b.Replayed {
			var have uint64
			if err := s.conn.QueryRow(ctx, "SELECT count() FROM "+s.db+"."+t.name+" WHERE batch_id = ?", b.ID).Scan(&have); err != nil {
				return fmt.Errorf("append to %s of archive %q: %w", t.name, s.name, err)
			}
			// On one server a table's INSERT is one block: some rows
			// mean all. On a cluster each shard's share is a block of its
			// own, and a shard may have failed: only all rows mean all;
			// otherwise the whole INSERT is sent again, and each shard
			// that has its block already drops the identical block
			// (replicated tables deduplicate inserted blocks).
			if have > 0 && (s.cluster == "" || have >= uint64(n)) {
				if err := s.repairHeads(ctx, t.name, b.ID); err != nil {
					return fmt.Errorf("append to %s of archive %q: %w", t.name, s.name, err)
				}
				continue
			}
		}
		if err := s.insert(ctx, t, b, n); err != nil {
			return fmt.Errorf("append %d rows to %s of archive %q: %w", n, t.name, s.name, err)
		}
	}
	return nil
}

func (s *Store) insert(ctx context.Context, t table, b *archive.Batch, n int) error {
	names := make([]string, 0, len(t.columns)+1)
	for _, c := range t.columns {
		names = append(names, c.name)
	}
	names = append(names, "batch_id")
	batch, err := s.conn.PrepareBatch(s.writing(ctx), "INSERT INTO "+s.db+"."+t.name+" ("+strings.Join(names, ", ")+")")
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		row, err := t.row(b, i)
		if err == nil {
			err = batch.Append(append(row, b.ID)...)
		}
		if err != nil {
			return errors.Join(err, batch.Abort())
		}
	}
	return batch.Send()
}

// writing returns the context of an insert. On a cluster an INSERT into a
// Distributed table returns once every shard has stored its rows
// (insert_distributed_sync; by default the table would queue them on the
// server that received them and return at once, and the spool would drop a
// batch no shard has yet), and, with insert_quorum=N in the URL, once N
// replicas of each shard have them. (ClickHouse before 20.x takes one
// quorum insert per shard at a time: another one fails, and the spool
// delivers its batch again.)
func (s *Store) writing(ctx context.Context) context.Context {
	if s.cluster == "" {
		return ctx
	}
	set := clickhouse.Settings{"insert_distributed_sync": 1}
	if s.quorum > 0 {
		set["insert_quorum"] = s.quorum
	}
	return clickhouse.Context(ctx, clickhouse.WithSettings(set))
}

// repairHeads adds to post_heads the records of table stored by the batch
// id, when table feeds it.
func (s *Store) repairHeads(ctx context.Context, table, id string) error {
	for i, src := range headsSources {
		if src.table == table {
			if err := s.conn.Exec(s.writing(ctx), fillHeads(s.db, true)[i], id); err != nil {
				return fmt.Errorf("add the replayed rows to post_heads: %w", err)
			}
		}
	}
	return nil
}
