package samplenet

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
)

// Each post's own page, where a deep sweep asks about a post that left a
// feed: a feed item's link (its site's article page) and a YouTube video's
// watch page. A deleted item's page answers 404, as a site's does; a
// deleted video's watch page answers 200 with a player response whose
// playabilityStatus is ERROR, "Video unavailable", as YouTube's does.

func (s *Server) pageRoutes(mux *http.ServeMux) {
	for _, a := range s.sample.accounts {
		if a.spec.Network != "rss" {
			continue
		}
		// links are SITE/DIR/YYYY/MM/KEY.html (RSS) or SITE/DIR/YYYY/MM/KEY/ (Atom)
		dir := strings.TrimRight(path.Dir(a.spec.Profile.Handle), "/")
		mux.HandleFunc("GET "+dir+"/{year}/{month}/{file}", func(w http.ResponseWriter, r *http.Request) { s.serveItemPage(w, r, a) })
		mux.HandleFunc("GET "+dir+"/{year}/{month}/{file}/{$}", func(w http.ResponseWriter, r *http.Request) { s.serveItemPage(w, r, a) })
	}
	mux.HandleFunc("GET /watch", s.serveWatchPage)
}

// pageStatus answers a post's own page with the status a test set, if any.
func pageStatus(w http.ResponseWriter, p *post) bool {
	if p == nil || p.pageStatus == 0 {
		return false
	}
	http.Error(w, fmt.Sprintf("%d %s", p.pageStatus, http.StatusText(p.pageStatus)), p.pageStatus)
	return true
}

func (s *Server) serveItemPage(w http.ResponseWriter, r *http.Request, a *account) {
	key := strings.TrimSuffix(r.PathValue("file"), ".html")
	month := r.PathValue("year") + "/" + r.PathValue("month")
	var found *post
	for _, p := range a.posts {
		if p.key == key && p.at.Format("2006/01") == month {
			found = p
		}
	}
	if pageStatus(w, found) || failing(w, a) {
		return
	}
	if found == nil || !found.shown() {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	body := found.html
	if body == "" {
		body = paragraphsHTML(found.text)
	}
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body><article><h1>%s</h1>\n%s\n</article></body></html>\n",
		escape(found.title), escape(found.title), body)
}

func (s *Server) serveWatchPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("v")
	var found *post
	for _, a := range s.sample.accounts {
		if a.spec.Network != "youtube" {
			continue
		}
		for _, p := range a.posts {
			if p.id == id {
				found = p
			}
		}
	}
	if pageStatus(w, found) {
		return
	}
	title := ""
	status := map[string]any{"status": "ERROR", "reason": "Video unavailable",
		"errorScreen": map[string]any{"playerErrorMessageRenderer": map[string]any{
			"reason":    map[string]string{"simpleText": "Video unavailable"},
			"subreason": map[string]string{"simpleText": "This video has been removed by the uploader"}}}}
	player := map[string]any{"responseContext": map[string]any{"maxAgeSeconds": 0}}
	if found != nil && found.shown() {
		title = found.title
		status = map[string]any{"status": "OK", "playableInEmbed": true,
			"miniplayer": map[string]any{"miniplayerRenderer": map[string]string{"playbackMode": "PLAYBACK_MODE_ALLOW"}}}
		player["videoDetails"] = map[string]any{"videoId": found.id, "title": found.title, "author": found.acct.spec.Profile.Name,
			"channelId": found.acct.spec.Profile.Handle, "isPrivate": false}
	}
	player["playabilityStatus"] = status
	js, err := json.Marshal(player)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!DOCTYPE html><html lang=\"es-419\"><head><title>%s - YouTube</title></head><body>"+
		"<script nonce=\"sample\">var ytInitialPlayerResponse = %s;var meta = document.createElement('meta'); meta.name = 'referrer';</script>"+
		"</body></html>\n", escape(title), js)
}
