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
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
)

// Errors of Build, for errors.Is.
var (
	// ErrBadFolio reports a folio that is empty, too long, or holds control
	// characters.
	ErrBadFolio = errors.New("bad folio")
	// ErrExists reports a package folder that is not empty, or a zip that
	// is already there.
	ErrExists = errors.New("package already there")
	// ErrBadRedaction reports marks from Options.Redact that do not fit the
	// post's text, or a redacted text that still holds what it masked.
	ErrBadRedaction = errors.New("bad redaction")
	// ErrMissingEvidence reports delivered posts whose evidence cannot be
	// copied into the package, when Options.AllowMissingEvidence is not
	// set; the error is a *MissingEvidenceError naming them.
	ErrMissingEvidence = errors.New("evidence missing")
)

// MissingEvidenceError names the delivered posts whose evidence could not
// be copied, each with the reason, in Spanish (the lines of
// Package.Missing).
type MissingEvidenceError struct {
	Posts []string
}

func (e *MissingEvidenceError) Error() string {
	return fmt.Sprintf("the evidence of %d delivered %s cannot be copied into the package: %s",
		len(e.Posts), plural(len(e.Posts), "post", "posts"), strings.Join(e.Posts, "; "))
}

func (e *MissingEvidenceError) Unwrap() error { return ErrMissingEvidence }

// Limits of a folio.
const (
	// maxFolio is the longest folio accepted, in characters.
	maxFolio = 100
	// maxSafeName is the longest name SafeName derives, in bytes.
	maxSafeName = 64
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
	Folio       string    // the request's folio as the office writes it ("UT/0042/2026", "140285726000123"): 1 to 100 characters, no control characters
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
	// AllowMissingEvidence builds the package even when the evidence of
	// some delivered post cannot be copied (Package.Missing); the report
	// says it was asked for and names the posts. Without it, Build fails
	// with a *MissingEvidenceError. Evidence withheld (Package.Withheld)
	// never stops a build.
	AllowMissingEvidence bool
	// Redact, when not nil, masks third-party personal data in a post's text
	// and says what it masked.
	Redact func(h *archive.Hit) (text string, marks []Redaction)
	// Now gives the time the package is made; default time.Now.
	Now func() time.Time

	// beside is what the archive holds beside the posts given (Answer
	// reads it), so that no evidence delivers what they do not.
	beside *beside
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
	// evidencia.warc.gz (the warcinfo records of the files they come from
	// included), its own warcinfo record left out.
	EvidenceRecords int
	// Missing is the evidence that could not be copied, one line per post
	// with the reason (file missing, digest mismatch…), in Spanish: never
	// empty in a package but with Options.AllowMissingEvidence.
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

	originals map[string]warc.Original // where the responses revisits refer to are, read once (evidence.go)
}

// Build writes the package answering req into dir, which must not exist or
// be empty (it is created, or made, 0o700; its files 0o600), and a zip of it
// at dir+".zip" (which must not exist; 0o600), its entries under the base
// name of dir. hits are the posts matching the search: those whose
// Decision.Label is archive.Function are delivered, in the order given;
// archive.Personal ones are counted in Excluded and every other in
// Undetermined. Evidence that cannot be copied fails the build with a
// *MissingEvidenceError unless opt.AllowMissingEvidence is set; then it is
// listed in the package and its report.
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
	if opt.beside != nil {
		b.secrets = append(b.secrets, opt.beside.secrets...)
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
		if s.name == fileEvidence && len(b.pkg.Missing) > 0 && !opt.AllowMissingEvidence {
			return nil, fmt.Errorf("build package %s: %w", dir, &MissingEvidenceError{Posts: b.pkg.Missing})
		}
	}
	if err := b.writeZip(); err != nil {
		return nil, fmt.Errorf("build package %s: %w", dir, err)
	}
	return b.pkg, nil
}

// validate checks the folio: it is written verbatim in the report, the
// manifest and the evidence's warcinfo record, so it must be text of one
// line; no file name is made of it but through SafeName.
func (r *Request) validate() error {
	switch n := utf8.RuneCountInString(r.Folio); {
	case strings.TrimSpace(r.Folio) == "":
		return fmt.Errorf("%w: the folio is empty", ErrBadFolio)
	case !utf8.ValidString(r.Folio):
		return fmt.Errorf("%w %q: not UTF-8 text", ErrBadFolio, r.Folio)
	case n > maxFolio:
		return fmt.Errorf("%w: %d characters, at most %d", ErrBadFolio, n, maxFolio)
	}
	for _, c := range r.Folio {
		if unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c) {
			return fmt.Errorf("%w %q: control character %U", ErrBadFolio, r.Folio, c)
		}
	}
	return nil
}

// SafeName derives from a folio a name for files and folders: letters
// without their accents, ASCII letters, digits, '_' and '-' kept, every run
// of anything else made one '-', no '-' at either end, at most 64 bytes,
// "solicitud" when nothing is left. "UT/0042/2026" is "UT-0042-2026";
// "../../etc" is "etc". The name never starts with a dot and is never "."
// or "..", whatever the folio.
func SafeName(folio string) string {
	var b strings.Builder
	dash := false
	for _, c := range norm.NFD.String(folio) {
		switch {
		case unicode.Is(unicode.Mn, c): // an accent, once decomposed
		case c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_'):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		default:
			dash = true
		}
		if b.Len() >= maxSafeName {
			break
		}
	}
	name := strings.TrimRight(b.String()[:min(b.Len(), maxSafeName)], "-")
	if name == "" {
		return "solicitud"
	}
	return name
}

// sort splits hits into the posts delivered and those left out, redacting
// the former and gathering the latter's texts as secrets.
func (b *builder) sort(hits []archive.Hit) error {
	for i := range hits {
		h := &hits[i]
		switch {
		case h.Public():
			p, err := b.redact(h)
			if err != nil {
				return err
			}
			b.posts = append(b.posts, p)
			for _, m := range p.masked {
				b.keepOut(m, secretMasked)
			}
			continue
		case h.Decision.Label == archive.Personal:
			b.pkg.Excluded++
		// (and a function post that waits for a person, an edit of a post
		// a person decided, is left out as awaiting review)
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
	err := os.Mkdir(dir, 0o700)
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
	return os.Chmod(dir, 0o700) // a package is for the office until it is delivered
}

// write creates name in the package folder, has fill write it, syncs it and
// keeps its digest.
func (b *builder) write(name string, fill func(io.Writer) error) error {
	path := filepath.Join(b.pkg.Dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
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
