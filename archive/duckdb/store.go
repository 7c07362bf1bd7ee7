package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/vigia-mx/vigia/archive"
)

// Store is an archive in one DuckDB file.
type Store struct {
	path     string
	readOnly bool
	mode     os.FileMode // of the archive file, which its write-ahead log gets too
	db       *sql.DB
	// appending serialises appends (see Append)
	appending sync.Mutex
	turn      *os.File // the turnstile a writer holds until Close (turnstile.go)
}

var _ archive.Store = (*Store)(nil)

// Options tune Open.
type Options struct {
	// ReadOnly opens an existing archive without taking the write lock; the
	// archive must exist and be at this build's schema version or older.
	ReadOnly bool
	// MemoryLimit caps DuckDB's buffer pool (e.g. "96MB"); empty keeps
	// DuckDB's default of 80 % of the machine's memory. Appended rows are
	// checkpointed to the file every CheckpointThreshold of log (DuckDB's
	// default, 16MB, when empty), so that they need not stay in memory.
	MemoryLimit         string
	CheckpointThreshold string
}

// WriterOptions are the settings for a long-running writer such as a crawl:
// memory stays bounded (see docs/benchmarks.md for the measured trade-off).
func WriterOptions() Options {
	return Options{MemoryLimit: "96MB", CheckpointThreshold: "8MB"}
}

// Open opens the archive at path, creating it (and migrating its schema)
// unless opts.ReadOnly is set. A writer holds the archive's turnstile until
// Close; a reader passes it (turnstile.go).
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.ReadOnly {
		if err := passTurnstile(path); err != nil {
			return nil, err
		}
		return open(ctx, path, opts, nil)
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil || strings.ContainsAny(path, "?#") {
		return open(ctx, path, opts, nil) // which says what is wrong
	}
	turn, err := enterTurnstile(path)
	if err != nil {
		return nil, err
	}
	return open(ctx, path, opts, turn)
}

// open opens the archive at path; a writer passes the turnstile it holds,
// which the store releases at Close (or open, when it fails).
func open(ctx context.Context, path string, opts Options, turn *os.File) (s *Store, err error) {
	defer func() {
		if err != nil {
			leaveTurnstile(turn)
		}
	}()
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open archive %q: the path may not contain '?' or '#'", path)
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist) && !opts.ReadOnly
	if err := statErr; err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open archive %q: %w", path, err)
		}
		if opts.ReadOnly {
			return nil, fmt.Errorf("open archive %q: %w", path, archive.ErrNotFound)
		}
		if dir := filepath.Dir(path); dir != "" {
			if _, err := os.Stat(dir); err != nil {
				return nil, fmt.Errorf("open archive %q: folder %q: %w", path, dir, err)
			}
		}
	}
	dsn := path
	if opts.ReadOnly {
		dsn += "?access_mode=READ_ONLY"
	}
	connector, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		var de *duckdb.Error
		if errors.As(err, &de) && de.Type == duckdb.ErrorTypeIO && strings.Contains(de.Msg, "lock") {
			return nil, fmt.Errorf("open archive %q: %w: %s", path, archive.ErrLocked, de.Msg)
		}
		return nil, fmt.Errorf("open archive %q: %w", path, err)
	}
	s = &Store{path: path, readOnly: opts.ReadOnly, mode: archiveMode, db: sql.OpenDB(connector), turn: turn}
	if created {
		// DuckDB makes the file 0666 less the umask, and refuses an empty
		// one made beforehand; it holds only its header yet.
		if err := os.Chmod(path, archiveMode); err != nil {
			s.db.Close()
			return nil, fmt.Errorf("open archive %q: %w", path, err)
		}
	} else if fi, err := os.Stat(path); err == nil {
		s.mode = fi.Mode().Perm() // an existing archive keeps the mode its owner gave it
	}
	for setting, value := range map[string]string{"memory_limit": opts.MemoryLimit, "checkpoint_threshold": opts.CheckpointThreshold} {
		if value == "" {
			continue
		}
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf("SET %s = '%s'", setting, strings.ReplaceAll(value, "'", ""))); err != nil {
			s.db.Close()
			return nil, fmt.Errorf("open archive %q: set %s to %q: %w", path, setting, value, err)
		}
	}
	s.prepareLog()
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open archive %q: %w", path, err)
	}
	if err := s.tightenLog(); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open archive %q: %w", path, err)
	}
	return s, nil
}

// archiveMode is the mode of an archive file Open creates: it holds
// personal content, readable by its owner only.
const archiveMode os.FileMode = 0o600

// logPath is DuckDB's write-ahead log: the appends not yet checkpointed
// into the archive file.
func (s *Store) logPath() string { return s.path + ".wal" }

// prepareLog makes, before a write, the write-ahead log DuckDB is about to
// start, with the archive file's mode: DuckDB deletes its log at every
// checkpoint and makes the next one 0666 less the umask, but appends to a
// log that is there. Nothing is done when the log exists or the archive is
// read-only; tightenLog, after the write, is the backstop.
func (s *Store) prepareLog() {
	if s.readOnly {
		return
	}
	if f, err := os.OpenFile(s.logPath(), os.O_CREATE|os.O_EXCL|os.O_WRONLY, s.mode); err == nil {
		f.Close()
	}
}

// tightenLog gives the write-ahead log, when there is one, the archive
// file's mode.
func (s *Store) tightenLog() error {
	if s.readOnly {
		return nil
	}
	fi, err := os.Stat(s.logPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err == nil && fi.Mode().Perm() != s.mode {
		err = os.Chmod(s.logPath(), s.mode)
	}
	if err != nil {
		return fmt.Errorf("write-ahead log of %q: %w", s.path, err)
	}
	return nil
}

// Close checkpoints and closes the archive, and lets readers by.
func (s *Store) Close() error {
	defer leaveTurnstile(s.turn)
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close archive %q: %w", s.path, err)
	}
	return nil
}

// Append stores a batch in one transaction, with the post_heads rows of
// the posts it touches. Appends run one at a time: two transactions updating
// the same heads would conflict.
func (s *Store) Append(ctx context.Context, b *archive.Batch) (err error) {
	if s.readOnly {
		return fmt.Errorf("append to archive %q: opened read-only", s.path)
	}
	if b.Len() == 0 {
		return nil
	}
	s.appending.Lock()
	defer s.appending.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("append to archive %q: %w", s.path, err)
	}
	defer conn.Close()
	s.prepareLog()
	defer func() {
		if terr := s.tightenLog(); err == nil {
			err = terr
		}
	}()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("append to archive %q: %w", s.path, err)
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if b.ID != "" {
		if b.Replayed {
			var seen bool
			if err := conn.QueryRowContext(ctx, "SELECT count(*) > 0 FROM batches WHERE batch_id = ?", b.ID).Scan(&seen); err != nil {
				return fmt.Errorf("append to archive %q: %w", s.path, err)
			}
			if seen { // stored already: a replay
				_, err := conn.ExecContext(ctx, "ROLLBACK")
				return err
			}
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO batches VALUES (?, ?)", b.ID, time.Now().UTC()); err != nil {
			return fmt.Errorf("append to archive %q: %w", s.path, err)
		}
	}
	for _, t := range tables {
		n := t.rows(b)
		if n == 0 {
			continue
		}
		if err := conn.Raw(func(dc any) error { return appendRows(dc.(driver.Conn), t, b, n) }); err != nil {
			return fmt.Errorf("append %d rows to %s of archive %q: %w", n, t.name, s.path, err)
		}
	}
	if err := updateHeads(ctx, conn, b); err != nil {
		return fmt.Errorf("append to archive %q: %w", s.path, err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit to archive %q: %w", s.path, err)
	}
	return nil
}

func appendRows(dc driver.Conn, t table, b *archive.Batch, n int) error {
	a, err := duckdb.NewAppenderFromConn(dc, "", t.name)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		row, err := t.row(b, i)
		if err != nil {
			_ = a.Close()
			return err
		}
		if err := a.AppendRow(row...); err != nil {
			_ = a.Close()
			return err
		}
	}
	return a.Close()
}
