package mastodon

import (
	"net/url"
	"regexp"
	"strings"

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
	Normalize:         normalize,
}

// normalize reads an account written usuario@instancia.social (without the
// first @) or as its profile's address, https://instancia.social/@usuario
// (also …/@usuario@otra.instancia for a remote account, and
// …/users/usuario); the instance's name is written in lower case.
func normalize(s string) string {
	if strings.Contains(s, "/") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			u, err = url.Parse("https://" + s)
		}
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
			return s
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		var user string
		switch {
		case len(parts) >= 1 && strings.HasPrefix(parts[0], "@"):
			user = parts[0]
		case len(parts) >= 2 && parts[0] == "users":
			user = "@" + parts[1]
		default:
			return s
		}
		if strings.Count(user, "@") == 1 {
			user += "@" + u.Host
		}
		s = user
	}
	if !strings.HasPrefix(s, "@") && strings.Count(s, "@") == 1 {
		s = "@" + s
	}
	if i := strings.LastIndex(s, "@"); i > 0 {
		s = s[:i] + strings.ToLower(s[i:])
	}
	return s
}
