package telegram

import (
	"regexp"

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
}
