// Package wacz writes WACZ files (Web Archive Collection Zipped, version
// 1.1.1 of the specification at https://specs.webrecorder.net/wacz/1.1.1/),
// the form in which archivists open web archives in ReplayWeb.page.
//
// A WACZ file is a zip holding:
//
//   - archive/NAME.warc.gz: the WARC files, stored as they are (method
//     Store), so that a reader seeks straight to a record's gzip member;
//   - indexes/index.cdxj: one line per record a replay looks up (responses,
//     revisits, resources), sorted: the URL's SURT key, the 14-digit time
//     of the capture, and a JSON object with url, mime, status, digest,
//     length and offset of the record's gzip member in its file, and the
//     file's name (archive/warc.CDXJ, the form warcio.js writes);
//   - pages/pages.jsonl: a header line, then one line per page a person
//     opens the archive at (url, ts, title);
//   - datapackage.json: profile "data-package", wacz_version "1.1.1", and
//     every file above with its SHA-256 ("sha256:HEX") and size in bytes;
//   - datapackage-digest.json: the SHA-256 of datapackage.json.
//
// Write takes closed WARC files (an access package's evidence extract, or
// an extract of the crawl's own files) and reads each record once with
// gowarc to index it.
package wacz
