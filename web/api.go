package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/vigia-mx/vigia/archive"
)

// postsJSON is the answer of GET /api/v1/posts: the contract scripts rely on.
type postsJSON struct {
	Total int               `json:"total"`
	Posts []archive.HitJSON `json:"posts"`
}

func hitsJSON(res *archive.Result) postsJSON {
	out := postsJSON{Total: res.Total, Posts: make([]archive.HitJSON, len(res.Hits))}
	for i := range res.Hits {
		out.Posts[i] = archive.NewHitJSON(&res.Hits[i])
	}
	return out
}

func (s *Server) apiPosts(w http.ResponseWriter, r *http.Request) {
	_, res, _, code, err := s.search(r, 50, false)
	s.answer(w, r, code, err, func() any { return hitsJSON(res) })
}

func (s *Server) apiFacets(w http.ResponseWriter, r *http.Request) {
	_, _, facets, code, err := s.search(r, 1, true)
	s.answer(w, r, code, err, func() any { return facets })
}

func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) {
	_, res, _, code, err := s.reviewQueue(r)
	s.answer(w, r, code, err, func() any { return hitsJSON(res) })
}

// answer writes the API's answer: the error, or what v gives.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, code int, err error, v func() any) {
	var bad *badRequest
	switch {
	case errors.Is(err, errNotFound):
		s.fail(w, r, true, http.StatusNotFound, err.Error())
	case errors.As(err, &bad) || (err != nil && code == http.StatusBadRequest):
		s.fail(w, r, true, http.StatusBadRequest, err.Error())
	case err != nil:
		s.internal(w, r, true, err)
	default:
		writeJSON(w, http.StatusOK, v())
	}
}

func (s *Server) apiPost(w http.ResponseWriter, r *http.Request) {
	p, err := s.loadPost(r)
	s.answer(w, r, http.StatusOK, err, func() any { return archive.NewHistoryJSON(p.History, p.Standing) })
}

func (s *Server) apiAccounts(w http.ResponseWriter, r *http.Request) {
	health, _, err := s.directory(r)
	s.answer(w, r, http.StatusOK, err, func() any {
		now := s.cfg.Now()
		out := make([]archive.HealthJSON, len(health))
		for i := range health {
			out[i] = archive.NewHealthJSON(&health[i], now)
		}
		return map[string]any{"accounts": out}
	})
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	var body struct{ Label, Reason string }
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&body); err != nil {
		s.fail(w, r, true, http.StatusBadRequest, "se espera JSON {\"label\": \"function|personal\", \"reason\": \"…\"}")
		return
	}
	d, err := s.decision(r, body.Label, body.Reason)
	s.answer(w, r, http.StatusOK, err, func() any {
		return map[string]any{"label": d.Label, "basis": d.Basis, "decided_by": d.DecidedBy, "decided_at": d.DecidedAt}
	})
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	entries, damage, err := s.auditEntries(r)
	var bad *badRequest
	switch {
	case errors.As(err, &bad):
		s.fail(w, r, true, http.StatusBadRequest, bad.Error())
		return
	case err != nil:
		s.internal(w, r, true, err)
		return
	}
	if err := s.record(r, "audit_read", r.URL.RawQuery, "", len(entries)); err != nil {
		s.internal(w, r, true, err)
		return
	}
	// JSON Lines, as the log itself: exportable as it is.
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	if damage.Count > 0 {
		w.Header().Set("X-Vigia-Audit-Damaged", strconv.Itoa(damage.Count))
		w.Header().Set("X-Vigia-Audit-Damaged-At", damagePlaces(damage))
	}
	enc := json.NewEncoder(w)
	for _, e := range entries {
		_ = enc.Encode(e)
	}
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.cfg.Users.List()
	if err == nil {
		err = s.record(r, "users_read", "", "", len(users))
	}
	s.answer(w, r, http.StatusOK, err, func() any {
		out := make([]map[string]any, len(users))
		for i, u := range users {
			out[i] = map[string]any{"name": u.Name, "role": u.Role, "disabled": u.Disabled, "tokens": len(u.Tokens)}
		}
		return map[string]any{"users": out}
	})
}
