// Package calendar counts business days (días hábiles) for the legal
// deadlines of access-to-information requests.
//
// A request must be answered within a number of business days counted from
// the day after it was received: 20 under article 132 of the Ley General de
// Transparencia y Acceso a la Información Pública. State laws set their own
// terms (Jalisco's Ley de Transparencia y Acceso a la Información Pública del
// Estado de Jalisco y sus Municipios among them), so the number is part of
// the configuration, not of the code.
//
// A day is not a business day when it is a Saturday or a Sunday, a statutory
// holiday (Ley Federal del Trabajo, art. 74), or a day the obligated body
// declared non-working; a day the body declared working is a business day
// whatever else applies. Holidays that are not fixed in advance, such as an
// election day (art. 74, fraction IX), and the days most bodies close by
// agreement (Holy Thursday and Friday, 2 November, 12 December, vacation
// periods) must be declared by the body.
//
// # Configuration file
//
// A calendar is read from a YAML file. Every key is optional; an empty file
// gives the defaults:
//
//	dias_habiles: 20                  # business days to answer
//	zona_horaria: America/Mexico_City # IANA name of the body's time zone
//	inhabiles:                        # days the body declared non-working
//	  - 2026-12-21..2027-01-01        # a range, both ends included
//	  - 2026-11-02
//	habiles: []                       # days declared working; they win over everything
//	sin_feriados_de_ley: false        # true: do not add the statutory holidays
//
// Days are written YYYY-MM-DD; a range is two days joined by "..", at most a
// year long. Unknown keys and malformed days are errors that name the file,
// line and key, so that a transparency officer can fix the file alone.
package calendar
