package archive

import (
	"fmt"
	"strings"
	"time"
)

// A version read from a platform's data export, handed in by the account's
// holder (vigia import), has for SourceURL the URI of that export: the
// network, the SHA-256 of the file as handed in, and the day the office
// received it, e.g.
//
//	urn:vigia:export:x:sha256:9f86d0…:2026-12-05
//
// The same URI is the WARC-Target-URI of the resource record that keeps the
// file whole; a version's own record (its part of the file) adds "#" and the
// post's id.
const exportURIPrefix = "urn:vigia:export:"

// ExportSource names one data export handed in by an account's holder.
type ExportSource struct {
	Network  Network
	SHA256   string    // of the file as handed in, lower-case hex
	Received time.Time // the day the office received it (a date, UTC midnight)
}

// URI is the export's URI, the SourceURL of the versions read from it.
func (s ExportSource) URI() string {
	return fmt.Sprintf("%s%s:sha256:%s:%s", exportURIPrefix, s.Network, s.SHA256, s.Received.UTC().Format(time.DateOnly))
}

// ParseExportURI reads the URI of an export (a fragment after it, naming a
// post, is ignored); ok is false for any other URL.
func ParseExportURI(u string) (s ExportSource, ok bool) {
	rest, found := strings.CutPrefix(u, exportURIPrefix)
	if !found {
		return ExportSource{}, false
	}
	rest, _, _ = strings.Cut(rest, "#")
	parts := strings.Split(rest, ":")
	if len(parts) != 4 || parts[1] != "sha256" || len(parts[2]) != 64 {
		return ExportSource{}, false
	}
	day, err := time.Parse(time.DateOnly, parts[3])
	if err != nil {
		return ExportSource{}, false
	}
	return ExportSource{Network: Network(parts[0]), SHA256: parts[2], Received: day}, true
}

// Imported reports whether the version was read from a data export handed
// in by the account's holder, not captured by vigia.
func (p *Post) Imported() bool {
	_, ok := ParseExportURI(p.SourceURL)
	return ok
}

// Provenance says, in Spanish, where the version comes from: imported from
// the holder's export (and the day it was handed in), or captured by vigia.
func (p *Post) Provenance() string {
	if s, ok := ParseExportURI(p.SourceURL); ok {
		return "importado de la exportación del titular, entregada el " + s.Received.Format(time.DateOnly)
	}
	return "capturado por vigia"
}
