package decision

import (
	"strings"

	"github.com/vigia-mx/vigia/directory"
)

// Mentions are the @-names of official accounts, lower case, as a post would
// mention them: "@gobierno" and "@gobierno@social.example" for Mastodon,
// "@avisos_gdl" for Telegram, "@pc.guadalajara.example" for Bluesky.
type Mentions map[string]bool

// OfficialMentions returns the @-names of the official accounts among
// accts, as each network's spec in nets writes them.
func OfficialMentions(nets directory.Networks, accts []Account) Mentions {
	m := Mentions{}
	for _, a := range accts {
		spec, ok := nets.Spec(a.Network)
		if !a.Official() || !ok || spec.Mention == nil {
			continue
		}
		for _, name := range spec.Mention(a.Handle) {
			m[name] = true
		}
	}
	return m
}

// Count counts the mentions of official accounts in a text.
func (m Mentions) Count(text string) int {
	if len(m) == 0 || !strings.Contains(text, "@") {
		return 0
	}
	n := 0
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\n' || r == ',' || r == ';' || r == ':' || r == '(' || r == ')'
	}) {
		if name, ok := strings.CutPrefix(f, "@"); ok && m[strings.ToLower(strings.TrimRight(name, ".!?¡¿"))] {
			n++
		}
	}
	return n
}
