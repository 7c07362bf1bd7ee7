// Package redact masks the personal data of third parties in the text of a
// post, to build its versión pública: e-mail addresses, Mexican telephone
// numbers and @mentions of private accounts are replaced ("testados") by a
// fixed placeholder, and each replacement is reported with its legal basis.
//
// Placeholders:
//
//	[correo testado]     e-mail addresses
//	[teléfono testado]   telephone numbers
//	[mención testada]    @mentions of accounts that are not public
//
// Mentions of public accounts (the body's directory, public figures and
// institutions) are kept; the caller lists them. URLs are left entirely as
// written, including any "@" or digits inside them.
//
// The contract, which the tests check: marks are sorted, do not overlap and
// give byte offsets into the original text; valid UTF-8 in gives valid UTF-8
// out; and redacting an output again finds nothing more to mask. Detection errs on the side of masking: a masked word
// that was not personal data costs a reader little, an unmasked telephone
// number cannot be taken back.
//
// Telephone numbers are recognised in their usual written forms: ten digits
// whose first is 2-9, optionally after +52, 52, 01, 044 or 045, grouped by
// spaces, dots, dashes or an area code in parentheses ("33 1234 5678",
// "(33) 1234-5678", "+52 33 1234 5678", "3312345678"). Forms that ordinary
// numbers also take (eight-digit local numbers such as "3614-5678", ten digits
// in pairs) are masked only after a word such as "tel.", "cel.", "teléfono" or
// "WhatsApp". Numbers after words such as "folio", "expediente" or "oficio",
// amounts after "$" or before "pesos", dates, times and digits that belong to
// longer numbers are left alone.
package redact
