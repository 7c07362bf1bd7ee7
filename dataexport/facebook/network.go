package facebook

import (
	"regexp"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of Facebook: a handle is the name in
// the address of the profile or page (facebook.com/NAME: letters, digits
// and dots, at least 5), or its number. vigia reads Facebook from the
// holder's export (Reader); its posts name no one by @handle.
var Network = directory.NetworkSpec{
	Name:      archive.Facebook,
	Handle:    regexp.MustCompile(`^[A-Za-z0-9.]{5,50}$`),
	Expect:    "NombreDeLaPagina (the name in facebook.com/NAME, without the address)",
	Example:   "GobiernoDeGuadalajara",
	Normalize: normalize,
	Captures:  []directory.Capture{directory.CaptureExport},
}

// normalize reads a profile or page written as its address on
// facebook.com or fb.com (facebook.com/NAME, profile.php?id=NUMBER,
// people/NAME/NUMBER), with or without https://, or with an @.
func normalize(s string) string {
	path, q, ok := directory.ProfileURL(s, "facebook.com", "fb.com", "web.facebook.com")
	switch {
	case !ok:
		return strings.TrimPrefix(s, "@")
	case len(path) == 1 && path[0] == "profile.php" && q.Get("id") != "":
		return q.Get("id")
	case len(path) >= 3 && path[0] == "people":
		return path[2]
	case len(path) >= 1 && path[0] != "profile.php":
		return path[0]
	}
	return s
}
