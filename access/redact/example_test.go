package redact_test

import (
	"fmt"

	"github.com/vigia-mx/vigia/access/redact"
)

func ExampleRedactor_Redact() {
	r := redact.New([]string{"@GobiernoGDL"})
	text := "Gracias @GobiernoGDL por atender a @vecina_tlaquepaque. Informes: ana.ruiz@correo.mx o tel. 3614-5678 (folio 3312345678)."
	out, marks := r.Redact(text)
	fmt.Println(out)
	for _, m := range marks {
		fmt.Printf("%s %q\n", m.Kind, text[m.Start:m.End])
	}
	// Output:
	// Gracias @GobiernoGDL por atender a [mención testada]. Informes: [correo testado] o tel. [teléfono testado] (folio 3312345678).
	// mención "@vecina_tlaquepaque"
	// correo "ana.ruiz@correo.mx"
	// teléfono "3614-5678"
}
