package access

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
)

const (
	// maxRecord bounds a WARC record read back, decompressed. The crawler
	// caps a response body at 16 MiB.
	maxRecord = 256 << 20
	// requestWindow is how far before a response record its request record
	// is looked for: a request record holds a request head, well under it.
	requestWindow = 64 << 10
	// openSuffix ends the name of the WARC file a crawl is still writing;
	// the records a reference points at are already on stable storage.
	openSuffix = ".open"
)

// gzipModTime gives the warcinfo member the gzip header that archive/warc
// writes and its Verify expects: the modification time field holds Go's
// zero time cut to 32 bits.
var gzipModTime = time.Unix(int64(uint32(time.Time{}.Unix())), 0)

// record is one WARC record read back from its gzip member.
type record struct {
	raw          []byte // the gzip member, as in the file
	id, typ      string // WARC-Record-ID, WARC-Type
	digest       string // WARC-Block-Digest
	payload      string // WARC-Payload-Digest
	warcinfo     string // WARC-Warcinfo-ID: the warcinfo record of the file it was written to
	concurrentTo []string
	refersTo     string // WARC-Refers-To, of a revisit
	block        []byte // for a revisit, the HTTP head alone: the payload is the one of refersTo's
}

// writeEvidence writes evidencia.warc.gz: a warcinfo record, then the
// evidence of each version delivered (builder.evidence), each record once,
// preceded by the warcinfo record of the file it comes from (which its
// WARC-Warcinfo-ID names) the first time a record of that file is written.
func (b *builder) writeEvidence(w io.Writer) error {
	if err := b.warcinfo(w); err != nil {
		return err
	}
	if b.opt.WARCDir == "" {
		return nil
	}
	files := map[string]*warcFile{}
	defer func() {
		for _, f := range files {
			f.close()
		}
	}()
	done := map[string]outcome{} // by WARC-Record-ID of the response
	copied := map[string]bool{}  // by WARC-Record-ID of each record written
	for _, e := range b.evidence() {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		ref := e.ref
		if ref.IsZero() {
			b.pkg.Missing = append(b.pkg.Missing, e.name+": sin referencia a evidencia WARC")
			continue
		}
		o, seen := done[ref.RecordID]
		if !seen {
			var err error
			if o, err = b.copyEvidence(w, files, ref, copied); err != nil {
				return err
			}
			done[ref.RecordID] = o
		}
		if o.why == "" {
			continue
		}
		line := fmt.Sprintf("%s (archivo %s, registro %s): %s", e.name, ref.File, ref.RecordID, o.why)
		if o.withheld {
			b.pkg.Withheld = append(b.pkg.Withheld, line)
		} else {
			b.pkg.Missing = append(b.pkg.Missing, line)
		}
	}
	return nil
}

// outcome is what became of the evidence of a reference: why, in Spanish,
// it was not copied ("" when it was), and whether it was withheld rather
// than missing.
type outcome struct {
	why      string
	withheld bool
}

// copyEvidence writes to w the records of ref that copied does not hold yet,
// unless they cannot be read or must be withheld.
func (b *builder) copyEvidence(w io.Writer, files map[string]*warcFile, ref archive.WARCRef, copied map[string]bool) (outcome, error) {
	recs, why := b.fetch(files, ref)
	if why != "" {
		return outcome{why: why}, nil
	}
	if why := b.opt.beside.unsafeRecord(recs); why != "" {
		return outcome{why: why, withheld: true}, nil
	}
	if why := withhold(recs, b.secrets); why != "" {
		return outcome{why: why, withheld: true}, nil
	}
	for _, r := range recs {
		if copied[r.id] {
			continue
		}
		if _, err := w.Write(r.raw); err != nil {
			return outcome{}, err
		}
		copied[r.id] = true
		b.pkg.EvidenceRecords++
	}
	return outcome{}, nil
}

// fetch reads the response record ref points at, and the request record
// before it when it can be found, and checks them; when they name a
// warcinfo record, it comes first: the one that opens their file. When the
// response record is a revisit (the payload was the same as an earlier
// capture's), the response it refers to comes first, with its own warcinfo
// record, so that the package holds the payload. why says, in Spanish, what
// kept them from being read or is wrong with them.
func (b *builder) fetch(files map[string]*warcFile, ref archive.WARCRef) (recs []*record, why string) {
	recs, resp, why := b.fetchAt(files, ref, true)
	if why != "" || resp.typ != "revisit" {
		return recs, why
	}
	orig, why := b.original(files, resp)
	if why != "" {
		return nil, why
	}
	return append(orig, recs...), ""
}

// original returns the response the revisit rev refers to, preceded by the
// warcinfo record of its file; why says, in Spanish, why it cannot.
func (b *builder) original(files map[string]*warcFile, rev *record) (recs []*record, why string) {
	if b.originals == nil {
		var err error
		if b.originals, err = warc.Originals(b.opt.WARCDir); err != nil && len(b.originals) == 0 {
			b.originals = map[string]warc.Original{}
		}
	}
	o, ok := b.originals[rev.refersTo]
	if !ok {
		return nil, fmt.Sprintf("es una revisita de %s, que no se encontró en la evidencia", rev.refersTo)
	}
	recs, orig, why := b.fetchAt(files, archive.WARCRef{File: o.File, RecordID: o.RecordID, Offset: o.Offset}, false)
	switch {
	case why != "":
		return nil, fmt.Sprintf("es una revisita de %s, que no se pudo leer: %s", rev.refersTo, why)
	case orig.typ != "response" || !strings.EqualFold(orig.payload, rev.payload):
		return nil, fmt.Sprintf("es una revisita de %s, que no tiene su contenido (%s)", rev.refersTo, rev.payload)
	}
	return recs, ""
}

// fetchAt reads the record ref points at and checks it is that record;
// with its request (withRequest) when it can be found; and, first, the
// warcinfo record that opens its file when it names one. It returns the
// records and the one ref points at.
func (b *builder) fetchAt(files map[string]*warcFile, ref archive.WARCRef, withRequest bool) (recs []*record, resp *record, why string) {
	if ref.File != filepath.Base(ref.File) || ref.File == "." || ref.File == ".." {
		return nil, nil, "nombre de archivo no válido"
	}
	f, ok := files[ref.File]
	if !ok {
		f = openWARC(filepath.Join(b.opt.WARCDir, ref.File))
		files[ref.File] = f
	}
	switch {
	case errors.Is(f.err, fs.ErrNotExist):
		return nil, nil, "no se encontró el archivo"
	case f.err != nil:
		cause := f.err
		if pe := (*fs.PathError)(nil); errors.As(cause, &pe) {
			cause = pe.Err // the report is public: no paths of the office's machines
		}
		return nil, nil, "no se pudo abrir el archivo: " + cause.Error()
	case ref.Offset < 0 || ref.Offset >= f.size:
		return nil, nil, fmt.Sprintf("el desplazamiento %d está fuera del archivo", ref.Offset)
	}
	resp, err := readMember(f.f, ref.Offset, f.size)
	switch {
	case err != nil:
		return nil, nil, fmt.Sprintf("no se pudo leer el registro en el desplazamiento %d: %v", ref.Offset, err)
	case resp.id != ref.RecordID:
		return nil, nil, fmt.Sprintf("en el desplazamiento %d está el registro %s, no el referido", ref.Offset, resp.id)
	case ref.Digest != "" && !strings.EqualFold(resp.digest, ref.Digest):
		return nil, nil, "su WARC-Block-Digest no es el de la referencia"
	}
	if withRequest {
		if req := findRequest(f.f, ref.Offset, f.size, resp); req != nil {
			recs = append(recs, req)
		}
	}
	recs = append(recs, resp)
	if resp.warcinfo == "" {
		return recs, resp, ""
	}
	info, err := f.warcinfo()
	switch {
	case err != nil:
		return nil, nil, fmt.Sprintf("no se pudo leer el registro warcinfo al inicio del archivo: %v", err)
	case info.id != resp.warcinfo:
		return nil, nil, fmt.Sprintf("su registro warcinfo %s no es el que abre el archivo", resp.warcinfo)
	}
	if recs[0] != resp && recs[0].warcinfo != "" && recs[0].warcinfo != info.id {
		recs = recs[1:] // a request of another file's warcinfo is not its request
	}
	return append([]*record{info}, recs...), resp, ""
}

// warcFile is a WARC file opened for reading, or why it could not be.
type warcFile struct {
	f    *os.File
	size int64
	err  error

	info    *record // the warcinfo record that opens it, once read
	infoErr error
}

// warcinfo returns the warcinfo record at the start of the file: where
// archive/warc writes the one every other record of the file names.
func (f *warcFile) warcinfo() (*record, error) {
	if f.info == nil && f.infoErr == nil {
		f.info, f.infoErr = readMember(f.f, 0, f.size)
		if f.infoErr == nil && f.info.typ != "warcinfo" {
			f.info, f.infoErr = nil, fmt.Errorf("the first record is %s %s", f.info.typ, f.info.id)
		}
	}
	return f.info, f.infoErr
}

// openWARC opens the WARC file at path or, while a crawl is still writing
// it, at path+".open" (tried before path again, in case the crawl renamed
// it meanwhile).
func openWARC(path string) *warcFile {
	var f *os.File
	var err error
	for _, p := range []string{path, path + openSuffix, path} {
		if f, err = os.Open(p); !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err != nil {
		return &warcFile{err: err}
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return &warcFile{err: err}
	}
	return &warcFile{f: f, size: fi.Size()}
}

func (f *warcFile) close() {
	if f.f != nil {
		f.f.Close()
	}
}

// findRequest returns the request record that the response resp, at offset,
// names in WARC-Concurrent-To, when it is the gzip member that ends exactly
// where resp starts; nil otherwise.
func findRequest(f io.ReaderAt, offset, size int64, resp *record) *record {
	if len(resp.concurrentTo) == 0 {
		return nil
	}
	from := max(0, offset-requestWindow)
	buf := make([]byte, offset-from)
	if _, err := f.ReadAt(buf, from); err != nil {
		return nil
	}
	magic := []byte{0x1f, 0x8b, 0x08}
	for end := len(buf); ; {
		i := bytes.LastIndex(buf[:end], magic)
		if i < 0 {
			return nil
		}
		end = i
		start := from + int64(i)
		r, err := readMember(f, start, size)
		if err != nil || start+int64(len(r.raw)) != offset {
			continue
		}
		if r.typ == "request" && r.id == resp.concurrentTo[0] {
			return r
		}
		return nil
	}
}

// readMember reads, with gowarc's reader (warc.ReadAt), the WARC record at
// offset of f, a file of size bytes, checking its digests.
func readMember(f io.ReaderAt, offset, size int64) (*record, error) {
	s, err := warc.ReadAt(f, size, offset, maxRecord)
	if err != nil {
		return nil, err
	}
	return &record{raw: s.Raw, id: s.ID, typ: s.Type, digest: s.BlockDigest, payload: s.PayloadDigest,
		warcinfo: s.WarcinfoID, concurrentTo: s.ConcurrentTo, refersTo: s.RefersTo, block: s.Block}, nil
}

// warcinfo writes the warcinfo record that opens evidencia.warc.gz, as a
// gzip member of its own.
func (b *builder) warcinfo(w io.Writer) error {
	var block bytes.Buffer
	field := func(name, value string) {
		fmt.Fprintf(&block, "%s: %s\r\n", name, strings.Join(strings.Fields(value), " "))
	}
	field("software", "vigia")
	field("format", "WARC File Format 1.1")
	field("conformsTo", "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/")
	field("isPartOf", "solicitud "+b.req.Folio)
	field("description", fmt.Sprintf("Evidencia de la respuesta a la solicitud de acceso a la información con folio %s, preparada el %s.",
		b.req.Folio, spanishDate(b.now.In(b.loc))))
	if b.req.Subject != "" {
		field("operator", b.req.Subject)
	}
	var rec bytes.Buffer
	fmt.Fprintf(&rec, "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: %s\r\n"+
		"WARC-Filename: %s\r\nContent-Type: application/warc-fields\r\nContent-Length: %d\r\nWARC-Block-Digest: sha256:%x\r\n\r\n",
		uuid(), b.now.UTC().Format(time.RFC3339), fileEvidence, block.Len(), sha256.Sum256(block.Bytes()))
	rec.Write(block.Bytes())
	rec.WriteString("\r\n\r\n")
	zw := gzip.NewWriter(w)
	zw.ModTime = gzipModTime
	if _, err := zw.Write(rec.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

// uuid returns a random (version 4) UUID.
func uuid() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}
