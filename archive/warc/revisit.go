package warc

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// ProfileIdenticalPayload is the WARC-Profile of the revisit records a
// Writer writes: the payload is the one of the record WARC-Refers-To names.
const ProfileIdenticalPayload = gowarc.ProfileIdenticalPayloadDigestV1_1

// PayloadsSuffix ends the name of the file, in the index folder (CDXJDir)
// of a Writer's directory, that lists the responses written in full
// (indexes/PREFIX-payloads.jsonl): a revisit points at one of them, across
// runs, and a reader of a revisit finds the response it refers to there.
const PayloadsSuffix = "-payloads.jsonl"

// Original is a response record written in full, which later captures of
// the same URL with the same payload refer to.
type Original struct {
	RecordID      string `json:"id"`
	TargetURI     string `json:"uri"`
	Date          string `json:"date"` // its WARC-Date, as written
	PayloadDigest string `json:"digest"`
	File          string `json:"file"`
	Offset        int64  `json:"offset"`
}

// payloadIndex knows, for each target URI, the last response written in
// full: in this run, and in earlier runs from the payloads file. It is safe
// for concurrent use.
type payloadIndex struct {
	dir, path string

	mu      sync.Mutex
	loaded  bool
	byURI   map[string]*indexed
	out     *os.File // the payloads file, opened for appending once needed
	loadErr error
}

type indexed struct {
	Original
	checked bool // written in this run, or read back from its file at its offset
}

func newPayloadIndex(dir, prefix string) *payloadIndex {
	return &payloadIndex{dir: dir, path: filepath.Join(dir, CDXJDir, prefix+PayloadsSuffix), byURI: map[string]*indexed{}}
}

// lookup returns the response of uri written in full whose payload digest is
// digest, if there is one whose record is where the index says.
func (p *payloadIndex) lookup(uri, digest string) (Original, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.load()
	o, ok := p.byURI[uri]
	if !ok || !strings.EqualFold(o.PayloadDigest, digest) {
		return Original{}, false
	}
	if !o.checked {
		if err := checkOriginal(p.dir, o.Original); err != nil {
			delete(p.byURI, uri) // a file moved away, a record lost in a crash: write in full
			return Original{}, false
		}
		o.checked = true
	}
	return o.Original, true
}

// add remembers a response written in full, in memory and in the payloads
// file. The line is not synced: losing it loses only a revisit later.
func (p *payloadIndex) add(o Original) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.load()
	p.byURI[o.TargetURI] = &indexed{Original: o, checked: true}
	if p.out == nil {
		if err := os.MkdirAll(filepath.Dir(p.path), 0o700); err != nil {
			return fmt.Errorf("payload index: %w", err)
		}
		f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, fileMode)
		if err != nil {
			return fmt.Errorf("payload index: %w", err)
		}
		p.out = f
	}
	line, err := json.Marshal(o)
	if err != nil {
		return err
	}
	if _, err := p.out.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("payload index: %w", err)
	}
	return nil
}

// load reads the payloads file once; the last line of a URI wins. A file
// that cannot be read only means no revisit of earlier runs. p.mu is held.
func (p *payloadIndex) load() {
	if p.loaded {
		return
	}
	p.loaded = true
	origs, err := ReadPayloads(p.dir, filepath.Base(p.path))
	if err != nil {
		p.loadErr = err
	}
	for _, o := range origs {
		p.byURI[o.TargetURI] = &indexed{Original: o}
	}
}

func (p *payloadIndex) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.out == nil {
		return nil
	}
	err := p.out.Close()
	p.out = nil
	return err
}

// ReadPayloads reads the payloads file name (PREFIX-payloads.jsonl) in the
// index folder of dir:
// every response written in full that a revisit may refer to, in the order
// written. A missing file is no error. Lines that do not parse (one cut
// short by a crash) are skipped.
func ReadPayloads(dir, name string) ([]Original, error) {
	f, err := os.Open(filepath.Join(dir, CDXJDir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read payload index: %w", err)
	}
	defer f.Close()
	var out []Original
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var o Original
		if json.Unmarshal(sc.Bytes(), &o) == nil && o.RecordID != "" && o.File == filepath.Base(o.File) {
			out = append(out, o)
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("read payload index: %w", err)
	}
	return out, nil
}

// Originals reads the payloads files of dir (every indexes/*-payloads.jsonl) and
// returns the responses they list, by WARC-Record-ID: where to find the
// record a revisit refers to.
func Originals(dir string) (map[string]Original, error) {
	names, err := filepath.Glob(filepath.Join(dir, CDXJDir, "*"+PayloadsSuffix))
	if err != nil {
		return nil, err
	}
	out := map[string]Original{}
	var errs error
	for _, n := range names {
		origs, err := ReadPayloads(dir, filepath.Base(n))
		errs = errors.Join(errs, err)
		for _, o := range origs {
			out[o.RecordID] = o
		}
	}
	return out, errs
}

// checkOriginal reads the record o names, in its file (or the file still
// being written), and checks it is o's response with o's payload digest.
func checkOriginal(dir string, o Original) error {
	var f *os.File
	var err error
	for _, name := range []string{o.File, o.File + openSuffix, o.File} {
		if f, err = os.Open(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h, err := ReadHeader(f, o.Offset)
	if err != nil {
		return err
	}
	switch {
	case h.Get(gowarc.WarcRecordID) != o.RecordID:
		return fmt.Errorf("record %s is not at %s offset %d", o.RecordID, o.File, o.Offset)
	case h.Get(gowarc.WarcType) != gowarc.Response.String():
		return fmt.Errorf("record %s is a %s", o.RecordID, h.Get(gowarc.WarcType))
	case !strings.EqualFold(h.Get(gowarc.WarcPayloadDigest), o.PayloadDigest):
		return fmt.Errorf("record %s has another payload", o.RecordID)
	}
	return nil
}

// ReadHeader reads the WARC header of the record at offset of r.
func ReadHeader(r io.ReadSeeker, offset int64) (*gowarc.WarcFields, error) {
	var rd *gowarc.WarcFileReader
	var err error
	func() {
		gowarcMu.Lock()
		defer gowarcMu.Unlock()
		rd, err = gowarc.NewWarcFileReaderFromStream(struct{ io.ReadSeeker }{r}, offset,
			gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore), gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore))
	}()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	rec, err := rd.Next()
	if err != nil {
		return nil, err
	}
	defer rec.Close()
	if rec.Offset != offset {
		return nil, fmt.Errorf("no record at offset %d", offset)
	}
	h := rec.WarcRecord.WarcHeader()
	return h, nil
}

// payloadDigest is the WARC-Payload-Digest of a payload, as the Writer writes it.
func payloadDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// RefersTo returns where the response is that the revisit record recordID,
// at offset of the WARC file name in dir, refers to (its payload), after
// checking that record is there with the revisit's payload digest. A
// record that is not a revisit is ErrNotRevisit.
func RefersTo(dir, name string, offset int64, recordID string) (Original, error) {
	if name == "" || name != filepath.Base(name) || !filepath.IsLocal(name) || offset < 0 {
		return Original{}, fmt.Errorf("resolve revisit: bad reference %q @ %d", name, offset)
	}
	var f *os.File
	var err error
	for _, n := range []string{name, name + openSuffix, name} {
		if f, err = os.Open(filepath.Join(dir, n)); !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err != nil {
		return Original{}, fmt.Errorf("resolve revisit: %w", err)
	}
	defer f.Close()
	h, err := ReadHeader(f, offset)
	switch {
	case err != nil:
		return Original{}, fmt.Errorf("resolve revisit %s @ %d: %w", name, offset, err)
	case h.Get(gowarc.WarcRecordID) != recordID:
		return Original{}, fmt.Errorf("resolve revisit %s @ %d: record %s, not %s", name, offset, h.Get(gowarc.WarcRecordID), recordID)
	case h.Get(gowarc.WarcType) != gowarc.Revisit.String():
		return Original{}, fmt.Errorf("resolve revisit %s: %w (%s)", recordID, ErrNotRevisit, h.Get(gowarc.WarcType))
	}
	origs, err := Originals(dir)
	o, ok := origs[h.Get(gowarc.WarcRefersTo)]
	if !ok {
		return Original{}, errors.Join(fmt.Errorf("resolve revisit %s: %w: %s is in no payload index", recordID, ErrRecordMissing, h.Get(gowarc.WarcRefersTo)), err)
	}
	if !strings.EqualFold(o.PayloadDigest, h.Get(gowarc.WarcPayloadDigest)) {
		return Original{}, fmt.Errorf("resolve revisit %s: %w: %s has another payload", recordID, ErrDigestMismatch, o.RecordID)
	}
	if err := checkOriginal(dir, o); err != nil {
		return Original{}, fmt.Errorf("resolve revisit %s: %w: %w", recordID, ErrRecordMissing, err)
	}
	return o, nil
}

// ErrNotRevisit reports a record that is not a revisit.
var ErrNotRevisit = errors.New("not a revisit record")
