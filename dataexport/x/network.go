package x

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of X: a handle is the account's
// username (letters, digits and _, up to 15), posts mention accounts by
// @username. vigia reads X from the holder's archive (Reader): it asks X
// nothing, so it confirms no deletion and fetches no edit history; the
// archive itself lists deleted posts and keeps each edit.
var Network = directory.NetworkSpec{
	Name:      archive.X,
	Handle:    regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`),
	Expect:    "usuario (the name after x.com/, without @: letters, digits and _, up to 15)",
	Example:   "GobiernoGDL",
	Mention:   directory.AtMention,
	Normalize: normalize,
	Captures:  []directory.Capture{directory.CaptureExport},
}

// normalize reads an account written @usuario or as its profile's address
// on x.com or twitter.com, with or without https://.
func normalize(s string) string {
	return directory.ProfileHandle(s, "x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com")
}
