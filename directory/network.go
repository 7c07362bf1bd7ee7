package directory

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vigia-mx/vigia/archive"
)

// NetworkSpec is what the register knows of a network: how its handles are
// written and checked, and what the network can tell about a post. Each
// network's adapter package exports its spec (mastodon.Network, …); the
// wiring in cmd/vigia lists them, and the directory's checks, the counting of
// mentions of official accounts and the help texts read that list. The
// directory itself names no network.
type NetworkSpec struct {
	Name archive.Network
	// Handle matches a well-formed handle; nil when the handle is a feed's
	// URL (checked as an http(s) URL instead).
	Handle *regexp.Regexp
	// Expect says, in a message, how a handle is written.
	Expect string
	// Example is a handle that passes the check, for help texts.
	Example string
	// Mention gives, lower case, the @-names by which a post mentions the
	// account of handle ("gobierno" and "gobierno@social.example" for
	// "@gobierno@social.example"); nil when the network's posts do not
	// mention accounts by handle (feeds).
	Mention func(handle string) []string
	// ConfirmsDeletions: the network can be asked whether a post is still
	// published (its adapter is a crawler.Confirmer).
	ConfirmsDeletions bool
	// EditHistory: the network keeps an edit history the crawler fetches.
	EditHistory bool
	// Normalize turns the usual ways people write an account of the
	// network (@name, a profile's URL with or without https://, …) into
	// its handle; it returns what it cannot read unchanged, for the check
	// to refuse. nil when handles are taken as written.
	Normalize func(written string) string
	// Captures are the ways the network's accounts can be captured
	// (capture:), the default first; nil for public only.
	Captures []Capture
}

// NormalizeHandle returns the handle written as the network's Normalize
// reads it, with the spaces, invisible characters and leading apostrophe
// that spreadsheets add taken away.
func (s NetworkSpec) NormalizeHandle(written string) string {
	h := TrimWritten(written)
	if s.Normalize != nil {
		h = s.Normalize(h)
	}
	return h
}

// CheckHandle returns what is wrong with a handle of the network, or "".
func (s NetworkSpec) CheckHandle(handle string) string {
	if s.Handle == nil {
		if msg := checkBaseURL(handle); msg != "" {
			if h := s.NormalizeHandle(handle); h != handle && checkBaseURL(h) == "" {
				return fmt.Sprintf("an %s handle is the feed's URL: write it %q", s.Name, h)
			}
			return fmt.Sprintf("an %s handle is the feed's URL: %s", s.Name, msg)
		}
		return ""
	}
	if s.Handle.MatchString(handle) {
		return ""
	}
	if h := s.NormalizeHandle(handle); h != handle && s.Handle.MatchString(h) {
		return fmt.Sprintf("not a %s handle; write it %q", s.Name, h)
	}
	return fmt.Sprintf("not a %s handle; expected %s", s.Name, s.Expect)
}

// IsFeed reports whether the network's handle is a feed URL; such accounts
// take no endpoint.
func (s NetworkSpec) IsFeed() bool { return s.Handle == nil }

// AtMention is the Mention of networks whose handles are "@user" or
// "@user@host": the handle without its @, and its user part alone.
func AtMention(handle string) []string {
	name := strings.ToLower(strings.TrimPrefix(handle, "@"))
	names := []string{name}
	if user, _, ok := strings.Cut(name, "@"); ok {
		names = append(names, user)
	}
	return names
}

// Networks is the list of networks a directory may name, in the order they
// are documented.
type Networks []NetworkSpec

// Spec returns the spec of network n.
func (ns Networks) Spec(n archive.Network) (NetworkSpec, bool) {
	for _, s := range ns {
		if s.Name == n {
			return s, true
		}
	}
	return NetworkSpec{}, false
}

// Names returns the networks' names.
func (ns Networks) Names() []string {
	names := make([]string, len(ns))
	for i, s := range ns {
		names[i] = string(s.Name)
	}
	return names
}

// Problems returns what is missing from each spec: an unknown name, a
// network listed twice, no example or one its own check refuses.
func (ns Networks) Problems() []string {
	var out []string
	seen := map[archive.Network]bool{}
	for i, s := range ns {
		switch {
		case !s.Name.Valid():
			out = append(out, fmt.Sprintf("networks[%d]: %q is not in archive.Networks", i, s.Name))
		case seen[s.Name]:
			out = append(out, fmt.Sprintf("networks[%d]: %s listed twice", i, s.Name))
		}
		seen[s.Name] = true
		if s.Handle != nil && s.Expect == "" {
			out = append(out, fmt.Sprintf("%s: no Expect for messages", s.Name))
		}
		if s.Example == "" {
			out = append(out, fmt.Sprintf("%s: no Example", s.Name))
		} else if msg := s.CheckHandle(s.Example); msg != "" {
			out = append(out, fmt.Sprintf("%s: the example %q fails its own check: %s", s.Name, s.Example, msg))
		}
		if s.Mention != nil && len(s.Mention(s.Example)) == 0 {
			out = append(out, fmt.Sprintf("%s: the example %q is mentioned by no name", s.Name, s.Example))
		}
	}
	for _, n := range archive.Networks {
		if !seen[n] {
			out = append(out, fmt.Sprintf("%s: no spec", n))
		}
	}
	return out
}
