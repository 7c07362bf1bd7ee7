package samplenet

import "net/http"

// mStatusEdit is a StatusEdit entity, one version of a status in
// GET /api/v1/statuses/:id/history, with the fields and order of
// REST::StatusEditSerializer (no poll: the sample has none).
type mStatusEdit struct {
	Content          string     `json:"content"`
	SpoilerText      string     `json:"spoiler_text"`
	Sensitive        bool       `json:"sensitive"`
	CreatedAt        string     `json:"created_at"`
	Account          *mAccount  `json:"account"`
	MediaAttachments []mMedia   `json:"media_attachments"`
	Emojis           []struct{} `json:"emojis"`
}

// mastodonHistory serves a status's versions, oldest first, the current one
// last: the original and each edit made with Edit. A status never edited
// has one, at its creation; one edited in the content alone, at its
// edited_at (Mastodon's snapshot of a status whose edits it never saw).
func (s *Server) mastodonHistory(w http.ResponseWriter, r *http.Request) {
	p := s.mastodonFind(w, r.PathValue("id"))
	if p == nil {
		return
	}
	st := s.mastodonStatusJSON(p)
	vs := p.versions()
	out := make([]mStatusEdit, 0, len(vs))
	for _, v := range vs {
		// A boost has no text of its own: its one version is empty.
		content, _, _ := mastodonContent(s.mastodonBase(), v.text, s.mastodonMention)
		out = append(out, mStatusEdit{
			Content: content, SpoilerText: st.SpoilerText, Sensitive: st.Sensitive,
			CreatedAt: mastodonTime(v.at), Account: st.Account,
			MediaAttachments: st.MediaAttachments, Emojis: []struct{}{},
		})
	}
	mastodonHeaders(w)
	writeJSON(w, http.StatusOK, out)
}
