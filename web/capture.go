package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/render"
)

// The post page shows a rendering of the captured post (render.Fragment):
// of the version the query's "version" names, else the latest the user's
// role may read. Archivists get the images the crawler kept, served from
// the WARC evidence by mediaFile, and a link to the raw capture; the public
// role gets the rendering of the masked public view (publicView), with no
// image: an image cannot be masked as a text is, and a versión pública of
// an access package delivers none either.

// maxMedia bounds an image read back from the evidence.
const maxMedia = 64 << 20

// capture is the rendering the post page shows.
type capture struct {
	HTML     template.HTML
	Version  int
	Versions []int  // the versions the user may read, newest first
	Path     string // of the post page
	Public   bool   // rendered for the public role
}

// captureView renders the version the request selects of p.
func (s *Server) captureView(r *http.Request, p *post) (*capture, error) {
	h := p.History
	if len(h.Versions) == 0 {
		return nil, nil
	}
	v := &h.Versions[len(h.Versions)-1]
	if n, err := strconv.Atoi(r.URL.Query().Get("version")); err == nil {
		for i := range h.Versions {
			if h.Versions[i].Version == n {
				v = &h.Versions[i]
			}
		}
	}
	public := !auth.RoleOf(auth.UserFrom(r.Context())).SeesPersonal()
	c := &capture{Version: v.Version, Path: "/publicaciones/" + pathOf(h.Key), Public: public}
	for i := len(h.Versions) - 1; i >= 0; i-- {
		c.Versions = append(c.Versions, h.Versions[i].Version)
	}
	o := render.Options{Location: s.cfg.Location}
	if p.Account != nil {
		o.AuthorName = p.Account.ServantName
	}
	post := *v
	if public {
		// (p.History is the public view: the carried post's text and
		// author masked by publicView.post.)
		o.ImageNote, o.Withheld = "imagen no disponible en la consulta pública", true
	} else {
		base := c.Path + "/medios/" + strconv.Itoa(v.Version) + "/"
		o.Images, o.RawURL = render.ImagePaths, c.Path+"/captura/"+strconv.Itoa(v.Version)
		o.ImageSrc = func(img render.Image) string {
			if img.Shared {
				return base + "c" + strconv.Itoa(img.Index)
			}
			return base + strconv.Itoa(img.Index)
		}
	}
	html, err := render.Fragment(&post, o)
	if err != nil {
		return nil, err
	}
	c.HTML = html
	return c, nil
}

// pathOf is keyPath with each part escaped as one path segment, every byte
// but ASCII letters, digits, '-' and '_' as %XX: what a rendering accepts as
// a path of the site (a feed item's id may be a URL).
func pathOf(k archive.Key) string {
	return segment(string(k.Network)) + "/" + segment(k.AccountID) + "/" + segment(k.PostID)
}

func segment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// mediaFile serves an image the crawler kept of a post version, from the
// WARC evidence: the one the path names by its place in the version's
// media ("3") or in the media of the post it carries ("c3"). Only a media
// entry of the post's own version can be named, never a WARC reference.
func (s *Server) mediaFile(w http.ResponseWriter, r *http.Request) {
	p, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	v, ok := version(r, p.History)
	if !ok {
		s.fail(w, r, false, http.StatusNotFound, "no existe esa versión")
		return
	}
	m, ok := mediaOf(v, r.PathValue("media"))
	if !ok || m.WARCRecordID == "" {
		s.fail(w, r, false, http.StatusNotFound, "vigia no conservó esa imagen")
		return
	}
	if s.cfg.WARCDir == "" {
		s.fail(w, r, false, http.StatusNotFound, "la evidencia WARC no está disponible en este servidor")
		return
	}
	payload, err := warc.ReadPayload(s.cfg.WARCDir, m.WARCFile, m.WARCOffset, m.WARCRecordID, maxMedia)
	switch {
	case errors.Is(err, warc.ErrNotResponse):
		s.fail(w, r, false, http.StatusNotFound, "la imagen está registrada como revisita de una captura anterior; ábrala desde la evidencia WARC")
		return
	case err != nil:
		s.cfg.Logger.Error("media from the evidence", "path", r.URL.Path, "err", err)
		s.fail(w, r, false, http.StatusNotFound, "no se pudo leer la imagen de la evidencia WARC; quedó en el registro del servidor")
		return
	}
	// What the browser is told is what the bytes are, never what the
	// network said: an SVG or an HTML page sent as image/* is not served.
	ct := http.DetectContentType(payload.Body)
	if !strings.HasPrefix(ct, "image/") {
		s.fail(w, r, false, http.StatusUnsupportedMediaType, "la copia conservada no es una imagen que el navegador muestre")
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Header().Set("Content-Disposition", "inline")
	w.Header().Set("X-Vigia-WARC-Record", m.WARCRecordID)
	_, _ = w.Write(payload.Body)
}

// mediaOf finds the media entry ref names in v: "N" of its media, "cN" of
// the post it carries.
func mediaOf(v *archive.Post, ref string) (archive.Media, bool) {
	list := v.Media
	if rest, ok := strings.CutPrefix(ref, "c"); ok {
		if v.Shared == nil {
			return archive.Media{}, false
		}
		list, ref = v.Shared.Media, rest
	}
	i, err := strconv.Atoi(ref)
	if err != nil || i < 0 || i >= len(list) || strconv.Itoa(i) != ref {
		return archive.Media{}, false
	}
	return list[i], true
}

// captureCSS serves the style of the rendering (render.CSS).
func (s *Server) captureCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(render.CSS))
}
