package crawler

import (
	"regexp"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// testNetworks are the networks the loop's own tests name, with handles
// loosely checked: these tests cannot import the adapters (which import the
// crawler), and the adapters' own tests check their specs.
var testNetworks = directory.Networks{
	{Name: archive.Mastodon, Handle: regexp.MustCompile(`^@[^@]+@[^@]+$`), Expect: "@user@host", Example: "@uno@social.example", Mention: directory.AtMention},
	{Name: archive.RSS, Example: "https://a.example/uno"},
}
