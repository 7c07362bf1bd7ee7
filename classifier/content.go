package classifier

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// content decides on a post of a personal account by its text (policy
// Sexta): the model's probability that it relates to functions, labelled
// function or personal outside the undetermined band, with the features that
// weighed most as its rationale.
func (c *Classifier) content(text string, officialMentions int, account string) Decision {
	d, _ := c.contentProbability(text, officialMentions, account)
	return d
}

// contentProbability is content with the probability that the text relates
// to functions, NaN when it is too short to judge.
func (c *Classifier) contentProbability(text string, officialMentions int, account string) (Decision, float64) {
	m := c.model
	basis := c.policy.Rules.Personal.Basis
	rd := m.read(text, officialMentions, account)
	d := Decision{Basis: basis, DecidedBy: "model:" + m.Version, Label: Undetermined}
	if rd.words < m.MinWords {
		d.Rationale = fmt.Sprintf("Indeterminada: texto demasiado breve para juzgar por su contenido (%d %s con contenido; %s %d).",
			rd.words, plural(rd.words, "palabra", "palabras"), plural(m.MinWords, "se necesita", "se necesitan"), m.MinWords)
		return d, math.NaN()
	}
	p := m.probability(&rd)
	forF, forP := m.explain(&rd)
	switch {
	case p > m.BandHigh:
		d.Label, d.Confidence = Function, p
		d.Rationale = fmt.Sprintf("Relacionada con las funciones (probabilidad %.2f). %s", p, signals(forF, true))
		if s := against(forP, told(forF)); s != "" {
			d.Rationale += " En contra pesó: " + s + "."
		}
	case p < m.BandLow:
		d.Label, d.Confidence = Personal, 1-p
		d.Rationale = fmt.Sprintf("Contenido personal, sin relación con las funciones (probabilidad %.2f). %s", 1-p, signals(forP, false))
		if s := against(forF, told(forP)); s != "" {
			d.Rationale += " En contra pesó: " + s + "."
		}
	default:
		d.Rationale = fmt.Sprintf("Indeterminada: probabilidad de relación con las funciones %.2f, dentro de la franja de revisión (%.2f–%.2f).",
			p, m.BandLow, m.BandHigh)
		if s := against(forF, nil); s != "" {
			d.Rationale += " A favor de funciones: " + s + "."
		}
		if s := against(forP, told(forF)); s != "" {
			d.Rationale += " A favor de contenido personal: " + s + "."
		}
	}
	return d, p
}

// maxSignals is how many features a rationale names.
const maxSignals = 6

// signals tells in Spanish the features that pushed towards a label,
// grouped by kind, strongest first.
func signals(ev []evidence, function bool) string {
	if len(ev) == 0 {
		return "Sin señales destacadas: decide el conjunto del texto."
	}
	ev = readable(ev, maxSignals)
	var words, tags, mentions, links, emoji, numbers, lists []string
	official, account := false, false
	inList := map[string]bool{} // words a list names already
	for _, e := range ev {
		if e.kind == kindLexicon {
			lists = append(lists, e.list+": "+quoted(e.hits))
			for _, h := range e.hits {
				for _, w := range strings.Fields(strings.ToLower(h)) {
					inList[w] = true
				}
			}
		}
	}
	for _, e := range ev {
		switch e.kind {
		case kindWord, kindPair:
			if !inList[strings.ToLower(e.text)] {
				words = append(words, "«"+strings.ToLower(e.text)+"»")
			}
		case kindTag:
			tags = append(tags, e.text)
		case kindMention:
			mentions = append(mentions, e.text)
		case kindURL:
			links = append(links, domainSuffix(e.text))
		case kindEmoji:
			emoji = append(emoji, e.text)
		case kindNumber:
			numbers = append(numbers, e.text)
		case kindSignal:
			official = true
		case kindAccount:
			account = true
		}
	}
	var parts []string
	if account {
		parts = append(parts, accountEvidence)
	}
	parts = append(parts, lists...)
	if len(words) > 0 {
		what := "vocabulario personal: "
		if function {
			what = "vocabulario institucional: "
		}
		parts = append(parts, what+strings.Join(words, ", "))
	}
	if official {
		parts = append(parts, "menciona cuentas oficiales del directorio")
	}
	if len(tags) > 0 {
		parts = append(parts, "etiquetas "+strings.Join(tags, ", "))
	}
	if len(mentions) > 0 {
		parts = append(parts, "menciona "+strings.Join(mentions, ", "))
	}
	if len(links) > 0 {
		parts = append(parts, "enlaza a "+strings.Join(dedupe(links), ", "))
	}
	if len(numbers) > 0 {
		parts = append(parts, "cifras ("+strings.Join(numbers, ", ")+")")
	}
	if len(emoji) > 0 {
		parts = append(parts, "emojis "+strings.Join(emoji, " "))
	}
	return "Señales: " + strings.Join(parts, "; ") + "."
}

// readable keeps the first n pieces of evidence that add something: a word
// already told inside a pair of words (or a pair whose words are both told)
// is left out.
func readable(ev []evidence, n int) []evidence {
	told := map[string]bool{}
	var out []evidence
	for _, e := range ev {
		if len(out) == n {
			break
		}
		words := strings.Fields(strings.ToLower(e.text))
		if e.kind == kindLexicon {
			for _, w := range words {
				told[w] = true
			}
		}
		if e.kind == kindWord || e.kind == kindPair {
			all := true
			for _, w := range words {
				all = all && told[w]
			}
			if all {
				continue
			}
			for _, w := range words {
				told[w] = true
			}
		}
		out = append(out, e)
	}
	return out
}

// told returns the words signals names of ev, lower case: a word the
// rationale gives as evidence for a label is not named against it too (a
// word can weigh one way alone and the other in a list of the lexicon).
func told(ev []evidence) map[string]bool {
	words := map[string]bool{}
	for _, e := range readable(ev, maxSignals) {
		switch e.kind {
		case kindWord, kindPair:
			words[strings.ToLower(e.text)] = true
		case kindLexicon:
			for _, h := range e.hits {
				for _, w := range strings.Fields(strings.ToLower(h)) {
					words[w] = true
				}
			}
		}
	}
	return words
}

// allTold reports whether every word of text is told.
func allTold(text string, told map[string]bool) bool {
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if !told[w] {
			return false
		}
	}
	return true
}

// against names, briefly, the strongest features on the other side, but
// for the words already named (told).
func against(ev []evidence, told map[string]bool) string {
	var names []string
	var kept []evidence
	for _, e := range ev {
		if e.kind == kindNumber || e.kind == kindEmoji || ((e.kind == kindWord || e.kind == kindPair) && allTold(e.text, told)) {
			continue
		}
		if e.kind == kindLexicon {
			var hits []string
			for _, h := range e.hits {
				if !allTold(h, told) {
					hits = append(hits, h)
				}
			}
			if len(hits) == 0 {
				continue
			}
			e.hits = hits
		}
		kept = append(kept, e)
	}
	for _, e := range readable(kept, 3) {
		switch e.kind {
		case kindWord, kindPair:
			names = append(names, "«"+strings.ToLower(e.text)+"»")
		case kindURL:
			names = append(names, "enlace a "+domainSuffix(e.text))
		case kindLexicon:
			names = append(names, e.list+" ("+quoted(e.hits)+")")
		case kindSignal:
			names = append(names, "mención de cuentas oficiales")
		default:
			names = append(names, e.text)
		}
	}
	return strings.Join(names, ", ")
}

// quoted lists a list's hits in Spanish quotes, lower case but for
// acronyms and names (PP, La Libertad Avanza): «campaña», «vota», «PP».
func quoted(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		if !hasUpperAfterFirst(w) {
			w = strings.ToLower(w)
		}
		q[i] = "«" + w + "»"
	}
	return strings.Join(q, ", ")
}

// hasUpperAfterFirst reports whether a word or phrase has a capital past
// its first letter (an acronym, a name of several capitalised words), which
// a rationale keeps as written.
func hasUpperAfterFirst(s string) bool {
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
