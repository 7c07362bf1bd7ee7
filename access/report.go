package access

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/internal/spanish"
	"github.com/vigia-mx/vigia/internal/textdiff"
)

//go:embed respuesta.html.tmpl
var templates embed.FS

var report = template.Must(template.New("respuesta.html.tmpl").Funcs(template.FuncMap{
	"plural":   plural,
	"postLine": spanish.PostLine,
}).ParseFS(templates, "respuesta.html.tmpl"))

// plural is one when n is 1, many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reportData is what respuesta.html shows; dates are already in Spanish.
// It is what goes to the requester: the office's own record (the
// deadline, who prepared it) is record.go's, beside the zip.
type reportData struct {
	Req                Request
	Received, Answered string
	Pkg                *Package
	Evidence           bool // Options.WARCDir was given
	AllowedMissing     bool // Options.AllowMissingEvidence was set
	Redactions         []reportRedaction
	Withheld           string  // withheldLine
	Threshold          float64 // the publication threshold
	Posts              []reportPost
	Files              []string
	Texts              *classifier.AnswerTexts
	ZipName            string // the zip's file name, for the command that checks it
}

type reportRedaction struct {
	Post        int    // the post's number in the report
	Owner, Kind string // whose post, what was masked
	Basis       string
}

// reportPost is a delivered post in the report: whose it is, its versions
// delivered, newest first as people read a history, and those withheld.
type reportPost struct {
	Number                           int    // 1, 2, … in the report's order; its anchor is pub-N
	Owner                            string // the servant and position, or the area (Owner)
	Published, Network, Account, URL string
	Versions                         []reportVersion
	Withheld                         []withheldVersion
}

// reportVersion is a delivered version in the report, with how its text
// differs from the delivered version before it.
type reportVersion struct {
	Number                     int
	Earlier                    bool // a later version is delivered
	FirstSeen, LastSeen        string
	Label, Basis, DecidedBy    string
	Text, SharedFrom, Shared   string
	Prev                       int // the version Diff compares with; 0 for none
	Diff                       []textdiff.Span
	WARCFile, WARCRecord, Hash string
	Page                       string // its readable page in the package (pages.go)
}

// texts are the legal texts of the answer: Options.Texts, or the embedded
// policy's.
func (b *builder) texts() *classifier.AnswerTexts {
	if b.opt.Texts != nil {
		return b.opt.Texts
	}
	return &classifier.DefaultPolicy().Answer
}

// owner says whose the account of h is, for the report.
func (b *builder) owner(network archive.Network, id string) string {
	if a, ok := b.opt.Accounts[id]; ok {
		return Owner(&a, id, network)
	}
	return Owner(nil, id, network)
}

// writeReport writes respuesta.html, the report for the requester.
func (b *builder) writeReport(w io.Writer) error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	d := reportData{
		Req:            b.req,
		Received:       b.date(b.req.Received),
		Answered:       b.date(b.now),
		Pkg:            b.pkg,
		Evidence:       b.opt.WARCDir != "",
		AllowedMissing: b.opt.AllowMissingEvidence,
		Withheld:       withheldLine(b.pkg.WithheldPersonal, b.pkg.WithheldPending, b.pkg.WithheldBelowThreshold, b.opt.Visibility),
		Files:          []string{fileCSV, fileJSONL, fileEvidence, fileWACZ, fileReport, fileManifest},
		Threshold:      b.opt.Visibility.ModelFloor(),
		Texts:          b.texts(),
		ZipName:        filepath.Base(b.pkg.Zip),
	}
	number := map[archive.Key]int{}
	for i, p := range b.posts {
		number[p.hit.Key()] = i + 1
	}
	for _, r := range b.pkg.Redactions {
		k := archive.Key{Network: archive.Network(r.Network), AccountID: r.AccountID, PostID: r.PostID}
		d.Redactions = append(d.Redactions, reportRedaction{number[k], b.owner(k.Network, r.AccountID), r.Kind, r.Basis})
	}
	if len(b.posts) > 0 {
		d.Files = append(d.Files, dirPages+"/")
	}
	stems := b.pageStems()
	for pi, p := range b.posts {
		h := p.hit
		rp := reportPost{Number: pi + 1, Owner: b.owner(h.Network, h.AccountID), Published: b.dateTime(h.PublishedAt),
			Network: string(h.Network), Account: h.AccountID, URL: h.URL, Withheld: p.withheld}
		for i := range p.versions {
			v := &p.versions[i]
			dv := p.deliveredAs(v)
			from, shared := sharedCells(v)
			rv := reportVersion{Number: v.Version, Earlier: i < len(p.versions)-1,
				FirstSeen: b.dateTime(v.CapturedAt), LastSeen: b.dateTime(v.lastSeen),
				Label: v.decision.Label.Spanish(), Basis: v.decision.Basis, DecidedBy: spanish.Decider(decider(v.decision.DecidedBy)),
				Text: v.text, SharedFrom: from, Shared: shared,
				WARCFile: v.WARC.File, WARCRecord: v.WARC.RecordID, Hash: dv.ContentSHA256, Page: pagePath(stems[pi], v.Version)}
			if i > 0 {
				prev := &p.versions[i-1]
				rv.Prev, rv.Diff = prev.Version, textdiff.Words(prev.text, v.text)
			}
			rp.Versions = append(rp.Versions, rv)
		}
		slices.Reverse(rp.Versions)
		d.Posts = append(d.Posts, rp)
	}
	return report.Execute(w, d)
}

// withheldLine says in Spanish how many versions of the delivered posts
// are withheld and why: "3 versiones no se entregan: 1 por tratarse de
// contenido personal y 2 pendientes de revisión"; "" when none is.
func withheldLine(personal, pending, below int, v archive.Visibility) string {
	n := personal + pending + below
	if n == 0 {
		return ""
	}
	var why []string
	if personal > 0 {
		why = append(why, fmt.Sprintf("%d %s", personal, whyPersonal))
	}
	if pending > 0 {
		why = append(why, fmt.Sprintf("%d %s de revisión", pending, plural(pending, "pendiente", "pendientes")))
	}
	if below > 0 {
		why = append(why, fmt.Sprintf("%d %s por el modelo con confianza por debajo del umbral de publicación %.2f, en espera de la decisión de una persona",
			below, plural(below, "decidida", "decididas"), v.ModelFloor()))
	}
	return fmt.Sprintf("%d %s: %s", n, plural(n, "versión no se entrega", "versiones no se entregan"), strings.Join(why, " y "))
}

// dateTime is t as a date and time in Spanish in the report's time zone,
// or "" for the zero time.
func (b *builder) dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return b.date(t) + ", " + t.In(b.loc).Format("15:04") + " h"
}

// date is t as a date in Spanish in the report's time zone, or "" for the
// zero time.
func (b *builder) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return spanishDate(t.In(b.loc))
}

// spanishDate writes t's date as "27 de noviembre de 2026", in t's zone.
func spanishDate(t time.Time) string { return spanish.Date(t, t.Location()) }
