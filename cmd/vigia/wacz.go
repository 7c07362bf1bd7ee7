package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/wacz"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/internal/durable"
	"github.com/vigia-mx/vigia/render"
)

// archiveWACZ is "vigia archive wacz": the evidence of a selection of the
// archive, whole, as a WACZ file for ReplayWeb.page.
func archiveWACZ(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "archive wacz", "archive wacz [filters] --out FILE.wacz",
		`Writes FILE.wacz, a WACZ file (1.1.1) that ReplayWeb.page opens
(https://replayweb.page, "Choose File"), with the evidence of every version
of every post the filters match: the responses that held them, the requests
and each WARC file's warcinfo record, copied byte for byte out of the
crawl's WARC files, with the images the crawler kept; a page per version,
the version rendered as readable HTML with its images, kept as a resource
record at https://vigia.invalid/NETWORK/ACCOUNT/POST/vN that names the
response it was made from; a CDXJ index; and a datapackage.json with the
SHA-256 of each file.

For archivists: this is the whole evidence, personal and undetermined posts
included, nothing withheld nor masked, and it is recorded in the audit log
like "archive copy". To give evidence to a requester, use "vigia export"
(its package holds evidencia.wacz, built from what the package may deliver)
or "vigia export --wacz-only".`)
	arcFlag := archiveFlag(fs)
	out := fs.String("out", "", "the WACZ `FILE` to write (required; it must not exist)")
	warcDir := fs.String("warc-dir", "", "folder of the WARC files (default: beside the archive, NAME-warc/)")
	filters := addFilterFlags(fs, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return badInput("expected [filters] --out FILE.wacz and nothing else")
	}
	if _, err := os.Lstat(*out); err == nil {
		return badInput("--out %s: already there", *out)
	}
	q, loc, err := filters.query()
	if err != nil {
		return err
	}
	spec := archiveSpec(e, *arcFlag)
	if *warcDir == "" {
		*warcDir = warcDirFor(spec)
	}
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		return err
	}
	defer store.Close()
	q.Limit, q.Offset = 0, 0
	res, err := store.Search(ctx, q)
	if err != nil {
		return err
	}
	var refs []wacz.Ref
	var pages []wacz.Page
	versions := 0
	for i := range res.Hits {
		h, err := store.History(ctx, res.Hits[i].Key())
		if err != nil {
			return err
		}
		for _, v := range h.Versions {
			versions++
			if v.WARC.IsZero() {
				continue
			}
			// The kept images by the URLs they were fetched from, which the
			// replay resolves from their records, extracted with the post.
			html, err := render.Page(&v, render.Options{Location: loc, Images: render.OriginalURLs})
			if err != nil {
				return err
			}
			refs = append(refs, wacz.Ref{File: v.WARC.File, RecordID: v.WARC.RecordID})
			refs = append(refs, mediaRefs(&v)...)
			pages = append(pages, wacz.Page{ID: versionID(&v), RecordID: v.WARC.RecordID, Title: versionTitle(&v), HTML: html,
				URL: wacz.RenderingURL(string(v.Network), v.AccountID, v.PostID, fmt.Sprintf("v%d", v.Version))})
		}
	}
	what := access.Describe(q)
	if q.Label != "" {
		what = "etiqueta: " + string(q.Label) + "; " + what
	}
	// Personal content leaves the archive: the audit log says so first.
	if err := recordCLI(e, spec, auth.Entry{Action: "archive_wacz", Target: *out,
		Detail: "vigia archive wacz: " + what, Results: len(res.Hits)}); err != nil {
		return err
	}
	sum, missing, err := writeWACZ(*out, *warcDir, refs, pages, wacz.Options{
		Title:       "vigia: " + what,
		Description: "Evidencia completa (uso de archivo: incluye contenido personal) de " + what,
		Software:    "vigia/" + vigiaVersion(),
	})
	if err != nil {
		return err
	}
	for _, m := range missing {
		e.printer().Fprintf(e.stderr, "evidence missing: record %s of %s\n", m.RecordID, m.File)
	}
	e.printer().Fprintf(e.stdout, "%s: %d posts, %d versions, %d pages, %d records indexed, %d WARC files\n",
		*out, len(res.Hits), versions, len(sum.Pages), len(sum.Index), countWARCs(sum))
	return nil
}

// versionTitle is a page's title: the post and the version, never its
// text.
func versionTitle(p *archive.Post) string {
	return fmt.Sprintf("%s/%s/%s, versión %d", p.Network, p.AccountID, p.PostID, p.Version)
}

// mediaRefs are the WARC records of the media the crawler kept of p, its
// own and those of the post it shares.
func mediaRefs(p *archive.Post) []wacz.Ref {
	media := p.Media
	if p.Shared != nil {
		media = append(slices.Clip(media), p.Shared.Media...)
	}
	var refs []wacz.Ref
	for _, m := range media {
		if m.WARCFile != "" && m.WARCRecordID != "" {
			refs = append(refs, wacz.Ref{File: m.WARCFile, RecordID: m.WARCRecordID})
		}
	}
	return refs
}

// versionID is a page's id: network/account/post/vN.
func versionID(p *archive.Post) string {
	return fmt.Sprintf("%s/%s/%s/v%d", p.Network, p.AccountID, p.PostID, p.Version)
}

func countWARCs(s *wacz.Summary) int {
	n := 0
	for _, r := range s.Resources {
		if strings.HasPrefix(r.Path, wacz.DirArchive) {
			n++
		}
	}
	return n
}

// writeWACZ extracts refs from the WARC files of warcDir and writes the
// WACZ of them to path (0600, never over an existing file), removing it
// on failure.
func writeWACZ(path, warcDir string, refs []wacz.Ref, pages []wacz.Page, opt wacz.Options) (_ *wacz.Summary, missing []wacz.Ref, err error) {
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".wacz-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	files, missing, err := wacz.Extract(warcDir, refs, tmp)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, err
	}
	opt.TempDir = tmp
	sum, err := wacz.Write(f, files, pages, opt)
	if err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		err = durable.SyncDir(filepath.Dir(path))
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, nil, errorf("write %s: %w", path, err)
	}
	return sum, missing, nil
}

// waczOnly is "vigia export --wacz-only": the package is built, with its
// withholding, into a folder beside out that is then removed, all but its
// evidencia.wacz, which becomes out.
type waczOnly struct{ out, dir string }

// start checks out and returns the folder to build the package in.
func (w *waczOnly) start(out string) (string, error) {
	if !strings.HasSuffix(out, ".wacz") {
		return "", badInput("--out %s: with --wacz-only, --out names the WACZ file to write, FILE.wacz", out)
	}
	if _, err := os.Lstat(out); err == nil {
		return "", badInput("--out %s: already there", out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(filepath.Dir(out), ".paquete-")
	if err != nil {
		return "", err
	}
	w.out, w.dir = out, filepath.Join(dir, "paquete")
	return w.dir, nil
}

// finish moves the package's evidencia.wacz to out.
func (w *waczOnly) finish(pkg *access.Package) error {
	err := os.Link(filepath.Join(pkg.Dir, "evidencia.wacz"), w.out)
	if err == nil {
		err = durable.SyncDir(filepath.Dir(w.out))
	}
	return err
}

// cleanup removes the package built for the WACZ.
func (w *waczOnly) cleanup() {
	if w.dir != "" {
		_ = os.RemoveAll(filepath.Dir(w.dir))
	}
}
