package classifier

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/spanish"
)

// The content model reads a post as a bag of hashed features. Each feature
// is a kind (one byte) and a string: a stemmed word, a pair of adjacent
// words, a character n-gram, a hashtag, a mention, a link's domain, an emoji,
// or a signal such as "has a number". Hashing keeps the model a fixed-size
// array and extraction cheap; the kinds a person can read keep the positions
// of their tokens, so that a rationale can name them.

// Feature kinds.
const (
	kindWord    byte = 'w' // stem of a content word
	kindPair    byte = 'b' // stems of two adjacent content words
	kindChar    byte = 'c' // character 4-gram of a word, with boundaries
	kindTag     byte = 'h' // hashtag
	kindMention byte = 'm' // @mention (and "" alone: the post mentions someone)
	kindURL     byte = 'u' // a link's domain suffix (and "" alone)
	kindEmoji   byte = 'e' // one emoji (and "" alone)
	kindNumber  byte = 'n' // a number (a figure, a date, an hour)
	kindSignal  byte = 's' // length, mentions of official accounts
	kindLexicon byte = 'l' // hits of a list of the lexicon (lexicon.go)
	kindAccount byte = 'a' // the account the post is on, alone and with each lexicon list hit (accountFeatures)
)

// token is a unit of a post's text.
type token struct {
	text string // as written, for rationales
	norm string // lower case, accents folded (words: their stem)
	low  string // words: lower case, accents folded
	kind byte   // kindWord, kindTag, kindMention, kindURL, kindEmoji or kindNumber
	stop bool   // a Spanish stop word
}

// feature is one hashed feature of a post; tokens a and b (-1 when unused)
// say which tokens it came from, for rationales. A signal's b says which
// signal it is.
type feature struct {
	hash uint32
	kind byte
	a, b int32
}

// Signals.
const (
	signalLength   = 0
	signalOfficial = 1 // mentions an official account of the directory
)

// tokenize splits a post into tokens: URLs, @mentions, #hashtags (whose
// CamelCase words also count as words), words, numbers and emoji.
func (s *stemmer) tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5+4)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case (r == 'h' && (strings.HasPrefix(text[i:], "http://") || strings.HasPrefix(text[i:], "https://"))) ||
			(r == 'w' && strings.HasPrefix(text[i:], "www.")):
			end := i + strings.IndexFunc(text[i:]+" ", unicode.IsSpace)
			toks = append(toks, token{text: text[i:end], norm: domainSuffix(text[i:end]), kind: kindURL})
			i = end
		case r == '@' || r == '#':
			end := i + 1 + wordLen(text[i+1:], true)
			if end == i+1 {
				i += size
				continue
			}
			kind := kindMention
			if r == '#' {
				kind = kindTag
			}
			toks = append(toks, token{text: text[i:end], norm: fold(strings.ToLower(text[i+1 : end])), kind: kind})
			if r == '#' {
				for _, w := range camelWords(text[i+1 : end]) {
					toks = append(toks, s.word(w))
				}
			}
			i = end
		case unicode.IsLetter(r):
			end := i + wordLen(text[i:], false)
			toks = append(toks, s.word(text[i:end]))
			i = end
		case unicode.IsDigit(r):
			end := i
			for end < len(text) && (text[end] >= '0' && text[end] <= '9' || text[end] == '.' || text[end] == ',' || text[end] == ':' || text[end] == '%') {
				end++
			}
			end = max(end, i+size)
			toks = append(toks, token{text: strings.TrimRight(text[i:end], ".,:"), kind: kindNumber})
			i = end
		case isEmoji(r):
			toks = append(toks, token{text: text[i : i+size], norm: text[i : i+size], kind: kindEmoji})
			i += size
		default:
			i += size
		}
	}
	return toks
}

// word makes the token of a word: its stem, accents folded.
func (s *stemmer) word(w string) token {
	lower := strings.ToLower(w)
	return token{text: w, norm: s.stem(lower), low: fold(lower), kind: kindWord, stop: spanish.IsStopWord(lower)}
}

// wordLen returns the length in bytes of the word at the start of s: letters,
// digits and combining marks, and for handles also '_' and inner dots.
func wordLen(s string, handle bool) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if handle && !ok {
			ok = r == '_' || (r == '.' && n+1 < len(s) && isWordByte(s[n+1]))
		}
		if !ok {
			break
		}
		n += size
	}
	return n
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// camelWords splits a hashtag into its words: TemporadaDeLluvias →
// Temporada, De, Lluvias; lower-case tags stay whole.
func camelWords(tag string) []string {
	var words []string
	start := 0
	prevLower := false
	for i, r := range tag {
		if unicode.IsUpper(r) && prevLower {
			words = append(words, tag[start:i])
			start = i
		}
		prevLower = unicode.IsLower(r)
		if r == '_' || unicode.IsDigit(r) {
			if i > start {
				words = append(words, tag[start:i])
			}
			start = i + 1
			prevLower = false
		}
	}
	if start < len(tag) {
		words = append(words, tag[start:])
	}
	if len(words) < 2 {
		return nil // a single word is the hashtag feature already
	}
	return words
}

// domainSuffix returns the last two labels of a URL's host ("gob.mx",
// "youtube.com"), or three for a country's second-level domains
// ("guadalajara.gob.mx" stays "gob.mx": what matters is the kind of site).
func domainSuffix(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "www.")
	if i := strings.IndexAny(u, "/?#:"); i >= 0 {
		u = u[:i]
	}
	u = strings.ToLower(strings.TrimRight(u, "."))
	labels := strings.Split(u, ".")
	if len(labels) <= 2 {
		return u
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

func isEmoji(r rune) bool {
	return r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF || r == 0x2B50 || r == 0x2764
}

// fold removes Spanish accents and diaeresis (ñ stays): "Línea" → "linea".
func fold(s string) string {
	if !strings.ContainsAny(s, "áéíóúüÁÉÍÓÚÜ") {
		return s
	}
	return accentFolder.Replace(s)
}

var accentFolder = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u",
	"Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Ü", "u")

// stemmer stems Spanish words with the Snowball algorithm, remembering what
// it stemmed: the vocabulary of posts repeats, and stemming is the costly
// part of reading a post. The memory is bounded.
type stemmer struct {
	mu    sync.RWMutex
	cache map[string]string
}

const stemCacheMax = 200_000

func newStemmer() *stemmer { return &stemmer{cache: make(map[string]string, 4096)} }

func (s *stemmer) stem(lower string) string {
	s.mu.RLock()
	st, ok := s.cache[lower]
	s.mu.RUnlock()
	if ok {
		return st
	}
	st = fold(spanish.Stem(lower, true))
	s.mu.Lock()
	if len(s.cache) < stemCacheMax {
		s.cache[strings.Clone(lower)] = st
	}
	s.mu.Unlock()
	return st
}

// features turns tokens into hashed features. officialMentions counts the
// post's mentions of official accounts of the directory; hits are the
// lexicon's (a feature per list hit, by how many hits: 1, 2, 3 or more; its
// b is the list).
func features(toks []token, officialMentions int, hits []lexHit, buckets uint32, kinds featureSet, out []feature) []feature {
	add := func(kind byte, a, b int32, parts ...string) {
		out = append(out, feature{hash: hashOf(kind, parts...) % buckets, kind: kind, a: a, b: b})
	}
	var seen [256]bool
	prev := int32(-1) // the previous content word, for pairs
	words := 0
	for i, t := range toks {
		i := int32(i)
		switch t.kind {
		case kindWord:
			if t.stop || len(t.norm) < 2 {
				continue
			}
			words++
			add(kindWord, i, -1, t.norm)
			if prev >= 0 && kinds.pairs {
				add(kindPair, prev, i, toks[prev].norm, t.norm)
			}
			prev = i
			if len(kinds.charNs) == 0 {
				continue
			}
			w := "<" + fold(strings.ToLower(t.text)) + ">"
			for _, n := range kinds.charNs {
				for j := 0; j+n <= len(w); j++ {
					if utf8.RuneStart(w[j]) {
						add(kindChar, -1, -1, w[j:j+n])
					}
				}
			}
			continue
		case kindNumber:
			if !seen[kindNumber] {
				add(kindNumber, i, -1)
			}
		case kindTag, kindMention, kindURL, kindEmoji:
			if !seen[t.kind] {
				add(t.kind, -1, -1) // the post has one
			}
			add(t.kind, i, -1, t.norm)
		}
		seen[t.kind] = true
		prev = -1
	}
	switch {
	case words <= 4:
		add(kindSignal, -1, signalLength, "len:short")
	case words <= 20:
		add(kindSignal, -1, signalLength, "len:medium")
	default:
		add(kindSignal, -1, signalLength, "len:long")
	}
	if officialMentions > 0 {
		add(kindSignal, -1, signalOfficial, "official-mention")
	}
	for i, h := range hits {
		same := func(o lexHit) bool { return o.list == h.list }
		if slices.ContainsFunc(hits[:i], same) {
			continue
		}
		n := 0
		for _, o := range hits[i:] {
			if same(o) {
				n++
			}
		}
		add(kindLexicon, -1, int32(h.list), strconv.Itoa(h.list), lexBuckets[min(n, len(lexBuckets))-1])
	}
	return out
}

var lexBuckets = []string{"1", "2", "3+"}

// accountFeatures are the features of the account a post is on, read by a
// model trained on an office's reviews (Header.AccountFeatures): the
// account alone (how its posts lean, as the office decided them) and the
// account with each lexicon list the post hits and its length (how that
// servant writes of government, of campaigns, of family), weighed like
// the text's features.
func accountFeatures(account string, hits []lexHit, words int, buckets uint32, out []feature) []feature {
	add := func(b int32, parts ...string) {
		out = append(out, feature{hash: hashOf(kindAccount, append([]string{account}, parts...)...) % buckets, kind: kindAccount, a: -1, b: b})
	}
	add(-1)
	for i, h := range hits {
		if slices.ContainsFunc(hits[:i], func(o lexHit) bool { return o.list == h.list }) {
			continue
		}
		add(int32(h.list), "l", strconv.Itoa(h.list))
	}
	switch {
	case words <= 4:
		add(-2, "len:short")
	case words <= 20:
		add(-2, "len:medium")
	default:
		add(-2, "len:long")
	}
	return out
}

// hashOf is FNV-1a over the kind and the parts, separated.
func hashOf(kind byte, parts ...string) uint32 {
	h := uint32(2166136261)
	h = (h ^ uint32(kind)) * 16777619
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h = (h ^ uint32(p[i])) * 16777619
		}
		h = (h ^ 0xff) * 16777619
	}
	return h
}

// contentWords counts the words that carry meaning: not stop words, not
// links, mentions or numbers. Fewer than the model's minimum is too short to
// judge.
func contentWords(toks []token) int {
	n := 0
	for _, t := range toks {
		if (t.kind == kindWord && !t.stop && len(t.norm) >= 2) || t.kind == kindTag {
			n++
		}
	}
	return n
}
