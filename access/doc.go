// Package access builds the package that answers an access-to-information
// request (solicitud de acceso a la información): the posts found, as a
// spreadsheet and as JSON lines, their WARC evidence, a report in Spanish
// for the requester and a manifest of SHA-256 digests, in a folder and in a
// zip of it.
//
// Contract of a package (DIR and DIR.zip; DIR's parents are made when
// missing):
//
//   - A post is delivered with every version of it that is public
//     information, each on its own decision (archive.PostHistory.PublicOf,
//     from the histories Answer reads): publicaciones.csv has a row per
//     version delivered, publicaciones.jsonl nests them, the report shows
//     each with its word diff from the one before, and the evidence carries
//     each one's record. A version that is not public (decided personal, or
//     an edit a person has not decided of a post a person decided) is
//     withheld and counted: nothing it says is written anywhere in the
//     package, nor its record. Posts none of whose versions is public —
//     personal ones (policy Sexta) and those awaiting review — are counted,
//     and the report says why they are not delivered, but nothing they say
//     is written anywhere in the package. A post found by a text search
//     only through a withheld version delivers nothing. Who decided is
//     "persona" (JSON: "person") for a person, never a name.
//   - With Options.Redact, the package is a versión pública: the text of each
//     delivered version is the redacted one everywhere (the strings masked are
//     also masked in the decision's rationale, the post it replies to or
//     reposts and the media descriptions), its content_sha256 is left
//     empty (the hash of the original would confirm a guess of what was
//     masked), and the report lists what was masked (post, kind, legal
//     basis), never the masked text.
//   - evidencia.warc.gz opens with a warcinfo record describing the package,
//     followed by the WARC records of the delivered posts (the response
//     record, and the request record written just before it when it is
//     found), copied byte for byte from the archive's WARC files after
//     checking their WARC-Record-ID and WARC-Block-Digest. The first record
//     copied from each WARC file is preceded by the warcinfo record that
//     opens that file, copied byte for byte too: every WARC-Warcinfo-ID in
//     the package names a record in it, and no record is rewritten, so every
//     digest verifies as in the archive.
//   - A package delivers the evidence of every post it delivers. Evidence
//     that cannot be copied (no reference, a file gone, a record damaged or
//     not the one referred to, a file without its warcinfo record) fails
//     Build with a *MissingEvidenceError naming the posts, unless
//     Options.AllowMissingEvidence says to build without it; then it is
//     listed in Package.Missing and in the report, which says it was asked
//     for.
//   - A WARC response record is a whole HTTP response, usually a page listing
//     several posts. A record that holds the text of a post left out or a
//     string masked by Redact is not copied: it is listed in
//     Package.Withheld and in the report. The check reads the body through
//     its Content-Encoding (gzip, deflate), JSON strings, HTML tags and
//     entities; a record it cannot read is withheld too. It can only look
//     for the posts it was given: a page may hold posts that did not match
//     the search, which no check here can see. Withheld evidence does not
//     stop a build. Build with Options.WARCDir empty when the evidence must
//     not leave the office.
//   - The folio is written verbatim (the report HTML-escapes it) in the
//     report, the manifest's first line and the warcinfo record; it may
//     hold any character but control characters, up to 100. No file name
//     is made of it: callers that name a folder after it use SafeName.
//   - publicaciones.csv is for people, for Excel in Spanish (Mexico): a
//     byte order mark, commas, dates as dd/mm/aaaa hh:mm:ss in Mexico City
//     time, confidences cut to two decimals; it starts with an apostrophe
//     every cell a spreadsheet would run as a formula
//     (internal/spreadsheet). publicaciones.jsonl keeps every value exact.
//   - A versión pública never masks an account of the directory (any name
//     posts mention it by) nor one of Masking.Public, and cites for each
//     mask the basis of the policy's texts (classifier.AnswerTexts).
//   - respuesta.html is the answer for the requester: whose each account
//     is (servant and position, or area), the notice of the recurso de
//     revisión, the signature block, how to check the package. What is
//     the office's own (the deadline, who prepared it, the zip's SHA-256)
//     is in DIR-registro-interno.html, written beside the zip, never in it.
//   - MANIFIESTO.sha256 is written last and lists every other file in the
//     format of sha256sum, after a comment line naming the request, so that
//     "sha256sum -c MANIFIESTO.sha256" in the folder checks the package;
//     VerifyPackage checks it, the WARC extract and the WACZ, in Spanish.
//   - The folder is 0700, its files and the zip 0600: only the office's
//     user reads a package until it is delivered.
//   - Every file is synced to stable storage before the next is written; if
//     Build fails, what it wrote is removed.
package access
