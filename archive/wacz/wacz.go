package wacz

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive/warc"
)

// Version is the version of the WACZ specification the files follow.
const Version = "1.1.1"

// The paths inside a WACZ file.
const (
	DirArchive   = "archive/"
	PathIndex    = "indexes/index.cdxj"
	PathPages    = "pages/pages.jsonl"
	PathPackage  = "datapackage.json"
	PathDigest   = "datapackage-digest.json"
	pagesFormat  = "json-pages-1.0"
	pagesID      = "pages"
	packageShape = "data-package"
)

// ErrBadName reports a WARC file name a WACZ cannot hold: the Data Package
// specification allows lower-case letters, digits, '.', '_' and '-' in a
// resource's name, and the name must end in .warc.gz or .warc.
var ErrBadName = errors.New("bad WARC file name")

var resourceName = regexp.MustCompile(`^[a-z0-9][-a-z0-9._]*\.warc(\.gz)?$`)

// File is a WARC file to put into the WACZ, under archive/Name.
type File struct {
	Name string // its name in the WACZ
	Path string // where it is on disk
}

// Page is an entry of pages/pages.jsonl: a record a person opens the
// archive at.
type Page struct {
	ID       string // the page's id, e.g. one per post version; default: the record's WARC-Record-ID without its brackets (one page per record)
	RecordID string // WARC-Record-ID of the response or resource record the page opens
	Title    string
	// HTML, when set, is a rendering of the record (an HTML page that
	// stands alone): Write keeps it as a resource record of its own in
	// archive/RenderingsFile, at URL, whose WARC-Concurrent-To names
	// RecordID (warc.Resource), and the page opens it instead of the
	// record.
	HTML []byte
	URL  string // the rendering's URL; default RenderingURL(ID)
}

// RenderingsFile is the WARC file of a WACZ that holds the pages' HTML
// renderings.
const RenderingsFile = "vigia-paginas.warc.gz"

// RenderingHost is the host of the renderings' URLs: a name under
// .invalid (RFC 2606), which no one can register, so that a replay never
// mistakes a rendering for a page of the web, nor fetches it live.
const RenderingHost = "vigia.invalid"

// RenderingURL is a URL for a rendering under RenderingHost, made of
// parts (e.g. network, account, post id, "v2"): each part path-escaped
// whole ('/' included), and a part "." or ".." escaped too, so that no part
// adds a level and no reader's URL normalisation moves a page onto
// another's URL.
func RenderingURL(parts ...string) string {
	parts = slices.Clone(parts)
	for i, p := range parts {
		switch p {
		case ".", "..":
			parts[i] = strings.Repeat("%2E", len(p))
		default:
			parts[i] = url.PathEscape(p)
		}
	}
	return "https://" + RenderingHost + "/" + strings.Join(parts, "/")
}

// Options describe the WACZ as a whole.
type Options struct {
	Title       string
	Description string
	Software    string    // e.g. "vigia 0.3.0"
	Created     time.Time // default time.Now
	// TempDir is where the renderings' WARC file is made before it is
	// stored (renderings may hold personal content: put it where the WACZ
	// goes); default os.TempDir().
	TempDir string
}

// Resource is a file of the WACZ as datapackage.json lists it.
type Resource struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Hash  string `json:"hash"` // "sha256:" and the lower-case hex digest
	Bytes int64  `json:"bytes"`
}

// Summary is what Write put into the WACZ.
type Summary struct {
	Resources []Resource  // as datapackage.json lists them
	Index     []warc.CDXJ // the lines of indexes/index.cdxj
	Pages     []PageLine  // the pages of pages/pages.jsonl, header left out
	Skipped   []Page      // pages whose record is in none of the files
	Package   []byte      // datapackage.json
}

// PageLine is a page as pages/pages.jsonl holds it.
type PageLine struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	TS    string `json:"ts"` // the record's WARC-Date, RFC 3339 in UTC
	Title string `json:"title,omitempty"`
}

// dataPackage is datapackage.json.
type dataPackage struct {
	Profile      string     `json:"profile"`
	WACZVersion  string     `json:"wacz_version"`
	Title        string     `json:"title,omitempty"`
	Description  string     `json:"description,omitempty"`
	Created      string     `json:"created"`
	Software     string     `json:"software"`
	MainPageURL  string     `json:"mainPageUrl,omitempty"`
	MainPageDate string     `json:"mainPageDate,omitempty"`
	Resources    []Resource `json:"resources"`
}

// Write writes to w a WACZ file holding files (each stored as it is, not
// compressed again, so that a reader can seek to a record's gzip member),
// the CDXJ index of their records, pages (in the order given; a page
// whose record is in none of the files is left out and returned in
// Summary.Skipped), datapackage.json listing the SHA-256 and size of each
// of them, and datapackage-digest.json with the SHA-256 of
// datapackage.json.
func Write(w io.Writer, files []File, pages []Page, opt Options) (*Summary, error) {
	if opt.Created.IsZero() {
		opt.Created = time.Now()
	}
	if opt.Software == "" {
		opt.Software = "vigia"
	}
	modified := opt.Created.UTC()
	sum := &Summary{}
	zw := zip.NewWriter(w)
	records := map[string]warc.Member{}
	seen := map[string]bool{}
	indexed := make([][]warc.Member, len(files))
	for i, f := range files {
		if !resourceName.MatchString(f.Name) || seen[f.Name] || f.Name == RenderingsFile {
			return nil, fmt.Errorf("write wacz: %w: %q", ErrBadName, f.Name)
		}
		seen[f.Name] = true
		members, err := readMembers(f.Path)
		if err != nil {
			return nil, fmt.Errorf("write wacz: %s: %w", f.Name, err)
		}
		indexed[i] = members
		for _, m := range members {
			if m.Indexed() {
				records[m.RecordID] = m
			}
		}
	}
	pages, rendered, err := renderings(pages, records, opt.TempDir)
	if err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	if rendered != "" {
		defer os.Remove(rendered)
		members, err := readMembers(rendered)
		if err != nil {
			return nil, fmt.Errorf("write wacz: %s: %w", RenderingsFile, err)
		}
		files = append(slices.Clip(files), File{Name: RenderingsFile, Path: rendered})
		indexed = append(indexed, members)
		for _, m := range members {
			records[m.RecordID] = m
		}
	}
	for i, f := range files {
		res, err := addWARC(zw, f, modified)
		if err != nil {
			return nil, fmt.Errorf("write wacz: %s: %w", f.Name, err)
		}
		sum.Resources = append(sum.Resources, res)
		sum.Index = append(sum.Index, warc.CDXJIndex(indexed[i], f.Name)...)
	}
	warc.SortCDXJ(sum.Index)
	var index bytes.Buffer
	if err := warc.WriteCDXJ(&index, sum.Index); err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	res, err := addBytes(zw, PathIndex, index.Bytes(), modified)
	if err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	sum.Resources = append(sum.Resources, res)

	pagesFile, err := sum.pages(pages, records, opt.Title)
	if err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	if res, err = addBytes(zw, PathPages, pagesFile, modified); err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	sum.Resources = append(sum.Resources, res)

	dp := dataPackage{
		Profile:     packageShape,
		WACZVersion: Version,
		Title:       opt.Title,
		Description: opt.Description,
		Created:     modified.Format(time.RFC3339),
		Software:    opt.Software,
		Resources:   sum.Resources,
	}
	if len(sum.Pages) > 0 {
		dp.MainPageURL, dp.MainPageDate = sum.Pages[0].URL, sum.Pages[0].TS
	}
	if sum.Package, err = json.MarshalIndent(dp, "", "  "); err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	if res, err = addBytes(zw, PathPackage, sum.Package, modified); err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	digest, err := json.MarshalIndent(struct {
		Path string `json:"path"`
		Hash string `json:"hash"`
	}{PathPackage, res.Hash}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	if _, err = addBytes(zw, PathDigest, digest, modified); err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write wacz: %w", err)
	}
	return sum, nil
}

// pages writes pages/pages.jsonl: its header, then a line per page whose
// record is indexed.
func (s *Summary) pages(pages []Page, records map[string]warc.Member, title string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	head := struct {
		Format string `json:"format"`
		ID     string `json:"id"`
		Title  string `json:"title"`
	}{pagesFormat, pagesID, title}
	if head.Title == "" {
		head.Title = "All Pages"
	}
	if err := enc.Encode(head); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, p := range pages {
		m, ok := records[p.RecordID]
		if !ok || m.TargetURI == "" {
			s.Skipped = append(s.Skipped, p)
			continue
		}
		line := PageLine{ID: p.ID, URL: m.TargetURI, TS: m.Date.UTC().Format(time.RFC3339Nano), Title: p.Title}
		if line.ID == "" {
			line.ID = trimBrackets(p.RecordID)
		}
		if ids[line.ID] {
			continue // one line per page
		}
		ids[line.ID] = true
		if err := enc.Encode(line); err != nil {
			return nil, err
		}
		s.Pages = append(s.Pages, line)
	}
	return b.Bytes(), nil
}

func trimBrackets(id string) string {
	if len(id) >= 2 && id[0] == '<' && id[len(id)-1] == '>' {
		return id[1 : len(id)-1]
	}
	return id
}

// renderings writes the HTML of the pages whose record is in records as
// resource records into a temporary WARC file, and returns the pages with
// those pointing at their renderings, and the file's path ("" when no page
// has HTML).
func renderings(pages []Page, records map[string]warc.Member, tmp string) ([]Page, string, error) {
	if !slices.ContainsFunc(pages, func(p Page) bool { return len(p.HTML) > 0 }) {
		return pages, "", nil
	}
	f, err := os.CreateTemp(tmp, ".vigia-paginas-*.warc.gz")
	if err != nil {
		return nil, "", err
	}
	out := slices.Clone(pages)
	for i := range out {
		p := &out[i]
		if len(p.HTML) == 0 {
			continue
		}
		src, ok := records[p.RecordID]
		if !ok {
			continue // left out as Skipped, with no rendering of evidence that is not there
		}
		if p.ID == "" {
			p.ID = trimBrackets(p.RecordID)
		}
		if p.URL == "" {
			p.URL = RenderingURL(p.ID)
		}
		// Dated as the capture it renders, so that a replay lists and
		// finds each version at its time (when it was made is the
		// datapackage's created).
		id, _, err := warc.WriteResource(f, warc.Resource{TargetURI: p.URL, Date: src.Date,
			ContentType: "text/html; charset=utf-8", Block: p.HTML, MadeFrom: p.RecordID})
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, "", err
		}
		p.RecordID = id
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return nil, "", err
	}
	return out, f.Name(), nil
}

func readMembers(path string) ([]warc.Member, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return warc.Members(f, fi.Size())
}

// addWARC stores the WARC file f in zw under archive/.
func addWARC(zw *zip.Writer, f File, modified time.Time) (Resource, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return Resource{}, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return Resource{}, err
	}
	// A first pass for the CRC-32 the zip entry's header states, so that
	// the entry is stored plainly, without a data descriptor after it.
	crc := crc32.NewIEEE()
	if _, err := io.Copy(crc, fh); err != nil {
		return Resource{}, err
	}
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return Resource{}, err
	}
	res := Resource{Name: f.Name, Path: DirArchive + f.Name}
	n, hash, err := addEntry(zw, res.Path, fh, crc.Sum32(), fi.Size(), modified)
	if err != nil {
		return Resource{}, err
	}
	res.Bytes, res.Hash = n, hash
	return res, nil
}

// addBytes stores data in zw at path.
func addBytes(zw *zip.Writer, path string, data []byte, modified time.Time) (Resource, error) {
	n, hash, err := addEntry(zw, path, bytes.NewReader(data), crc32.ChecksumIEEE(data), int64(len(data)), modified)
	if err != nil {
		return Resource{}, fmt.Errorf("%s: %w", path, err)
	}
	return Resource{Name: pathBase(path), Path: path, Hash: hash, Bytes: n}, nil
}

// addEntry stores size bytes of r in zw at path, uncompressed, and returns
// how many it copied and their SHA-256 as "sha256:HEX".
func addEntry(zw *zip.Writer, path string, r io.Reader, crc uint32, size int64, modified time.Time) (int64, string, error) {
	hdr := &zip.FileHeader{Name: path, Method: zip.Store, Modified: modified,
		CRC32: crc, CompressedSize64: uint64(size), UncompressedSize64: uint64(size)}
	// CreateRaw, unlike CreateHeader, writes Modified only in the
	// MS-DOS fields it is given.
	hdr.ModifiedDate, hdr.ModifiedTime = msDOSTime(modified)
	hdr.SetMode(0o644)
	w, err := zw.CreateRaw(hdr)
	if err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), r)
	if err != nil {
		return n, "", err
	}
	if n != size {
		return n, "", fmt.Errorf("%d bytes, not %d: the file changed while it was read", n, size)
	}
	return n, "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

func pathBase(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// msDOSTime is t (UTC) as the date and time fields of a zip header.
func msDOSTime(t time.Time) (date, clock uint16) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}
