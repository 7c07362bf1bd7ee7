package bluesky

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of Bluesky: handles are domain names
// or DIDs, posts mention accounts by @handle, a deleted post is confirmed
// by asking the AppView; Bluesky keeps no edit history.
var Network = directory.NetworkSpec{
	Name:              archive.Bluesky,
	Handle:            regexp.MustCompile(`^(did:(plc|web):[A-Za-z0-9._:%-]+|([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)$`),
	Expect:            "nombre.bsky.social or did:plc:…",
	Example:           "nombre.bsky.social",
	Mention:           directory.AtMention,
	ConfirmsDeletions: true,
}
