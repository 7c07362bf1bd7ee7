package youtube

import (
	"regexp"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of YouTube: a handle is the channel's
// id; its feed lists the latest videos only, so a video gone from it is
// confirmed deleted by asking for its watch page (in a deep sweep:
// confirm.go); videos do not mention accounts by handle.
var Network = directory.NetworkSpec{
	Name:              archive.YouTube,
	Handle:            regexp.MustCompile(`^(UC[A-Za-z0-9_-]{22}|@[A-Za-z0-9][A-Za-z0-9._-]{2,29})$`),
	Expect:            "the channel id (UC followed by 22 characters) or the channel's @handle",
	Example:           "UC4R8DWoMoI7CAwX8_LjQHig",
	ConfirmsDeletions: true,
	Normalize:         normalize,
}

// normalize reads a channel written as its address,
// https://www.youtube.com/channel/UC…[/videos], its feed's,
// …/feeds/videos.xml?channel_id=UC…, or its handle's,
// https://www.youtube.com/@nombre[/videos] (the crawl asks YouTube which
// channel a handle names: handle.go). A /c/ or /user/ address is returned
// as written, for the check to refuse.
func normalize(s string) string {
	path, query, ok := directory.ProfileURL(s, "youtube.com", "youtube-nocookie.com")
	switch {
	case !ok:
		return s
	case len(path) >= 2 && path[0] == "channel":
		return path[1]
	case len(path) == 2 && path[0] == "feeds" && query.Get("channel_id") != "":
		return query.Get("channel_id")
	case len(path) >= 1 && strings.HasPrefix(path[0], "@"):
		return path[0]
	}
	return s
}
