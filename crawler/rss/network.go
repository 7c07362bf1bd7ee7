package rss

import (
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of RSS and Atom feeds: the handle is
// the feed's URL (no Handle pattern); a feed holds its latest items only,
// so an item gone from it is confirmed deleted by asking for its own page
// (in a deep sweep: confirm.go); items do not mention accounts by handle.
var Network = directory.NetworkSpec{
	Name:              archive.RSS,
	Example:           "https://ejemplo.gob.mx/comunicados/rss.xml",
	ConfirmsDeletions: true,
	Normalize:         normalize,
}

// normalize reads a feed's address written without https:// or with the
// feed:// some browsers show.
func normalize(s string) string {
	switch {
	case strings.HasPrefix(s, "feed://"):
		return "https://" + strings.TrimPrefix(s, "feed://")
	case strings.HasPrefix(s, "feed:http"):
		return strings.TrimPrefix(s, "feed:")
	case !strings.Contains(s, "://") && strings.Contains(s, ".") && !strings.ContainsAny(s, " @"):
		return "https://" + s
	}
	return s
}
