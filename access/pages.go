package access

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/render"
)

// dirPages is the folder of the package's readable pages: one HTML page per
// version delivered, the post as render.Page shows it.
const dirPages = "publicaciones"

// imageNote stands in a page for an image the crawler kept: the package
// delivers no image (an image cannot be masked as a text is).
const imageNote = "la imagen conservada como evidencia no se incluye en este paquete"

// writePages writes, for each version delivered, publicaciones/NAME-vN.html:
// the version as the package delivers it (its text redacted, no content
// hash when redacted, the post it shares masked likewise), without where
// the crawler fetched it (its WARC record, in the extract when not
// withheld, names it) and without images. NAME is pageStem's. Versions
// withheld have no page.
func (b *builder) writePages() error {
	if len(b.posts) == 0 {
		return nil
	}
	dir := filepath.Join(b.pkg.Dir, dirPages)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("write %s: %w", dirPages, err)
	}
	b.written = append(b.written, dir)
	stems := b.pageStems()
	for i := range b.posts {
		p, stem := &b.posts[i], stems[i]
		for j := range p.versions {
			if err := b.ctx.Err(); err != nil {
				return err
			}
			h := p.deliveredAs(&p.versions[j])
			post := h.Post
			post.SourceURL, post.RunID = "", ""
			page, err := render.Page(&post, render.Options{Location: b.loc, ImageNote: imageNote})
			if err != nil {
				return err
			}
			name := pagePath(stem, post.Version)
			if err := b.write(name, func(w io.Writer) error { _, err := w.Write(page); return err }); err != nil {
				return err
			}
		}
	}
	return nil
}

// pageStem names the pages of the post k: SafeName of NETWORK-ACCOUNT-ID,
// and when that name is taken by another post of the package, or does not
// say the id as it is (an id cut short or with characters a file name
// cannot hold, as a feed item's URL), the first 12 hex digits of the
// SHA-256 of the post's name after it.
func pageStem(k archive.Key, taken map[string]bool) string {
	raw := string(k.Network) + "-" + k.AccountID + "-" + k.PostID
	stem := SafeName(raw)
	if taken[stem] || stem != raw {
		sum := sha256.Sum256([]byte(string(k.Network) + "/" + k.AccountID + "/" + k.PostID))
		stem = SafeName(stem[:min(len(stem), 48)]) + "-" + hex.EncodeToString(sum[:6])
	}
	taken[stem] = true
	return stem
}

// pageStems are the stems of the pages of b.posts, in their order.
func (b *builder) pageStems() []string {
	taken := map[string]bool{}
	out := make([]string, len(b.posts))
	for i := range b.posts {
		out[i] = pageStem(b.posts[i].hit.Key(), taken)
	}
	return out
}

// pagePath is the page of version n of the post whose pages are stem's,
// relative to the package folder.
func pagePath(stem string, n int) string {
	return dirPages + "/" + stem + "-v" + strconv.Itoa(n) + ".html"
}
