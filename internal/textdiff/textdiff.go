// Package textdiff compares two versions of a post's text word by word.
package textdiff

import "strings"

// Kind says what a Span of the comparison is.
type Kind int

// The kinds of Span.
const (
	Same    Kind = iota // in both texts
	Removed             // only in the older text
	Added               // only in the newer text
)

// Span is a run of words of one Kind.
type Span struct {
	Kind Kind
	Text string // the words, separated by one space
}

// Words shows how b differs from a, word by word, aligning the words on
// their longest common subsequence. Runs of removed words come before the
// added ones that replace them.
func Words(a, b string) []Span {
	x, y := strings.Fields(a), strings.Fields(b)
	// lcs[i][j] is the length of the common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Span
	var same, del, ins []string
	flush := func() {
		for _, s := range []struct {
			k Kind
			w *[]string
		}{{Same, &same}, {Removed, &del}, {Added, &ins}} {
			if len(*s.w) > 0 {
				out = append(out, Span{s.k, strings.Join(*s.w, " ")})
				*s.w = nil
			}
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			if len(del) > 0 || len(ins) > 0 {
				flush()
			}
			same = append(same, x[i])
			i++
			j++
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			if len(same) > 0 {
				flush()
			}
			ins = append(ins, y[j])
			j++
		default:
			if len(same) > 0 {
				flush()
			}
			del = append(del, x[i])
			i++
		}
	}
	flush()
	return out
}

// Changed reports whether spans hold any removed or added words.
func Changed(spans []Span) bool {
	for _, s := range spans {
		if s.Kind != Same {
			return true
		}
	}
	return false
}
