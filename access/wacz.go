package access

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/vigia-mx/vigia/archive/wacz"
	"github.com/vigia-mx/vigia/render"
)

// fileWACZ is the package's evidence as a WACZ file, for ReplayWeb.page.
const fileWACZ = "evidencia.wacz"

// writeWACZ writes evidencia.wacz: the package's evidencia.warc.gz as it
// was written (so nothing the extract withheld enters it), its CDXJ index,
// a page per delivered version whose evidence the extract holds — the
// version's readable rendering, as the package's own page shows it (its
// text redacted), kept as a resource record that names the response — and
// the datapackage with the SHA-256 of each. The pages' titles name the
// post and the version, never its text.
func (b *builder) writeWACZ(w io.Writer) error {
	var pages []wacz.Page
	for i := range b.posts {
		p := &b.posts[i]
		for j := range p.versions {
			v := &p.versions[j]
			if v.WARC.IsZero() {
				continue
			}
			// The rendering is the package's page of the version (pages.go):
			// its text as delivered, redacted, with no image.
			h := p.deliveredAs(v)
			post := h.Post
			post.SourceURL, post.RunID = "", ""
			html, err := render.Page(&post, render.Options{Location: b.loc, ImageNote: imageNote})
			if err != nil {
				return err
			}
			pages = append(pages, wacz.Page{ID: fmt.Sprintf("%s/v%d", postName(p.hit), v.Version),
				RecordID: v.WARC.RecordID, Title: fmt.Sprintf("%s, versión %d", postName(p.hit), v.Version), HTML: html,
				URL: wacz.RenderingURL(string(post.Network), post.AccountID, post.PostID, fmt.Sprintf("v%d", post.Version))})
		}
	}
	files := []wacz.File{{Name: fileEvidence, Path: filepath.Join(b.pkg.Dir, fileEvidence)}}
	_, err := wacz.Write(w, files, pages, wacz.Options{
		Title:       "Evidencia, solicitud " + b.req.Folio,
		Description: "Evidencia de la respuesta a la solicitud de acceso a la información con folio " + b.req.Folio,
		Software:    "vigia",
		Created:     b.now,
		TempDir:     b.pkg.Dir,
	})
	return err
}
