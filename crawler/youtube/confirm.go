package youtube

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

var _ crawler.URLConfirmer = (*Adapter)(nil)

// ConfirmsByURL marks the adapter as one that asks about a video by its
// own page: the channel feed holds the latest 15 videos only, so the loop
// asks about the videos it no longer shows only in a deep sweep.
func (*Adapter) ConfirmsByURL() {}

// maxServerErrors is how many watch pages in a row may answer 5xx before
// YouTube is taken to be down and nothing is decided.
const maxServerErrors = 5

// WatchURL is a video's watch page, on the account's endpoint.
func WatchURL(acct *directory.Account, id string) string {
	base := strings.TrimRight(acct.Endpoint, "/")
	if base == "" {
		base = DefaultEndpoint
	}
	return base + "/watch?v=" + url.QueryEscape(id)
}

// Gone asks for each video's watch page. YouTube answers 200 whatever the
// video's state, and says it in the page's player response
// (ytInitialPlayerResponse.playabilityStatus): a video is gone only when
// that says ERROR (removed by the uploader, or taken down: "Video
// unavailable"), or LOGIN_REQUIRED because the video was made private (no
// longer public, which for the public record is the same); a 404 or 410
// would say so too. Anything else tells nothing and leaves the video out:
// a page without a player response (a consent or "unusual traffic" page),
// UNPLAYABLE (blocked in a country, not embeddable), LOGIN_REQUIRED for
// an age check or a bot check. A request that gets no answer, a 429, or
// several 5xx in a row mean YouTube cannot be asked now: an error, and
// nothing is decided.
func (a *Adapter) Gone(ctx context.Context, f crawler.Fetcher, acct *directory.Account, ids []string) (map[string]string, error) {
	gone := map[string]string{}
	serverErrors := 0
	for _, id := range ids {
		u := WatchURL(acct, id)
		resp, err := f.Get(ctx, u, "text/html")
		var se *crawler.StatusError
		switch {
		case err == nil:
			serverErrors = 0
			if why, ok := Unavailable(resp.Body, id); ok {
				gone[id] = fmt.Sprintf("GET %s: %s", u, why)
			}
		case errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status == http.StatusGone):
			serverErrors = 0
			gone[id] = fmt.Sprintf("GET %s answered %d %s", u, se.Status, http.StatusText(se.Status))
		case errors.As(err, &se) && se.Status >= 500:
			if serverErrors++; serverErrors >= maxServerErrors {
				return nil, fmt.Errorf("confirm videos of channel %s: %d watch pages in a row answered 5xx, the last %w", acct.Handle, serverErrors, err)
			}
		case errors.As(err, &se) && se.Status != http.StatusTooManyRequests: // 403…: tells nothing
		default:
			return nil, fmt.Errorf("confirm video %s: %w", id, err)
		}
	}
	return gone, nil
}

// playerResponse is what Unavailable reads of ytInitialPlayerResponse.
type playerResponse struct {
	PlayabilityStatus struct {
		Status   string   `json:"status"`
		Reason   string   `json:"reason"`
		Messages []string `json:"messages"`
	} `json:"playabilityStatus"`
	VideoDetails *struct {
		VideoID string `json:"videoId"`
	} `json:"videoDetails"`
}

var playerMarker = []byte("ytInitialPlayerResponse = ")

// Unavailable reads a watch page's player response and says whether it
// tells that the video id is no longer published, and how, in words. It
// is conservative: only a clear signal counts (see Gone).
func Unavailable(page []byte, id string) (string, bool) {
	i := bytes.Index(page, playerMarker)
	if i < 0 {
		return "", false
	}
	var pr playerResponse
	// the object is followed by the page's script: decode one value only
	if err := json.NewDecoder(bytes.NewReader(page[i+len(playerMarker):])).Decode(&pr); err != nil {
		return "", false
	}
	if pr.VideoDetails != nil && pr.VideoDetails.VideoID != "" && pr.VideoDetails.VideoID != id {
		return "", false // the page of another video
	}
	ps := pr.PlayabilityStatus
	said := strings.Join(append([]string{ps.Reason}, ps.Messages...), " ")
	switch {
	case ps.Status == "ERROR":
		return fmt.Sprintf("the watch page's playabilityStatus is ERROR (%q): the video was removed", strings.TrimSpace(said)), true
	case ps.Status == "LOGIN_REQUIRED" && private(said):
		return fmt.Sprintf("the watch page's playabilityStatus is LOGIN_REQUIRED (%q): the video was made private", strings.TrimSpace(said)), true
	}
	return "", false
}

// private reports whether YouTube's words say a video is private (in the
// languages a watch page may come in here).
func private(said string) bool {
	s := strings.ToLower(said)
	for _, w := range []string{"private video", "video is private", "video privado", "vídeo privado", "video es privado", "vídeo es privado"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
