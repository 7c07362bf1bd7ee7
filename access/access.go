package access

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// Errors of Build, for errors.Is.
var (
	// ErrBadFolio reports a folio that is not a safe token.
	ErrBadFolio = errors.New("bad folio")
	// ErrExists reports a package folder that is not empty, or a zip that
	// is already there.
	ErrExists = errors.New("package already there")
	// ErrBadRedaction reports marks from Options.Redact that do not fit the
	// post's text, or a redacted text that still holds what it masked.
	ErrBadRedaction = errors.New("bad redaction")
)

// The files of a package.
const (
	fileCSV      = "publicaciones.csv"
	fileJSONL    = "publicaciones.jsonl"
	fileEvidence = "evidencia.warc.gz"
	fileReport   = "respuesta.html"
	fileManifest = "MANIFIESTO.sha256"
)

// zone is the time zone of the dates in the report.
const zone = "America/Mexico_City"

// Request describes the access request being answered.
type Request struct {
	Folio       string    // the request's folio, e.g. "140285725000123": 1 to 64 letters, digits, '-', '_' or '.'
	Received    time.Time // when the request was received
	Scope       string    // what was asked, in the requester's words
	Searched    string    // what was searched, in words, e.g. "cuenta: x; desde 2026-01-01; texto: bache"
	Deadline    time.Time // the response deadline, from the caller's calendar of business days
	DaysAllowed int       // business days allowed, shown in the report
	Subject     string    // the obligated body (sujeto obligado); may be empty
	PreparedBy  string    // user name of who built the package
}

// Redaction records one piece of text masked for a versión pública.
type Redaction struct {
	Network, AccountID, PostID string // the post; Build fills them in when Redact leaves them empty
	Kind                       string // what was masked, in Spanish: "correo", "teléfono", "mención"…
	Start, End                 int    // byte offsets of the masked text in the post's original text
	Basis                      string // the legal basis, in Spanish
}

// Options tune Build.
type Options struct {
	// WARCDir is the folder of the WARC files the posts' WARCRef.File names
	// are relative to. When empty no evidence is copied: evidencia.warc.gz
	// holds only its warcinfo record.
	WARCDir string
	// Redact, when not nil, masks third-party personal data in a post's text
	// and says what it masked.
	Redact func(h *archive.Hit) (text string, marks []Redaction)
	// Now gives the time the package is made; default time.Now.
	Now func() time.Time
}

// Package is what Build wrote.
type Package struct {
	Dir, Zip     string
	Delivered    int // posts in publicaciones.*
	Excluded     int // personal posts left out (policy Sexta)
	Undetermined int // posts awaiting review (or with no decision) left out
	Redactions   []Redaction
	// Files are the files the manifest lists: every file of Dir but
	// MANIFIESTO.sha256, as paths relative to Dir, sorted.
	Files []string
	// EvidenceRecords counts the WARC records copied into
	// evidencia.warc.gz, its own warcinfo record left out.
	EvidenceRecords int
	// Missing is the evidence that could not be copied, one line per post
	// with the reason (file missing, digest mismatch…), in Spanish.
	Missing []string
	// Withheld is the evidence left out because it holds what the package
	// must not (see the package documentation), one line per post, in
	// Spanish.
	Withheld []string
}

// post is a delivered post as the package shows it.
type post struct {
	hit    *archive.Hit
	text   string   // redacted when Options.Redact is set
	masked []string // the strings Redact masked: never written
}

// builder holds the work of one Build.
type builder struct {
	ctx  context.Context
	req  Request
	opt  Options
	loc  *time.Location
	now  time.Time
	pkg  *Package
	sums map[string]string // file → SHA-256 in hex

	posts   []post
	secrets []secret // what no file may hold: texts left out, strings masked

	madeDir bool
	written []string // paths of the files written, for discard
}

// Build writes the package answering req into dir, which must not exist or
// be empty (it is created 0o755), and a zip of it at dir+".zip" (which must
// not exist), its entries under the base name of dir. hits are the posts
// matching the search: those whose Decision.Label is archive.Function are
// delivered, in the order given; archive.Personal ones are counted in
// Excluded and every other in Undetermined. Evidence that cannot be copied
// does not stop the build; it is listed in the package and its report.
func Build(ctx context.Context, req Request, hits []archive.Hit, dir string, opt Options) (_ *Package, err error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("build package: %w", err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("build package: %w (the binary needs time/tzdata)", err)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	dir = filepath.Clean(dir)
	b := &builder{ctx: ctx, req: req, opt: opt, loc: loc, now: opt.Now(), sums: map[string]string{},
		pkg: &Package{Dir: dir, Zip: dir + ".zip"}}
	if err := b.sort(hits); err != nil {
		return nil, fmt.Errorf("build package %s: %w", dir, err)
	}
	if err := b.makeDir(); err != nil {
		return nil, fmt.Errorf("build package: %w", err)
	}
	defer func() {
		if err != nil {
			b.discard()
		}
	}()
	steps := []struct {
		name string
		fill func(io.Writer) error
	}{
		{fileCSV, b.writeCSV},
		{fileJSONL, b.writeJSONL},
		{fileEvidence, b.writeEvidence},
		{fileReport, b.writeReport},
		{fileManifest, b.writeManifest},
	}
	for _, s := range steps {
		if err := b.write(s.name, s.fill); err != nil {
			return nil, fmt.Errorf("build package %s: %w", dir, err)
		}
	}
	if err := b.writeZip(); err != nil {
		return nil, fmt.Errorf("build package %s: %w", dir, err)
	}
	return b.pkg, nil
}

// validate checks the folio, the one field used outside the report.
func (r *Request) validate() error {
	ok := len(r.Folio) >= 1 && len(r.Folio) <= 64 && strings.Trim(r.Folio, ".") != ""
	for _, c := range r.Folio {
		ok = ok && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.", c))
	}
	if !ok {
		return fmt.Errorf("%w %q: use 1 to 64 letters, digits, '-', '_' or '.'", ErrBadFolio, r.Folio)
	}
	return nil
}

// sort splits hits into the posts delivered and those left out, redacting
// the former and gathering the latter's texts as secrets.
func (b *builder) sort(hits []archive.Hit) error {
	for i := range hits {
		h := &hits[i]
		switch h.Decision.Label {
		case archive.Function:
			p, err := b.redact(h)
			if err != nil {
				return err
			}
			b.posts = append(b.posts, p)
			for _, m := range p.masked {
				b.keepOut(m, secretMasked)
			}
			continue
		case archive.Personal:
			b.pkg.Excluded++
		default:
			b.pkg.Undetermined++
		}
		for _, n := range needles(h.Text) {
			b.keepOut(n, secretLeftOut)
		}
	}
	b.pkg.Delivered = len(b.posts)
	return nil
}

// keepOut adds s to what no file may hold.
func (b *builder) keepOut(s, what string) {
	if s = collapse(s); s != "" {
		b.secrets = append(b.secrets, secret{s, what})
	}
}

// redact applies Options.Redact to h and checks what it says it did.
func (b *builder) redact(h *archive.Hit) (post, error) {
	p := post{hit: h, text: h.Text}
	if b.opt.Redact == nil {
		return p, nil
	}
	text, marks := b.opt.Redact(h)
	p.text = text
	for _, m := range marks {
		if m.Start < 0 || m.Start >= m.End || m.End > len(h.Text) {
			return p, fmt.Errorf("%w: post %s: %s at bytes %d–%d of a text of %d", ErrBadRedaction, postName(h), m.Kind, m.Start, m.End, len(h.Text))
		}
		masked := h.Text[m.Start:m.End]
		if strings.Contains(text, masked) {
			return p, fmt.Errorf("%w: post %s: the redacted text still holds the %s at bytes %d–%d", ErrBadRedaction, postName(h), m.Kind, m.Start, m.End)
		}
		p.masked = append(p.masked, masked)
		if m.Network == "" && m.AccountID == "" && m.PostID == "" {
			m.Network, m.AccountID, m.PostID = string(h.Network), h.AccountID, h.PostID
		}
		b.pkg.Redactions = append(b.pkg.Redactions, m)
	}
	return p, nil
}

// postName names a post as the package's messages do: network/account/id.
func postName(h *archive.Hit) string {
	return string(h.Network) + "/" + h.AccountID + "/" + h.PostID
}

// makeDir creates the package folder, or takes an empty one, after making
// sure the zip is not there.
func (b *builder) makeDir() error {
	dir := b.pkg.Dir
	if _, err := os.Lstat(b.pkg.Zip); err == nil {
		return fmt.Errorf("%w: %s", ErrExists, b.pkg.Zip)
	}
	err := os.Mkdir(dir, 0o755)
	if err == nil {
		b.madeDir = true
		return nil
	}
	if !errors.Is(err, os.ErrExist) {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%w: %s is not empty", ErrExists, dir)
	}
	return nil
}

// write creates name in the package folder, has fill write it, syncs it and
// keeps its digest.
func (b *builder) write(name string, fill func(io.Writer) error) error {
	path := filepath.Join(b.pkg.Dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	b.written = append(b.written, path)
	h := sha256.New()
	w := bufio.NewWriter(io.MultiWriter(f, h))
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	b.sums[name] = hex.EncodeToString(h.Sum(nil))
	return nil
}

// discard removes what a failed Build wrote.
func (b *builder) discard() {
	for _, path := range b.written {
		_ = os.Remove(path)
	}
	if b.madeDir {
		_ = os.Remove(b.pkg.Dir)
	}
}
