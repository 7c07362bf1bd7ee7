package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/duckdb"
	"github.com/vigia-mx/vigia/archive/spool"
)

// How vigia processes share an embedded archive. DuckDB locks its file for
// one process that writes, or for any number that only read. So:
//   - vigia serve --crawl-every opens it once, for writing, and its crawler
//     and web application share that handle (one writer, readers beside it);
//   - a separate vigia crawl opens it for each read (read-only) and for each
//     append (writable, for the append and the checkpoint that closes it),
//     fetching and parsing with it closed (duckdb.OnDemand), and waits
//     politely while someone else holds it, its batches safe in the spool;
//   - readers (vigia serve without a crawl, search, show…) open it
//     read-only for a request or a command and, when they find it being
//     written, try again for a while (openDuckDB);
//   - a writer takes the archive's turnstile before it opens, and readers
//     pass it, so that a writer waiting for the readers inside to finish
//     lets no new one in (archive/duckdb/turnstile.go).
// docs/operations.md, "One machine, one archive", tells the office.

const (
	// readerWait bounds how long a reader waits for an archive being
	// written: an append takes well under a second.
	readerWait = 15 * time.Second
	// crawlCallWait bounds how long one read or append of a crawl waits
	// for the file before it gives up: an append's batch then waits in the
	// spool, to be delivered with the next.
	crawlCallWait = 5 * time.Second
	// archiveWait bounds how long a crawl waits, at its start and its end,
	// for an archive another process holds, before it leaves its batches
	// in the spool for the next crawl (or vigia archive flush).
	archiveWait = 10 * time.Minute
	// crawlLinger keeps the file open from one append of a crawl to the
	// next (a second or so apart), unless another process knocks for it,
	// for at most crawlMaxHold at a time (less than readerWait): opening
	// and closing cost DuckDB about as much as appending thousands of posts.
	crawlLinger  = 3 * time.Second
	crawlMaxHold = 10 * time.Second
)

// openDuckDB opens a .duckdb archive and, while another process holds it,
// tries again for up to readerWait (a pause of 20 ms to a second, with
// jitter), saying once on stderr that it waits and for whom.
func openDuckDB(ctx context.Context, e *env, spec string, opts duckdb.Options) (*duckdb.Store, error) {
	start := time.Now()
	pause, told := 20*time.Millisecond, false
	for {
		s, err := duckdb.Open(ctx, spec, opts)
		if !errors.Is(err, archive.ErrLocked) || time.Since(start) > readerWait {
			return s, err
		}
		if !told && time.Since(start) > time.Second {
			told = true
			e.printer().Fprintf(e.stderr, "vigia: the archive %s is held by %s; waiting for it (up to %s)\n", spec, duckdb.LockHolder(err), readerWait)
		}
		if werr := sleepCtx(ctx, pause/2+rand.N(pause)); werr != nil {
			return nil, err
		}
		pause = min(2*pause, time.Second)
	}
}

// openCrawlArchive returns the archive a separate vigia crawl writes to:
// for a .duckdb file, one opened at each read and append (duckdb.OnDemand),
// once it can be read (waiting politely while another process writes to
// it); a server's is opened as any command opens it.
func openCrawlArchive(ctx context.Context, e *env, spec string) (archive.Store, error) {
	if !strings.HasSuffix(spec, ".duckdb") {
		return openArchive(ctx, e, spec, false)
	}
	opts := duckdb.WriterOptions()
	if v := e.getenv("VIGIA_DUCKDB_MEMORY_LIMIT"); v != "" {
		opts.MemoryLimit = v
	}
	o := duckdb.NewOnDemand(spec, duckdb.OnDemandOptions{Writer: opts, Wait: crawlCallWait, Linger: crawlLinger, MaxHold: crawlMaxHold})
	err := waitForArchive(ctx, e, spec, msgText("before crawling"), func() error { return o.Ping(ctx) })
	if err != nil {
		return nil, err
	}
	return o, nil
}

// flushWaiting delivers what waits in the spool, waiting politely (up to
// archiveWait) while another process holds the archive: the batches are
// safe in the spool meanwhile.
func flushWaiting(ctx context.Context, e *env, sp *spool.Spool, spoolDir string, store archive.Appender, spec string) (int, error) {
	delivered := 0
	err := waitForArchive(ctx, e, spec, msgText(e.printer().Sprintf("to deliver the batches safe in the spool at %s", spoolDir)), func() error {
		n, err := sp.Flush(ctx, store)
		delivered += n
		return err
	})
	return delivered, err
}

// waitForArchive calls try until it succeeds or fails otherwise than with
// archive.ErrLocked, pausing between tries (from 2 s, doubling, up to 30
// s) for at most archiveWait, and says on stderr that it waits, for whom
// and why, and again each minute it goes on waiting. ctx ending ends the
// wait with try's last error.
func waitForArchive(ctx context.Context, e *env, spec string, why msgText, try func() error) error {
	start, lastTold := time.Now(), time.Time{}
	pause := 2 * time.Second
	for {
		err := try()
		if !errors.Is(err, archive.ErrLocked) || time.Since(start) > archiveWait {
			if err == nil && !lastTold.IsZero() {
				e.printer().Fprintf(e.stderr, "vigia crawl: the archive %s is free again after %s\n", spec, time.Since(start).Round(time.Second))
			}
			return err
		}
		if time.Since(lastTold) >= time.Minute {
			lastTold = time.Now()
			e.printer().Fprintf(e.stderr, "vigia crawl: waiting for the archive %s, held by %s, %s (waited %s; up to %s)\n",
				spec, duckdb.LockHolder(err), why, time.Since(start).Round(time.Second), archiveWait)
		}
		if werr := sleepCtx(ctx, pause); werr != nil {
			return err
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// sleepCtx pauses for d, or until ctx ends (returning its error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// lockCrawler makes the process the one crawler of an embedded archive
// until unlock: two crawls into one .duckdb file would share its spool and
// WARC folder (each recovering the other's open files), so a second waits
// politely (up to archiveWait) for the first to end. The lock is an flock
// on crawler.lock in the spool folder, which names the holder. A server's
// archive takes none: its crawlers are told apart by --shard and their own
// VIGIA_SPOOL_DIR (docs/scale.md).
func lockCrawler(ctx context.Context, e *env, spec, command string) (unlock func(), err error) {
	if !strings.HasSuffix(spec, ".duckdb") {
		return func() {}, nil
	}
	dir := e.getenv("VIGIA_SPOOL_DIR")
	if dir == "" {
		dir = besideArchive(spec, "spool")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, errorf("lock the crawler of %s: %w", spec, err)
	}
	path := filepath.Join(dir, "crawler.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, errorf("lock the crawler of %s: %w", spec, err)
	}
	err = waitForArchive(ctx, e, spec, msgText("for the crawler that crawls into it to end"), func() error {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder, _ := os.ReadFile(path)
			return errorf("%w: another crawler holds %s: held in %s", archive.ErrLocked, path, strings.TrimSpace(string(holder)))
		}
		return err
	})
	if err != nil {
		f.Close()
		if errors.Is(err, archive.ErrLocked) {
			return nil, errorf("%w; stop it, or let vigia serve --crawl-every be the archive's only crawler", err)
		}
		return nil, errorf("lock the crawler of %s: %w", spec, err)
	}
	exe, _ := os.Executable()
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%s %s (PID %d)\n", exe, command, os.Getpid())
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
