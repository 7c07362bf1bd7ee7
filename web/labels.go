package web

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/internal/spanish"
)

// What the pages show of the codes the archive, the API and the audit log
// keep: every code shown gets its Spanish words here or in
// internal/spanish, the templates never print a code.

// labelES names a label (an archive.Label or a facet's string) in Spanish.
func labelES(l any) string { return spanish.Label(archive.Label(fmt.Sprint(l))) }

// networkES names a network (an archive.Network or a facet's string).
func networkES(n any) string { return spanish.Network(archive.Network(fmt.Sprint(n))) }

// roleES names a role (an auth.Role or its string).
func roleES(r any) string { return spanish.Role(fmt.Sprint(r)) }

// fieldES names a filter of the search (a parameter of the page and the
// API) as its form labels it.
var fieldES = map[string]string{
	"account": "cuenta", "network": "red", "label": "clasificación", "text": "texto", "area": "área",
	"servant": "servidor público", "basis": "fundamento", "from": "publicadas desde", "to": "publicadas antes de",
	"edited": "solo editadas", "deleted": "solo eliminadas en su origen", "limit": "límite", "offset": "desde el resultado",
	"below": "confianza por debajo de", "restricted_to": "restringida a", "user": "usuario", "action": "acción",
}

// queryES is a search's filters, as recorded URL-encoded in the audit
// log (describeQuery) or sent in a URL, in words: «texto: obras; publicadas
// desde 1 de enero de 2026». What does not parse as such is returned as
// written.
func queryES(encoded string, loc *time.Location) string {
	if encoded == "" || strings.ContainsAny(encoded, " ;") || !strings.Contains(encoded, "=") {
		return encoded
	}
	v, err := url.ParseQuery(encoded)
	if err != nil {
		return encoded
	}
	var keys []string
	for k := range v {
		if _, ok := fieldES[k]; !ok {
			return encoded
		}
		keys = append(keys, k)
	}
	// In the order of the search form.
	order := []string{"text", "servant", "area", "account", "network", "label", "basis", "from", "to", "edited", "deleted", "restricted_to", "below", "user", "action", "limit", "offset"}
	slices.SortFunc(keys, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	var parts []string
	for _, k := range keys {
		s := v.Get(k)
		switch k {
		case "limit", "offset":
			continue // how the page was cut, not what was asked
		case "edited", "deleted":
			if s == "true" || s == "1" {
				parts = append(parts, fieldES[k])
			}
			continue
		case "label":
			s = spanish.Label(archive.Label(s))
		case "network":
			s = spanish.Network(archive.Network(s))
		case "action":
			s = actionES(s, "")
		case "restricted_to":
			var ls []string
			for _, l := range strings.Fields(strings.Trim(s, "[]")) {
				ls = append(ls, spanish.Label(archive.Label(l)))
			}
			s = strings.Join(ls, ", ")
		case "from", "to":
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				s = spanish.Date(t, loc)
			} else if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
				s = spanish.Date(t, loc)
			}
		default:
			s = "«" + s + "»"
		}
		if s != "" {
			parts = append(parts, fieldES[k]+": "+s)
		}
	}
	if len(parts) == 0 {
		return "todas las publicaciones"
	}
	return strings.Join(parts, "; ")
}

// actions are the audit log's actions, the web's and the command line's,
// each with what the bitácora says was done ("consultó una publicación
// personal"), in the order the filter lists them.
var actions = []struct{ Code, Did string }{
	{"login", "entró a la aplicación"},
	{"login_failed", "intentó entrar sin lograrlo"},
	{"logout", "salió de la aplicación"},
	{"search", "buscó"},
	{"view_post", "consultó una publicación de información pública"},
	{"view_personal", "consultó contenido personal o por revisar"},
	{"view_raw", "consultó la captura tal como se recibió"},
	{"review_queue", "abrió la cola de revisión"},
	{"decision", "decidió la clasificación de una publicación"},
	{"decision_failed", "intentó decidir una clasificación sin lograrlo"},
	{"export", "generó un paquete de acceso"},
	{"view_report", "leyó la respuesta de un paquete de acceso"},
	{"download", "descargó un paquete de acceso"},
	{"archive_wacz", "exportó evidencia como WACZ"},
	{"archive_copy", "copió el archivo"},
	{"model_adopt", "adoptó un modelo de contenido"},
	{"model_adopt_failed", "intentó adoptar un modelo de contenido sin lograrlo"},
	{"directory_upload", "revisó una hoja de cálculo del directorio"},
	{"directory_update", "cambió el directorio"},
	{"users_read", "consultó la lista de usuarios"},
	{"user_add", "agregó un usuario"},
	{"token_new", "creó un token de acceso"},
	{"audit_read", "consultó la bitácora"},
}

// actionES says what an action of the audit log did; target refines
// view_personal (a post's or a search's).
func actionES(code, target string) string {
	if code == "view_personal" && target != "" {
		if _, ok := postKeyOf(target); ok {
			return "consultó una publicación personal o por revisar"
		}
	}
	for _, a := range actions {
		if a.Code == code {
			return a.Did
		}
	}
	return "acción «" + code + "»"
}

// postKeyOf reads a post's key as the audit log writes it,
// NETWORK/ACCOUNT/ID.
func postKeyOf(s string) (archive.Key, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || !archive.Network(parts[0]).Valid() || parts[1] == "" || parts[2] == "" {
		return archive.Key{}, false
	}
	return archive.Key{Network: archive.Network(parts[0]), AccountID: parts[1], PostID: parts[2]}, true
}

// auditRow is an entry of the audit log as the bitácora shows it: who,
// from where, what and when, in Spanish.
type auditRow struct {
	Seq     int64
	When    string
	Who     string // user (role)
	Where   string // "aplicación web" or "línea de órdenes (usuario del sistema …)"
	What    string // what was done
	Object  string // what it was done on: a post, a search, a folio…
	PostURL string // the post's page, when Object is a post
	Detail  string
	Results string
}

// The details the audit log records in English, as the bitácora words them.
var (
	showDetail  = regexp.MustCompile(`^vigia show: (\d+) of (\d+) versions not public information; latest (\w+)$`)
	rawDetail   = regexp.MustCompile(`^vigia show --raw (\d+): the raw capture$`)
	adoptDetail = regexp.MustCompile(`^vigia classifier adopt \(SHA-256 ([0-9a-f]+), replacing ([^)]*)\): (.*)$`)
	cliCommand  = regexp.MustCompile(`^vigia ([a-z-]+(?: [a-z-]+)?): (.*)$`)
)

var detailES = map[string]string{
	"denied: label":                                           "denegada: su rol no permite esa clasificación",
	"denied: not public information":                          "denegada: no es información pública",
	"personal posts in search results":                        "publicaciones personales o por revisar entre los resultados",
	"personal or undetermined posts shown":                    "se mostraron publicaciones personales o por revisar",
	"texts of person-decided posts read as labelled examples": "textos de publicaciones decididas por personas, leídos como ejemplos",
	"every record":                                            "todos los registros",
	auth.ErrBadLogin.Error():                                  "usuario o contraseña incorrectos",
	auth.ErrThrottled.Error():                                 "demasiados intentos fallidos",
	auth.ErrDisabled.Error():                                  "usuario desactivado",
	auth.ErrNoUser.Error():                                    "no existe el usuario",
}

// auditRowOf words e for the bitácora, dates in loc.
func auditRowOf(e auth.Entry, loc *time.Location) auditRow {
	row := auditRow{Seq: e.Seq, When: spanish.DateTime(e.At, loc), Who: e.User, Where: "aplicación web",
		What: actionES(e.Action, e.Target), Object: e.Target}
	if row.Who == "" {
		row.Who = "(sin usuario)"
	}
	if e.Role != "" {
		row.Who += " (" + spanish.Role(string(e.Role)) + ")"
	}
	if e.OSUser != "" {
		row.Where = "línea de órdenes (usuario del sistema " + e.OSUser + ")"
	}
	switch e.Action {
	case "login", "login_failed", "logout", "users_read":
		row.Results = ""
	default:
		row.Results = strconv.Itoa(e.Results)
	}
	if k, ok := postKeyOf(e.Target); ok {
		row.Object = "publicación " + k.PostID + " de " + k.AccountID + " (" + spanish.Network(k.Network) + ")"
		row.PostURL = "/publicaciones/" + keyPath(k)
	} else {
		switch e.Action {
		case "search", "review_queue", "view_personal", "audit_read":
			row.Object = queryES(e.Target, loc)
			if strings.HasPrefix(row.Object, "etiqueta: ") { // the command line's label, then access.Describe
				l, rest, _ := strings.Cut(strings.TrimPrefix(row.Object, "etiqueta: "), "; ")
				row.Object = "clasificación: " + spanish.Label(archive.Label(l)) + "; " + rest
			}
		case "model_adopt", "model_adopt_failed":
			row.Object = spanish.Decider(e.Target)
		case "export", "view_report", "download":
			row.Object = "folio " + e.Target
			if e.Action != "export" {
				row.Object = "paquete " + e.Target
			}
		case "user_add":
			row.Object = "usuario " + e.Target
		}
	}
	row.Detail = auditDetailES(e, loc)
	return row
}

// auditDetailES words an entry's detail.
func auditDetailES(e auth.Entry, loc *time.Location) string {
	d := e.Detail
	if d == "" {
		return ""
	}
	if s, ok := detailES[d]; ok {
		return s
	}
	if m := showDetail.FindStringSubmatch(d); m != nil {
		n, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("%s de %s no %s información pública; la última: %s", spanish.Plural(n, "versión", "versiones"), m[2],
			map[bool]string{true: "es", false: "son"}[n == 1], spanish.Label(archive.Label(m[3])))
	}
	if m := rawDetail.FindStringSubmatch(d); m != nil {
		return "la captura de la versión " + m[1] + " tal como se recibió"
	}
	if m := adoptDetail.FindStringSubmatch(d); m != nil {
		return "SHA-256 " + m[1] + ", en lugar de " + spanish.Decider("model:"+m[2]) + ": " + m[3]
	}
	if m := cliCommand.FindStringSubmatch(d); m != nil {
		if s, ok := detailES[m[2]]; ok {
			return s
		}
		return m[2]
	}
	switch e.Action {
	case "view_post", "view_personal":
		if l := archive.Label(d); l == archive.Function || l == archive.Personal || l == archive.Undetermined {
			return "clasificada como " + spanish.Label(l)
		}
	case "decision":
		if l, reason, ok := strings.Cut(d, ": "); ok {
			return "la clasificó como " + spanish.Label(archive.Label(l)) + ": «" + reason + "»"
		}
	case "user_add":
		return "con el rol " + spanish.Role(d)
	case "export":
		return queryES(d, loc)
	}
	return d
}

// evidence phrases the crawler and the data-export importer record, as the
// post page words them.
var evidenceES = []struct {
	re   *regexp.Regexp
	says string
}{
	{regexp.MustCompile(`^version (\d+) seen in (\S+)$`), "versión $1 vista en $2"},
	{regexp.MustCompile(`^version (\d+) is this capture as an earlier vigia read it: this vigia reads more of it \(not an edit\)$`),
		"la versión $1 es esta misma captura leída por una versión anterior de vigia, que leía menos de ella (no es una edición)"},
	{regexp.MustCompile(`^edit history not kept: (.*)$`), "historial de ediciones no conservado: $1"},
	{regexp.MustCompile(`^edit history of (\d+) versions kept from (\S+)$`), "historial de $1 versiones conservado de $2"},
	{regexp.MustCompile(`^listed again in (\S+)$`), "listada de nuevo en $1"},
	{regexp.MustCompile(`^listed again in (\S+) of (.*)$`), "listada de nuevo en $1 de $2"},
	{regexp.MustCompile(`^version (\d+) read from (\S+) of (.*)$`), "versión $1 leída de $2 de $3"},
	{regexp.MustCompile(`^missing from the feed, asked about in a deep sweep$`), "ausente del canal; consultada en un barrido profundo"},
	{regexp.MustCompile(`^missing from a deep sweep that listed the account's whole history$`), "ausente de un barrido profundo que listó toda la historia de la cuenta"},
	{regexp.MustCompile(`^missing from a deep sweep covering (\S+) onwards \(stopped by its page budget\)$`), "ausente de un barrido profundo desde $1 (detenido por su límite de páginas)"},
	{regexp.MustCompile(`^missing from the listing covering (\S+) onwards$`), "ausente del listado de la cuenta desde $1"},
	{regexp.MustCompile(`^GET (\S+) answered (\d+) .*$`), "$1 respondió $2"},
	{regexp.MustCompile(`^GET (\S+) shows older messages but not number (\d+)$`), "$1 muestra mensajes anteriores, pero no el número $2"},
	{regexp.MustCompile(`^GET (\S+) left it out of its answer$`), "$1 no la incluyó en su respuesta"},
	{regexp.MustCompile(`^GET (\S+): (.*)$`), "$1: $2"},
}

// rfc3339In finds times as the crawler writes them in its evidence.
var rfc3339In = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`)

// evidenceWords words an event's evidence, each of its parts ("; ")
// that the crawler writes in a known phrase; times as dates in words.
func (s *Server) evidenceWords(ev string) string {
	parts := strings.Split(ev, "; ")
	for i, p := range parts {
		for _, e := range evidenceES {
			if e.re.MatchString(p) {
				p = e.re.ReplaceAllString(p, e.says)
				break
			}
		}
		parts[i] = rfc3339In.ReplaceAllStringFunc(p, func(t string) string {
			at, err := time.Parse(time.RFC3339, t)
			if err != nil {
				return t
			}
			return spanish.DateTime(at, s.cfg.Location)
		})
	}
	return strings.Join(parts, "; ")
}

// userErrorES says in Spanish why a user was not added.
func userErrorES(err error) string {
	switch {
	case errors.Is(err, auth.ErrRole):
		return "el rol no existe"
	case errors.Is(err, auth.ErrName):
		return "el nombre de usuario no es válido: de 1 a 64 letras minúsculas, dígitos, punto, guion o guion bajo"
	case errors.Is(err, auth.ErrPassword):
		return "la contraseña debe tener de 12 a 1024 bytes"
	case errors.Is(err, auth.ErrExists):
		return "ya existe un usuario con ese nombre"
	}
	return err.Error()
}

// directoryFields are the directory's YAML keys as the account form and
// the spreadsheet's columns name them.
var directoryFields = map[string]string{
	"subject": "sujeto obligado", "timezone": "zona horaria", "jurisdiction": "ámbito", "campaigns": "calendario de campañas",
	"export_every": "exportación cada", "accounts": "cuentas", "id": "cuenta", "network": "red", "handle": "usuario",
	"endpoint": "servidor propio", "allow_private_network": "red privada", "type": "tipo", "area": "área",
	"administered_by_area": "administrada por el área", "registered_on": "registro", "sweep_pages": "páginas de barrido",
	"leave": "licencia", "candidacy": "candidatura", "capture": "captura", "token_file": "archivo del token",
	"token_env": "variable del token", "servant": "servidor público", "name": "nombre", "position": "cargo", "level": "nivel",
	"office": "cargo", "from": "desde", "to": "hasta", "election": "elección",
}

// indexed is a YAML path's segment with its index, accounts[2].
var indexed = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]$`)

// problemFieldES words a directory problem's field, a YAML path such as
// accounts[2].servant.level, as people read it: "cuenta 3, nivel". A
// spreadsheet's column (already as the office wrote it) stays.
func problemFieldES(path string) string {
	if !strings.ContainsAny(path, ".[_") && directoryFields[path] == "" {
		return path
	}
	var parts []string
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		n := ""
		if m := indexed.FindStringSubmatch(seg); m != nil {
			seg = m[1]
			k, _ := strconv.Atoi(m[2])
			n = " " + strconv.Itoa(k+1)
		}
		w, ok := directoryFields[seg]
		if !ok {
			w = seg
		}
		switch {
		case seg == "servant" && i < len(segs)-1, seg == "office" && i < len(segs)-1:
			continue // its name, position, from… say whose
		case seg == "accounts" && n != "":
			w = "cuenta"
		}
		parts = append(parts, w+n)
	}
	return strings.Join(parts, ", ")
}

// decisionErrorES says in Spanish why a person's decision, label and
// reason as sent, was not recorded (review.Check's ErrInvalid).
func decisionErrorES(label, reason string, err error) string {
	switch {
	case archive.Label(label) != archive.Function && archive.Label(label) != archive.Personal:
		return "elija información pública o personal"
	case strings.TrimSpace(reason) == "":
		return "escriba el motivo de la decisión"
	}
	return err.Error()
}
