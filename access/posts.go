package access

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/spanish"
	"github.com/vigia-mx/vigia/internal/spreadsheet"
)

// csvColumns names, in order, the fields of archive.Fields in
// publicaciones.csv; each column is headed by the field's Spanish Header.
// versionColumns follow them.
var csvColumns = []string{"network", "account", "post_id", "url", "author", "published_at", "edited", "versions", "text",
	"label", "confidence", "basis", "deleted_at_source", "content_sha256", "warc_file", "warc_record_id"}

// versionColumns head the columns of publicaciones.csv that tell which
// version a row is, who decided it, when it was seen and what it shares.
var versionColumns = []string{"version", "decidio", "vista_por_primera_vez", "vista_por_ultima_vez",
	"compartida_de", "texto_compartido", "persona_servidora_publica", "cargo", "area"}

// bom is the byte order mark publicaciones.csv opens with: Excel reads a
// CSV file without it in the Windows code page, and breaks every accent.
const bom = "\uFEFF"

// csvDate is how publicaciones.csv writes a time: day first, as Mexico
// writes dates and Excel in Spanish (Mexico) reads them, to the second
// (two versions may be seen within a minute), in the report's time zone
// (the JSON lines keep RFC 3339 in UTC).
const csvDate = "02/01/2006 15:04:05"

// mask stands for a masked string wherever it shows outside the post's own
// text (whose masks are Redact's).
const mask = "[testado]"

// writeCSV writes publicaciones.csv: a header row, then one row per version
// delivered, oldest first within each post (a post edited once that the
// package delivers whole has two rows with the same red, cuenta and id, and
// version 1 and 2). It is written for people, for Excel in Spanish
// (Mexico) opened with a double click: UTF-8 with a byte order mark (so
// that accents read right), cells separated by commas (the list separator
// of Windows' Spanish (Mexico) regional settings, where the decimal
// separator is the point; Spanish (Spain) uses ";" and would need Datos >
// Desde el texto/CSV), dates as dd/mm/aaaa hh:mm:ss in Mexico City time, the
// confidence with two decimals, cut rather than rounded up (0.995 is
// 0.99: a model never reads as certain as a person). publicaciones.jsonl
// keeps every value exact. A cell that a spreadsheet would run as a
// formula starts with "'".
func (b *builder) writeCSV(w io.Writer) error {
	cols := make([]archive.Field, len(csvColumns))
	row := make([]string, len(csvColumns)+len(versionColumns))
	for i, name := range csvColumns {
		f, ok := archive.FieldNamed(name)
		if !ok {
			return fmt.Errorf("publicaciones.csv: no field %q in archive.Fields", name)
		}
		cols[i], row[i] = f, f.Header
	}
	copy(row[len(cols):], versionColumns)
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := spreadsheet.NewWriter(w)
	if err := cw.Write(row); err != nil {
		return err
	}
	for _, p := range b.posts {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		for i := range p.versions {
			v := &p.versions[i]
			h := p.deliveredAs(v)
			for i, f := range cols {
				row[i] = b.cell(f, &h)
			}
			from, shared := sharedCells(v)
			a := b.opt.Accounts[h.AccountID]
			copy(row[len(cols):], []string{strconv.Itoa(v.Version), deciderES(v.decision.DecidedBy),
				b.csvTime(v.CapturedAt), b.csvTime(v.lastSeen), from, shared, a.ServantName, a.ServantPosition, cmp.Or(a.Area, h.Area)})
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell is field f of h as publicaciones.csv writes it for people: times
// and confidences as writeCSV says, everything else as a Spanish document
// writes it (archive.Field.CellES).
func (b *builder) cell(f archive.Field, h *archive.Hit) string {
	switch f.Name {
	case "published_at":
		return b.csvTime(h.PublishedAt)
	case "deleted_at_source":
		return b.csvTime(h.DeletedAtSource)
	case "confidence":
		return confidenceCell(h.Decision.Confidence)
	}
	return f.CellES(h)
}

// csvTime is t as publicaciones.csv writes it, "" for the zero time.
func (b *builder) csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(b.loc).Format(csvDate)
}

// confidenceCell writes a confidence with two decimals, cut: 0.995 is
// "0.99", and only a confidence of 1 (a rule's, a person's) is "1.00".
func confidenceCell(c float64) string {
	return strconv.FormatFloat(math.Floor(c*100+1e-9)/100, 'f', 2, 64)
}

// sharedCells are the cells of the post a version shares: who and where
// from, and its text (redacted); empty when it shares none.
func sharedCells(v *version) (from, text string) {
	s := v.Shared
	if s == nil {
		return "", ""
	}
	var parts []string
	for _, p := range []string{sharedKindES(s.Kind), scrub(s.Author, v.masked), scrub(s.AuthorName, v.masked), s.URL} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · "), v.shared
}

// sharedKindES says in Spanish how a post shares another.
func sharedKindES(k archive.SharedKind) string {
	switch k {
	case archive.Repost:
		return "republicación de"
	case archive.Quote:
		return "cita a"
	case archive.Forward:
		return "reenviada de"
	}
	return string(k)
}

// utc writes t as the package's files write times: RFC 3339 in UTC, ""
// for the zero time.
func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// decider is who decided, as the package tells the public: "person" for a
// person, never which one (a user name is half of a login), else the rule
// or model as recorded.
func decider(by string) string {
	if archive.IsPerson(by) {
		return "person"
	}
	return by
}

// deciderES is decider in Spanish, for the CSV and the report: the
// words of the web application (spanish.Decider), "una persona" for any
// person.
func deciderES(by string) string { return spanish.Decider(decider(by)) }

// postJSON is a line of publicaciones.jsonl: the post as its latest
// delivered version says it (archive.HitJSON), then every version
// delivered and how many were withheld.
type postJSON struct {
	archive.HitJSON
	DeliveredVersions []versionJSON `json:"delivered_versions"`
	WithheldVersions  int           `json:"withheld_versions"`
}

// versionJSON is a version delivered in publicaciones.jsonl.
type versionJSON struct {
	Version       int             `json:"version"`
	Text          string          `json:"text"`
	Shared        *archive.Shared `json:"shared"`
	EditedAt      *string         `json:"edited_at"`
	FirstSeen     string          `json:"first_seen"`
	LastSeen      *string         `json:"last_seen"`
	ContentSHA256 string          `json:"content_sha256"`
	Label         string          `json:"label"`
	Confidence    float64         `json:"confidence"`
	Basis         string          `json:"basis"`
	Rationale     string          `json:"rationale"`
	DecidedBy     string          `json:"decided_by"`
	WARCFile      string          `json:"warc_file"`
	WARCRecordID  string          `json:"warc_record_id"`
}

// writeJSONL writes publicaciones.jsonl: each post delivered in the JSON
// contract of archive.HitJSON, as its latest delivered version says it,
// with its delivered versions nested, oldest first.
func (b *builder) writeJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range b.posts {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		h := p.deliveredAs(p.latest())
		line := postJSON{HitJSON: archive.NewHitJSON(&h), WithheldVersions: len(p.withheld)}
		for i := range p.versions {
			v := p.deliveredAs(&p.versions[i])
			line.DeliveredVersions = append(line.DeliveredVersions, versionJSON{
				Version: v.Version, Text: v.Text, Shared: v.Shared, EditedAt: optTime(v.EditedAt),
				FirstSeen: utc(v.CapturedAt), LastSeen: optTime(p.versions[i].lastSeen), ContentSHA256: v.ContentSHA256,
				Label: string(v.Decision.Label), Confidence: v.Decision.Confidence, Basis: v.Decision.Basis,
				Rationale: v.Decision.Rationale, DecidedBy: v.Decision.DecidedBy, WARCFile: v.WARC.File, WARCRecordID: v.WARC.RecordID,
			})
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

// optTime is t in RFC 3339 UTC, or nil (null) for the zero time.
func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := utc(t)
	return &s
}

// deliveredAs is the post as the package delivers its version v: the post
// as found (its count of versions, its deletion at the source), with the
// version's content and decision, its text redacted, no content hash when
// redacted (see contentSHA256), who decided as the public may read it, and
// what was masked in the text masked too in the rationale, what it answers
// or reposts, the post it shares and the media's descriptions.
func (p *post) deliveredAs(v *version) archive.Hit {
	h := *p.hit
	h.Post = v.Post
	h.Raw, h.RawType = nil, ""
	h.Text = v.text
	h.Decision = v.decision
	h.Decision.DecidedBy = decider(h.Decision.DecidedBy)
	h.ContentSHA256 = v.contentSHA256()
	if h.Shared != nil {
		sh := *h.Shared
		sh.Text = v.shared
		h.Shared = &sh
	}
	if len(v.masked) > 0 {
		h.Decision.ContentSHA256 = ""
		h.Decision.Rationale = scrub(h.Decision.Rationale, v.masked)
		h.ReplyTo = scrub(h.ReplyTo, v.masked)
		h.RepostOf = scrub(h.RepostOf, v.masked)
		h.Media = scrubMedia(h.Media, v.masked)
		if h.Shared != nil {
			h.Shared.Author = scrub(h.Shared.Author, v.masked)
			h.Shared.AuthorName = scrub(h.Shared.AuthorName, v.masked)
			h.Shared.Media = scrubMedia(h.Shared.Media, v.masked)
		}
	}
	return h
}

// scrubMedia is media with the masked strings masked in their descriptions.
func scrubMedia(media []archive.Media, masked []string) []archive.Media {
	if media == nil {
		return nil
	}
	out := make([]archive.Media, len(media))
	for i, m := range media {
		m.Alt = scrub(m.Alt, masked)
		out[i] = m
	}
	return out
}

// contentSHA256 is the hash of the version's content, or "" when it was
// redacted: the hash of the original text would let anyone confirm a guess
// of what was masked (a telephone number is a few million guesses).
func (v *version) contentSHA256() string {
	if len(v.masked) > 0 {
		return ""
	}
	return v.ContentSHA256
}

// scrub masks in s every one of the masked strings.
func scrub(s string, masked []string) string {
	for _, m := range masked {
		s = strings.ReplaceAll(s, m, mask)
	}
	return s
}

// evidenceItem is the evidence of one delivered version: its name in the
// package's messages and its reference.
type evidenceItem struct {
	name string
	ref  archive.WARCRef
}

// evidence lists the evidence of every version delivered, in the order of
// the posts and, within a post, oldest first. A version withheld has none
// here.
func (b *builder) evidence() []evidenceItem {
	var out []evidenceItem
	for _, p := range b.posts {
		for _, v := range p.versions {
			name := postName(p.hit)
			if len(p.versions)+len(p.withheld) > 1 {
				name += fmt.Sprintf(", versión %d", v.Version)
			}
			out = append(out, evidenceItem{name, v.WARC})
		}
	}
	return out
}
