package access

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigia-mx/vigia/archive"
)

// A post carries another (Post.Shared: a repost, a quote) with that post's
// words as they were when it was captured. When the archive holds the
// carried post and the public role may not read it (decided personal, or
// decided function by a model below the publication threshold, or an edit
// awaiting a person), its words must not reach the public through the post
// that carries it: not in the web application's public view, not in a
// package. A forward carries no words of the other post (its text is the
// forwarding post's own, decided with it), and a carried post the archive
// does not hold is someone else's, masked as any text.

// SharedWithheld stands, in Spanish, for the words of a carried post that
// is not public information.
const SharedWithheld = "[testado: la publicación compartida no es información pública]"

// SharedCheck tells whether the post a Shared names is one of the archive's
// that the public role may not read. It reads the archive once per URL.
type SharedCheck struct {
	ctx   context.Context
	r     archive.Reader
	vis   archive.Visibility
	known map[string]sharedState
}

type sharedState struct {
	hidden bool
	texts  []string // the texts of the carried post's versions the public may not read
	err    error
}

// NewSharedCheck returns a check of the posts shared in r under vis.
func NewSharedCheck(ctx context.Context, r archive.Reader, vis archive.Visibility) *SharedCheck {
	return &SharedCheck{ctx: ctx, r: r, vis: vis, known: map[string]sharedState{}}
}

// Hidden reports whether sh names a post the archive holds (by its URL)
// whose words the public role may not read: the post is not public, or the
// words carried are those of a version of it that is not. texts are the
// texts of its versions that are not public, for a package to keep out of
// its evidence.
func (c *SharedCheck) Hidden(sh *archive.Shared) (hidden bool, texts []string, err error) {
	if sh == nil || sh.Kind == archive.Forward || sh.URL == "" {
		return false, nil, nil
	}
	st, ok := c.known[sh.URL]
	if !ok {
		st = c.read(sh.URL)
		c.known[sh.URL] = st
	}
	if st.err != nil || st.hidden {
		return true, st.texts, st.err
	}
	carried := archive.FoldText(sh.Text)
	for _, t := range st.texts {
		if f := archive.FoldText(strings.TrimSpace(t)); f != "" && strings.Contains(carried, f) {
			return true, st.texts, nil
		}
	}
	return false, st.texts, nil
}

func (c *SharedCheck) read(url string) sharedState {
	keys, err := c.r.Lookup(c.ctx, url)
	if err != nil {
		return sharedState{err: fmt.Errorf("look up the shared post %q: %w", url, err)}
	}
	var st sharedState
	for _, k := range keys {
		h, err := c.r.History(c.ctx, k)
		if err != nil {
			return sharedState{err: fmt.Errorf("read the shared post %q: %w", url, err)}
		}
		if !h.Public(c.vis) {
			st.hidden = true
		}
		for _, v := range h.Versions {
			if !h.PublicOf(v.ContentSHA256, c.vis) {
				st.texts = append(st.texts, v.Text)
			}
		}
	}
	return st
}
