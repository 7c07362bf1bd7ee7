package facebook

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of Facebook: a handle is the name in
// the address of the profile or page (facebook.com/NAME: letters, digits
// and dots, at least 5), or its number. vigia reads Facebook from the
// holder's export (Reader); its posts name no one by @handle.
var Network = directory.NetworkSpec{
	Name:    archive.Facebook,
	Handle:  regexp.MustCompile(`^[A-Za-z0-9.]{5,50}$`),
	Expect:  "NombreDeLaPagina (the name in facebook.com/NAME, without the address)",
	Example: "GobiernoDeGuadalajara",
}
