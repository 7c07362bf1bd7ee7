package web

import (
	"context"
	"html/template"
	"strconv"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/render"
)

// A result of the search or of the review queue shows the post as people
// saw it (render.Fragment as a card): the author, the date, the text with
// its line breaks and links, the images the crawler kept, the link card
// and the post it reposts or quotes. The images come from the evidence
// through mediaFile, which only a role that sees personal content may
// reach; the public role gets each image named by its (masked, as the
// hit is: publicView.hit) description with a note, never an image.

// card renders h, a hit the user's role may read, as a result card.
// names gives the directory's name of an account (its servant's), by id.
func (s *Server) card(role auth.Role, names map[string]string, h archive.Hit) (template.HTML, error) {
	o := render.Options{Location: s.cfg.Location, Card: true, AuthorName: names[h.AccountID]}
	if role.SeesPersonal() {
		base := "/publicaciones/" + pathOf(h.Key()) + "/medios/" + strconv.Itoa(h.Version) + "/"
		o.Images = render.ImagePaths
		o.ImageSrc = func(img render.Image) string {
			if img.Shared {
				return base + "c" + strconv.Itoa(img.Index)
			}
			return base + strconv.Itoa(img.Index)
		}
	} else {
		o.ImageNote, o.Withheld = "imagen no disponible en la consulta pública", true
	}
	p := h.Post
	return render.Fragment(&p, o)
}

// accountNames is the name each account of the archive's latest
// snapshots goes by: its servant's, for a servant's account.
func (s *Server) accountNames(ctx context.Context) (map[string]string, error) {
	st, err := s.cfg.Open(ctx, false)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	accts, err := st.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(accts))
	for _, a := range accts {
		if a.ServantName != "" {
			names[a.ID] = a.ServantName
		}
	}
	return names, nil
}
