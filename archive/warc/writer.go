package warc

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/vigia-mx/vigia/internal/durable"
)

// Options configure a Writer.
type Options struct {
	Dir         string // where files go; created if missing
	Prefix      string // file name prefix, default "vigia"
	MaxFileSize int64  // rotate once a file passes this size on disk, default 1 GiB
	Software    string // names the writer in each warcinfo record, e.g. "vigia/0.3.0"; default "vigia"
	// What each warcinfo record says of the crawl (WARC 1.1, annex C;
	// left out when empty): who runs it, the User-Agent it sends, and
	// the robots.txt policy it follows.
	Operator  string
	UserAgent string
	Robots    string
}

// Defaults of Options.
const (
	DefaultPrefix      = "vigia"
	DefaultMaxFileSize = 1 << 30
)

const (
	openSuffix     = ".open"
	warcinfoFields = "software: %s\r\nformat: WARC File Format 1.1\r\n" +
		"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
)

// Writer appends records to WARC files in one directory. It is safe for
// concurrent use: records are appended one write at a time, and concurrent
// writes share their fsyncs.
type Writer struct {
	opts     Options
	names    *fileNamer
	payloads *payloadIndex // the responses written in full, for revisits (revisit.go)

	mu       sync.Mutex             // guards the fields below
	files    *gowarc.WarcFileWriter // made by the first write
	cur      string                 // name of the open file (without ".open"); "" when none
	curSize  int64                  // its size on disk
	appended uint64                 // writes whose records are in a file
	broken   error                  // the first failed fsync: the kernel may have dropped the data
	closed   bool
	lock     *os.File            // the open file, held with an exclusive flock while written (see Recover)
	indexes  indexer             // the CDXJ index of each file closed (cdxj.go)
	notes    map[string]*written // what was written to each file not yet indexed, for its index

	syncMu  sync.Mutex    // one fsync of the open file at a time
	durable atomic.Uint64 // writes 1..durable are on stable storage
	written atomic.Int64
}

// NewWriter checks opts, fills in defaults and creates the directory. No
// file is opened before the first write.
func NewWriter(opts Options) (*Writer, error) {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Software == "" {
		opts.Software = "vigia"
	}
	switch {
	case opts.Dir == "":
		return nil, errors.New("new warc writer: no directory")
	case strings.ContainsAny(opts.Prefix, `/\`) || strings.ContainsFunc(opts.Prefix, isControl):
		return nil, fmt.Errorf("new warc writer: prefix %q is not a file name", opts.Prefix)
	case opts.MaxFileSize < 0:
		return nil, fmt.Errorf("new warc writer: max file size %d is negative", opts.MaxFileSize)
	case strings.ContainsFunc(opts.Software, isControl):
		return nil, fmt.Errorf("new warc writer: software %q has control characters", opts.Software)
	}
	// A field's value is one line: line breaks (a directory's multi-line
	// name) become spaces, other control characters are refused.
	for _, v := range []*string{&opts.Operator, &opts.UserAgent, &opts.Robots} {
		*v = strings.Join(strings.Fields(*v), " ")
		if strings.ContainsFunc(*v, isControl) {
			return nil, fmt.Errorf("new warc writer: warcinfo field %q has control characters", *v)
		}
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil { // evidence holds personal content: the owner's only
		return nil, fmt.Errorf("new warc writer: %w", err)
	}
	return &Writer{opts: opts, names: &fileNamer{dir: opts.Dir, prefix: opts.Prefix},
		payloads: newPayloadIndex(opts.Dir, opts.Prefix)}, nil
}

// Write appends ex as a request record and a response record, each its own
// gzip member, linked both ways by WARC-Concurrent-To, and returns the Ref of
// the response record. When a response of the same target URI with the same
// payload was written in full before (in this directory, in this run or an
// earlier one: see PayloadsSuffix), and ex's body is whole, the response
// record is a revisit record instead (profile identical-payload-digest): the
// head as received, without the payload, referring to that response. It
// returns once both are on stable storage. On error the exchange may or may
// not be in a file; writing it again is harmless.
func (w *Writer) Write(ex *Exchange) (Ref, error) {
	ref, seq, err := w.appendExchange(ex)
	if err != nil {
		return Ref{}, err
	}
	if err := w.sync(seq); err != nil {
		return Ref{}, fmt.Errorf("write exchange %q: %w", ex.TargetURI, err)
	}
	return ref, nil
}

// Append is Write without waiting for stable storage: the records may still
// be in the operating system's cache when it returns. Call Sync before
// relying on the Ref (before storing it in a database), so that many
// exchanges share one fsync.
func (w *Writer) Append(ex *Exchange) (Ref, error) {
	ref, _, err := w.appendExchange(ex)
	return ref, err
}

// Sync returns once every record appended so far is on stable storage.
func (w *Writer) Sync() error {
	w.mu.Lock()
	seq := w.appended
	w.mu.Unlock()
	if err := w.sync(seq); err != nil {
		return fmt.Errorf("sync warc files: %w", err)
	}
	return nil
}

func (w *Writer) appendExchange(ex *Exchange) (Ref, uint64, error) {
	if err := ex.check(); err != nil {
		return Ref{}, 0, fmt.Errorf("write exchange %q: %w", ex.TargetURI, err)
	}
	req := spec{typ: gowarc.Request, uri: ex.TargetURI, date: ex.Date, ip: ex.IP, contentType: requestType,
		block: [][]byte{ex.Request}}
	resp := spec{typ: gowarc.Response, uri: ex.TargetURI, date: ex.Date, ip: ex.IP, contentType: responseType,
		truncated: ex.Truncated, block: [][]byte{ex.Response, ex.Body}}
	digest := payloadDigest(ex.Body)
	var orig Original
	revisit := false
	if ex.Truncated == "" { // a body cut short is never a revisit, nor referred to
		orig, revisit = w.payloads.lookup(ex.TargetURI, digest)
	}
	if revisit {
		resp.typ, resp.block, resp.refersTo, resp.payload = gowarc.Revisit, [][]byte{ex.Response}, &orig, digest
	}
	ref, seq, err := w.append([]spec{req, resp})
	if err != nil {
		return Ref{}, 0, fmt.Errorf("write exchange %q: %w", ex.TargetURI, err)
	}
	if !revisit && ex.Truncated == "" {
		// A failure to note it costs only later revisits: the exchange is written.
		_ = w.payloads.add(Original{RecordID: ref.RecordID, TargetURI: ex.TargetURI, Date: ex.Date.UTC().Format(time.RFC3339Nano), // as gowarc writes WARC-Date
			PayloadDigest: ref.PayloadDigest, File: ref.File, Offset: ref.Offset})
	}
	return ref, seq, nil
}

// Close syncs and closes the current file, renames it to its final name and
// syncs the directory. Closing twice is harmless.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if w.files == nil {
		return nil
	}
	err := w.rotate()
	_ = w.files.Close() // always nil; rotate reported the errors of the last file
	err = errors.Join(err, w.payloads.close())
	w.files = nil
	err = errors.Join(err, w.indexes.wait())
	if err != nil {
		return fmt.Errorf("close warc writer: %w", err)
	}
	return nil
}

// BytesWritten is the number of bytes this Writer has put on disk, gzip
// members and warcinfo records included.
func (w *Writer) BytesWritten() int64 {
	return w.written.Load()
}

// put writes the records of specs into the current file, in order, waits
// until they are on stable storage and returns the Ref of the last one.
func (w *Writer) put(specs ...spec) (Ref, error) {
	ref, seq, err := w.append(specs)
	if err != nil {
		return Ref{}, err
	}
	if err := w.sync(seq); err != nil {
		return Ref{}, err
	}
	return ref, nil
}

// append writes the records of specs and returns the Ref of the last one and
// the sequence number of the write.
func (w *Writer) append(specs []spec) (Ref, uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return Ref{}, 0, ErrClosed
	}
	if w.broken != nil {
		return Ref{}, 0, w.broken
	}
	records, notes, res, err := w.hand(specs)
	if err != nil {
		return Ref{}, 0, err
	}
	if len(res) != len(records) {
		return Ref{}, 0, errors.New("gowarc file writer stopped")
	}
	for i, r := range res {
		err = errors.Join(err, r.Err)
		if r.FileName == "" {
			continue
		}
		if w.notes == nil {
			w.notes = map[string]*written{}
		}
		wr := w.notes[r.FileName]
		if wr == nil {
			wr = &written{}
			w.notes[r.FileName] = wr
		}
		if r.Err != nil {
			wr.failed = true
			continue
		}
		notes[i].Offset = r.FileOffset
		wr.members = append(wr.members, notes[i])
	}
	last := res[len(res)-1]
	if last.FileName != "" {
		err = errors.Join(err, w.track(last.FileName))
	}
	w.appended++
	// After a failed write the file is closed: gowarc does not count a
	// partly written member, so the offsets of later records would be wrong.
	if err != nil || w.curSize >= w.opts.MaxFileSize {
		err = errors.Join(err, w.rotate())
	}
	if err != nil {
		return Ref{}, 0, err
	}
	h := records[len(records)-1].WarcHeader()
	return Ref{
		File:          last.FileName,
		RecordID:      h.Get(gowarc.WarcRecordID),
		Offset:        last.FileOffset,
		BlockDigest:   h.Get(gowarc.WarcBlockDigest),
		PayloadDigest: h.Get(gowarc.WarcPayloadDigest),
	}, w.appended, nil
}

// sync returns once write seq is on stable storage. Writes that wait
// together share one fsync (group commit): while one fsync runs, later
// writes go on appending, and the next fsync covers them all.
func (w *Writer) sync(seq uint64) error {
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	if w.durable.Load() >= seq {
		return nil
	}
	w.mu.Lock()
	upTo, cur, broken := w.appended, w.cur, w.broken
	w.mu.Unlock()
	if broken != nil {
		return broken
	}
	if cur != "" {
		err := syncFile(filepath.Join(w.opts.Dir, cur+openSuffix))
		if errors.Is(err, fs.ErrNotExist) && w.durable.Load() >= seq {
			return nil // rotated meanwhile, which synced it
		}
		if err != nil {
			w.mu.Lock()
			defer w.mu.Unlock()
			return w.fail(err)
		}
	}
	w.markDurable(upTo)
	return nil
}

// fail records a failed fsync, after which the Writer takes no more writes,
// and returns the first one. w.mu is held.
func (w *Writer) fail(err error) error {
	if w.broken == nil {
		w.broken = fmt.Errorf("sync warc file: %w", err)
	}
	return w.broken
}

// markDurable records that writes 1..seq are on stable storage.
func (w *Writer) markDurable(seq uint64) {
	for {
		d := w.durable.Load()
		if d >= seq || w.durable.CompareAndSwap(d, seq) {
			return
		}
	}
}

// hand builds the records and hands them to gowarc's file writer, which
// closes them; it returns what the index notes of each (see written).
func (w *Writer) hand(specs []spec) ([]gowarc.WarcRecord, []Member, []gowarc.WriteResponse, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	records := make([]gowarc.WarcRecord, 0, len(specs))
	notes := make([]Member, 0, len(specs))
	for _, s := range specs {
		r, err := s.build()
		if err != nil {
			for _, r := range records {
				_ = r.Close()
			}
			return nil, nil, nil, err
		}
		records = append(records, r)
		notes = append(notes, noted(r, s))
	}
	if w.files == nil {
		w.files = gowarc.NewWarcFileWriter(
			gowarc.WithFileNameGenerator(w.names),
			gowarc.WithOpenFileSuffix(openSuffix),
			gowarc.WithMaxFileSize(0), // rotation is ours, so that an exchange never straddles two files
			gowarc.WithFlush(false),   // sync does it, once for many writes
			gowarc.WithAddWarcConcurrentToHeader(true),
			gowarc.WithWarcInfoFunc(w.warcinfo),
			gowarc.WithRecordOptions(recordOptions(0)...),
		)
	}
	return records, notes, w.files.Write(records...), nil
}

// track accounts for the size of the open file after a write.
func (w *Writer) track(name string) error {
	if name != w.cur {
		w.cur, w.curSize = name, 0
		if err := durable.SyncDir(w.opts.Dir); err != nil { // make the new file's name durable too
			return err
		}
		lock, err := lockFile(filepath.Join(w.opts.Dir, name+openSuffix))
		if err != nil {
			return err
		}
		w.lock = lock
		// gowarc creates files 0666 less the umask; the folder (0700) kept
		// others out meanwhile.
		if err := lock.Chmod(fileMode); err != nil {
			return err
		}
	}
	fi, err := os.Stat(filepath.Join(w.opts.Dir, name+openSuffix))
	if err != nil {
		return err
	}
	w.written.Add(fi.Size() - w.curSize)
	w.curSize = fi.Size()
	return nil
}

// rotate syncs and closes the current file, if any, and drops its ".open"
// suffix; gowarc then syncs the directory. w.mu is held.
func (w *Writer) rotate() error {
	closing := w.cur
	if w.cur != "" {
		if err := syncFile(filepath.Join(w.opts.Dir, w.cur+openSuffix)); err != nil {
			return w.fail(err)
		}
	}
	w.cur, w.curSize = "", 0
	if w.files == nil {
		return nil
	}
	err := w.files.Rotate()
	if w.lock != nil { // renamed (or failed): no longer ours to hold
		err = errors.Join(err, w.lock.Close())
		w.lock = nil
	}
	if err != nil {
		return err
	}
	w.markDurable(w.appended)
	if closing != "" {
		w.indexes.start(w.opts.Dir, closing, w.notes[closing]) // indexes/NAME.cdxj
		delete(w.notes, closing)
	}
	return nil
}

func (w *Writer) warcinfo(rb gowarc.WarcRecordBuilder) error {
	if _, err := fmt.Fprintf(rb, warcinfoFields, w.opts.Software); err != nil {
		return err
	}
	for _, f := range [][2]string{
		{"operator", w.opts.Operator},
		{"http-header-user-agent", w.opts.UserAgent},
		{"robots", w.opts.Robots},
	} {
		if f[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(rb, "%s: %s\r\n", f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// fileNamer names files PREFIX-YYYYMMDDhhmmss-NNNNN-RRRRRR.warc; gowarc adds
// ".gz" and, while the file is open, ".open".
type fileNamer struct {
	dir, prefix string
	serial      atomic.Int32
}

var _ gowarc.WarcFileNameGenerator = (*fileNamer)(nil)

// NewWarcfileName returns the directory and the name of the next file.
func (n *fileNamer) NewWarcfileName() (string, string) {
	var r [3]byte
	_, _ = rand.Read(r[:]) // never fails
	ts := time.Now().UTC().Format("20060102150405")
	return n.dir, fmt.Sprintf("%s-%s-%05d-%x.warc", n.prefix, ts, n.serial.Add(1), r)
}

// syncFile fsyncs the file at path through a descriptor of its own: fsync
// flushes the file, whoever wrote it (gowarc keeps its descriptor to itself).
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

// lockFile opens path and takes an exclusive flock on it, which lasts until
// the returned file is closed (or its process dies).
func lockFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// fileMode is the mode of the files a Writer or Recover makes: evidence
// holds personal content, readable by the archive's owner only.
const fileMode = 0o600

// Recovered is a file Recover gave its final name.
type Recovered struct {
	Name string
	// Torn counts the bytes of a record cut short by the crash, moved from
	// the end of the file to NAME.torn (kept, not deleted; Verify reads only
	// WARC files). No archive refers to them: a record is referred to only
	// once it is on stable storage whole.
	Torn int64
}

// Recover gives their final names to the files of dir that a Writer left
// open when its process died: names ending in ".open" that no Writer holds
// (a Writer keeps an exclusive lock on the file it writes, released by the
// kernel when its process ends). A record the crash cut short at the end of
// such a file is set aside first, so that the file verifies whole. Recover
// is safe while other Writers write in dir.
func Recover(dir string) ([]Recovered, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("recover warc files in %q: %w", dir, err)
	}
	var done []Recovered
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), openSuffix)
		if !ok || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		lock, err := lockFile(path)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			continue // a running Writer's
		}
		if err != nil {
			return done, fmt.Errorf("recover warc files in %q: %w", dir, err)
		}
		torn, err := setAsideTornEnd(path, name)
		if err == nil {
			err = lock.Chmod(fileMode) // it may have died before its Writer tightened it
		}
		if err == nil {
			err = os.Rename(path, filepath.Join(dir, name))
		}
		err = errors.Join(err, lock.Close())
		if err != nil {
			return done, fmt.Errorf("recover warc file %s: %w", path, err)
		}
		done = append(done, Recovered{Name: name, Torn: torn})
		// Its CDXJ index, as a Writer writes one when it closes a file; a
		// file that cannot be read whole is left to vigia verify to report.
		_, _ = IndexFile(dir, name)
	}
	if len(done) > 0 {
		if err := durable.SyncDir(dir); err != nil {
			return done, fmt.Errorf("recover warc files in %q: %w", dir, err)
		}
	}
	return done, nil
}

// setAsideTornEnd reads the file at path (to be called name) and, when it
// ends in bytes that hold no whole record, copies them to NAME.torn and cuts
// the file before them. It returns how many bytes it moved.
func setAsideTornEnd(path, name string) (int64, error) {
	ix := newIndex()
	ix.readFile(context.Background(), path, name)
	regions := ix.files[name]
	if len(regions) == 0 || regions[len(regions)-1].to != ix.Bytes {
		return 0, nil // whole, or damaged in the middle: verify will say so
	}
	from := regions[len(regions)-1].from
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	tornPath := strings.TrimSuffix(path, openSuffix) + ".torn"
	if err := os.WriteFile(tornPath, data[from:], fileMode); err != nil {
		return 0, err
	}
	if err := syncFile(tornPath); err != nil {
		return 0, err
	}
	if err := os.Truncate(path, from); err != nil {
		return 0, err
	}
	return ix.Bytes - from, syncFile(path)
}
