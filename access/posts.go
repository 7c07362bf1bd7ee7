package access

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/spreadsheet"
)

// csvColumns names, in order, the fields of archive.Fields in
// publicaciones.csv; each column is headed by the field's Spanish Header.
var csvColumns = []string{"network", "account", "post_id", "url", "author", "published_at", "edited", "versions", "text",
	"label", "confidence", "basis", "deleted_at_source", "content_sha256", "warc_file", "warc_record_id"}

// mask stands for a masked string wherever it shows outside the post's own
// text (whose masks are Redact's).
const mask = "[testado]"

// writeCSV writes publicaciones.csv: a header row, then one row per post
// delivered. It is UTF-8 without a byte order mark: Excel users open it
// through Datos > Desde el texto/CSV choosing the UTF-8 (65001) encoding.
// A cell that a spreadsheet would run as a formula starts with "'".
func (b *builder) writeCSV(w io.Writer) error {
	cols := make([]archive.Field, len(csvColumns))
	row := make([]string, len(csvColumns))
	for i, name := range csvColumns {
		f, ok := archive.FieldNamed(name)
		if !ok {
			return fmt.Errorf("publicaciones.csv: no field %q in archive.Fields", name)
		}
		cols[i], row[i] = f, f.Header
	}
	cw := spreadsheet.NewWriter(w)
	if err := cw.Write(row); err != nil {
		return err
	}
	for _, p := range b.posts {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		h := p.delivered()
		for i, f := range cols {
			row[i] = f.CellES(&h)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeJSONL writes publicaciones.jsonl: each post delivered in the JSON
// contract of archive.HitJSON, as delivered.
func (b *builder) writeJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range b.posts {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		h := p.delivered()
		if err := enc.Encode(archive.NewHitJSON(&h)); err != nil {
			return err
		}
	}
	return nil
}

// delivered is the post as the package delivers it: its redacted text, no
// content hash when redacted (see contentSHA256), and what was masked in
// the text masked too in the rationale, what it answers or reposts and the
// media's descriptions.
func (p *post) delivered() archive.Hit {
	h := *p.hit
	h.Text = p.text
	h.ContentSHA256 = p.contentSHA256()
	if len(p.masked) > 0 {
		h.Decision.Rationale = scrub(h.Decision.Rationale, p.masked)
		h.ReplyTo = scrub(h.ReplyTo, p.masked)
		h.RepostOf = scrub(h.RepostOf, p.masked)
		if h.Media != nil {
			media := make([]archive.Media, len(h.Media))
			for i, m := range h.Media {
				m.Alt = scrub(m.Alt, p.masked)
				media[i] = m
			}
			h.Media = media
		}
	}
	return h
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
