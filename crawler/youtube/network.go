package youtube

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of YouTube: a handle is the channel's
// id; its feed lists the latest videos only, so a video gone from it is
// confirmed deleted by asking for its watch page (in a deep sweep:
// confirm.go); videos do not mention accounts by handle.
var Network = directory.NetworkSpec{
	Name:              archive.YouTube,
	Handle:            regexp.MustCompile(`^UC[A-Za-z0-9_-]{22}$`),
	Expect:            "UC followed by 22 characters: the channel id, not the @handle (YouTube shows it on the channel's page under Más información › Compartir canal › Copiar ID del canal)",
	Example:           "UC4R8DWoMoI7CAwX8_LjQHig",
	ConfirmsDeletions: true,
	Normalize:         normalize,
}

// normalize reads a channel written as its address,
// https://www.youtube.com/channel/UC…[/videos], or its feed's,
// …/feeds/videos.xml?channel_id=UC…. An @handle or a /c/ or /user/ address
// names no channel id: it is returned as written, for the check to refuse.
func normalize(s string) string {
	path, query, ok := directory.ProfileURL(s, "youtube.com", "youtube-nocookie.com")
	switch {
	case !ok:
		return s
	case len(path) >= 2 && path[0] == "channel":
		return path[1]
	case len(path) == 2 && path[0] == "feeds" && query.Get("channel_id") != "":
		return query.Get("channel_id")
	}
	return s
}
