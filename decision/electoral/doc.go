// Package electoral is the calendar of electoral campaigns that decisions
// read: for each jurisdiction (the federation, each state), the electoral
// processes it holds, each with its election day, its campaign periods (one
// per set of offices when the offices campaign on different dates) and,
// when known, the veda, the days of silence before the vote.
//
// Partisan and electoral content is not the exercise of a public function
// (policy Sexta): while a servant is a candidate, the posts of their
// registered personal account published during the campaign of their
// process are read against this calendar. The periods are public data,
// agreed by the electoral authorities (INE for federal processes, each
// state's institute for local ones), so they live in a file, not in code:
// vigia embeds the periods it can document (Default, campanas.yaml), and an
// office adds its own processes, or corrects one, in a file of the same
// format that its directory names (`campaigns:`; Load, Calendar.With).
//
// # File format
//
// Keys are Spanish, as in the business-day calendar (access/calendar):
//
//	procesos:
//	  - jurisdiccion: MX-JAL               # ISO 3166-2: MX (federal) or MX-XXX (a state)
//	    proceso: Proceso Electoral Local Concurrente 2023-2024 de Jalisco
//	    jornada: 2024-06-02                # election day
//	    campanas:
//	      - cargos: [gubernatura]
//	        periodo: 2024-03-01..2024-05-29 # both ends included
//	      - cargos: [diputacion, ayuntamiento]
//	        periodo: 2024-03-31..2024-05-29
//	    veda: 2024-05-30..2024-06-01       # optional
//	    fuente: IEPC Jalisco, calendario integral del proceso (18-09-2023)
//
// Days are written YYYY-MM-DD and read in the directory's time zone. Every
// key but veda is required; unknown keys, malformed days, a campaign that
// ends after the election, and two processes of one jurisdiction on the
// same election day are errors naming the file, line and key.
package electoral
