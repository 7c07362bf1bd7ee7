package main

import (
	"io"
	"unicode/utf8"
)

// terminalSafe returns a writer for text a person reads in a terminal
// that shows, instead of obeying, the control characters a crawled post
// can carry: an escape sequence in a post's text must not recolour,
// retitle, clear or rewrite an archivist's terminal, a carriage return
// must not hide what precedes it on the line, and a bidirectional override
// must not reorder what is shown (CVE-2021-42574). C0 controls become their
// Unicode control pictures (ESC is ␛), DEL is ␡, and C1 controls and the
// bidirectional embeddings, overrides and isolates become U+FFFD. Newlines
// and tabs pass. Machine formats (JSON lines, CSV, --raw) are written as
// they are.
func terminalSafe(w io.Writer) io.Writer { return safeWriter{w} }

type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	clean := true
	for _, b := range p {
		if b < 0x20 && b != '\n' && b != '\t' || b == 0x7f || b == 0xc2 || b == 0xe2 {
			clean = false
			break
		}
	}
	if clean {
		return s.w.Write(p)
	}
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && n <= 1 {
			// Not UTF-8, or a sequence a write cut in two: passed as is.
			out = append(out, p[i])
			i++
			continue
		}
		out = utf8.AppendRune(out, shown(r))
		i += n
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// shown is how terminalSafe shows r.
func shown(r rune) rune {
	switch {
	case r == '\n' || r == '\t':
		return r
	case r < 0x20:
		return 0x2400 + r
	case r == 0x7f:
		return '␡'
	case r >= 0x80 && r < 0xa0,
		r >= 0x202a && r <= 0x202e, // LRE, RLE, PDF, LRO, RLO
		r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return utf8.RuneError
	}
	return r
}
