package mastodon

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Network is what the register knows of Mastodon: handles are
// @user@instance, posts mention accounts by @user or @user@instance, a
// deleted status answers 404 and an edited one keeps its history.
var Network = directory.NetworkSpec{
	Name:              archive.Mastodon,
	Handle:            regexp.MustCompile(`^@[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$`),
	Expect:            "@usuario@instancia.social",
	Example:           "@usuario@instancia.social",
	Mention:           directory.AtMention,
	ConfirmsDeletions: true,
	EditHistory:       true,
}
