package samplenet

import (
	"fmt"
	"net/http"
	"regexp"
)

// getPostsMax is the most uris app.bsky.feed.getPosts takes.
const getPostsMax = 25

// bPostsOutput is app.bsky.feed.getPosts's output.
type bPostsOutput struct {
	Posts []*bPostView `json:"posts"`
}

// bNotFoundPost is an app.bsky.feed.defs#notFoundPost: a reply's root or
// parent that is gone.
type bNotFoundPost struct {
	Type     string `json:"$type"`
	URI      string `json:"uri"`
	NotFound bool   `json:"notFound"`
}

// MarshalJSON writes the view, or a notFoundPost for a deleted post.
func (v *bPostView) MarshalJSON() ([]byte, error) {
	if v.notFound {
		return marshalJSON(bNotFoundPost{Type: "app.bsky.feed.defs#notFoundPost", URI: v.URI, NotFound: true})
	}
	type plain bPostView
	return marshalJSON((*plain)(v))
}

// atURIPattern matches an at-uri naming a repository by DID or handle,
// with an optional collection and record key.
var atURIPattern = regexp.MustCompile(`^at://(did:[a-z]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._-]|` +
	`[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)` +
	`(?:/([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+)(?:/([A-Za-z0-9._~:-]{1,512}))?)?$`)

// blueskyGetPosts is app.bsky.feed.getPosts: the postViews of up to 25
// at-uris, in the order asked, each once; uris of unknown, deleted or
// non-post records are left out. The author may be named by DID or handle
// (the returned uri names the DID).
func (s *Server) blueskyGetPosts(w http.ResponseWriter, r *http.Request) {
	uris := r.URL.Query()["uris"]
	switch {
	case len(uris) == 0:
		writeJSON(w, http.StatusBadRequest, bError{"InvalidRequest", `Error: Params must have the property "uris"`})
		return
	case len(uris) > getPostsMax:
		writeJSON(w, http.StatusBadRequest, bError{"InvalidRequest", fmt.Sprintf("Error: uris must not have more than %d elements", getPostsMax)})
		return
	}
	type target struct {
		a    *account
		rkey string
	}
	var targets []target
	for i, u := range uris {
		m := atURIPattern.FindStringSubmatch(u)
		if m == nil {
			writeJSON(w, http.StatusBadRequest, bError{"InvalidRequest", fmt.Sprintf("Error: uris/%d must be a valid at-uri", i)})
			return
		}
		a := s.sample.account("bluesky", m[1])
		if a == nil || m[2] != "app.bsky.feed.post" || m[3] == "" {
			continue
		}
		targets = append(targets, target{a, m[3]})
	}
	for _, t := range targets {
		if failing(w, t.a) {
			return
		}
	}
	out := bPostsOutput{Posts: []*bPostView{}}
	seen := map[*post]bool{}
	for _, t := range targets {
		for _, p := range t.a.posts {
			if p.id == t.rkey && p.repost == nil && p.shown() && !seen[p] {
				seen[p] = true
				out.Posts = append(out.Posts, s.blueskyPost(p))
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}
