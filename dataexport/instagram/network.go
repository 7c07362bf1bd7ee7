package instagram

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of Instagram: a handle is the
// username (letters, digits, . and _, up to 30), posts mention accounts by
// @username. vigia reads Instagram from the holder's export (Reader).
var Network = directory.NetworkSpec{
	Name:      archive.Instagram,
	Handle:    regexp.MustCompile(`^[A-Za-z0-9._]{1,30}$`),
	Expect:    "usuario (the name after instagram.com/, without @)",
	Example:   "gobiernogdl",
	Mention:   directory.AtMention,
	Normalize: normalize,
	Captures:  []directory.Capture{directory.CaptureExport},
}

// normalize reads an account written @usuario or as its profile's address
// on instagram.com, with or without https://.
func normalize(s string) string {
	return directory.ProfileHandle(s, "instagram.com")
}
