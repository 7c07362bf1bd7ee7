package main

import "golang.org/x/text/message/catalog"

// pluralEN and pluralES are the messages that show a count, with a form
// for one and another for the rest; the count is their first argument.
var (
	pluralEN = map[string]catalog.Message{
		"%d accounts":           plurals(1, "%d account", "%d accounts"),
		"%d accounts have":      plurals(1, "%d account has", "%d accounts have"),
		"%d requests":           plurals(1, "%d request", "%d requests"),
		"%d posts seen":         plurals(1, "%d post seen", "%d posts seen"),
		"%d new versions":       plurals(1, "%d new version", "%d new versions"),
		"%d archived posts":     plurals(1, "%d archived post", "%d archived posts"),
		"%d posts":              plurals(1, "%d post", "%d posts"),
		"%d versions":           plurals(1, "%d version", "%d versions"),
		"%d delivered posts":    plurals(1, "%d delivered post", "%d delivered posts"),
		"%d posts delivered":    plurals(1, "%d post delivered", "%d posts delivered"),
		"%d versions delivered": plurals(1, "%d version delivered", "%d versions delivered"),
		"%d lines":              plurals(1, "%d line", "%d lines"),
		"%d entries":            plurals(1, "%d entry", "%d entries"),
		"%d WARC files":         plurals(1, "%d WARC file", "%d WARC files"),
		"%d records":            plurals(1, "%d record", "%d records"),
		"%d archive references": plurals(1, "%d archive reference", "%d archive references"),
		"%d problems":           plurals(1, "%d problem", "%d problems"),
		"%d things":             plurals(1, "%d thing", "%d things"),
		"%d posts await review": plurals(1, "%d post awaits review", "%d posts await review"),
	}
	pluralES = map[string]catalog.Message{
		"%d accounts":           plurals(1, "%d cuenta", "%d cuentas"),
		"%d accounts have":      plurals(1, "%d cuenta no ha", "%d cuentas no han"),
		"%d requests":           plurals(1, "%d solicitud", "%d solicitudes"),
		"%d posts seen":         plurals(1, "%d publicación vista", "%d publicaciones vistas"),
		"%d new versions":       plurals(1, "%d versión nueva", "%d versiones nuevas"),
		"%d archived posts":     plurals(1, "%d publicación archivada", "%d publicaciones archivadas"),
		"%d posts":              plurals(1, "%d publicación", "%d publicaciones"),
		"%d versions":           plurals(1, "%d versión", "%d versiones"),
		"%d delivered posts":    plurals(1, "%d publicación entregada", "%d publicaciones entregadas"),
		"%d posts delivered":    plurals(1, "%d publicación entregada", "%d publicaciones entregadas"),
		"%d versions delivered": plurals(1, "%d versión entregada", "%d versiones entregadas"),
		"%d lines":              plurals(1, "%d línea", "%d líneas"),
		"%d entries":            plurals(1, "%d entrada", "%d entradas"),
		"%d WARC files":         plurals(1, "%d archivo WARC", "%d archivos WARC"),
		"%d records":            plurals(1, "%d registro", "%d registros"),
		"%d archive references": plurals(1, "%d referencia del archivo", "%d referencias del archivo"),
		"%d problems":           plurals(1, "%d problema", "%d problemas"),
		"%d things":             plurals(1, "%d dato", "%d datos"),
		"%d posts await review": plurals(1, "%d publicación espera revisión", "%d publicaciones esperan revisión"),
	}
)
