package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Pieces of the telephone patterns.
const (
	space  = `[ \x{00A0}\x{202F}]`                                 // space, no-break space, narrow no-break space
	sep    = `(?:` + space + `?[-.–]` + space + `?|` + space + `)` // between groups of digits
	prefix = `(?:(?:\+` + space + `?52|00` + space + `?52|\(` + space + `?\+?52` + space + `?\)|52)` + sep + `?(?:1` + sep + `?)?` +
		`|0(?:1|44|45)` + sep + `?)` // +52 [1], 52, 01, 044, 045
)

var (
	// phoneNumber matches the ten-digit forms that are telephone numbers
	// wherever they appear.
	phoneNumber = longest(`^` + prefix + `?(?:` + strings.Join([]string{
		`[2-9]\d{9}`,
		`[2-9]\d` + sep + `\d{8}`,
		`[2-9]\d{2}` + sep + `\d{7}`,
		`[2-9]\d` + sep + `\d{4}` + sep + `\d{4}`,
		`[2-9]\d{2}` + sep + `\d{3}` + sep + `\d{4}`,
		`[2-9]\d` + sep + `\d{4}` + sep + `\d{2}` + sep + `\d{2}`,
		`[2-9]\d{2}` + sep + `\d{3}` + sep + `\d{2}` + sep + `\d{2}`,
		`\(` + space + `?[2-9]\d` + space + `?\)` + sep + `?(?:\d{4}` + sep + `?\d{4}|\d{2}(?:` + sep + `\d{2}){3})`,
		`\(` + space + `?[2-9]\d{2}` + space + `?\)` + sep + `?(?:\d{3}` + sep + `?\d{4}|\d{3}(?:` + sep + `\d{2}){2})`,
	}, "|") + `)`)

	// phoneAfterWord matches forms that other numbers take too, and that are
	// telephone numbers only after a word such as "tel.": ten digits in
	// pairs, and eight-digit local numbers.
	phoneAfterWord = longest(`^(?:` + prefix + `?[2-9]\d(?:` + sep + `\d{2}){4}` +
		`|\d{4}` + sep + `?\d{4}` +
		`|\d{2}(?:` + sep + `\d{2}){3})`)
)

// phoneWindow bounds how far a telephone number can reach from its start.
const phoneWindow = 128

func longest(expr string) *regexp.Regexp {
	re := regexp.MustCompile(expr)
	re.Longest()
	return re
}

// Words that decide what a number is when they come shortly before it, and
// words after it that make it an amount. All are folded (see fold).
var (
	phoneWords = set("tel", "tels", "telefono", "telefonos", "telf", "tfno", "cel", "cels", "celular", "celulares",
		"movil", "whatsapp", "whats", "wa", "wsp", "wpp", "llama", "llamanos", "llamar", "llame", "marca", "marcar",
		"marcanos", "fax", "lada")
	notPhoneWords = set("folio", "folios", "expediente", "exp", "oficio", "solicitud", "cuenta", "clabe", "tarjeta",
		"referencia", "ref", "contrato", "factura", "pedido", "guia", "rastreo", "id", "registro", "curp", "rfc", "nss",
		"clave", "acta", "licencia", "placa", "placas", "permiso", "predial", "carpeta", "averiguacion", "amparo",
		"recurso", "juicio", "licitacion", "convocatoria", "serie", "inventario", "isbn", "issn", "mxn", "usd")
	connectors = set("y", "e", "o", "u")
	moneyWords = set("pesos", "mxn", "mdp", "mdd", "usd", "dolares", "euros", "millones", "mil", "centavos")
)

const (
	// phoneSymbols say "telephone" as well as a word.
	phoneSymbols = "☎✆📞📱📲"
	// contextPunct is skipped between a number and the words before it.
	contextPunct = ".,:;#()/-–—|*°\uFE0F"
	// numberPunct joins numbers into a longer one when between digits.
	numberPunct = ".,-:–"
	// contextWords is how many words before a number are read.
	contextWords = 4
)

// phones masks telephone numbers in the text not yet claimed.
func (s *scan) phones() {
	for i := 0; i < len(s.text); {
		c := s.text[i]
		if s.owner[i] == free && (isDigit(rune(c)) || c == '+' || c == '(') && s.startsNumber(i) {
			if end, ok := s.phone(i); ok {
				s.mask(i, end, KindPhone)
				i = end
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(s.text[i:])
		i += n
	}
}

// phone returns the end of the telephone number starting at start, if any.
func (s *scan) phone(start int) (end int, ok bool) {
	window := s.text[start:min(len(s.text), start+phoneWindow)]
	if m := phoneNumber.FindStringIndex(window); m != nil {
		if end := start + m[1]; s.isolated(start, end) && s.context(start) != saysIdentifier {
			return end, true
		}
	}
	if m := phoneAfterWord.FindStringIndex(window); m != nil {
		if end := start + m[1]; s.isolated(start, end) && s.context(start) == saysPhone {
			return end, true
		}
	}
	return 0, false
}

// startsNumber reports whether a number can start at i: not in the middle of
// a word or of a longer number. Masked text before i reads as the closing
// bracket of its placeholder.
func (s *scan) startsNumber(i int) bool {
	r, size, o := s.runeBefore(i)
	if size == 0 || o.masked() {
		return true
	}
	if isWord(r) || r == '_' || r == '+' {
		return false
	}
	return !strings.ContainsRune(numberPunct, r) || !s.digitBefore(i-size)
}

// isolated reports whether [start, end) is unclaimed, does not continue into
// a longer number or a word, and is not an amount of money.
func (s *scan) isolated(start, end int) bool {
	if !s.unclaimed(start, end) {
		return false
	}
	if r, n := utf8.DecodeRuneInString(s.text[end:]); n > 0 {
		if isWord(r) || r == '_' || r == '@' || r == '%' {
			return false
		}
		if next, _ := utf8.DecodeRuneInString(s.text[end+n:]); strings.ContainsRune(numberPunct, r) && isDigit(next) {
			return false
		}
	}
	return !s.dollarBefore(start) && !s.moneyAfter(end)
}

// digitBefore reports whether an unmasked ASCII digit ends at i.
func (s *scan) digitBefore(i int) bool {
	r, size, o := s.runeBefore(i)
	return size > 0 && !o.masked() && isDigit(r)
}

// dollarBefore reports whether "$" comes before start, spaces aside.
func (s *scan) dollarBefore(start int) bool {
	for i := start; ; {
		r, size, o := s.runeBefore(i)
		if size == 0 || o != free {
			return false
		}
		if !unicode.IsSpace(r) {
			return r == '$'
		}
		i -= size
	}
}

// moneyAfter reports whether a percent sign or a word of money such as
// "pesos" follows end, spaces aside.
func (s *scan) moneyAfter(end int) bool {
	i := end
	for i < len(s.text) && s.owner[i] == free {
		r, n := utf8.DecodeRuneInString(s.text[i:])
		if r == '%' {
			return true
		}
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	j := i
	for j < len(s.text) && s.owner[j] == free {
		r, n := utf8.DecodeRuneInString(s.text[j:])
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			break
		}
		j += n
	}
	return moneyWords[fold(s.text[i:j])]
}

// numberContext is what the words before a number say about it.
type numberContext int

const (
	saysNothing    numberContext = iota
	saysPhone                    // a word or symbol for telephone, or a telephone number joined by "y", "o"
	saysIdentifier               // a word such as "folio": the number identifies a document or an account
)

// context reads up to contextWords words before start, through spaces and
// punctuation, and returns what the nearest meaningful one says. It stops at
// claimed text: a masked telephone number (or its placeholder, on a second
// pass) separated from start only by connectors such as "y" means a list of
// telephone numbers.
func (s *scan) context(start int) numberContext {
	i := start
	onlyConnectors := true
	for words := 0; words < contextWords; words++ {
		for {
			r, size, o := s.runeBefore(i)
			if size == 0 || o != free || !(unicode.IsSpace(r) || strings.ContainsRune(contextPunct, r)) {
				break
			}
			i -= size
		}
		r, size, o := s.runeBefore(i)
		switch {
		case size == 0:
			return saysNothing
		case o == maskedPhone || o == free && r == ']' && strings.HasSuffix(s.text[:i], kinds[KindPhone].placeholder):
			if onlyConnectors {
				return saysPhone
			}
			return saysNothing
		case o != free:
			return saysNothing
		case strings.ContainsRune(phoneSymbols, r):
			return saysPhone
		}
		j := i
		for {
			r, size, o := s.runeBefore(j)
			if size == 0 || o != free || !(unicode.IsLetter(r) || unicode.IsMark(r)) {
				break
			}
			j -= size
		}
		if j == i {
			return saysNothing
		}
		switch w := fold(s.text[j:i]); {
		case phoneWords[w]:
			return saysPhone
		case notPhoneWords[w]:
			return saysIdentifier
		case !connectors[w]:
			onlyConnectors = false
		}
		i = j
	}
	return saysNothing
}

// fold lower-cases s and removes its accents: "Teléfono" → "telefono".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// isDigit reports whether r is an ASCII digit, the only ones a telephone
// number is written with.
func isDigit(r rune) bool { return '0' <= r && r <= '9' }
