package access

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vigia-mx/vigia/archive/wacz"
	"github.com/vigia-mx/vigia/archive/warc"
)

// ErrNotPackage reports a path that is neither a package's zip nor its
// folder.
var ErrNotPackage = errors.New("not a package")

// Verification is what VerifyPackage checked, in Spanish for whoever runs
// it (a requester, an auditor, the office).
type Verification struct {
	// Folio is the request the manifest names.
	Folio string
	// ZipSHA256 is the SHA-256 of the zip checked ("" for a folder): the
	// office's record keeps the one it delivered.
	ZipSHA256 string
	// Checked says, a line each, what was checked and found intact.
	Checked []string
	// Problems name each file that is not as the package says it was,
	// and why; none when the package is intact.
	Problems []string
}

// OK reports whether nothing was found wrong.
func (v *Verification) OK() bool { return len(v.Problems) == 0 }

// packageFiles reads the files of a package, a zip's or a folder's, by
// their path inside the package.
type packageFiles interface {
	names() []string
	open(name string) (io.ReadCloser, error)
}

type zipFiles struct {
	zr   *zip.ReadCloser
	base string // the folder the zip's entries are under, with its "/"
}

func (z *zipFiles) names() []string {
	var out []string
	for _, f := range z.zr.File {
		if name, ok := strings.CutPrefix(f.Name, z.base); ok && name != "" && !strings.HasSuffix(f.Name, "/") {
			out = append(out, name)
		}
	}
	return out
}

func (z *zipFiles) open(name string) (io.ReadCloser, error) { return z.zr.Open(z.base + name) }

type dirFiles struct{ dir string }

func (d dirFiles) names() []string {
	var out []string
	_ = filepath.WalkDir(d.dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(d.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (d dirFiles) open(name string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(d.dir, filepath.FromSlash(name)))
}

// VerifyPackage checks the package at p, its zip or its folder, as anyone
// can without asking the office: the SHA-256 of every file against
// MANIFIESTO.sha256 (and that no file is missing or was added), every
// record of evidencia.warc.gz against its WARC digests, and evidencia.wacz:
// each of its files against the SHA-256 its datapackage.json states, that
// file against datapackage-digest.json, and the digests of the WARC
// records it holds. The error is for a path that cannot be read as a
// package (ErrNotPackage); what is wrong inside one is in Problems.
func VerifyPackage(ctx context.Context, p string) (*Verification, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotPackage, err)
	}
	v := &Verification{}
	var files packageFiles
	if fi.IsDir() {
		files = dirFiles{p}
	} else {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %s is not a zip file: %v", ErrNotPackage, p, err)
		}
		defer zr.Close()
		base := ""
		for _, f := range zr.File {
			if dir, name, ok := strings.Cut(f.Name, "/"); ok && name == fileManifest {
				base = dir + "/"
			}
		}
		files = &zipFiles{zr, base}
		if v.ZipSHA256, err = fileSHA256(p); err != nil {
			return nil, err
		}
	}
	sums, err := v.manifest(files)
	if err != nil {
		return v, err
	}
	v.checkFiles(files, sums)
	tmp, err := os.MkdirTemp("", "vigia-verificar-")
	if err != nil {
		return v, err
	}
	defer os.RemoveAll(tmp)
	if slices.Contains(files.names(), fileEvidence) {
		v.checkWARC(ctx, files, tmp)
	}
	if slices.Contains(files.names(), fileWACZ) {
		v.checkWACZ(ctx, files, tmp)
	}
	return v, nil
}

// manifest reads MANIFIESTO.sha256: the folio of its comment line, and
// the digest of each file it lists.
func (v *Verification) manifest(files packageFiles) (map[string]string, error) {
	f, err := files.open(fileManifest)
	if err != nil {
		return nil, fmt.Errorf("%w: no %s in it", ErrNotPackage, fileManifest)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if folio, ok := strings.CutPrefix(line, "# Solicitud de acceso a la información, folio "); ok {
			v.Folio = folio
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 {
			v.Problems = append(v.Problems, fmt.Sprintf("%s, línea %d: no es una huella SHA-256 seguida del nombre de un archivo", fileManifest, n))
			continue
		}
		sums[name] = strings.ToLower(sum)
	}
	return sums, sc.Err()
}

// checkFiles compares each file with its digest in the manifest.
func (v *Verification) checkFiles(files packageFiles, sums map[string]string) {
	have := files.names()
	ok := 0
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		if !slices.Contains(have, name) {
			v.Problems = append(v.Problems, fmt.Sprintf("%s: el manifiesto lo lista, pero no está en el paquete", name))
			continue
		}
		got, err := readSHA256(files, name)
		switch {
		case err != nil:
			v.Problems = append(v.Problems, fmt.Sprintf("%s: no se pudo leer: %v", name, err))
		case got != sums[name]:
			v.Problems = append(v.Problems, fmt.Sprintf("%s: su huella SHA-256 no coincide con la del manifiesto: el archivo fue modificado después de elaborarse el paquete", name))
		default:
			ok++
		}
	}
	for _, name := range have {
		if _, listed := sums[name]; !listed && name != fileManifest {
			v.Problems = append(v.Problems, fmt.Sprintf("%s: está en el paquete, pero el manifiesto no lo lista: se añadió después de elaborarse", name))
		}
	}
	v.Checked = append(v.Checked, fmt.Sprintf("%s: %d de %d %s coinciden con su huella SHA-256", fileManifest, ok, len(sums), plural(len(sums), "archivo", "archivos")))
}

// checkWARC checks every record of the WARC extract.
func (v *Verification) checkWARC(ctx context.Context, files packageFiles, tmp string) {
	dir := filepath.Join(tmp, "warc")
	if err := extract(files, fileEvidence, dir); err != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: no se pudo leer: %v", fileEvidence, err))
		return
	}
	v.verifyWARCs(ctx, dir, fileEvidence)
}

// verifyWARCs verifies the WARC files under dir, named in messages after
// what they are in the package.
func (v *Verification) verifyWARCs(ctx context.Context, dir, what string) {
	ix, problems, err := warc.Verify(ctx, dir, nil)
	if err != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: no se pudo leer: %v", what, err))
		return
	}
	for _, p := range problems {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: el registro WARC en la posición %d %s está dañado o alterado: %s", what, p.Offset, p.RecordID, p.Msg))
	}
	if len(problems) == 0 {
		v.Checked = append(v.Checked, fmt.Sprintf("%s: %d %s WARC, cada uno con su huella (WARC-Block-Digest) correcta", what, ix.Records,
			plural(ix.Records, "registro", "registros")))
	}
}

// checkWACZ checks evidencia.wacz: its files against datapackage.json,
// that against datapackage-digest.json, and its WARC records.
func (v *Verification) checkWACZ(ctx context.Context, files packageFiles, tmp string) {
	local := filepath.Join(tmp, fileWACZ)
	if err := extractTo(files, fileWACZ, local); err != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: no se pudo leer: %v", fileWACZ, err))
		return
	}
	zr, err := zip.OpenReader(local)
	if err != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: no es un archivo WACZ (zip) legible: %v", fileWACZ, err))
		return
	}
	defer zr.Close()
	read := func(name string) ([]byte, error) {
		f, err := zr.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(f)
	}
	pkgJSON, err := read(wacz.PathPackage)
	if err != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: le falta %s", fileWACZ, wacz.PathPackage))
		return
	}
	var digest struct{ Path, Hash string }
	if data, err := read(wacz.PathDigest); err != nil || json.Unmarshal(data, &digest) != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: le falta %s, o no se puede leer", fileWACZ, wacz.PathDigest))
	} else if sum := sha256.Sum256(pkgJSON); digest.Hash != "sha256:"+hex.EncodeToString(sum[:]) {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: %s fue modificado: su huella no es la de %s", fileWACZ, wacz.PathPackage, wacz.PathDigest))
	}
	var dp struct{ Resources []wacz.Resource }
	if err := json.Unmarshal(pkgJSON, &dp); err != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: %s no se puede leer: %v", fileWACZ, wacz.PathPackage, err))
		return
	}
	warcs := filepath.Join(tmp, "wacz-warc")
	if err := os.Mkdir(warcs, 0o700); err != nil {
		v.Problems = append(v.Problems, err.Error())
		return
	}
	ok := 0
	for _, r := range dp.Resources {
		data, err := read(r.Path)
		sum := sha256.Sum256(data)
		switch {
		case err != nil:
			v.Problems = append(v.Problems, fmt.Sprintf("%s: %s está en %s, pero no en el archivo", fileWACZ, r.Path, wacz.PathPackage))
		case r.Hash != "sha256:"+hex.EncodeToString(sum[:]):
			v.Problems = append(v.Problems, fmt.Sprintf("%s: %s fue modificado: su huella SHA-256 no es la de %s", fileWACZ, r.Path, wacz.PathPackage))
		default:
			ok++
			if strings.HasSuffix(r.Path, ".warc.gz") || strings.HasSuffix(r.Path, ".warc") {
				if err := os.WriteFile(filepath.Join(warcs, path.Base(r.Path)), data, 0o600); err != nil {
					v.Problems = append(v.Problems, err.Error())
				}
			}
		}
	}
	v.Checked = append(v.Checked, fmt.Sprintf("%s: %d de %d %s coinciden con su huella SHA-256 de %s", fileWACZ, ok, len(dp.Resources),
		plural(len(dp.Resources), "archivo", "archivos"), wacz.PathPackage))
	v.verifyWARCs(ctx, warcs, fileWACZ+" (sus registros WARC)")
}

// extract writes the package's file name into the folder dir.
func extract(files packageFiles, name, dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil {
		return err
	}
	return extractTo(files, name, filepath.Join(dir, path.Base(name)))
}

// extractTo writes the package's file name to dst.
func extractTo(files packageFiles, name, dst string) error {
	f, err := files.open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, f); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// readSHA256 is the SHA-256 of a file of the package, in hex.
func readSHA256(files packageFiles, name string) (string, error) {
	f, err := files.open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileSHA256 is the SHA-256 of the file at p, in hex.
func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
