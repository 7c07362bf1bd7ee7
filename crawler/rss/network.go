package rss

import (
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
}
