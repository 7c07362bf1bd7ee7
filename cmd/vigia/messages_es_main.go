package main

// esMain is the Spanish of vigia help, of the flags and errors every
// command shares, and of the commands with no area of their own.
var esMain = map[string]string{
	// main.go
	"vigia keeps public servants' social-media posts as public records.\n\nUsage: vigia COMMAND [flags]\n\nCommands:\n":                                               "vigia conserva como registros públicos las publicaciones de los servidores\npúblicos en redes sociales.\n\nUso: vigia COMANDO [opciones]\n\nComandos:\n",
	"\nRun \"vigia COMMAND -h\" for a command's flags. Start with \"vigia demo\".\nThe archive is ./vigia.duckdb unless --archive or VIGIA_ARCHIVE says otherwise.\n": "\nEjecute \"vigia COMANDO -h\" para ver las opciones de un comando. Empiece con\n\"vigia demo\". El archivo es ./vigia.duckdb, salvo que --archive o VIGIA_ARCHIVE\nindiquen otro.\n",
	"vigia: unknown command %q%s; run \"vigia help\"\n": "vigia: no existe el comando %q%s; ejecute \"vigia help\"\n",
	" (did you mean %q?)":                               " (¿quiso decir %q?)",

	// flags.go
	"unknown flag %s%s; run \"vigia %s -h\" for the flags": "no existe la opción %s%s; ejecute \"vigia %s -h\" para ver las opciones",
	" (did you mean --%s?)":                                " (¿quiso decir --%s?)",
	"%s needs a value":                                     "%s necesita un valor",
	"expected %s":                                          "se esperaba %s",
	"a whole number":                                       "un número entero",
	"a whole number, 0 or more":                            "un número entero, 0 o mayor",
	"a number":                                             "un número",
	"a duration such as 90s, 15m or 168h":                  "una duración como 90s, 15m o 168h",
	"true or false":                                        "true o false",
	" or ":                                                 " o ",
	"Usage: vigia %s\n\n%s\n":                              "Uso: vigia %s\n\n%s\n",
	"\nFlags:\n":                                           "\nOpciones:\n",
	"INT":                                                  "ENTERO",
	"DURATION":                                             "DURACIÓN",
	"STRING":                                               "TEXTO",
	"FLOAT":                                                "NÚMERO",
	"VALUE":                                                "VALOR",
	" (default %s)":                                        " (predeterminado: %s)",
	formatUsage:                                            "`FORMATO` de la salida: ",
	timeZoneUsage:                                          "`ZONA` (nombre IANA) ",
	networkUsage:                                           "solo esta red `N`: ",
	roleUsage:                                              "`ROL` del usuario: ",
	crawlEveryUsage:                                        "con --crawl-every: ",
	"the archive `A`: .duckdb file or clickhouse://host:port/db URL (default ./vigia.duckdb, or VIGIA_ARCHIVE)": "el archivo `A`: un archivo .duckdb o una URL clickhouse://host:port/db (predeterminado: ./vigia.duckdb, o VIGIA_ARCHIVE)",
	"--timezone %q: unknown time zone": "--timezone %q: zona horaria desconocida",
	"`FILE` of the policy: its clauses, account rules and publication threshold (default: the embedded policy of 2019, threshold 0.75)": "`ARCHIVO` de la política: sus lineamientos, reglas por cuenta y umbral de publicación (predeterminado: la política integrada de 2019, umbral 0.75)",
	"table or jsonl": "table o jsonl",
	"table or json":  "table o json",
	"text or json":   "text o json",

	// subcommand.go
	"missing subcommand: expected %s":                              "falta el subcomando: se esperaba %s",
	"unknown subcommand %q%s; expected %s":                         "no existe el subcomando %q%s; se esperaba %s",
	"Usage: vigia %s SUBCOMMAND [flags]\n\nSubcommands:\n":         "Uso: vigia %s SUBCOMANDO [opciones]\n\nSubcomandos:\n",
	"\nRun \"vigia %s SUBCOMMAND -h\" for a subcommand's flags.\n": "\nEjecute \"vigia %s SUBCOMANDO -h\" para ver las opciones de un subcomando.\n",

	// wiring.go
	"print vigia's version and archive schema version": "muestra la versión de vigia y la del esquema del archivo",
	"version": "version",
	"Prints the version of vigia and of the archive schema it writes.":                                       "Muestra la versión de vigia y la del esquema de archivo que escribe.",
	"--cluster %q: only a clickhouse:// archive runs on a cluster":                                           "--cluster %q: solo un archivo clickhouse:// funciona en un clúster",
	"VIGIA_SPOOL_MAX_BYTES %q: expected a number of bytes":                                                   "VIGIA_SPOOL_MAX_BYTES %q: se esperaba un número de bytes",
	"archive %q does not exist: run \"vigia demo\" or \"vigia crawl\" first, or name another with --archive": "el archivo %q no existe: ejecute antes \"vigia demo\" o \"vigia crawl\", o indique otro con --archive",
	"archive %q: expected a path ending in .duckdb or a clickhouse://host:port/db URL":                       "archivo %q: se esperaba una ruta terminada en .duckdb o una URL clickhouse://host:port/db",

	// messages.go: a crawl status without a code
	"never crawled": "nunca rastreada",

	// wiring.go, lockwait.go: the archive and who holds it
	"%w (another vigia writes to it: a vigia serve --crawl-every holds it while it runs, so read it through that server's application and API; a vigia crawl holds it only while it appends)": "%w (otro vigia escribe en él: un vigia serve --crawl-every lo tiene mientras funciona, así que consúltelo con la aplicación y la API de ese servidor; un vigia crawl lo tiene solo mientras escribe)",
	"delivered %d batches from the spool at %s to %s\n":                               "lotes entregados: %d, de la cola local %s a %s\n",
	"deliver the %d batches waiting in the spool at %s: %w":                           "entregar los %d lotes que esperan en la cola local %s: %w",
	"vigia: the archive %s is held by %s; waiting for it (up to %s)\n":                "vigia: el archivo %s lo tiene %s; se espera a que quede libre (hasta %s)\n",
	"vigia crawl: the archive %s is free again after %s\n":                            "vigia crawl: el archivo %s volvió a quedar libre después de %s\n",
	"vigia crawl: waiting for the archive %s, held by %s, %s (waited %s; up to %s)\n": "vigia crawl: esperando el archivo %s, que tiene %s, %s (espera de %s; hasta %s)\n",
	"before crawling": "antes de rastrear",
	"to deliver the batches safe in the spool at %s":                              "para entregar los lotes resguardados en la cola local %s",
	"for the crawler that crawls into it to end":                                  "a que termine el rastreador que escribe en él",
	"%w: another crawler holds %s: held in %s":                                    "%w: otro rastreador tiene %s: lo tiene %s",
	"%w; stop it, or let vigia serve --crawl-every be the archive's only crawler": "%w; deténgalo, o deje que vigia serve --crawl-every sea el único rastreador del archivo",
	"lock the crawler of %s: %w":                                                  "bloquear el rastreador de %s: %w",

	"vigia %s (archive schema %d)\n": "vigia %s (esquema del archivo %d)\n",
}
