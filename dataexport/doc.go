// Package dataexport reads the data exports that X, Facebook, Instagram and
// TikTok give an account's holder ("Download your data"), which an office
// requires its servants to hand in, and imports their posts into the
// archive as post versions like crawled ones (vigia import).
//
// The contract:
//
//   - Open reads what was handed in (a zip, a folder, or a single JSON
//     file) and keeps its bytes and SHA-256: the export is evidence.
//   - Each network's sub-package (dataexport/x, facebook, instagram,
//     tiktok) exports a Reader that recognises its platform's layout and
//     reads it into an Export: the account the export names and where,
//     its posts (with the versions an X archive keeps of an edited post),
//     and the posts it lists as deleted. The readers know only layouts
//     documented by the platforms or seen in public parsers of real
//     exports (testdata/README.md names them); any other layout is a
//     clear error naming the file and what was looked for.
//   - Import checks the export is of the account (network and handle),
//     keeps the file whole as a WARC resource record and each new
//     version's part of it (the post's own JSON) as a resource record made
//     from it, then compares every post with the archive's heads as the
//     crawl does (archive.ContentHash): first_seen, edited, restored, a
//     decision by the same judge, a capture of every post. Posts the
//     export lists as deleted are deleted at the source with the export as
//     evidence. Posts an earlier export had and this one lacks, inside the
//     span of time it covers, are reported one by one; they are marked
//     deleted only when the export says it is whole and most of what the
//     archive holds in that span is still there: a partial export never
//     deletes anything.
//
// Nothing is archived from an export that fails a check: the checks run
// before the first record is written.
package dataexport
