// Package spool is the durable queue in front of an archive: a crawl's
// records are written to local, append-only segment files — each batch a
// checksummed frame, fsynced — before the archive sees them, and a segment
// is removed only once the archive has acknowledged every batch in it. If the
// archive is down, records wait in the spool; if the crawler dies, the next
// one (or vigia archive flush) delivers them. Delivery after a restart is a
// replay: a batch may have reached the archive before the crash, so it is
// sent marked Replayed, and the archive stores each batch ID once.
//
// The spool also keeps what a crawl reads of the archive to detect changes
// (heads.go), so that a crawl starts and goes on with the archive
// unreachable; the batches it spools so are rebased against the archive
// before their delivery (rebase.go).
//
// Segment files are named NNNNNNNNNNNN.spool in the spool's folder. A frame
// is "VSP1", the payload's length (uint32, little-endian), its CRC-32C, and
// the payload: the batch, gob-encoded. A torn or corrupt frame (a crash
// mid-write, a damaged disk) ends what is read of its segment: it is
// reported, and the frames before it are kept.
package spool

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/durable"
)

const (
	magic      = "VSP1"
	headerSize = 12
	suffix     = ".spool"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Errors of the spool.
var (
	// ErrFull reports a spool that would pass its size limit (or whose disk
	// is full): the record was not accepted, and nothing accepted is lost.
	ErrFull = errors.New("spool full")
)

// Options tune a spool.
type Options struct {
	// MaxBytes bounds the spool's files; 0 means no bound but the disk's.
	MaxBytes int64
	// SegmentBytes starts a new segment file past this size (default 64 MiB).
	SegmentBytes int64
}

// Problem is a torn or corrupt frame found when reading the spool.
type Problem struct {
	File   string
	Offset int64
	Msg    string
}

func (p Problem) Error() string { return fmt.Sprintf("%s at offset %d: %s", p.File, p.Offset, p.Msg) }

// Spool is a folder of segment files. It is safe for concurrent use.
type Spool struct {
	dir  string
	opts Options

	mu       sync.Mutex
	segments []*segment // oldest first; the last one takes appends
	size     int64
	problems []Problem
	heads    *Heads
}

// segment is one file and the batches of it not yet acknowledged.
type segment struct {
	seq     uint64
	path    string
	size    int64
	pending []pending
	file    *os.File // open for appends (the last segment only)
}

type pending struct {
	batch    *archive.Batch
	spooled  time.Time
	replayed bool // read back after a restart: it may have been delivered
}

// Open opens (creating it if needed) the spool in dir and reads back what
// earlier processes left in it: those batches are pending, to be replayed.
func Open(dir string, opts Options) (*Spool, error) {
	if opts.SegmentBytes <= 0 {
		opts.SegmentBytes = 64 << 20
	}
	if err := os.MkdirAll(dir, 0o700); err != nil { // batches hold personal content: the owner's only
		return nil, fmt.Errorf("open spool %s: %w", dir, err)
	}
	s := &Spool{dir: dir, opts: opts}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("open spool %s: %w", dir, err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), suffix)
		seq, err := strconv.ParseUint(name, 10, 64)
		if !ok || err != nil || e.IsDir() {
			continue
		}
		seg, err := s.read(seq, filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		s.segments = append(s.segments, seg)
		s.size += seg.size
	}
	slices.SortFunc(s.segments, func(a, b *segment) int { return cmp.Compare(a.seq, b.seq) })
	// The head cache may miss batches taken after it was saved: those
	// still pending are applied again.
	var problem *Problem
	if s.heads, problem = openHeads(dir); problem != nil {
		s.problems = append(s.problems, *problem)
	}
	for _, b := range s.pendingBatches() {
		s.heads.apply(b)
	}
	return s, nil
}

// pendingBatches returns the batches waiting, oldest first.
func (s *Spool) pendingBatches() []*archive.Batch {
	var out []*archive.Batch
	for _, seg := range s.segments {
		for _, p := range seg.pending {
			out = append(out, p.batch)
		}
	}
	return out
}

// pending returns the batches waiting, oldest first.
func (s *Spool) pending() []*archive.Batch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pendingBatches()
}

// Heads returns the spool's head cache.
func (s *Spool) Heads() *Heads { return s.heads }

// read reads back a segment's frames, stopping at the first torn one.
func (s *Spool) read(seq uint64, path string) (*segment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spool segment %s: %w", path, err)
	}
	seg := &segment{seq: seq, path: path, size: int64(len(data))}
	spooled := time.Now() // of a batch read back: its segment's last change, or now
	if st, err := os.Stat(path); err == nil {
		spooled = st.ModTime()
	}
	for off := 0; off < len(data); {
		fail := func(msg string) {
			s.problems = append(s.problems, Problem{File: path, Offset: int64(off), Msg: msg + "; the rest of the segment is skipped, the frames before it kept"})
		}
		if len(data)-off < headerSize || string(data[off:off+4]) != magic {
			fail("torn or corrupt frame header")
			break
		}
		n := int(binary.LittleEndian.Uint32(data[off+4:]))
		sum := binary.LittleEndian.Uint32(data[off+8:])
		if n > len(data)-off-headerSize {
			fail(fmt.Sprintf("frame of %d bytes cut short", n))
			break
		}
		payload := data[off+headerSize : off+headerSize+n]
		if crc32.Checksum(payload, crcTable) != sum {
			fail("checksum mismatch")
			break
		}
		var b archive.Batch
		if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&b); err != nil {
			fail("undecodable batch: " + err.Error())
			break
		}
		seg.pending = append(seg.pending, pending{batch: &b, spooled: spooledAt(b.ID, spooled), replayed: true})
		off += headerSize + n
	}
	return seg, nil
}

// spooledAt returns when a batch read back was spooled: the time its ID
// begins with (Append names batches so), else the segment's last change.
func spooledAt(id string, fallback time.Time) time.Time {
	stamp, _, ok := strings.Cut(id, "-")
	if !ok {
		return fallback
	}
	t, err := time.Parse(idTime, stamp)
	if err != nil {
		return fallback
	}
	return t
}

const idTime = "20060102T150405.000000Z"

// Problems returns the torn or corrupt frames found when the spool was opened.
func (s *Spool) Problems() []Problem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.problems)
}

// Append writes a batch to the spool and returns once it is on stable
// storage; the batch gets an ID if it has none. ErrFull (wrapped) when the
// spool's limit or the disk refuses it: then nothing of it is kept.
func (s *Spool) Append(b *archive.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	return s.add(b, false)
}

// name gives b an ID if it has none: the time it is named at, and 12
// random bytes.
func name(b *archive.Batch) {
	if b.ID == "" {
		var r [12]byte
		_, _ = rand.Read(r[:])
		b.ID = time.Now().UTC().Format(idTime) + "-" + hex.EncodeToString(r[:])
	}
}

// add writes b to the spool as pending, a replay if replayed (an append
// of it that failed may have stored it).
func (s *Spool) add(b *archive.Batch, replayed bool) error {
	name(b)
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(b); err != nil {
		return fmt.Errorf("spool batch %s: %w", b.ID, err)
	}
	frame := make([]byte, headerSize, headerSize+payload.Len())
	copy(frame, magic)
	binary.LittleEndian.PutUint32(frame[4:], uint32(payload.Len()))
	binary.LittleEndian.PutUint32(frame[8:], crc32.Checksum(payload.Bytes(), crcTable))
	frame = append(frame, payload.Bytes()...)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.MaxBytes > 0 && s.size+int64(len(frame)) > s.opts.MaxBytes {
		return fmt.Errorf("spool batch %s in %s: %w (%d bytes held, limit %d): the archive must take what waits first", b.ID, s.dir, ErrFull, s.size, s.opts.MaxBytes)
	}
	seg, err := s.writable()
	if err != nil {
		return err
	}
	if _, err := seg.file.Write(frame); err != nil {
		// A partial frame is torn: truncate it away, so that the next frame
		// follows the last whole one.
		_ = seg.file.Truncate(seg.size)
		_, _ = seg.file.Seek(seg.size, io.SeekStart)
		if errors.Is(err, syscall.ENOSPC) {
			err = fmt.Errorf("%w: %w", ErrFull, err)
		}
		return fmt.Errorf("spool batch %s in %s: %w", b.ID, seg.path, err)
	}
	if err := seg.file.Sync(); err != nil {
		return fmt.Errorf("spool batch %s in %s: %w", b.ID, seg.path, err)
	}
	seg.size += int64(len(frame))
	s.size += int64(len(frame))
	seg.pending = append(seg.pending, pending{batch: b, spooled: time.Now(), replayed: replayed})
	s.heads.apply(b)
	return nil
}

// writable returns the segment taking appends, starting a new one when
// there is none or the last is full (or was read back from a restart).
func (s *Spool) writable() (*segment, error) {
	if n := len(s.segments); n > 0 {
		if last := s.segments[n-1]; last.file != nil && last.size < s.opts.SegmentBytes {
			return last, nil
		}
		if last := s.segments[n-1]; last.file != nil {
			last.file.Close()
			last.file = nil
		}
	}
	var seq uint64 = 1
	if n := len(s.segments); n > 0 {
		seq = s.segments[n-1].seq + 1
	}
	path := filepath.Join(s.dir, fmt.Sprintf("%012d%s", seq, suffix))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("spool in %s: %w", s.dir, err)
	}
	if err := durable.SyncDir(s.dir); err != nil {
		f.Close()
		return nil, fmt.Errorf("spool in %s: %w", s.dir, err)
	}
	seg := &segment{seq: seq, path: path, file: f}
	s.segments = append(s.segments, seg)
	return seg, nil
}

// Pending returns how many batches wait for the archive, and since when
// the oldest waits (zero when none).
func (s *Spool) Pending() (batches int, oldest time.Time) {
	b := s.Backlog()
	return b.Batches, b.Oldest
}

// Backlog is what waits in a spool for the archive.
type Backlog struct {
	Batches int
	Records int       // records of every kind in them
	Bytes   int64     // the spool's files
	Oldest  time.Time // when the oldest batch was spooled; zero when none
	// HeadsRefreshed is when the archive last answered the head cache's
	// reads (zero: never); HeadsPosts how many posts the cache knows.
	HeadsRefreshed time.Time
	HeadsPosts     int
}

// Backlog returns what waits in the spool.
func (s *Spool) Backlog() Backlog {
	s.mu.Lock()
	var b Backlog
	for _, seg := range s.segments {
		for _, p := range seg.pending {
			if b.Oldest.IsZero() || p.spooled.Before(b.Oldest) {
				b.Oldest = p.spooled
			}
			b.Batches++
			b.Records += p.batch.Len()
		}
	}
	b.Bytes = s.size
	s.mu.Unlock()
	b.HeadsRefreshed, b.HeadsPosts = s.heads.Refreshed(), s.heads.Len()
	return b
}

// Inspect reads what waits in the spool in dir without taking it (vigia
// accounts): a folder that does not exist holds nothing.
func Inspect(dir string) (Backlog, []Problem, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return Backlog{}, nil, nil
	}
	s, err := Open(dir, Options{})
	if err != nil {
		return Backlog{}, nil, err
	}
	// (Not Close: it would save the head cache over a running crawl's.)
	return s.Backlog(), s.Problems(), nil
}

// Flush delivers the pending batches to the archive, oldest first, and
// removes each segment once all its batches are delivered. It stops at the
// first batch the archive refuses, which stays pending with all after it.
// Flushes are serialised; appends may go on meanwhile.
func (s *Spool) Flush(ctx context.Context, to archive.Appender) (delivered int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.segments) > 0 {
		seg := s.segments[0]
		for len(seg.pending) > 0 {
			p := seg.pending[0]
			b := *p.batch
			b.Replayed = p.replayed
			if r, ok := to.(archive.Reader); ok && b.Offline {
				rb, err := s.rebased(ctx, r, &b)
				if err != nil {
					return delivered, fmt.Errorf("deliver spooled batch %s: %w", b.ID, err)
				}
				b = *rb
			}
			if err := to.Append(ctx, &b); err != nil {
				// Whether the failed append stored anything is unknown: from
				// now on this batch is a replay.
				seg.pending[0].replayed = true
				return delivered, fmt.Errorf("deliver spooled batch %s: %w", b.ID, err)
			}
			seg.pending = seg.pending[1:]
			delivered++
		}
		if seg.file != nil {
			seg.file.Close()
			seg.file = nil
		}
		if err := os.Remove(seg.path); err != nil {
			return delivered, fmt.Errorf("remove delivered spool segment: %w", err)
		}
		s.size -= seg.size
		s.segments = s.segments[1:]
	}
	// Every batch is delivered: their rebased forms are done with.
	if leftover, _ := filepath.Glob(filepath.Join(s.dir, rebasedPrefix+"*")); len(leftover) > 0 {
		for _, f := range leftover {
			_ = os.Remove(f)
		}
	}
	return delivered, durable.SyncDir(s.dir)
}

const rebasedPrefix = "rebased-"

// rebased returns an offline batch as it is delivered (rebase): the first
// time it is delivered, it is rebased against the archive and kept so in a
// file of its own (written atomically) before any of it is sent, and every
// later attempt — a replay, which may find part of it stored — sends the
// very same records, as a batch that was not rebased is sent again whole.
func (s *Spool) rebased(ctx context.Context, r archive.Reader, b *archive.Batch) (*archive.Batch, error) {
	sum := sha256.Sum256([]byte(b.ID))
	path := filepath.Join(s.dir, rebasedPrefix+hex.EncodeToString(sum[:16])+".gob")
	if data, err := os.ReadFile(path); err == nil {
		var rb archive.Batch
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&rb); err == nil && rb.ID == b.ID {
			rb.Replayed = b.Replayed
			return &rb, nil
		}
	}
	rb, err := rebase(ctx, r, b)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(rb); err != nil {
		return nil, err
	}
	if err := writeAtomic(path, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("keep the rebased batch: %w", err)
	}
	return rb, nil
}

// Close closes the segment taking appends and saves the head cache; what is
// pending stays on disk.
func (s *Spool) Close() error {
	if err := s.heads.Save(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, seg := range s.segments {
		if seg.file != nil {
			if err := seg.file.Close(); err != nil {
				return err
			}
			seg.file = nil
		}
	}
	return nil
}
