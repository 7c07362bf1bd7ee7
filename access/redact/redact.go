package redact

import (
	"slices"
	"strings"
)

// Kinds of personal data, as written in Mark.Kind.
const (
	KindEmail   = "correo"
	KindPhone   = "teléfono"
	KindMention = "mención"
)

// kinds says, for each kind of data, what replaces it in the output, the
// legal basis written on its marks, and how it claims text while scanning.
var kinds = map[string]struct {
	placeholder, basis string
	owner              owner
}{
	KindEmail:   {"[correo testado]", legalBasis + ": correo electrónico que puede identificar a una persona particular", maskedEmail},
	KindPhone:   {"[teléfono testado]", legalBasis + ": número telefónico que puede identificar a una persona particular", maskedPhone},
	KindMention: {"[mención testada]", legalBasis + ": cuenta de red social de una persona particular", maskedMention},
}

// legalBasis cites confidential information as numbered in the Ley General
// de Transparencia published on 20 March 2025 (article 115; article 116 of
// the 2015 law). The office's own texts (the policy file's respuesta
// section) replace it through Redactor.Bases.
const legalBasis = "Artículo 115 de la Ley General de Transparencia y Acceso a la Información Pública (DOF 20-03-2025), información confidencial"

// Mark is one piece of personal data masked in a text.
type Mark struct {
	Kind       string // KindEmail, KindPhone or KindMention
	Start, End int    // byte offsets of the masked data in the original text
	Basis      string // legal basis for masking it, in Spanish
}

// Redactor masks personal data in texts. It is safe for concurrent use as
// long as Public is not modified.
type Redactor struct {
	// Public holds the lower-cased handles, without the leading "@", of the
	// public accounts whose mentions are not masked: the body's directory
	// accounts and public figures and institutions. A fediverse handle
	// includes its instance ("usuario@mastodon.social") and matches only
	// with it.
	Public map[string]bool
	// Bases, when it names a kind, is the legal basis written on its
	// marks instead of the built-in one (the policy's respuesta.testado).
	Bases map[string]string
}

// New returns a Redactor that keeps mentions of the public handles, written
// with or without "@" and in any case.
func New(public []string) *Redactor {
	r := &Redactor{Public: make(map[string]bool, len(public))}
	for _, h := range public {
		if h = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@")); h != "" {
			r.Public[h] = true
		}
	}
	return r
}

// Redact returns text with every e-mail address, telephone number and
// mention of a non-public account replaced by its placeholder, and the marks
// that say what was replaced, sorted by Start.
func (r *Redactor) Redact(text string) (string, []Mark) {
	s := newScan(text)
	s.links()
	s.ats(r.Public)
	s.phones()
	if len(s.marks) == 0 {
		return text, nil
	}
	slices.SortFunc(s.marks, func(a, b Mark) int { return a.Start - b.Start })
	for i, m := range s.marks {
		if basis := r.Bases[m.Kind]; basis != "" {
			s.marks[i].Basis = basis
		}
	}
	var b strings.Builder
	last := 0
	for _, m := range s.marks {
		b.WriteString(text[last:m.Start])
		b.WriteString(kinds[m.Kind].placeholder)
		last = m.End
	}
	b.WriteString(text[last:])
	return b.String(), s.marks
}
