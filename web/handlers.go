package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/review"
)

// errNotFound answers 404 for a post that does not exist or that the
// user's role may not see: the two are not told apart.
var errNotFound = errors.New("no existe esa publicación o su rol no permite verla")

// search runs the search the request's filters ask for, restricted to what
// the user may see, with its facets, and records it in the audit log.
func (s *Server) search(r *http.Request, defLimit int, withFacets bool) (archive.Query, *archive.Result, *archive.Facets, int, error) {
	q, err := parseQuery(r.URL.Query(), s.cfg.Location, defLimit)
	if err != nil {
		return q, nil, nil, http.StatusBadRequest, err
	}
	u := auth.UserFrom(r.Context())
	if !restrict(&q, u, s.vis) {
		if err := s.record(r, "search", describeQuery(q), "denied: label", 0); err != nil {
			return q, nil, nil, http.StatusInternalServerError, err
		}
		return q, &archive.Result{}, &archive.Facets{}, http.StatusOK, nil
	}
	res, facets, err := s.read(r.Context(), func(st archive.Store) (*archive.Result, *archive.Facets, error) {
		if !auth.RoleOf(u).SeesPersonal() {
			return s.publicSearch(r.Context(), st, q, withFacets)
		}
		res, err := st.Search(r.Context(), q)
		if err != nil || !withFacets {
			return res, nil, err
		}
		f, err := st.Facets(r.Context(), q)
		return res, f, err
	})
	var bad *badRequest
	if errors.As(err, &bad) {
		return q, nil, nil, http.StatusBadRequest, err
	}
	if err != nil {
		return q, nil, nil, http.StatusInternalServerError, err
	}
	if err := s.record(r, "search", describeQuery(q), "", res.Total); err != nil {
		return q, nil, nil, http.StatusInternalServerError, err
	}
	if personal := countPersonal(res.Hits); personal > 0 {
		if err := s.record(r, "view_personal", describeQuery(q), "personal posts in search results", personal); err != nil {
			return q, nil, nil, http.StatusInternalServerError, err
		}
	}
	return q, res, facets, http.StatusOK, nil
}

func countPersonal(hits []archive.Hit) int {
	n := 0
	for i := range hits {
		if hits[i].Decision.Label != archive.Function {
			n++
		}
	}
	return n
}

// read opens the archive, calls fn and closes it.
func (s *Server) read(ctx context.Context, fn func(archive.Store) (*archive.Result, *archive.Facets, error)) (*archive.Result, *archive.Facets, error) {
	st, err := s.cfg.Open(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	return fn(st)
}

// post is one post as its page and the API show it.
type post struct {
	// History is what the user's role may read of the post: for the
	// public role, its public versions only, masked (publicView.history).
	History  *archive.PostHistory
	Standing archive.Decision
	Account  *archive.Account
	// Labels is the label of each version's own standing decision, by
	// version number.
	Labels map[int]archive.Label
}

// loadPost reads the post the path names, if the user may see it, and
// records the view.
func (s *Server) loadPost(r *http.Request) (*post, error) {
	key := archive.Key{Network: archive.Network(r.PathValue("network")), AccountID: r.PathValue("account"), PostID: r.PathValue("id")}
	st, err := s.cfg.Open(r.Context(), false)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	h, err := st.History(r.Context(), key)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	p := &post{History: h, Standing: h.Standing(), Labels: map[int]archive.Label{}}
	u := auth.UserFrom(r.Context())
	public := !auth.RoleOf(u).SeesPersonal()
	if public && !h.Public(s.vis) {
		_ = s.record(r, "view_post", keyPath(key), "denied: not public information", 0)
		return nil, errNotFound
	}
	for _, v := range h.Versions {
		p.Labels[v.Version] = h.StandingOf(v.ContentSHA256).Label
	}
	if public {
		view, err := s.publicView(r.Context(), st)
		if err != nil {
			return nil, err
		}
		p.History, p.Standing = view.history(h, p.Standing)
	}
	accts, err := st.Accounts(r.Context())
	if err != nil {
		return nil, err
	}
	for i := range accts {
		if accts[i].ID == key.AccountID {
			p.Account = &accts[i]
		}
	}
	action := "view_post"
	if p.Standing.Label != archive.Function {
		action = "view_personal"
	}
	if err := s.record(r, action, keyPath(key), string(p.Standing.Label), 1); err != nil {
		return nil, err
	}
	return p, nil
}

// decision records a person's decision on the post the path names.
func (s *Server) decision(r *http.Request, label, reason string) (archive.Decision, error) {
	key := archive.Key{Network: archive.Network(r.PathValue("network")), AccountID: r.PathValue("account"), PostID: r.PathValue("id")}
	st, err := s.cfg.Open(r.Context(), true)
	if err != nil {
		return archive.Decision{}, err
	}
	defer st.Close()
	u := auth.UserFrom(r.Context())
	if err := review.Check(archive.Label(label), reason, u.Name); err != nil {
		return archive.Decision{}, &badRequest{err}
	}
	// The decision goes to the audit log first: one that cannot be
	// audited is not made.
	if err := s.record(r, "decision", keyPath(key), label+": "+strings.TrimSpace(reason), 1); err != nil {
		return archive.Decision{}, err
	}
	d, _, err := review.Decide(r.Context(), st, s.cfg.Policy, key, archive.Label(label), reason, u.Name, s.cfg.Now())
	if err != nil {
		err = errors.Join(err, s.record(r, "decision_failed", keyPath(key), err.Error(), 0))
	}
	switch {
	case errors.Is(err, archive.ErrNotFound):
		return d, errNotFound
	case errors.Is(err, review.ErrInvalid):
		return d, &badRequest{err}
	}
	return d, err
}

// badRequest is an error in what the user sent.
type badRequest struct{ err error }

func (e *badRequest) Error() string { return e.err.Error() }

// version reads the version number in the path.
func version(r *http.Request, h *archive.PostHistory) (*archive.Post, bool) {
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil {
		return nil, false
	}
	for i := range h.Versions {
		if h.Versions[i].Version == n {
			return &h.Versions[i], true
		}
	}
	return nil, false
}

// keyPath names a post as its page's path does: NETWORK/ACCOUNT/ID.
func keyPath(k archive.Key) string { return string(k.Network) + "/" + k.AccountID + "/" + k.PostID }
