package directory

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/spanish"
)

// The problems of a directory in Spanish, for the web application (and a
// command line under a Spanish locale): each message's format as the
// checks write it, with its words in Spanish and the same verbs, in the
// same order. A problem whose format is not here keeps Spanish empty and
// is shown as written.
var spanishFormats = map[string]string{
	// the file (parse.go, csv.go, xlsx.go, sheet.go)
	"a second YAML document (after ---): a directory is one document; join them or remove the ---": "un segundo documento YAML (después de ---): el directorio es un solo documento; únalos o quite el ---",
	"expected a date written YYYY-MM-DD":                               "se espera una fecha escrita aaaa-mm-dd",
	"expected a list of accounts":                                      "se espera una lista de cuentas",
	"expected a mapping with subject: and accounts:":                   "se espera un mapa con subject: y accounts:",
	"expected a single value, not a list or mapping":                   "se espera un solo valor, no una lista ni un mapa",
	"expected a whole number":                                          "se espera un número entero",
	"expected an account (a mapping with id, network, handle, ...)":    "se espera una cuenta (un mapa con id, network, handle, …)",
	"expected from and to dates":                                       "se esperan las fechas from y to",
	"expected name, position and level":                                "se esperan name, position y level",
	"expected true or false":                                           "se espera true o false",
	"repeated key (first at line %d)":                                  "clave repetida (la primera, en la línea %d)",
	"the file is empty; it needs subject: and accounts:":               "el archivo está vacío; necesita subject: y accounts:",
	"larger than %d MiB: a directory is one row per account":           "mayor de %d MiB: el directorio lleva una fila por cuenta",
	"the file begins as UTF-16 but is not: %v":                         "el archivo empieza como UTF-16 pero no lo es: %v",
	"missing column":                                                   "falta la columna",
	"missing: name the obligated body the directory is of":             "falta: el sujeto obligado del directorio",
	"repeated column (%q is column %d)":                                "columna repetida (%q es la columna %d)",
	"the file is empty; it needs a header row and one row per account": "el archivo está vacío; necesita una fila de encabezados y una fila por cuenta",
	"unknown column%s; known columns: %s":                              "columna desconocida%s; columnas conocidas: %s",
	"not a workbook Excel can open (.xlsx): %v":                        "no es un libro que Excel pueda abrir (.xlsx): %v",
	"an Excel 97-2003 workbook (.xls): save it as \"Libro de Excel (.xlsx)\" or \"CSV UTF-8\" and import that": "un libro de Excel 97-2003 (.xls): guárdelo como «Libro de Excel (.xlsx)» o «CSV UTF-8» e importe ese",
	"expected true or false (sí/no)": "se espera sí o no",
	"unknown key%s; known keys: %s":  "clave desconocida%s; claves conocidas: %s",
	"the workbook has no sheet":      "el libro no tiene hojas",
	"read sheet %q: %v":              "leer la hoja %q: %v",

	// the register's rules (check.go)
	"unknown time zone; use a name such as %s":                         "zona horaria desconocida; use un nombre como %s",
	"missing: name the obligated body":                                 "falta: el sujeto obligado",
	"no accounts: list the registered accounts":                        "no hay cuentas: liste las cuentas registradas",
	"repeated id (first used at line %d); ids must be unique":          "identificador repetido (usado antes en la línea %d); cada cuenta tiene el suyo",
	"the same %s account is registered at line %d":                     "la misma cuenta de %s está registrada en la línea %d",
	"missing: give the account a short unique id, e.g. obras-director": "falta: dé a la cuenta un identificador corto y único, p. ej. obras-director",
	"use lower-case letters, digits, '.', '_' and '-' (at most 64)":    "use minúsculas, dígitos, «.», «_» y «-» (64 como máximo)",
	"missing: one of %s":                                               "falta: una de %s",
	"unknown network%s; supported: %s":                                 "red desconocida%s; se admiten: %s",
	"missing":                                                          "falta",
	"not used by %s accounts: the handle is the feed's URL":            "no se usa en las cuentas de %s: el usuario es la dirección del canal",
	"needs endpoint: the base URL of the instance on the office's network, the one host it lets the crawler reach there": "necesita endpoint: la dirección base de la instancia en la red de la oficina, el único servidor que el rastreador puede alcanzar ahí",
	"missing: official (policy Séptima A) or personal (Séptima B)":                                                       "falta: oficial (política Séptima A) o personal (Séptima B)",
	"expected official or personal%s":                                                                                      "se espera oficial o personal%s",
	"missing: name the administrative area the account belongs to":                                                         "falta: el área administrativa a la que pertenece la cuenta",
	"applies only to personal accounts (policy Décima novena); official accounts are official already":                     "solo se aplica a cuentas personales (política Décima novena); las cuentas oficiales ya son oficiales",
	"expected a whole number of pages from 1 to %d (leave it out for the crawl's --sweep-pages)":                           "se espera un número entero de páginas de 1 a %d (omítalo para usar el del rastreo)",
	"the term ends before it starts (office.from is %s)":                                                                   "el periodo del cargo termina antes de empezar (empieza el %s)",
	"missing: a personal account needs its servant's name, position and level (policy Quinta)":                             "falta: una cuenta personal necesita el nombre, el cargo y el nivel de su servidor público (política Quinta)",
	"missing: the servant's full name":                                                                                     "falta: el nombre completo del servidor público",
	"missing: the servant's position":                                                                                      "falta: el cargo del servidor público",
	"missing: 0 for the head of the body, 1 to %d for the levels below":                                                    "falta: 0 para el titular, 1 a %d para los niveles debajo",
	"breaks policy Quinta: only the head (level 0) and up to %d levels below may register personal accounts":               "contraviene la política Quinta: solo el titular (nivel 0) y hasta %d niveles debajo pueden registrar cuentas personales",
	"missing: the date of the servant's express request to register the account":                                           "falta: la fecha de la solicitud expresa del servidor público para registrar la cuenta",
	"missing: an account administered by an area counts as official only inside the servant's term (policy Décima novena)": "falta: una cuenta administrada por el área cuenta como oficial solo dentro del periodo del cargo (política Décima novena)",

	// leaves and candidacies (electoral.go)
	"applies only to personal accounts: an official account has no servant who takes leave or stands for election":                             "solo se aplica a cuentas personales: una cuenta oficial no tiene un servidor público que pida licencia o sea candidato",
	"expected a candidacy (election, jurisdiction, office) or a list of them":                                                                  "se espera una candidatura (election, jurisdiction, office) o una lista de ellas",
	"expected a list of periods, each with from and to dates":                                                                                  "se espera una lista de periodos, cada uno con sus fechas from y to",
	"expected election, jurisdiction and office":                                                                                               "se esperan election, jurisdiction y office",
	"missing: the election day of the process, YYYY-MM-DD":                                                                                     "falta: el día de la elección del proceso, aaaa-mm-dd",
	"missing: the first day of the leave":                                                                                                      "falta: el primer día de la licencia",
	"missing: the process's jurisdiction (MX for federal, a state's code such as MX-JAL), here, on the account or at the top of the directory": "falta: el ámbito del proceso (MX el federal, el código de un estado como MX-JAL), aquí, en la cuenta o al principio del directorio",
	"the campaign calendar (%s) has no process of %s with that election day (it knows: %s); add the process's campaign periods to the file the directory names in campaigns:": "el calendario de campañas (%s) no tiene un proceso de %s con ese día de elección (conoce: %s); agregue los periodos de campaña del proceso al archivo que el directorio nombra en campaigns:",
	"missing: %s has campaigns on different dates; name the office, one of %s":                                                                                                "falta: %s tiene campañas en fechas distintas; nombre el cargo, uno de %s",
	"not an office of %s%s; its offices: %s":                                               "no es un cargo de %s%s; sus cargos: %s",
	"the leave ends before it starts (from is %s)":                                         "la licencia termina antes de empezar (empieza el %s)",
	"unknown jurisdiction%s; use MX (federal) or a state's ISO 3166-2 code such as MX-JAL": "ámbito desconocido%s; use MX (federal) o el código ISO 3166-2 de un estado, como MX-JAL",

	// how an account is captured (capture.go)
	"vigia has no adapter for the official API of %s; capture its posts with %s": "vigia no tiene adaptador para la API oficial de %s; capture sus publicaciones con %s",
	"%s accounts are captured with %s":                                           "las cuentas de %s se capturan con %s",
	"the official API is read with the office's token, for official accounts only; a personal account (Séptima B) is captured from the export its servant hands in (capture: export)":                                                                                             "la API oficial se lee con el token de la oficina, solo para cuentas oficiales; una cuenta personal (Séptima B) se captura de la exportación que entrega su servidor público (capture: export)",
	"needs token_file: (a file only its owner may read, mode 600) or token_env: (an environment variable) naming where the office's token is; never the token itself":                                                                                                             "necesita token_file: (un archivo que solo su dueño pueda leer, modo 600) o token_env: (una variable de entorno) que diga dónde está el token de la oficina; nunca el token mismo",
	"a token, password or secret never goes in the directory (it is read by whoever reads the directory, and kept in its history); put the token in a file only its owner may read (chmod 600) and name it with token_file:, or in an environment variable named with token_env:": "un token, contraseña o secreto nunca va en el directorio (lo lee quien lea el directorio y queda en su historial); ponga el token en un archivo que solo su dueño pueda leer (chmod 600) y nómbrelo con token_file:, o en una variable de entorno nombrada con token_env:",
	"empty: name the file that holds the token":                                                       "vacío: nombre el archivo que guarda el token",
	"expected a period such as 30d (days), 2w (weeks) or 720h":                                        "se espera un periodo como 30d (días), 2w (semanas) o 720h",
	"expected public, export or api%s":                                                                "se espera public, export o api%s",
	"expected the name of an environment variable (letters, digits and _), such as VIGIA_TOKEN_OBRAS": "se espera el nombre de una variable de entorno (letras, dígitos y _), como VIGIA_TOKEN_OBRAS",
	"give token_file: or token_env:, not both":                                                        "dé token_file: o token_env:, no ambos",
	"only for capture: api (the office's token for the platform's official API)":                      "solo para capture: api (el token de la oficina para la API oficial de la plataforma)",
	"only for capture: export (how often the holder hands in the export)":                             "solo para capture: export (cada cuánto entrega el titular su exportación)",
}

// spanishTexts are messages made elsewhere (a network's handle, an
// address) that a check passes on whole ("%s").
var spanishTexts = []struct {
	re   *regexp.Regexp
	says string
}{
	{regexp.MustCompile(`^not a (\S+) handle; write it (.*)$`), "no es un usuario de $1; escríbalo $2"},
	{regexp.MustCompile(`^not a (\S+) handle; expected (.*)$`), "no es un usuario de $1; se espera $2"},
	{regexp.MustCompile(`^an (\S+) handle is the feed's URL: write it (.*)$`), "el usuario de $1 es la dirección del canal: escríbala $2"},
	{regexp.MustCompile(`^an (\S+) handle is the feed's URL: (.*)$`), "el usuario de $1 es la dirección del canal: $2"},
	{regexp.MustCompile(`^not a URL$`), "no es una dirección web"},
	{regexp.MustCompile(`^expected an http:// or https:// URL$`), "se espera una dirección http:// o https://"},
	{regexp.MustCompile(`^the URL has no host$`), "la dirección no tiene servidor"},
	{regexp.MustCompile(`^credentials do not belong in the directory$`), "las credenciales no van en el directorio"},
	{regexp.MustCompile(`\(without @ or t\.me/\)`), "(sin @ ni t.me/)"},
	{regexp.MustCompile(`^(.*) or did:plc:…$`), "$1 o did:plc:…"},
	{regexp.MustCompile(`the channel id \(UC followed by 22 characters\) or the channel's @handle`), "el identificador del canal (UC y 22 caracteres) o el @nombre del canal"},
}

// didYouMean is suggest.DidYouMean's phrase.
var didYouMean = regexp.MustCompile(` \(did you mean ("[^"]*")\?\)`)

// spanishMessage is the Spanish of a problem's message, "" when the
// catalogue has none.
func spanishMessage(format string, args ...any) string {
	if format == "%s" || format == "%v" {
		if len(args) != 1 {
			return ""
		}
		msg := fmt.Sprint(args[0])
		done := false
		for _, t := range spanishTexts {
			if m := t.re.FindStringSubmatchIndex(msg); m != nil {
				// a network named by its code is named as people write it
				src := []byte(msg)
				var groups []string
				for i := 2; i+1 < len(m); i += 2 {
					if m[i] >= 0 {
						groups = append(groups, msg[m[i]:m[i+1]])
					}
				}
				out := t.re.Expand(nil, []byte(t.says), src, m)
				for _, g := range groups {
					if n := archive.Network(g); n.Valid() {
						out = []byte(strings.Replace(string(out), " "+g, " "+spanish.Network(n), 1))
					}
				}
				msg, done = msg[:m[0]]+string(out)+msg[m[1]:], true
			}
		}
		if !done {
			return ""
		}
		return msg
	}
	es, ok := spanishFormats[format]
	if !ok {
		return ""
	}
	out := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok && strings.Contains(s, "(did you mean") {
			a = didYouMean.ReplaceAllString(s, " (¿quiso decir $1?)")
		}
		if n := archive.Network(fmt.Sprint(a)); n.Valid() {
			a = spanish.Network(n)
		}
		out[i] = a
	}
	return fmt.Sprintf(es, out...)
}
