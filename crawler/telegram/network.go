package telegram

import (
	"regexp"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of Telegram: a handle is a public
// channel's name, posts mention channels by @name, a deleted message is
// confirmed by asking for it alone; Telegram marks edits without a history.
var Network = directory.NetworkSpec{
	Name:              archive.Telegram,
	Handle:            regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,31}$`),
	Expect:            "canal_publico (without @ or t.me/)",
	Example:           "canal_publico",
	Mention:           directory.AtMention,
	ConfirmsDeletions: true,
	Normalize:         normalize,
}

// normalize reads a channel written @canal, t.me/canal, https://t.me/canal,
// its web preview https://t.me/s/canal or a telegram.me address.
func normalize(s string) string {
	if path, _, ok := directory.ProfileURL(s, "t.me", "telegram.me", "telegram.dog"); ok {
		if len(path) > 1 && path[0] == "s" {
			path = path[1:]
		}
		if len(path) > 0 {
			return strings.TrimPrefix(path[0], "@")
		}
		return s
	}
	return strings.TrimPrefix(s, "@")
}
