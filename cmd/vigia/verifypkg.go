package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigia-mx/vigia/access"
)

// verifyPackageCommand is "vigia verify-package" and its Spanish name,
// "vigia verificar-paquete": the check anyone can make of an access
// package they received, without the archive.
type verifyPackageCommand struct{ spanish bool }

func (c *verifyPackageCommand) synopsis() string {
	if c.spanish {
		return "lo mismo que verify-package: comprueba que un paquete de respuesta no fue alterado"
	}
	return "check that an access package (its zip or folder) is as it was made: manifest, WARC evidence, WACZ"
}

func (c *verifyPackageCommand) run(ctx context.Context, e *env, args []string) error {
	name := "verify-package"
	if c.spanish {
		name = "verificar-paquete"
	}
	fs := newFlagSet(e, name, e.printer().Sprintf("%s PAQUETE.zip", name),
		`Checks an access-request package as anyone who received it can, with no
access to the archive: the SHA-256 of every file against MANIFIESTO.sha256
(and that no file is missing or was added), every record of
evidencia.warc.gz against its WARC digests, and evidencia.wacz (each of its
files against its datapackage.json, that file against
datapackage-digest.json, its WARC records). It says in Spanish what it
checked and names every file that is not as it was made. PAQUETE is the
zip, or the package's folder.

Exit code: 0 when the package is intact, 1 when something in it was
altered or damaged, 2 when PAQUETE is not a package.`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badInput("expected one package: %s PAQUETE.zip", name)
	}
	v, err := access.VerifyPackage(ctx, fs.Arg(0))
	if errors.Is(err, access.ErrNotPackage) {
		return badInput("%s: no es un paquete de respuesta de vigia: %v", fs.Arg(0), err)
	}
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "Paquete: %s\n", fs.Arg(0))
	if v.Folio != "" {
		fmt.Fprintf(w, "Solicitud, folio %s\n", v.Folio)
	}
	if v.ZipSHA256 != "" {
		fmt.Fprintf(w, "Huella SHA-256 del paquete: %s\n  (debe ser la que conserva la Unidad de Transparencia en su registro de la respuesta)\n", v.ZipSHA256)
	}
	fmt.Fprintln(w, "\nSe comprobó:")
	for _, c := range v.Checked {
		fmt.Fprintf(w, "  correcto: %s\n", c)
	}
	if !v.OK() {
		fmt.Fprintln(w, "\nProblemas:")
		for _, p := range v.Problems {
			fmt.Fprintf(w, "  ALTERADO: %s\n", p)
		}
		n, what := len(v.Problems), "problemas"
		if n == 1 {
			what = "problema"
		}
		return errorf("el paquete no está como se elaboró: %d %s (arriba)", n, what)
	}
	fmt.Fprintln(w, "\nEl paquete está íntegro: ningún archivo cambió desde que se elaboró. (Quien cambiara un archivo y también el manifiesto no sería descubierto aquí: para eso, compare la huella del paquete con la que conserva la Unidad de Transparencia.)")
	return nil
}
