package tiktok

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of TikTok: a handle is the username
// (letters, digits, . and _, 2 to 24), posts mention accounts by @username.
// vigia reads TikTok from the holder's export (Reader).
var Network = directory.NetworkSpec{
	Name:      archive.TikTok,
	Handle:    regexp.MustCompile(`^[A-Za-z0-9._]{2,24}$`),
	Expect:    "usuario (the name after tiktok.com/@, without @)",
	Example:   "gobiernogdl",
	Mention:   directory.AtMention,
	Normalize: normalize,
	Captures:  []directory.Capture{directory.CaptureExport},
}

// normalize reads an account written @usuario or as its profile's address,
// tiktok.com/@usuario, with or without https://.
func normalize(s string) string {
	return directory.ProfileHandle(s, "tiktok.com")
}
