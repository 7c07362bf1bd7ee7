package samplenet

import "net/http"

// blueskyResolveHandle is com.atproto.identity.resolveHandle: a handle's DID.
func (s *Server) blueskyResolveHandle(w http.ResponseWriter, r *http.Request) {
	handle := r.URL.Query().Get("handle")
	if handle == "" {
		writeJSON(w, http.StatusBadRequest, bError{"InvalidRequest", `Error: Params must have the property "handle"`})
		return
	}
	a := s.sample.account("bluesky", handle)
	if a == nil {
		writeJSON(w, http.StatusBadRequest, bError{"HandleNotFound", "Unable to resolve handle"})
		return
	}
	if failing(w, a) {
		return
	}
	writeJSON(w, http.StatusOK, struct {
		DID string `json:"did"`
	}{a.did})
}
