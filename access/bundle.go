package access

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/vigia-mx/vigia/internal/durable"
)

// writeManifest lists every file written so far with its digest, in the
// format of sha256sum, after a comment line (which sha256sum -c and shasum
// -c skip) naming the request by its folio.
func (b *builder) writeManifest(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "# Solicitud de acceso a la información, folio %s\n", b.req.Folio); err != nil {
		return err
	}
	for name := range b.sums {
		b.pkg.Files = append(b.pkg.Files, name)
	}
	slices.Sort(b.pkg.Files)
	for _, name := range b.pkg.Files {
		if _, err := fmt.Fprintf(w, "%s  %s\n", b.sums[name], name); err != nil {
			return err
		}
	}
	return nil
}

// writeZip syncs the package folder and writes its zip beside it: the
// folder's files under its base name, the compressed evidence stored as is.
func (b *builder) writeZip() error {
	if err := durable.SyncDir(b.pkg.Dir); err != nil {
		return fmt.Errorf("sync %s: %w", b.pkg.Dir, err)
	}
	name := filepath.Base(b.pkg.Zip)
	f, err := os.OpenFile(b.pkg.Zip, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	b.written = append(b.written, b.pkg.Zip)
	h := sha256.New()
	err = b.fillZip(io.MultiWriter(f, h))
	b.pkg.ZipSHA256 = hex.EncodeToString(h.Sum(nil))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = durable.SyncDir(filepath.Dir(b.pkg.Zip))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

func (b *builder) fillZip(w io.Writer) error {
	zw := zip.NewWriter(w)
	base := filepath.Base(b.pkg.Dir)
	if _, err := zw.CreateHeader(&zip.FileHeader{Name: base + "/", Modified: b.now}); err != nil {
		return err
	}
	for _, name := range append(slices.Clone(b.pkg.Files), fileManifest) {
		method := zip.Deflate
		if name == fileEvidence || name == fileWACZ {
			method = zip.Store
		}
		zf, err := zw.CreateHeader(&zip.FileHeader{Name: base + "/" + name, Method: method, Modified: b.now})
		if err != nil {
			return err
		}
		if err := copyFile(zf, filepath.Join(b.pkg.Dir, name)); err != nil {
			return err
		}
	}
	return zw.Close()
}

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
