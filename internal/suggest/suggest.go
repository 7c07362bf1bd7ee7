// Package suggest finds the word a person probably meant, for error
// messages about misspelt keys, columns and values.
package suggest

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// DidYouMean returns ` (did you mean "x"?)` when one of the choices is
// within two edits of s, ignoring case and accents (the closest, the first
// of equals), or "".
func DidYouMean(s string, choices []string) string {
	best := Closest(s, choices)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Closest returns the choice within two edits of s, ignoring case and
// accents (the closest, the first of equals), or "": what a message offers
// in the words of its language ("¿quiso decir …?").
func Closest(s string, choices []string) string {
	best, bestDist := "", 3
	for _, c := range choices {
		if d := distance(fold(s), fold(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// fold is s in lower case without combining marks, as runes.
func fold(s string) []rune {
	var out []rune
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 0x300 || r > 0x36f {
			out = append(out, r)
		}
	}
	return out
}

// distance is the Levenshtein distance between a and b.
func distance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
