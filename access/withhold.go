package access

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/internal/htmltext"
)

// minNeedle is the length, in characters, of the shortest line of a post
// left out that is looked for in the evidence: shorter lines ("¡Gracias!")
// would withhold pages for words any post may say. A post with no line this
// long is looked for whole.
const minNeedle = 12

// needles returns what to look for in the evidence so as not to deliver the
// text of a post left out: each of its lines, with spaces collapsed.
func needles(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = collapse(line); utf8.RuneCountInString(line) >= minNeedle {
			out = append(out, line)
		}
	}
	if whole := collapse(text); len(out) == 0 && whole != "" {
		out = append(out, whole)
	}
	return out
}

// secret is a string no file of a package may hold, spaces collapsed, and
// what it is, in Spanish.
type secret struct {
	text, what string
}

// Kinds of secret.
const (
	secretLeftOut = "el texto de una publicación no entregada"
	secretMasked  = "datos testados en la versión pública"
)

// withhold tells, in Spanish, why records must not be delivered: one of
// them holds a secret, or cannot be read well enough to tell. It returns ""
// when they may be delivered.
func withhold(recs []*record, secrets []secret) string {
	if len(secrets) == 0 {
		return ""
	}
	for _, r := range recs {
		texts, err := readable(r)
		if err != nil {
			return "no se pudo revisar su contenido (" + err.Error() + ")"
		}
		for _, t := range texts {
			for _, s := range secrets {
				if strings.Contains(t, s.text) {
					return "contiene " + s.what
				}
			}
		}
	}
	return ""
}

// readable returns the ways the text of a record may read, spaces collapsed:
// as it is, and, for an HTTP response, its body decoded and read as HTML and
// as JSON strings (which may hold HTML).
func readable(r *record) ([]string, error) {
	texts := []string{collapse(string(r.block))}
	body := r.block
	if head, b, ok := cutHead(r.block); ok && r.typ == "response" {
		var err error
		if body, err = decode(b, header(head, "Content-Encoding")); err != nil {
			return nil, err
		}
	}
	s := string(body)
	texts = append(texts, collapse(s), collapse(htmltext.Plain(s)), collapse(htmltext.Plain(htmltext.Plain(s))))
	var v any
	if json.Unmarshal(body, &v) == nil {
		var b strings.Builder
		strs(v, func(s string) {
			b.WriteString(htmltext.Plain(s))
			b.WriteByte('\n')
		})
		texts = append(texts, collapse(b.String()))
	}
	return texts, nil
}

// cutHead splits an HTTP message into head and body.
func cutHead(msg []byte) (head, body []byte, ok bool) {
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if head, body, ok = bytes.Cut(msg, []byte(sep)); ok {
			return head, body, true
		}
	}
	return nil, msg, false
}

// header returns the value of the named field in an HTTP head.
func header(head []byte, name string) string {
	for _, l := range strings.Split(string(head), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// decode undoes a Content-Encoding. A body cut short (WARC-Truncated)
// decodes as far as it goes.
func decode(body []byte, encoding string) ([]byte, error) {
	var r io.Reader
	switch strings.ToLower(encoding) {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		r = zr
	case "deflate":
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			zr = flate.NewReader(bytes.NewReader(body)) // servers send raw deflate too
		}
		r = zr
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(io.LimitReader(r, maxRecord+1))
	switch {
	case len(out) > maxRecord:
		return nil, fmt.Errorf("more than %d bytes decoded", maxRecord)
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("%s: %w", encoding, err)
	}
	return out, nil
}

// strs calls fn with every string in a decoded JSON value.
func strs(v any, fn func(string)) {
	switch v := v.(type) {
	case string:
		fn(v)
	case []any:
		for _, e := range v {
			strs(e, fn)
		}
	case map[string]any:
		for _, e := range v {
			strs(e, fn)
		}
	}
}

// collapse trims s and turns each run of white space in it into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
