package access

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/spreadsheet"
)

// csvHeader names the columns of publicaciones.csv.
var csvHeader = []string{"red", "cuenta", "id", "url", "autor", "publicado", "editado", "versiones", "texto",
	"etiqueta", "confianza", "fundamento", "eliminado_en_origen", "sha256", "warc_archivo", "warc_registro"}

// labelFunction is archive.Function, the label of every post delivered, as
// the spreadsheet shows it.
const labelFunction = "funciones"

// mask stands for a masked string wherever it shows outside the post's own
// text (whose masks are Redact's).
const mask = "[testado]"

// writeCSV writes publicaciones.csv: a header row, then one row per post
// delivered. It is UTF-8 without a byte order mark: Excel users open it
// through Datos > Desde el texto/CSV choosing the UTF-8 (65001) encoding.
// A cell that a spreadsheet would run as a formula starts with "'".
func (b *builder) writeCSV(w io.Writer) error {
	cw := spreadsheet.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, p := range b.posts {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		h := p.hit
		edited := "no"
		if h.Edited || h.Versions > 1 {
			edited = "sí"
		}
		if err := cw.Write([]string{string(h.Network), h.AccountID, h.PostID, h.URL, h.Author,
			utc(h.PublishedAt), edited, strconv.Itoa(h.Versions), p.text,
			labelFunction, strconv.FormatFloat(h.Decision.Confidence, 'f', -1, 64), h.Decision.Basis,
			utc(h.DeletedAtSource), p.contentSHA256(), h.WARC.File, h.WARC.RecordID}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeJSONL writes publicaciones.jsonl: each post delivered in the JSON
// contract of archive.HitJSON, with its redacted text.
func (b *builder) writeJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range b.posts {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		j := archive.NewHitJSON(p.hit)
		j.Text = p.text
		j.ContentSHA256 = p.contentSHA256()
		if len(p.masked) > 0 {
			j.Rationale = scrub(j.Rationale, p.masked)
			j.ReplyTo = scrub(j.ReplyTo, p.masked)
			j.RepostOf = scrub(j.RepostOf, p.masked)
			media := make([]archive.Media, len(j.Media))
			for i, m := range j.Media {
				m.Alt = scrub(m.Alt, p.masked)
				media[i] = m
			}
			j.Media = media
		}
		if err := enc.Encode(j); err != nil {
			return err
		}
	}
	return nil
}

// contentSHA256 is the hash of the post's content, or "" when the post was
// redacted: the hash of the original text would let anyone confirm a guess
// of what was masked (a telephone number is a few million guesses).
func (p *post) contentSHA256() string {
	if len(p.masked) > 0 {
		return ""
	}
	return p.hit.ContentSHA256
}

// scrub masks in s every one of the masked strings.
func scrub(s string, masked []string) string {
	for _, m := range masked {
		s = strings.ReplaceAll(s, m, mask)
	}
	return s
}

// utc is t in RFC 3339, UTC, or "" for the zero time.
func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
