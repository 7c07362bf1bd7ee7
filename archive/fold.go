package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FoldText is what a text search compares: s in lower case without accents
// or other combining marks ("Rehabilitación" → "rehabilitacion"), as
// DuckDB's strip_accents(lower(…)). Both engines store each version's text
// folded so, and fold the searched term the same way.
func FoldText(s string) string {
	// Text made of ASCII and precomposed Latin letters (nearly every
	// post) folds letter by letter from a table; anything else takes the
	// general way, which gives the same for these.
	var b strings.Builder
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if b.Cap() > 0 {
				b.WriteByte(byte(r))
			} else if r != rune(s[i]) {
				b.Grow(len(s))
				b.WriteString(s[:i])
				b.WriteByte(byte(r))
			}
		case r < latinEnd && r != utf8.RuneError:
			if b.Cap() == 0 {
				b.Grow(len(s))
				b.WriteString(s[:i])
			}
			b.WriteString(latinFolded[r-utf8.RuneSelf])
		default:
			return foldGeneral(s)
		}
	}
	if b.Cap() == 0 {
		return s
	}
	return b.String()
}

// foldGeneral folds any text: lower case, canonical decomposition, marks
// dropped.
func foldGeneral(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// latinEnd ends the Latin-1 Supplement and Latin Extended-A and -B blocks,
// whose letters decompose to at most a letter and marks.
const latinEnd = 0x250

// latinFolded is the folding of each rune from U+0080 to latinEnd.
var latinFolded = func() []string {
	t := make([]string, latinEnd-utf8.RuneSelf)
	for r := rune(utf8.RuneSelf); r < latinEnd; r++ {
		t[r-utf8.RuneSelf] = foldGeneral(string(r))
	}
	return t
}()

// FoldPost is the folded text a search finds a version by: its own text,
// and the text of the post it shares (a repost's or a quote's), so that a
// repost is found by the words it carries.
func FoldPost(p *Post) string {
	if p.Shared == nil || p.Shared.Text == "" {
		return FoldText(p.Text)
	}
	return FoldText(p.Text + "\n" + p.Shared.Text)
}
