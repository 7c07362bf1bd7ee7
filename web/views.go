package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/internal/spanish"
	"github.com/vigia-mx/vigia/internal/textdiff"
)

func itoa(n int) string { return strconv.Itoa(n) }

// date is t as "5 de diciembre de 2026" in the office's time zone; "—"
// for zero.
func (s *Server) date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return spanish.Date(t, s.cfg.Location)
}

// datetime adds the time of day to date: "5 de diciembre de 2026, 12:30".
func (s *Server) datetime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return spanish.DateTime(t, s.cfg.Location)
}

// facetURL is the search of v narrowed by one more filter.
func facetURL(v url.Values, key, value string) string {
	w := url.Values{}
	for k, vs := range v {
		if k != "offset" {
			w[k] = vs
		}
	}
	w.Set(key, value)
	return "/?" + w.Encode()
}

// versionView is one version of a post with its difference from the one
// before it in the history shown, the label of its own standing decision,
// and whether a later version supersedes it.
type versionView struct {
	archive.Post
	Diff       []textdiff.Span
	Label      archive.Label
	Superseded bool
}

// versionsView is the versions of p's history as its page lists them. The
// differences are between the versions the history holds: for the public
// role, between its public versions only.
func versionsView(p *post) []versionView {
	h := p.History
	out := make([]versionView, len(h.Versions))
	for i, v := range h.Versions {
		out[i].Post = v
		out[i].Label = p.Labels[v.Version]
		out[i].Superseded = i < len(h.Versions)-1
		if i > 0 {
			out[i].Diff = textdiff.Words(h.Versions[i-1].Text, v.Text)
		}
	}
	// Newest first, as people read a history.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// directory reads the directory's accounts and their crawl health. For a
// role that may not see personal content, the counts and dates are of the
// public information only and the crawl's errors are left out (publicHealth).
func (s *Server) directory(r *http.Request) ([]archive.AccountHealth, map[string]archive.Account, error) {
	st, err := s.cfg.Open(r.Context(), false)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	health, err := st.Health(r.Context())
	if err != nil {
		return nil, nil, err
	}
	if !auth.RoleOf(auth.UserFrom(r.Context())).SeesPersonal() {
		if err := publicHealth(r.Context(), st, health, s.vis); err != nil {
			return nil, nil, err
		}
	}
	list, err := st.Accounts(r.Context())
	if err != nil {
		return nil, nil, err
	}
	accts := make(map[string]archive.Account, len(list))
	for _, a := range list {
		accts[a.ID] = a
	}
	return health, accts, nil
}

// publicHealth makes health what the public role may read: each account's
// count of posts and its newest post are of the posts the public role may
// read under vis (the archive's Counts of the public search, one reading
// for every account), and the error of its last failed crawl (which names
// the URLs and addresses crawled) is left out; its status stays, in one
// word.
func publicHealth(ctx context.Context, r archive.Reader, health []archive.AccountHealth, vis archive.Visibility) error {
	counts, err := r.Counts(ctx, archive.Query{Public: true, Visibility: vis})
	if err != nil {
		return err
	}
	byID := make(map[string]*archive.AccountCount, len(counts))
	for i := range counts {
		byID[counts[i].AccountID] = &counts[i]
	}
	for i := range health {
		h := &health[i]
		h.Posts, h.NewestPostAt = 0, time.Time{}
		if c := byID[h.AccountID]; c != nil {
			h.Posts, h.NewestPostAt = c.Posts, c.Newest
		}
		h.LastError, h.LastErrorAt = "", time.Time{}
	}
	return nil
}

// reviewQueue is the posts awaiting a person, in the queue's order
// (archive.ReviewRank: what would most change the public view first).
func (s *Server) reviewQueue(r *http.Request) (archive.Query, *archive.Result, *archive.Facets, int, error) {
	q, err := parseQuery(r.URL.Query(), s.cfg.Location, 50)
	if err != nil {
		return q, nil, nil, http.StatusBadRequest, err
	}
	q.NeedsReview, q.Visibility = 0.75, s.vis
	if b := r.URL.Query().Get("below"); b != "" {
		f, err := strconv.ParseFloat(b, 64)
		if err != nil || f <= 0 || f > 1 {
			return q, nil, nil, http.StatusBadRequest, errBelow
		}
		q.NeedsReview = f
	}
	res, _, err := s.read(r.Context(), func(st archive.Store) (*archive.Result, *archive.Facets, error) {
		res, err := st.Search(r.Context(), q)
		return res, nil, err
	})
	if err != nil {
		return q, nil, nil, http.StatusInternalServerError, err
	}
	if err := s.record(r, "review_queue", describeQuery(q), "", res.Total); err != nil {
		return q, nil, nil, http.StatusInternalServerError, err
	}
	return q, res, nil, http.StatusOK, nil
}

var errBelow = errors.New("confianza por debajo de: se espera un número entre 0 y 1")

// auditEntries reads the audit log with the filters user, action, from, to.
// A filter that does not parse is a *badRequest. Lines of the log that are
// not entries are skipped, logged and returned in the Damage.
func (s *Server) auditEntries(r *http.Request) ([]auth.Entry, auth.Damage, error) {
	v := r.URL.Query()
	f := auth.AuditFilter{User: v.Get("user"), Action: v.Get("action")}
	var err error
	if f.From, err = parseDate("desde", v.Get("from"), s.cfg.Location, false); err != nil {
		return nil, auth.Damage{}, &badRequest{err}
	}
	if f.To, err = parseDate("hasta", v.Get("to"), s.cfg.Location, false); err != nil {
		return nil, auth.Damage{}, &badRequest{err}
	}
	var out []auth.Entry
	damage, err := s.cfg.Audit.Read(f, func(e auth.Entry) error {
		out = append(out, e)
		return nil
	})
	for _, d := range damage.Lines {
		s.cfg.Logger.Warn("audit log: a line that is not an entry, skipped", "place", d.Error())
	}
	return out, damage, err
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
