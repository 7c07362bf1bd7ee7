package archive

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// Field is one field of a post as vigia exports it: the one description that
// "vigia search --format jsonl|csv", the API's JSON (HitJSON) and the access
// package's publicaciones.csv and .jsonl are all written from. Adding a field
// to the exports is adding a Field here (and, for the JSON contract, the
// HitJSON field of the same name: TestFieldsAreTheJSONContract).
type Field struct {
	// Name is the JSON key and the column of vigia search's CSV.
	Name string
	// Header is the column of an access package's publicaciones.csv, in
	// Spanish; "" when the package's spreadsheet leaves the field out.
	Header string
	// Value gives the field of h in its JSON form: string, bool, int,
	// float64, *string (an RFC 3339 UTC time, nil for none), []Media,
	// Metrics or *Shared (nil for none).
	Value func(h *Hit) any
	// Celda, when set, is the field as a Spanish document writes it (sí/no,
	// the label in Spanish); otherwise it is Cell(Value(h)).
	Celda func(h *Hit) string
	// Evidence fields are not in the JSON contract nor in vigia search's
	// CSV: only a format that names them (the access package) writes them.
	Evidence bool
}

// Fields lists the exported fields, in the order of the JSON contract and
// of vigia search's CSV columns.
var Fields = []Field{
	{Name: "network", Header: "red", Value: func(h *Hit) any { return string(h.Network) }},
	{Name: "account", Header: "cuenta", Value: func(h *Hit) any { return h.AccountID }},
	{Name: "post_id", Header: "id", Value: func(h *Hit) any { return h.PostID }},
	{Name: "url", Header: "url", Value: func(h *Hit) any { return h.URL }},
	{Name: "author", Header: "autor", Value: func(h *Hit) any { return h.Author }},
	{Name: "published_at", Header: "publicado", Value: func(h *Hit) any { return jsonTime(h.PublishedAt) }},
	{Name: "edited_at", Value: func(h *Hit) any { return jsonTime(h.EditedAt) }},
	{Name: "edited", Header: "editado", Value: func(h *Hit) any { return h.Edited || h.Versions > 1 },
		Celda: func(h *Hit) string { return siNo(h.Edited || h.Versions > 1) }},
	{Name: "captured_at", Value: func(h *Hit) any { return h.CapturedAt.UTC().Format(time.RFC3339) }},
	{Name: "text", Header: "texto", Value: func(h *Hit) any { return h.Text }},
	{Name: "language", Value: func(h *Hit) any { return h.Language }},
	{Name: "reply_to", Value: func(h *Hit) any { return h.ReplyTo }},
	{Name: "repost_of", Value: func(h *Hit) any { return h.RepostOf }},
	{Name: "shared", Value: func(h *Hit) any { return h.Shared }},
	{Name: "media", Value: func(h *Hit) any {
		if h.Media == nil {
			return []Media{}
		}
		return h.Media
	}},
	{Name: "metrics", Value: func(h *Hit) any {
		if h.Metrics == nil {
			return Metrics{}
		}
		return h.Metrics
	}},
	{Name: "content_sha256", Header: "sha256", Value: func(h *Hit) any { return h.ContentSHA256 }},
	{Name: "label", Header: "etiqueta", Value: func(h *Hit) any { return string(h.Decision.Label) },
		Celda: func(h *Hit) string { return h.Decision.Label.Spanish() }},
	{Name: "confidence", Header: "confianza", Value: func(h *Hit) any { return h.Decision.Confidence }},
	{Name: "basis", Header: "fundamento", Value: func(h *Hit) any { return h.Decision.Basis }},
	{Name: "rationale", Value: func(h *Hit) any { return h.Decision.Rationale }},
	{Name: "decided_by", Value: func(h *Hit) any { return h.Decision.DecidedBy }},
	{Name: "versions", Header: "versiones", Value: func(h *Hit) any { return h.Versions }},
	{Name: "deleted_at_source", Header: "eliminado_en_origen", Value: func(h *Hit) any { return jsonTime(h.DeletedAtSource) }},
	{Name: "account_type", Value: func(h *Hit) any { return h.AccountType }},
	{Name: "area", Value: func(h *Hit) any { return h.Area }},
	{Name: "provenance", Header: "procedencia", Value: func(h *Hit) any { return h.Provenance() }},
	{Name: "warc_file", Header: "warc_archivo", Value: func(h *Hit) any { return h.WARC.File }, Evidence: true},
	{Name: "warc_record_id", Header: "warc_registro", Value: func(h *Hit) any { return h.WARC.RecordID }, Evidence: true},
}

// FieldNamed returns the field called name.
func FieldNamed(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// SearchColumns returns the fields of the JSON contract, the columns of
// vigia search's CSV.
func SearchColumns() []Field {
	var fs []Field
	for _, f := range Fields {
		if !f.Evidence {
			fs = append(fs, f)
		}
	}
	return fs
}

// Cell gives the field of h as a CSV cell: times in RFC 3339 UTC ("" for
// none), numbers and booleans as Go writes them, media, metrics and a shared
// post as JSON ("" for no shared post).
func (f Field) Cell(h *Hit) string {
	switch v := f.Value(h).(type) {
	case string:
		return v
	case *string:
		if v == nil {
			return ""
		}
		return *v
	case *Shared:
		if v == nil {
			return ""
		}
		b, _ := json.Marshal(v)
		return string(b)
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// CellES gives the field of h as a Spanish document's cell.
func (f Field) CellES(h *Hit) string {
	if f.Celda != nil {
		return f.Celda(h)
	}
	return f.Cell(h)
}

// Spanish is the label as an office's document names it.
func (l Label) Spanish() string {
	switch l {
	case Function:
		return "funciones"
	case Personal:
		return "personal"
	case Undetermined:
		return "por revisar"
	}
	return string(l)
}

func siNo(b bool) string {
	if b {
		return "sí"
	}
	return "no"
}

// NewHitJSON gives h in its JSON contract form: each field of HitJSON set
// from the Field of the same name.
func NewHitJSON(h *Hit) HitJSON {
	var j HitJSON
	v := reflect.ValueOf(&j).Elem()
	for i, f := range hitJSONFields() {
		v.Field(i).Set(reflect.ValueOf(f.Value(h)))
	}
	return j
}

// hitJSONFields returns, for each field of HitJSON in order, its Field.
var hitJSONFields = sync.OnceValue(func() []Field {
	t := reflect.TypeFor[HitJSON]()
	fs := make([]Field, t.NumField())
	for i := range fs {
		name := jsonName(t.Field(i))
		f, ok := FieldNamed(name)
		if !ok || f.Evidence {
			panic(fmt.Sprintf("archive: HitJSON field %q has no Field of the contract", name))
		}
		fs[i] = f
	}
	return fs
})

func jsonName(sf reflect.StructField) string {
	name := sf.Tag.Get("json")
	for i := range name {
		if name[i] == ',' {
			return name[:i]
		}
	}
	return name
}
