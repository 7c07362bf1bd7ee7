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
	Expect:            "UC followed by 22 characters (the channel id, not the @handle)",
	Example:           "UC4R8DWoMoI7CAwX8_LjQHig",
	ConfirmsDeletions: true,
}
