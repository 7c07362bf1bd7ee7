package warc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/vigia-mx/vigia/internal/durable"
)

// A Writer writes the CDXJ index of each WARC file it closes into the
// folder CDXJDir of its directory, as NAME.warc.gz.cdxj (CDXJPath).
const (
	CDXJDir    = "indexes"
	CDXJSuffix = ".cdxj"
)

// CDXJPath is where the CDXJ index of the WARC file dir/name is.
func CDXJPath(dir, name string) string {
	return filepath.Join(dir, CDXJDir, name+CDXJSuffix)
}

// Member is one record of a WARC file as stored: where its gzip member (or,
// in an uncompressed file, the record) starts and how many bytes it takes,
// and the headers an index and an extract need.
type Member struct {
	Offset, Length int64
	Type           string // WARC-Type
	RecordID       string // WARC-Record-ID
	TargetURI      string // WARC-Target-URI
	Date           time.Time
	ContentType    string   // Content-Type of the record
	PayloadDigest  string   // WARC-Payload-Digest
	WarcinfoID     string   // WARC-Warcinfo-ID
	ConcurrentTo   []string // WARC-Concurrent-To
	RefersTo       string   // WARC-Refers-To
	Status         int      // HTTP status of a response; 0 otherwise
	Mime           string   // media type of a response's payload, without parameters
}

// Members reads every record of the WARC file r (of size bytes; gzip
// members or plain records), in order. A record that cannot be read whole is
// an error: an index of a damaged file would point at bytes no reader can
// replay (vigia verify says where the damage is).
func Members(r io.ReadSeeker, size int64) ([]Member, error) {
	var rd *gowarc.WarcFileReader
	var err error
	func() {
		gowarcMu.Lock()
		defer gowarcMu.Unlock()
		rd, err = gowarc.NewWarcFileReaderFromStream(struct{ io.ReadSeeker }{r}, 0,
			gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore)) // an odd HTTP head is what the server sent
	}()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var out []Member
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) && rec.WarcRecord == nil && rec.Offset >= size {
			return out, nil
		}
		if err != nil {
			rec.Close()
			return out, fmt.Errorf("record at offset %d: %w", rec.Offset, err)
		}
		out = append(out, member(rec))
		rec.Close()
	}
}

func member(rec gowarc.Record) Member {
	h := rec.WarcRecord.WarcHeader()
	m := Member{
		Offset:        rec.Offset,
		Length:        rec.Size,
		Type:          h.Get(gowarc.WarcType),
		RecordID:      h.Get(gowarc.WarcRecordID),
		TargetURI:     h.Get(gowarc.WarcTargetURI),
		ContentType:   h.Get(gowarc.ContentType),
		PayloadDigest: h.Get(gowarc.WarcPayloadDigest),
		WarcinfoID:    h.Get(gowarc.WarcWarcinfoID),
		ConcurrentTo:  h.GetAll(gowarc.WarcConcurrentTo),
		RefersTo:      h.Get(gowarc.WarcRefersTo),
	}
	m.Date, _ = time.Parse(time.RFC3339Nano, h.Get(gowarc.WarcDate))
	if b, ok := rec.WarcRecord.Block().(gowarc.HttpResponseBlock); ok {
		m.Status = b.HttpStatusCode()
		if hh := b.HttpHeader(); hh != nil {
			m.Mime = mediaType(hh.Get("Content-Type"))
		}
	} else if m.Type == "revisit" {
		m.Status = revisitStatus(rec.WarcRecord.Block())
	}
	return m
}

// revisitStatus is the status code of the HTTP head a revisit record
// keeps (gowarc does not parse it), or 0.
func revisitStatus(b gowarc.Block) int {
	r, err := b.RawBytes()
	if err != nil {
		return 0
	}
	var line [64]byte
	n, _ := io.ReadFull(r, line[:])
	return headStatus(line[:n])
}

// headStatus is the status code of the first line of an HTTP head (of its
// first 64 bytes at most), or 0.
func headStatus(head []byte) int {
	first, _, _ := strings.Cut(string(head[:min(len(head), 64)]), "\n")
	f := strings.Fields(first)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		return 0
	}
	code, err := strconv.Atoi(f[1])
	if err != nil || code < 100 || code > 999 {
		return 0
	}
	return code
}

// mediaType is a Content-Type without its parameters, as indexers write it.
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

// CDXJ is one line of a CDXJ index, in the form pywb, warcio and the WACZ
// format use: the URL's SURT key, the 14-digit UTC time of the capture,
// then a JSON object.
type CDXJ struct {
	Key       string `json:"-"`
	Timestamp string `json:"-"`
	URL       string `json:"url"`
	Mime      string `json:"mime,omitempty"`
	Status    string `json:"status,omitempty"`
	Digest    string `json:"digest,omitempty"` // the WARC-Payload-Digest's hex, without its algorithm, as warcio writes it
	Length    string `json:"length"`
	Offset    string `json:"offset"`
	Filename  string `json:"filename"`
}

// String is the line, without its newline.
func (c CDXJ) String() string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "&" as itself, as warcio.js writes it
	_ = enc.Encode(c)        // strings only: never fails
	return c.Key + " " + c.Timestamp + " " + strings.TrimSuffix(b.String(), "\n")
}

// ParseCDXJ reads one line of a CDXJ index.
func ParseCDXJ(line string) (CDXJ, error) {
	key, rest, ok1 := strings.Cut(line, " ")
	ts, js, ok2 := strings.Cut(rest, " ")
	var c CDXJ
	if !ok1 || !ok2 {
		return c, fmt.Errorf("cdxj line %q: not KEY TIMESTAMP JSON", line)
	}
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		return c, fmt.Errorf("cdxj line %q: %w", line, err)
	}
	c.Key, c.Timestamp = key, ts
	return c, nil
}

// Indexed tells whether a record of this type gets a line in a CDXJ index:
// the records a replay looks up (responses, revisits, resources, metadata),
// not requests nor WARC fields, as warcio's and pywb's indexers do.
func (m *Member) Indexed() bool {
	switch m.Type {
	case "request", "warcinfo", "":
		return false
	case "metadata", "resource":
		return mediaType(m.ContentType) != "application/warc-fields"
	}
	return true
}

// CDXJ is the index line of m in the file called filename.
func (m *Member) CDXJ(filename string) CDXJ {
	c := CDXJ{
		Key:       SURT(m.TargetURI),
		Timestamp: m.Date.UTC().Format("20060102150405"),
		URL:       m.TargetURI,
		Length:    strconv.FormatInt(m.Length, 10),
		Offset:    strconv.FormatInt(m.Offset, 10),
		Filename:  filename,
	}
	switch m.Type {
	case "revisit":
		c.Mime = "warc/revisit"
	case "response":
		c.Mime = m.Mime
	default:
		c.Mime = m.ContentType // whole, parameters included, as warcio.js writes it
	}
	if m.Status != 0 {
		c.Status = strconv.Itoa(m.Status)
	}
	if _, hex, ok := strings.Cut(m.PayloadDigest, ":"); ok {
		c.Digest = hex
	}
	return c
}

// CDXJIndex returns the CDXJ lines of the members, sorted as a CDXJ index is.
func CDXJIndex(members []Member, filename string) []CDXJ {
	var out []CDXJ
	for i := range members {
		if members[i].Indexed() {
			out = append(out, members[i].CDXJ(filename))
		}
	}
	SortCDXJ(out)
	return out
}

// SortCDXJ sorts lines by their text, the order a CDXJ reader's binary
// search expects.
func SortCDXJ(lines []CDXJ) {
	slices.SortStableFunc(lines, func(a, b CDXJ) int { return strings.Compare(a.String(), b.String()) })
}

// SURT is the key a CDXJ index files a URL under, as warcio.js (and so
// ReplayWeb.page) computes it: the URL lower-cased, a leading "www." (or
// "www2."…) dropped, the host's labels reversed and joined by commas, the
// port when not the scheme's default, ")", the path, and the query's
// parameters sorted. A URL not http or https is its own key.
func SURT(raw string) string {
	low := strings.ToLower(raw)
	if !strings.HasPrefix(low, "http:") && !strings.HasPrefix(low, "https:") {
		return raw
	}
	if i := strings.Index(low, "://"); i >= 0 {
		rest := low[i+3:]
		if strings.HasPrefix(rest, "www") {
			j := 3
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			if j < len(rest) && rest[j] == '.' {
				low = low[:i+3] + rest[j+1:]
			}
		}
	}
	u, err := url.Parse(low)
	if err != nil || u.Host == "" {
		return raw
	}
	host := u.Hostname()
	labels := strings.Split(host, ".")
	slices.Reverse(labels)
	key := strings.Join(labels, ",")
	if p := u.Port(); p != "" && !(u.Scheme == "http" && p == "80") && !(u.Scheme == "https" && p == "443") {
		key += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	key += ")" + path
	if u.RawQuery != "" {
		args := strings.Split(u.RawQuery, "&")
		slices.Sort(args)
		key += "?" + strings.Join(args, "&")
	}
	return key
}

// WriteCDXJ writes lines, one per line.
func WriteCDXJ(w io.Writer, lines []CDXJ) error {
	for _, l := range lines {
		if _, err := io.WriteString(w, l.String()+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// IndexFile writes the CDXJ index of the closed WARC file dir/name to
// CDXJPath(dir, name) (through a temporary file, synced, then renamed), and
// returns its lines.
func IndexFile(dir, name string) ([]CDXJ, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", name, err)
	}
	members, err := Members(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", name, err)
	}
	lines := CDXJIndex(members, name)
	if err := writeIndex(dir, name, lines); err != nil {
		return nil, err
	}
	return lines, nil
}

// writeIndex writes lines as the CDXJ index of dir/name (through a
// temporary file, synced, then renamed).
func writeIndex(dir, name string, lines []CDXJ) error {
	idir := filepath.Join(dir, CDXJDir)
	if err := os.MkdirAll(idir, 0o700); err != nil {
		return fmt.Errorf("index %s: %w", name, err)
	}
	final := CDXJPath(dir, name)
	tmp := final + ".tmp"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode)
	if err != nil {
		return fmt.Errorf("index %s: %w", name, err)
	}
	err = WriteCDXJ(out, lines)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err == nil {
		err = durable.SyncDir(idir)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("index %s: %w", name, err)
	}
	return nil
}

// written is what a Writer keeps of the records it writes to one file,
// for the file's CDXJ index: each record's index fields and offset; the
// length of each is where the next begins (the last's, the file's size).
// Indexing a file so, when it closes, spares reading it all back
// (decompressing and digesting every record again); a file where a write
// failed is read back (IndexFile).
type written struct {
	members []Member
	failed  bool
}

// noted is what a written record notes of r, made from s, for the index
// (its offset and length to be filled in): read before r is written, which
// closes it.
func noted(r gowarc.WarcRecord, s spec) Member {
	h := r.WarcHeader()
	m := Member{
		Type:          h.Get(gowarc.WarcType),
		RecordID:      h.Get(gowarc.WarcRecordID),
		TargetURI:     h.Get(gowarc.WarcTargetURI),
		ContentType:   h.Get(gowarc.ContentType),
		PayloadDigest: h.Get(gowarc.WarcPayloadDigest),
		RefersTo:      h.Get(gowarc.WarcRefersTo),
	}
	m.Date, _ = time.Parse(time.RFC3339Nano, h.Get(gowarc.WarcDate))
	switch {
	case m.Type == "response":
		if b, ok := r.Block().(gowarc.HttpResponseBlock); ok {
			m.Status = b.HttpStatusCode()
			if hh := b.HttpHeader(); hh != nil {
				m.Mime = mediaType(hh.Get("Content-Type"))
			}
		}
	case m.Type == "revisit" && len(s.block) > 0:
		m.Status = headStatus(s.block[0]) // the head as received, as the revisit's block keeps it
	}
	return m
}

// index returns the CDXJ lines of the file dir/name, closed.
func (wr *written) index(dir, name string) ([]CDXJ, error) {
	fi, err := os.Stat(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", name, err)
	}
	for i := range wr.members {
		end := fi.Size()
		if i+1 < len(wr.members) {
			end = wr.members[i+1].Offset
		}
		wr.members[i].Length = end - wr.members[i].Offset
	}
	return CDXJIndex(wr.members, name), nil
}

// indexer writes the CDXJ index of each file a Writer closes, in the
// background, so that indexing a large file does not hold up the records
// being appended to the next one.
type indexer struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// start indexes dir/name in the background: from what the Writer noted of
// its records (wr), or, when wr is nil or a write failed, by reading it.
func (ix *indexer) start(dir, name string, wr *written) {
	ix.wg.Add(1)
	go func() {
		defer ix.wg.Done()
		var err error
		if wr != nil && !wr.failed {
			var lines []CDXJ
			if lines, err = wr.index(dir, name); err == nil {
				err = writeIndex(dir, name, lines)
			}
		} else {
			_, err = IndexFile(dir, name)
		}
		if err != nil {
			ix.mu.Lock()
			ix.errs = append(ix.errs, err)
			ix.mu.Unlock()
		}
	}()
}

// wait returns once every index started is written, with their errors.
func (ix *indexer) wait() error {
	ix.wg.Wait()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	err := errors.Join(ix.errs...)
	ix.errs = nil
	return err
}
