package classifier

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"
)

// The lexicon is domain knowledge the training posts cannot give on their
// own: lists of words and phrases of Spanish-language public life (the
// vocabulary of campaigns and parties, of institutions and legislatures, of
// government work, of personal life) in Mexico, Argentina and Spain,
// written for the project (lexicon/*.txt). A post's hits in each list are a
// feature whose weight the model learns from the training posts, so that a
// party or an institution the posts never name (Sumar, the BOE, an
// Argentine PASO) still weighs like those they do.
//
// A model carries the lists it was trained with in its header: a model
// reads posts as it was trained to, whatever lists the binary holds.

//go:embed lexicon/*.txt
var lexiconFiles embed.FS

// LexiconList is one list of the lexicon.
type LexiconList struct {
	ID string `json:"id"` // the file's name: "electoral"
	// Name is what a rationale calls the list's hits: "vocabulario electoral".
	Name string `json:"name"`
	// Entries are words or phrases, lower case and matched without accents;
	// an entry with a capital letter (PAN, PASO, Podemos) matches only as
	// written; a final * matches any word beginning so (kirchner*). An entry
	// starting with "-" matches and counts for no list: it keeps a longer
	// phrase out ("-campaña de vacunación").
	Entries []string `json:"entries"`
}

// EmbeddedLexicon returns the lexicon shipped in vigia (classifier/lexicon).
func EmbeddedLexicon() ([]LexiconList, error) {
	files, err := fs.Glob(lexiconFiles, "lexicon/*.txt")
	if err != nil {
		return nil, err
	}
	var lists []LexiconList
	for _, f := range files { // in name order
		data, err := lexiconFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		l, err := parseLexiconList(strings.TrimSuffix(path.Base(f), ".txt"), string(data))
		if err != nil {
			return nil, fmt.Errorf("lexicon %s: %w", f, err)
		}
		lists = append(lists, l)
	}
	return lists, nil
}

// parseLexiconList reads a list: "# name: …" names it; other lines starting
// with # are comments; one entry a line.
func parseLexiconList(id, data string) (LexiconList, error) {
	l := LexiconList{ID: id}
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if name, ok := strings.CutPrefix(line, "# name:"); ok {
			l.Name = strings.TrimSpace(name)
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.Trim(line, "-* ") == "" {
			return l, fmt.Errorf("line %d: empty entry %q", n+1, line)
		}
		l.Entries = append(l.Entries, strings.Join(strings.Fields(line), " "))
	}
	if l.Name == "" {
		return l, fmt.Errorf("no \"# name:\" line")
	}
	if len(l.Entries) == 0 {
		return l, fmt.Errorf("no entries")
	}
	return l, nil
}

// lexicon is the lists compiled for matching.
type lexicon struct {
	lists []LexiconList
	// byFirst indexes entries by their first word (lower case, accents
	// folded); prefixes by their first four letters.
	byFirst  map[string][]lexEntry
	prefixes map[string][]lexEntry
}

type lexEntry struct {
	list   int // -1: an exclusion
	words  []string
	exact  bool // matched as written
	prefix bool // the last word is a prefix
}

func compileLexicon(lists []LexiconList) *lexicon {
	if len(lists) == 0 {
		return nil
	}
	lx := &lexicon{lists: lists, byFirst: map[string][]lexEntry{}, prefixes: map[string][]lexEntry{}}
	for i, l := range lists {
		for _, e := range l.Entries {
			le := lexEntry{list: i}
			if rest, ok := strings.CutPrefix(e, "-"); ok {
				le.list, e = -1, rest
			}
			if rest, ok := strings.CutSuffix(e, "*"); ok {
				le.prefix, e = true, rest
			}
			le.exact = strings.IndexFunc(e, unicode.IsUpper) >= 0
			for _, w := range strings.FieldsFunc(e, notWordRune) { // as tokenize splits words
				if !le.exact {
					w = fold(strings.ToLower(w))
				}
				le.words = append(le.words, w)
			}
			first := lowerFold(le.words[0])
			if le.prefix && len(le.words) == 1 {
				key := first[:min(len(first), 4)]
				lx.prefixes[key] = append(lx.prefixes[key], le)
				continue
			}
			lx.byFirst[first] = append(lx.byFirst[first], le)
		}
	}
	return lx
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
}

// lexHit is a list's hit: the tokens from start to end (exclusive).
type lexHit struct {
	list       int
	start, end int32
}

// match finds the lists' hits among a post's words, the longest entry at
// each word, left to right, without overlaps.
func (lx *lexicon) match(toks []token) []lexHit {
	if lx == nil {
		return nil
	}
	var hits []lexHit
	// The word tokens in order: a phrase runs over words, whatever lies
	// between them (a hashtag's words follow the hashtag).
	words := make([]int32, 0, len(toks))
	for i := range toks {
		if toks[i].kind == kindWord {
			words = append(words, int32(i))
		}
	}
	for j := 0; j < len(words); {
		t := &toks[words[j]]
		best, bestLen := lexEntry{}, 0
		for _, e := range lx.byFirst[t.low] {
			if n := len(e.words); n > bestLen && j+n <= len(words) && e.matches(toks, words[j:j+n]) {
				best, bestLen = e, n
			}
		}
		if bestLen == 0 && len(t.low) >= 4 {
			for _, e := range lx.prefixes[t.low[:4]] {
				if e.matches(toks, words[j:j+1]) {
					best, bestLen = e, 1
					break
				}
			}
		}
		if bestLen == 0 {
			j++
			continue
		}
		if best.list >= 0 {
			hits = append(hits, lexHit{list: best.list, start: words[j], end: words[j+bestLen-1] + 1})
		}
		j += bestLen
	}
	return hits
}

func (e *lexEntry) matches(toks []token, at []int32) bool {
	for k, w := range e.words {
		t := &toks[at[k]]
		got := t.low
		if e.exact {
			got = t.text
		}
		if e.prefix && k == len(e.words)-1 {
			if !strings.HasPrefix(got, w) {
				return false
			}
			continue
		}
		if got != w {
			return false
		}
	}
	return true
}

// hitText is what a hit reads as in the post: its words as written.
func hitText(toks []token, h lexHit) string {
	var ws []string
	for i := h.start; i < h.end; i++ {
		if toks[i].kind == kindWord {
			ws = append(ws, toks[i].text)
		}
	}
	return strings.Join(ws, " ")
}
