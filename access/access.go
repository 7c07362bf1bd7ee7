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
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/classifier"
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
	// Accounts are the archive's snapshots of the accounts, by id (Answer
	// reads them): the report names each post's servant and position, or
	// its area, instead of the account's id.
	Accounts map[string]archive.Account
	// Texts are the legal texts of the answer (the policy's respuesta
	// section): the report's notice of the recurso de revisión, its
	// signature, why personal posts are left out. nil: the embedded
	// policy's.
	Texts *classifier.AnswerTexts
	// Visibility is the publication rule of the policy in use: a version
	// decided function by a model below its threshold is not public
	// information yet and is withheld, waiting for a person. Its zero
	// value delivers no model decision.
	Visibility archive.Visibility

	// beside is what the archive holds beside the posts given (Answer
	// reads it), so that no evidence delivers what they do not.
	beside *beside
	// histories are the histories of the posts given (Answer reads them),
	// so that each version is delivered or withheld on its own decision.
	// A post without one is delivered as its hit: one version.
	histories map[archive.Key]*archive.PostHistory
	// text is the text the search looked for (archive.Query.Text).
	text string
	// shared tells which shared posts the archive holds and the public
	// may not read (Answer makes it): their words are withheld.
	shared *SharedCheck
}

// Package is what Build wrote.
type Package struct {
	Dir, Zip string
	// Record is the office's own record of the answer (record.go): the
	// deadline, who prepared it, the zip's SHA-256. It is written beside
	// the zip, never in it: it is not delivered.
	Record string
	// ZipSHA256 is the SHA-256 of the zip, in hex.
	ZipSHA256    string
	Delivered    int // posts in publicaciones.*, with at least one version delivered
	Excluded     int // personal posts left out (policy Sexta)
	Undetermined int // posts awaiting review (or with no decision) left out
	// Versions counts the versions delivered, every delivered post's.
	Versions int
	// WithheldPersonal and WithheldPending count the versions of delivered
	// posts left out: decided personal, and awaiting review (an edit of a
	// post a person decided, not yet decided by a person; or undecided).
	WithheldPersonal, WithheldPending int
	// WithheldBelowThreshold counts the versions of delivered posts left
	// out because a model decided them function below the publication
	// threshold: they wait for a person.
	WithheldBelowThreshold int
	// BelowThreshold counts the posts left out whose latest version a
	// model decided function below the publication threshold (and none
	// of whose versions is delivered).
	BelowThreshold int
	Redactions     []Redaction
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

// post is a delivered post as the package shows it: the versions of it the
// package delivers, each on its own decision (archive.PostHistory.PublicOf).
type post struct {
	hit      *archive.Hit // the post as the search found it: its latest version, which may be withheld
	versions []version    // the versions delivered, oldest first; never empty
	withheld []withheldVersion
}

// version is one version of a post the package delivers.
type version struct {
	archive.Post                  // as archived: Text is the original
	decision     archive.Decision // the decision that stands for it
	text         string           // redacted when Options.Redact is set
	shared       string           // Shared.Text, redacted likewise
	masked       []string         // the strings Redact masked in text and shared: never written
	lastSeen     time.Time        // the last capture of the post while this version stood; zero when unknown
}

// withheldVersion is a version of a delivered post the package leaves out,
// and why, in Spanish.
type withheldVersion struct {
	Number int
	Why    string
	below  bool // a model's function below the publication threshold
}

// Why a version is withheld, in Spanish, as the report counts them.
const (
	whyPersonal = "por tratarse de contenido personal"
	whyPending  = "pendiente de revisión"
)

// whyBelow says why a version a model decided function below the
// publication threshold is withheld.
func whyBelow(d archive.Decision, v archive.Visibility) string {
	return fmt.Sprintf("decidida por el modelo con confianza %.2f, por debajo del umbral de publicación %.2f: espera la decisión de una persona",
		d.Confidence, v.ModelFloor())
}

// latest is the newest version the package delivers of the post.
func (p *post) latest() *version { return &p.versions[len(p.versions)-1] }

// builder holds the work of one Build.
type builder struct {
	ctx  context.Context
	req  Request
	opt  Options
	loc  *time.Location
	now  time.Time
	pkg  *Package
	sums map[string]string // file → SHA-256 in hex

	posts      []post
	secrets    []secret // what no file may hold: texts left out, strings masked
	lastMasked []string // what the last redactText masked

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
		pkg: &Package{Dir: dir, Zip: dir + ".zip", Record: dir + recordSuffix}}
	if err := b.sort(hits); err != nil {
		return nil, fmt.Errorf("build package %s: %w", dir, err)
	}
	if opt.beside != nil {
		b.secrets = append(b.secrets, opt.beside.secrets...)
	}
	b.spare()
	if err := b.makeDir(); err != nil {
		return nil, fmt.Errorf("build package: %w", err)
	}
	defer func() {
		if err != nil {
			b.discard()
		}
	}()
	if err := b.writePages(); err != nil { // pages.go
		return nil, fmt.Errorf("build package %s: %w", dir, err)
	}
	steps := []struct {
		name string
		fill func(io.Writer) error
	}{
		{fileCSV, b.writeCSV},
		{fileJSONL, b.writeJSONL},
		{fileEvidence, b.writeEvidence},
		{fileWACZ, b.writeWACZ}, // wacz.go
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
	if err := b.writeRecord(); err != nil { // record.go
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

// sort splits hits into the posts delivered and those left out, and the
// versions of each delivered post into those delivered and those withheld
// (each on its own decision, archive.PostHistory.PublicOf), redacting what
// is delivered and gathering the texts of what is not as secrets.
func (b *builder) sort(hits []archive.Hit) error {
	for i := range hits {
		h := &hits[i]
		p := post{hit: h}
		cands := b.candidates(h)
		// a post found by the text of a version withheld delivers
		// nothing: delivering another would tell what that one says
		deliver := b.matches(cands)
		for _, c := range cands {
			if !deliver {
				break
			}
			if !c.public {
				why := whyPending
				switch {
				case c.decision.Label == archive.Personal:
					why = whyPersonal
				case b.below(c):
					why = whyBelow(c.decision, b.opt.Visibility)
				}
				p.withheld = append(p.withheld, withheldVersion{c.Version, why, b.below(c)})
				continue
			}
			v, err := b.redact(c)
			if err != nil {
				return err
			}
			p.versions = append(p.versions, v)
		}
		if len(p.versions) == 0 {
			if h.Decision.Label == archive.Personal {
				b.pkg.Excluded++
			} else if last := cands[len(cands)-1]; b.below(last) {
				b.pkg.BelowThreshold++
			} else {
				// (and a function post that waits for a person, an edit
				// of a post a person decided, is left out as awaiting
				// review)
				b.pkg.Undetermined++
			}
			for _, c := range cands {
				for _, n := range needles(c.Text) {
					b.keepOut(n, secretLeftOut)
				}
			}
			continue
		}
		b.posts = append(b.posts, p)
		for _, v := range p.versions {
			for _, m := range v.masked {
				b.keepOut(m, secretMasked)
			}
		}
		for _, c := range cands {
			if !c.public {
				for _, n := range needles(c.Text) {
					b.keepOut(n, secretLeftOut)
				}
			}
		}
		for _, w := range p.withheld {
			switch {
			case w.Why == whyPersonal:
				b.pkg.WithheldPersonal++
			case w.below:
				b.pkg.WithheldBelowThreshold++
			default:
				b.pkg.WithheldPending++
			}
		}
	}
	b.pkg.Delivered = len(b.posts)
	for _, p := range b.posts {
		b.pkg.Versions += len(p.versions)
	}
	return nil
}

// readHistories reads the history of every post among hits that may
// deliver a version: each version is delivered or withheld on its own
// decision, and the history says when each was seen. A post of one version
// that is not public information delivers nothing and is not read. An
// engine that reads many histories at once (archive.HistoryReader: both
// do) is asked once; any other, post by post.
func readHistories(ctx context.Context, r archive.Reader, hits []archive.Hit, vis archive.Visibility) (map[archive.Key]*archive.PostHistory, error) {
	var keys []archive.Key
	for i := range hits {
		if h := &hits[i]; h.Versions > 1 || h.Public(vis) {
			keys = append(keys, h.Key())
		}
	}
	if hr, ok := r.(archive.HistoryReader); ok {
		out, err := hr.Histories(ctx, keys)
		if err != nil {
			return nil, fmt.Errorf("read the versions of the posts found: %w", err)
		}
		return out, nil
	}
	out := make(map[archive.Key]*archive.PostHistory, len(keys))
	for _, k := range keys {
		hist, err := r.History(ctx, k)
		if err != nil {
			return nil, fmt.Errorf("read the versions of %s/%s/%s: %w", k.Network, k.AccountID, k.PostID, err)
		}
		out[k] = hist
	}
	return out, nil
}

// matches reports whether the versions delivered of a post answer the
// search's text: a search finds a post by its latest version, and when
// that version is withheld, delivering an earlier one would tell the
// requester that the withheld one says what was searched. So would
// delivering a post found only by the words of a post it carries that is
// not public information (SharedCheck), whose words are withheld.
func (b *builder) matches(cands []candidate) bool {
	last := cands[len(cands)-1]
	if b.opt.text == "" || (last.public && !b.carriesWithheld(last)) {
		return true
	}
	want := archive.FoldText(b.opt.text)
	for _, c := range cands {
		if !c.public {
			continue
		}
		if strings.Contains(archive.FoldText(c.Text), want) {
			return true
		}
		if c.Shared != nil && !b.carriesWithheld(c) && strings.Contains(archive.FoldText(c.Shared.Text), want) {
			return true
		}
	}
	return false
}

// carriesWithheld reports whether c carries a post whose words are
// withheld (SharedCheck; a post that cannot be told counts as one).
func (b *builder) carriesWithheld(c candidate) bool {
	if b.opt.shared == nil || c.Shared == nil {
		return false
	}
	hidden, _, err := b.opt.shared.Hidden(c.Shared)
	return hidden || err != nil
}

// candidate is a version of a post found, with the decision that stands
// for it and whether the public may read it.
type candidate struct {
	archive.Post
	decision archive.Decision
	public   bool
	reviewed bool // a person decided some version of the post
	lastSeen time.Time
}

// below reports whether c is withheld only because a model decided it
// function below the publication threshold (not an edit of a post a
// person decided, which waits for a person whatever a model says).
func (b *builder) below(c candidate) bool {
	return !c.public && !c.reviewed && b.opt.Visibility.BelowThreshold(c.decision)
}

// candidates returns the versions of the post h found, oldest first: every
// version its history holds (Answer reads the histories), or h alone.
func (b *builder) candidates(h *archive.Hit) []candidate {
	hist := b.opt.histories[h.Key()]
	if hist == nil || len(hist.Versions) == 0 {
		return []candidate{{Post: h.Post, decision: h.Decision, public: h.Public(b.opt.Visibility), reviewed: h.Reviewed}}
	}
	out := make([]candidate, len(hist.Versions))
	reviewed := hist.Reviewed()
	for i, v := range hist.Versions {
		out[i] = candidate{Post: v, decision: hist.StandingOf(v.ContentSHA256), public: hist.PublicOf(v.ContentSHA256, b.opt.Visibility),
			reviewed: reviewed, lastSeen: lastSeen(hist, i)}
	}
	return out
}

// lastSeen is when the post was last captured while its version i stood:
// the last capture of its content before the next version's first (see
// archive.PostHistory.Seen), or, for the latest version, the post's last
// capture; zero when the history does not tell.
func lastSeen(h *archive.PostHistory, i int) time.Time {
	v := h.Versions[i]
	var last time.Time
	for _, s := range h.Seen {
		if s.ContentSHA256 == v.ContentSHA256 && s.Last.After(last) &&
			(i == len(h.Versions)-1 || s.Last.Before(h.Versions[i+1].CapturedAt)) {
			last = s.Last
		}
	}
	if last.IsZero() && i == len(h.Versions)-1 {
		last = h.LastCaptured
	}
	return last
}

// keepOut adds s to what no file may hold.
func (b *builder) keepOut(s, what string) {
	if s = collapse(s); s != "" {
		b.secrets = append(b.secrets, secret{s, what})
	}
}

// spare drops from the secrets the texts of versions left out that a
// delivered version also says: a line an edit kept from the version
// before is delivered with that version, and the evidence of that version
// holds it.
func (b *builder) spare() {
	var said []string
	for _, p := range b.posts {
		for _, v := range p.versions {
			said = append(said, collapse(v.text), collapse(v.shared))
		}
	}
	kept := b.secrets[:0]
	for _, s := range b.secrets {
		if s.what == secretLeftOut && slices.ContainsFunc(said, func(t string) bool { return strings.Contains(t, s.text) }) {
			continue
		}
		kept = append(kept, s)
	}
	b.secrets = kept
}

// redact applies Options.Redact to a version's text and to the text of
// the post it shares, and checks what it says it did.
func (b *builder) redact(c candidate) (version, error) {
	if b.opt.shared != nil && c.Shared != nil {
		// the words of a carried post that is not public information
		hidden, texts, err := b.opt.shared.Hidden(c.Shared)
		if err != nil {
			return version{}, err
		}
		if hidden {
			c.Shared = &archive.Shared{Kind: c.Shared.Kind, Text: SharedWithheld}
			if c.RepostOf != "" {
				c.RepostOf = "[testado]"
			}
			for _, t := range texts {
				for _, n := range needles(t) {
					b.keepOut(n, secretLeftOut)
				}
			}
		}
	}
	v := version{Post: c.Post, decision: c.decision, text: c.Text, lastSeen: c.lastSeen}
	if c.Shared != nil {
		v.shared = c.Shared.Text
	}
	if b.opt.Redact == nil {
		return v, nil
	}
	h := &archive.Hit{Post: c.Post, Decision: c.decision}
	var err error
	if v.text, err = b.redactText(h, c.Text); err != nil || v.shared == "" {
		v.masked = b.lastMasked
		return v, err
	}
	masked := b.lastMasked
	v.shared, err = b.redactText(h, v.shared)
	v.masked = append(masked, b.lastMasked...)
	return v, err
}

// redactText masks text, a version's own or the text of the post it
// shares, as Options.Redact says, keeping what it masked in lastMasked.
func (b *builder) redactText(h *archive.Hit, text string) (string, error) {
	b.lastMasked = nil
	in := *h
	in.Text = text
	out, marks := b.opt.Redact(&in)
	for _, m := range marks {
		if m.Start < 0 || m.Start >= m.End || m.End > len(text) {
			return "", fmt.Errorf("%w: post %s: %s at bytes %d–%d of a text of %d", ErrBadRedaction, postName(h), m.Kind, m.Start, m.End, len(text))
		}
		masked := text[m.Start:m.End]
		if strings.Contains(out, masked) {
			return "", fmt.Errorf("%w: post %s: the redacted text still holds the %s at bytes %d–%d", ErrBadRedaction, postName(h), m.Kind, m.Start, m.End)
		}
		b.lastMasked = append(b.lastMasked, masked)
		if m.Network == "" && m.AccountID == "" && m.PostID == "" {
			m.Network, m.AccountID, m.PostID = string(h.Network), h.AccountID, h.PostID
		}
		if !slices.Contains(b.pkg.Redactions, m) {
			b.pkg.Redactions = append(b.pkg.Redactions, m)
		}
	}
	return out, nil
}

// WithheldVersions counts the versions of delivered posts left out.
func (p *Package) WithheldVersions() int {
	return p.WithheldPersonal + p.WithheldPending + p.WithheldBelowThreshold
}

// postName names a post as the package's messages do: network/account/id.
func postName(h *archive.Hit) string {
	return string(h.Network) + "/" + h.AccountID + "/" + h.PostID
}

// makeDir creates the package folder, or takes an empty one, after making
// sure the zip is not there.
func (b *builder) makeDir() error {
	dir := b.pkg.Dir
	for _, path := range []string{b.pkg.Zip, b.pkg.Record} {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%w: %s", ErrExists, path)
		}
	}
	// --out into a folder not made yet: its parents are made (0700, as
	// the package's own folder)
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return err
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
	for _, path := range slices.Backward(b.written) { // a folder after its files
		_ = os.Remove(path)
	}
	if b.madeDir {
		_ = os.Remove(b.pkg.Dir)
	}
}
