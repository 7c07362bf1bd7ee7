// Package spanish holds the words vigia shows people in Spanish wherever a
// page or a document names something the archive records as a code: dates
// in words, plurals, networks, labels, events of a post, who decided, roles,
// account types and the state of a crawl. The codes stay what they are in
// the archive, the API and the files; only what is shown gets a word, and
// it gets it from here, once.
package spanish

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

var months = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "octubre", "noviembre", "diciembre"}

// Month is m's name, "diciembre".
func Month(m time.Month) string { return months[m-1] }

// Date is t as "5 de diciembre de 2026" in loc (UTC when nil); "" for the
// zero time.
func Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return strconv.Itoa(t.Day()) + " de " + months[t.Month()-1] + " de " + strconv.Itoa(t.Year())
}

// DateTime is Date with the time of day: "5 de diciembre de 2026, 12:30".
func DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return Date(t, loc) + ", " + t.In(loc).Format("15:04")
}

// Plural is n with the word that agrees with it: "1 publicación", "0
// publicaciones", "3 publicaciones".
func Plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Network is a network's name as its people write it.
func Network(n archive.Network) string {
	switch n {
	case archive.Mastodon:
		return "Mastodon"
	case archive.Bluesky:
		return "Bluesky"
	case archive.Telegram:
		return "Telegram"
	case archive.YouTube:
		return "YouTube"
	case archive.RSS:
		return "RSS/Atom"
	case archive.X:
		return "X"
	case archive.Facebook:
		return "Facebook"
	case archive.Instagram:
		return "Instagram"
	case archive.TikTok:
		return "TikTok"
	}
	return string(n)
}

// Label names a classification: "información pública" (function),
// "personal", "por revisar" (undetermined or none).
func Label(l archive.Label) string {
	switch l {
	case archive.Function:
		return "información pública"
	case archive.Personal:
		return "personal"
	}
	return "por revisar"
}

// Event names what happened to a post (or an account).
func Event(k archive.EventKind) string {
	switch k {
	case archive.FirstSeen:
		return "vista por primera vez"
	case archive.Edited:
		return "editada"
	case archive.DeletedAtSource:
		return "eliminada en su origen"
	case archive.Restored:
		return "publicada de nuevo"
	case archive.Reparsed:
		return "leída de nuevo (no es una edición)"
	case archive.AccountUnreachable:
		return "cuenta inaccesible"
	case archive.MissingFromExport:
		return "ausente de la exportación del titular"
	}
	return "evento «" + string(k) + "»"
}

// policyVersion reads a policy's version as the shipped policies write it,
// politicas-2019-v1.
var policyVersion = regexp.MustCompile(`^politicas-(\d{4})-v(\d+)$`)

// Policy names a policy by its version: "Políticas generales 2019,
// versión 1" for politicas-2019-v1; another version as written.
func Policy(version string) string {
	if m := policyVersion.FindStringSubmatch(version); m != nil {
		return "Políticas generales " + m[1] + ", versión " + m[2]
	}
	return version
}

// Decider names who decided a classification, as recorded in DecidedBy:
// "regla de la cuenta (Políticas generales 2019, versión 1)" for
// rule:politicas-2019-v1, "modelo de contenido es-…" for model:es-…,
// "lucia (persona)" for person:lucia, "una persona" for a person not
// named (what the public reads). "" stays "".
func Decider(by string) string {
	switch {
	case by == "":
		return ""
	case by == "person":
		return "una persona"
	case strings.HasPrefix(by, "person:"):
		return strings.TrimPrefix(by, "person:") + " (persona)"
	case by == "rule":
		return "regla de la cuenta"
	case strings.HasPrefix(by, "rule:"):
		return "regla de la cuenta (" + Policy(strings.TrimPrefix(by, "rule:")) + ")"
	case by == "model":
		return "modelo de contenido"
	case strings.HasPrefix(by, "model:"):
		return "modelo de contenido " + strings.TrimPrefix(by, "model:")
	case strings.HasPrefix(by, "model "): // as older records wrote it
		return "modelo de contenido " + strings.TrimPrefix(by, "model ")
	}
	return by
}

// Role names a role of the web application (auth.Role's codes).
func Role(r string) string {
	switch r {
	case "public":
		return "consulta pública"
	case "archivist":
		return "archivista"
	case "admin":
		return "administración"
	case "":
		return "sin rol"
	}
	return r
}

// AccountType names an account's type in the directory.
func AccountType(t string) string {
	switch t {
	case "official":
		return "oficial"
	case "personal":
		return "personal"
	}
	return t
}

// CrawlStatus names how an account's last crawl ended.
func CrawlStatus(s archive.CrawlStatus) string {
	switch s {
	case archive.CrawlOK:
		return "completo"
	case archive.CrawlPartial:
		return "incompleto"
	case archive.CrawlUnreachable:
		return "inaccesible"
	case "":
		return ""
	}
	return string(s)
}

// Media names a kind of media a post carries (archive.Media's Kind):
// "Imagen", "Video", "Animación", "Audio", "Documento", else "Archivo".
func Media(kind string) string {
	switch kind {
	case "image":
		return "Imagen"
	case "video":
		return "Video"
	case "gifv":
		return "Animación"
	case "audio":
		return "Audio"
	case "document":
		return "Documento"
	}
	return "Archivo"
}

// leadingKey is a post's key, NETWORK/ACCOUNT/ID, at the start of a line
// (an access package's lines of missing or withheld evidence).
var leadingKey = regexp.MustCompile(`^([a-z]+)/([^/\s]+)/([^\s,]+)`)

// PostLine names the post a line begins with as people read it:
// "publicación ID de ACCOUNT (Mastodon)" for mastodon/ACCOUNT/ID. A line
// that begins otherwise is returned as it is.
func PostLine(line string) string {
	m := leadingKey.FindStringSubmatch(line)
	if m == nil || !archive.Network(m[1]).Valid() {
		return line
	}
	return "publicación " + m[3] + " de " + m[2] + " (" + Network(archive.Network(m[1])) + ")" + line[len(m[0]):]
}
