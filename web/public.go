package web

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/access"
	"github.com/vigia-mx/vigia/archive"
)

// What the public role receives of a post: the versions whose own standing
// decision is function, with the third-party personal data of every text
// masked as the versión pública of an access package masks it, and none of
// the crawl's own records (raw capture, source URL, evidence of events).
// The handlers narrow what they read to the role first (restrict,
// loadPost); a publicView then shapes what they send.

// scrubbed replaces what was masked in a post's text wherever else it
// shows, as the versión pública of a package does.
const scrubbed = "[testado]"

// publicView masks what the public role reads, with the masking of the
// versión pública (access.RedactPublic: e-mails, telephones and mentions of
// accounts neither in the directory nor in Config.Public).
type publicView struct {
	redact func(h *archive.Hit) (string, []access.Redaction)
	vis    archive.Visibility // which versions are public
	// shared tells which carried posts the archive holds and the public
	// may not read: their words are withheld (access.SharedCheck).
	shared *access.SharedCheck
}

func (s *Server) publicView(ctx context.Context, r archive.Reader) (*publicView, error) {
	fn, err := access.RedactPublic(ctx, r, s.masking(nil))
	if err != nil {
		return nil, err
	}
	return &publicView{redact: fn, vis: s.vis, shared: access.NewSharedCheck(ctx, r, s.vis)}, nil
}

// text masks s, and scrubs from it what was masked elsewhere.
func (v *publicView) text(s string, masked []string) string {
	if s == "" {
		return s
	}
	out, _ := v.redact(&archive.Hit{Post: archive.Post{Text: s}})
	return scrub(out, masked)
}

// post masks p in place and strips it of its raw capture and source URL.
// It returns the strings masked in its text, and blanks its content hash
// when there are any: the hash of the original would let anyone confirm a
// guess of what was masked.
func (v *publicView) post(p *archive.Post) []string {
	text, marks := v.redact(&archive.Hit{Post: *p})
	var masked []string
	for _, m := range marks {
		masked = append(masked, p.Text[m.Start:m.End])
	}
	p.Text = text
	p.ReplyTo = scrub(p.ReplyTo, masked)
	p.RepostOf = scrub(p.RepostOf, masked)
	if len(p.Media) > 0 {
		media := make([]archive.Media, len(p.Media))
		for i, m := range p.Media {
			m.Alt = v.text(m.Alt, masked)
			withholdEvidence(&m)
			media[i] = m
		}
		p.Media = media
	}
	if p.Shared != nil {
		if withheld, _, err := v.shared.Hidden(p.Shared); withheld || err != nil {
			// a carried post the public may not read (or that could not
			// be told): none of its words, nor its address
			p.Shared = &archive.Shared{Kind: p.Shared.Kind, Text: access.SharedWithheld}
			if p.RepostOf != "" {
				p.RepostOf = scrubbed
			}
		} else {
			var hidden bool
			p.Shared, hidden = v.sharedPost(p.Shared, masked)
			if hidden && p.RepostOf != "" {
				p.RepostOf = scrubbed // its link or name says whose post it is
			}
		}
	}
	// the crawl's own records: the raw capture, where it was fetched, and
	// where its evidence is kept (file, record, offset) and which run
	p.Raw, p.RawType, p.SourceURL, p.WARC, p.RunID = nil, "", "", archive.WARCRef{}, ""
	if len(masked) > 0 {
		p.ContentSHA256 = ""
	}
	return masked
}

// withholdEvidence clears where the crawl kept a media file as evidence
// (WARC file, record, offset, digest): the crawl's own records, which the
// public role does not read.
func withholdEvidence(m *archive.Media) {
	m.WARCFile, m.WARCRecordID, m.WARCOffset, m.WARCDigest = "", "", 0, ""
}

// sharedPost masks someone else's post a version carries: its text and its
// media's descriptions as a post's, and who wrote it unless that is an
// account the public may read about (in the directory or Config.Public):
// the author of a reposted, quoted or forwarded post is a third party as
// much as an account mentioned in a text. hidden reports that the author
// was masked.
func (v *publicView) sharedPost(sh *archive.Shared, masked []string) (out *archive.Shared, hidden bool) {
	c := *sh
	text, marks := v.redact(&archive.Hit{Post: archive.Post{Text: sh.Text}})
	own := slices.Clone(masked)
	for _, m := range marks {
		own = append(own, sh.Text[m.Start:m.End])
	}
	c.Text = scrub(text, masked)
	handle := strings.TrimPrefix(sh.Author, "@")
	hidden = handle == "" || strings.ContainsAny(handle, " \n") || v.text("@"+handle, nil) != "@"+handle
	if hidden {
		c.Author, c.URL = "", ""
		if c.AuthorName != "" {
			c.AuthorName = scrubbed
		}
	}
	if len(sh.Media) > 0 {
		c.Media = make([]archive.Media, len(sh.Media))
		for i, m := range sh.Media {
			m.Alt = v.text(m.Alt, own)
			withholdEvidence(&m)
			if hidden && handle != "" {
				m.URL, m.PreviewURL = scrub(m.URL, []string{handle}), scrub(m.PreviewURL, []string{handle})
			}
			c.Media[i] = m
		}
	}
	return &c, hidden
}

// hit masks a search result in place.
func (v *publicView) hit(h *archive.Hit) {
	masked := v.post(&h.Post)
	h.Decision.Rationale = v.text(h.Decision.Rationale, masked)
	h.Decision.DecidedBy = publicDecider(h.Decision.DecidedBy)
	if len(masked) > 0 {
		h.Decision.ContentSHA256 = ""
	}
}

// history is h as the public role reads it: its public versions only
// (PublicVersions), the decisions and events of those versions, every text
// masked, no raw capture, source URL or evidence of the crawl; and standing,
// the decision of its latest version, masked the same way.
func (v *publicView) history(h *archive.PostHistory, standing archive.Decision) (*archive.PostHistory, archive.Decision) {
	out := &archive.PostHistory{Key: h.Key, Captures: h.Captures, FirstCaptured: h.FirstCaptured, LastCaptured: h.LastCaptured}
	// masked holds, for each public version's content hash, what its text
	// had masked.
	masked := map[string][]string{}
	for _, p := range h.PublicVersions(v.vis) {
		sha := p.ContentSHA256
		masked[sha] = v.post(&p)
		out.Versions = append(out.Versions, p)
	}
	hide := func(sha string) string {
		if len(masked[sha]) > 0 {
			return ""
		}
		return sha
	}
	for _, d := range h.Decisions {
		if m, ok := masked[d.ContentSHA256]; ok {
			d.Rationale = v.text(d.Rationale, m)
			d.ContentSHA256 = hide(d.ContentSHA256)
			d.DecidedBy = publicDecider(d.DecidedBy)
			out.Decisions = append(out.Decisions, d)
		}
	}
	for _, e := range h.Events {
		if _, ok := masked[e.ContentSHA256]; ok {
			e.Evidence, e.RunID = "", ""
			e.ContentSHA256 = hide(e.ContentSHA256)
			out.Events = append(out.Events, e)
		}
	}
	standing.Rationale = v.text(standing.Rationale, masked[standing.ContentSHA256])
	standing.ContentSHA256 = hide(standing.ContentSHA256)
	standing.DecidedBy = publicDecider(standing.DecidedBy)
	return out, standing
}

// publicDecider is who decided, as the public role reads it: that a person
// decided, not which user (a user name is half of a login, and a few failed
// logins lock it).
func publicDecider(by string) string {
	if archive.IsPerson(by) {
		return "person"
	}
	return by
}

// publicTextCap is the most posts a text search of the public role may
// match before masking: each is read and masked to tell whether it matches
// what the public reads (publicSearch).
const publicTextCap = 5000

var errTextTooBroad = &badRequest{errors.New("el texto buscado aparece en más de " + strconv.Itoa(publicTextCap) +
	" publicaciones: acote la búsqueda por cuenta, red o fechas")}

// publicSearch is the search of the public role, q already restricted to
// public information: its posts masked, and a text matched against the
// masked texts. The archive matches a text before masking, so its count
// would confirm a guess of a masked telephone or e-mail address, and find
// it one character at a time; here every post the archive matches is read
// and masked, the ones whose masked text does not hold the term are left
// out, and the page and the facets are counted from the rest.
func (s *Server) publicSearch(ctx context.Context, st archive.Reader, q archive.Query, withFacets bool) (*archive.Result, *archive.Facets, error) {
	view, err := s.publicView(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	if q.Text == "" {
		res, err := st.Search(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		for i := range res.Hits {
			view.hit(&res.Hits[i])
		}
		if !withFacets {
			return res, nil, nil
		}
		f, err := st.Facets(ctx, q)
		return res, f, err
	}
	all := q
	all.Limit, all.Offset = publicTextCap+1, 0
	res, err := st.Search(ctx, all)
	if err != nil {
		return nil, nil, err
	}
	if res.Total > publicTextCap {
		return nil, nil, errTextTooBroad
	}
	term := archive.FoldText(q.Text)
	var hits []archive.Hit
	for _, h := range res.Hits {
		view.hit(&h)
		if strings.Contains(archive.FoldPost(&h.Post), term) {
			hits = append(hits, h)
		}
	}
	from := min(q.Offset, len(hits))
	to := len(hits)
	if q.Limit > 0 {
		to = min(from+q.Limit, len(hits))
	}
	out := &archive.Result{Total: len(hits), Hits: hits[from:to]}
	if !withFacets {
		return out, nil, nil
	}
	return out, facetsOf(hits), nil
}

// facetsOf counts hits as Store.Facets counts the posts of a query.
func facetsOf(hits []archive.Hit) *archive.Facets {
	f := &archive.Facets{Total: len(hits)}
	counts := [5]map[string]int{{}, {}, {}, {}, {}}
	for i := range hits {
		h := &hits[i]
		for j, v := range [5]string{string(h.Decision.Label), string(h.Network), h.Area, h.AccountID, h.Decision.Basis} {
			if v != "" {
				counts[j][v]++
			}
		}
		if h.Edited || h.Versions > 1 {
			f.Edited++
		}
		if !h.DeletedAtSource.IsZero() {
			f.Deleted++
		}
	}
	list := func(m map[string]int) []archive.FacetCount {
		var out []archive.FacetCount
		for v, n := range m {
			out = append(out, archive.FacetCount{Value: v, Count: n})
		}
		slices.SortFunc(out, func(a, b archive.FacetCount) int {
			return cmp.Or(b.Count-a.Count, strings.Compare(a.Value, b.Value))
		})
		return out[:min(len(out), archive.FacetLimit)]
	}
	f.Labels, f.Networks, f.Areas, f.Accounts, f.Bases = list(counts[0]), list(counts[1]), list(counts[2]), list(counts[3]), list(counts[4])
	return f
}

// scrub replaces every one of the masked strings in s.
func scrub(s string, masked []string) string {
	for _, m := range masked {
		s = strings.ReplaceAll(s, m, scrubbed)
	}
	return s
}
