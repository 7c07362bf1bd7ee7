package redact

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// owner says what claimed a byte of the text. Claimed bytes are not looked
// at again: a later detector neither matches over them nor reads them as
// context.
type owner uint8

const (
	free          owner = iota
	link                // part of a URL, kept
	publicMention       // a mention of a public account, kept
	maskedEmail
	maskedMention
	maskedPhone
)

// masked reports whether o replaces its bytes with a placeholder. Masked
// bytes read as the placeholder's brackets would on a second pass.
func (o owner) masked() bool { return o >= maskedEmail }

// scan is the state of one Redact call.
type scan struct {
	text  string
	owner []owner // one per byte of text
	marks []Mark
}

func newScan(text string) *scan {
	return &scan{text: text, owner: make([]owner, len(text))}
}

func (s *scan) claim(start, end int, o owner) {
	for i := start; i < end; i++ {
		s.owner[i] = o
	}
}

func (s *scan) mask(start, end int, kind string) {
	s.claim(start, end, kinds[kind].owner)
	s.marks = append(s.marks, Mark{Kind: kind, Start: start, End: end, Basis: kinds[kind].basis})
}

// unclaimed reports whether no byte in [start, end) is claimed.
func (s *scan) unclaimed(start, end int) bool {
	for i := start; i < end; i++ {
		if s.owner[i] != free {
			return false
		}
	}
	return true
}

// runeBefore returns the rune that ends at i, its size and the owner of its
// last byte; size is 0 at the start of the text.
func (s *scan) runeBefore(i int) (r rune, size int, o owner) {
	if i <= 0 {
		return 0, 0, free
	}
	r, size = utf8.DecodeLastRuneInString(s.text[:i])
	return r, size, s.owner[i-1]
}

var (
	// schemeURL is a URL with a scheme ("https://…") or starting "www.".
	schemeURL = regexp.MustCompile(`(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>"]*`)
	// bareURL is a domain followed by a path ("x.com/@usuario").
	bareURL = regexp.MustCompile(`(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}/[^\s<>"]*`)
)

// links claims every URL, to the next space, so that nothing inside one is
// masked.
func (s *scan) links() {
	for _, m := range schemeURL.FindAllStringIndex(s.text, -1) {
		s.claim(m[0], m[1], link)
	}
	for _, m := range bareURL.FindAllStringIndex(s.text, -1) {
		// A domain right after "@" or inside a word is an e-mail address or
		// part of something else, not the start of a URL.
		if r, size, _ := s.runeBefore(m[0]); size > 0 && (isWord(r) || strings.ContainsRune("@.-_", r)) {
			continue
		}
		if s.unclaimed(m[0], m[1]) {
			s.claim(m[0], m[1], link)
		}
	}
}

// ats masks e-mail addresses and mentions, looking at each unclaimed "@" in
// order. An "@" starts a mention when it does not follow a character of a
// word or an address; otherwise it may be the middle of an e-mail address.
// Where both could apply, as in ".@usuario", the mention wins.
func (s *scan) ats(public map[string]bool) {
	for i := 0; i < len(s.text); i++ {
		if s.text[i] != '@' || s.owner[i] != free {
			continue
		}
		if end, ok := s.mention(i, public); ok {
			i = end - 1
			continue
		}
		if start, end, ok := s.email(i); ok {
			if institutional(s.text[i+1 : end]) {
				s.claim(start, end, link) // an office's address is not a third party's data
			} else {
				s.mask(start, end, KindEmail)
			}
			i = end - 1
		}
	}
}

// notBeforeMention are the characters besides letters and digits after which
// an "@" is not a mention: inside addresses, paths and query strings. A dot
// is not among them: ".@usuario" is how a reply is made public on Twitter.
const notBeforeMention = "@_-+%/=&#*~$!\\"

// mention handles a mention starting with the "@" at at: "@usuario",
// "@usuario.bsky.social" or "@usuario@instancia.social". It masks it unless
// it is public, and returns where it ends.
func (s *scan) mention(at int, public map[string]bool) (end int, ok bool) {
	if r, size, o := s.runeBefore(at); size > 0 && o == free && (isWord(r) || strings.ContainsRune(notBeforeMention, r)) {
		return 0, false
	}
	end = s.handleEnd(at + 1)
	if !strings.ContainsFunc(s.text[at+1:end], unicode.IsLetter) {
		return 0, false // "@12:00" is a time, "@ " nothing
	}
	if end < len(s.text) && s.text[end] == '@' && s.owner[end] == free {
		if domainEnd, ok := s.domainEnd(end + 1); ok {
			end = domainEnd
		}
	}
	if public[strings.ToLower(s.text[at+1:end])] {
		s.claim(at, end, publicMention)
	} else {
		s.mask(at, end, KindMention)
	}
	return end, true
}

// handleEnd returns the end of the handle that starts at i: letters, digits,
// "_", "." and "-", not ending in "." or "-".
func (s *scan) handleEnd(i int) int {
	end := i
	for j := i; j < len(s.text) && s.owner[j] == free; {
		r, n := utf8.DecodeRuneInString(s.text[j:])
		if !isWord(r) && r != '_' && r != '.' && r != '-' {
			break
		}
		j += n
		if r != '.' && r != '-' {
			end = j
		}
	}
	return end
}

// email returns the e-mail address around the "@" at at, if there is one.
func (s *scan) email(at int) (start, end int, ok bool) {
	start = at
	for {
		r, size, o := s.runeBefore(start)
		if size == 0 || o != free || !(isWord(r) || strings.ContainsRune("._%+-", r)) {
			break
		}
		start -= size
	}
	if start == at {
		return 0, 0, false
	}
	end, ok = s.domainEnd(at + 1)
	return start, end, ok
}

// domainEnd returns the end of the domain name that starts at i: two or more
// labels of letters, digits and "-" joined by dots, the last one of two or
// more letters, not followed by a letter, digit or "_". When the last label
// does not qualify the name is cut at an earlier one ("x.com" in "x.com.3").
func (s *scan) domainEnd(i int) (int, bool) {
	j := i
	for j < len(s.text) && s.owner[j] == free {
		r, n := utf8.DecodeRuneInString(s.text[j:])
		if !isWord(r) && r != '-' && r != '.' {
			break
		}
		j += n
	}
	labels := strings.Split(strings.TrimRight(s.text[i:j], ".-"), ".")
	if empty := slices.Index(labels, ""); empty >= 0 {
		labels = labels[:empty]
	}
	end := i + len(strings.Join(labels, "."))
	for k := len(labels); k >= 2; k-- {
		if isTopLevel(labels[k-1]) {
			if r, n := utf8.DecodeRuneInString(s.text[end:]); n > 0 && (isWord(r) || r == '_') {
				return 0, false
			}
			return end, true
		}
		end -= len(labels[k-1]) + 1
	}
	return 0, false
}

// isTopLevel reports whether label can end a domain name: two or more
// letters.
func isTopLevel(label string) bool {
	return utf8.RuneCountInString(label) >= 2 && !strings.ContainsFunc(label, func(r rune) bool { return !unicode.IsLetter(r) })
}

// isWord reports whether r is a letter, a digit or a combining mark.
func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// institutional reports whether an e-mail address at domain belongs to a
// Mexican public body (a domain under gob.mx): it is the body's, not a
// private person's, and is not masked.
func institutional(domain string) bool {
	d := strings.ToLower(domain)
	return d == "gob.mx" || strings.HasSuffix(d, ".gob.mx")
}
