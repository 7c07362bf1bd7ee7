package access

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed respuesta.html.tmpl
var templates embed.FS

var report = template.Must(template.New("respuesta.html.tmpl").Funcs(template.FuncMap{
	"plural": plural,
}).ParseFS(templates, "respuesta.html.tmpl"))

// plural is one when n is 1, many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reportData is what respuesta.html shows; dates are already in Spanish.
type reportData struct {
	Req                          Request
	Received, Deadline, Prepared string
	Pkg                          *Package
	Evidence                     bool // Options.WARCDir was given
	AllowedMissing               bool // Options.AllowMissingEvidence was set
	Redactions                   []reportRedaction
	Posts                        []reportPost
	Files                        []string
}

type reportRedaction struct{ Post, Kind, Basis string }

type reportPost struct{ Published, Network, Account, Text, URL string }

// writeReport writes respuesta.html, the report for the requester.
func (b *builder) writeReport(w io.Writer) error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	d := reportData{
		Req:            b.req,
		Received:       b.date(b.req.Received),
		Deadline:       b.date(b.req.Deadline),
		Prepared:       b.date(b.now) + ", " + b.now.In(b.loc).Format("15:04") + " h",
		Pkg:            b.pkg,
		Evidence:       b.opt.WARCDir != "",
		AllowedMissing: b.opt.AllowMissingEvidence,
		Files:          []string{fileCSV, fileJSONL, fileEvidence, fileReport, fileManifest},
	}
	for _, r := range b.pkg.Redactions {
		d.Redactions = append(d.Redactions, reportRedaction{r.Network + "/" + r.AccountID + "/" + r.PostID, r.Kind, r.Basis})
	}
	for _, p := range b.posts {
		h := p.hit
		published := ""
		if !h.PublishedAt.IsZero() {
			published = b.date(h.PublishedAt) + ", " + h.PublishedAt.In(b.loc).Format("15:04") + " h"
		}
		d.Posts = append(d.Posts, reportPost{published, string(h.Network), h.AccountID, p.text, h.URL})
	}
	return report.Execute(w, d)
}

// date is t as a date in Spanish in the report's time zone, or "" for the
// zero time.
func (b *builder) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return spanishDate(t.In(b.loc))
}

var months = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "octubre", "noviembre", "diciembre"}

// spanishDate writes t's date as "27 de noviembre de 2026".
func spanishDate(t time.Time) string {
	return fmt.Sprintf("%d de %s de %d", t.Day(), months[t.Month()-1], t.Year())
}
