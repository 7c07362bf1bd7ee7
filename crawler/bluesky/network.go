package bluesky

import (
	"regexp"
	"strings"

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
	Normalize:         normalize,
}

// normalize reads an account written @nombre.bsky.social or as its profile's
// address, https://bsky.app/profile/nombre.bsky.social (or …/did:plc:…);
// handles are case-insensitive and written in lower case.
func normalize(s string) string {
	if path, _, ok := directory.ProfileURL(s, "bsky.app", "staging.bsky.app"); ok {
		if len(path) < 2 || path[0] != "profile" {
			return s
		}
		s = path[1]
	}
	s = strings.TrimPrefix(s, "@")
	if strings.HasPrefix(s, "did:") {
		return s
	}
	return strings.ToLower(s)
}
