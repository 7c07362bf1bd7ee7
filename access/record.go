package access

import (
	"fmt"
	"html/template"
	"os"
	"path/filepath"

	"github.com/vigia-mx/vigia/internal/durable"
)

// recordSuffix names the office's record of a package: DIR plus it, beside
// DIR.zip.
const recordSuffix = "-registro-interno.html"

// recordPage is the office's own record of an answer: what the requester
// does not receive (the internal deadline, who prepared it, the search as
// the archive names it) and what proves what was delivered (the zip's
// SHA-256). It is written after the zip, beside it, never in it.
var recordPage = template.Must(template.New("registro").Funcs(template.FuncMap{"plural": plural}).Parse(`<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Registro interno de la solicitud {{.Req.Folio}}</title>
<style>
body { font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
.aviso { background: #fff6e0; border-left: 4px solid #e0a800; padding: .5rem 1rem; }
</style>
</head>
<body>
<h1>Registro interno de la solicitud {{.Req.Folio}}</h1>
<p class="aviso">Documento de la Unidad de Transparencia: no se entrega a la persona solicitante. Lo que se entrega es <code>{{.Zip}}</code>.</p>
<dl>
<dt>Folio</dt><dd>{{.Req.Folio}}</dd>
{{with .Req.Subject}}<dt>Sujeto obligado</dt><dd>{{.}}</dd>{{end}}
<dt>Fecha de recepción</dt><dd>{{or .Received "no indicada"}}</dd>
<dt>Fecha límite de respuesta</dt><dd>{{if .Deadline}}{{.Deadline}}{{if .Req.DaysAllowed}} ({{.Req.DaysAllowed}} {{plural .Req.DaysAllowed "día hábil" "días hábiles"}}){{end}}{{else}}no indicada{{end}}</dd>
<dt>Elaborado</dt><dd>{{.Prepared}}{{with .Req.PreparedBy}}, por {{.}}{{end}}</dd>
<dt>Búsqueda</dt><dd>{{.Req.Searched}}</dd>
<dt>Entregadas</dt><dd>{{.Pkg.Delivered}} {{plural .Pkg.Delivered "publicación" "publicaciones"}} ({{.Pkg.Versions}} {{plural .Pkg.Versions "versión" "versiones"}})</dd>
<dt>Excluidas</dt><dd>{{.Pkg.Excluded}} personales, {{.Pkg.Undetermined}} pendientes de revisión, {{.Pkg.BelowThreshold}} por debajo del umbral de publicación</dd>
<dt>Datos testados</dt><dd>{{len .Pkg.Redactions}}</dd>
<dt>Evidencia</dt><dd>{{.Pkg.EvidenceRecords}} {{plural .Pkg.EvidenceRecords "registro" "registros"}} WARC; {{len .Pkg.Withheld}} retenida, {{len .Pkg.Missing}} faltante</dd>
{{range .Pkg.Withheld}}<dt>Evidencia retenida</dt><dd>{{.}}</dd>{{end}}
{{range .Pkg.Missing}}<dt>Evidencia faltante</dt><dd>{{.}}</dd>{{end}}
<dt>Paquete entregado</dt><dd><code>{{.Zip}}</code>, {{.Size}} bytes</dd>
<dt>SHA-256 del paquete</dt><dd><code>{{.Pkg.ZipSHA256}}</code></dd>
</dl>
<p>La huella SHA-256 del paquete permite demostrar después qué se entregó exactamente: el archivo que conserve la persona solicitante debe tener la misma.</p>
</body>
</html>
`))

// writeRecord writes the office's record of the package beside its zip.
func (b *builder) writeRecord() error {
	fi, err := os.Stat(b.pkg.Zip)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(b.pkg.Record, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(b.pkg.Record), err)
	}
	b.written = append(b.written, b.pkg.Record)
	err = recordPage.Execute(f, map[string]any{
		"Req": b.req, "Pkg": b.pkg, "Zip": filepath.Base(b.pkg.Zip), "Size": fi.Size(),
		"Received": b.date(b.req.Received), "Deadline": b.date(b.req.Deadline), "Prepared": b.dateTime(b.now),
	})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = durable.SyncDir(filepath.Dir(b.pkg.Record))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(b.pkg.Record), err)
	}
	return nil
}
