package classifier

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// AnswerTexts are the legal texts of the answer to an access request
// (section respuesta of the policy file): what an access package cites when
// it masks a third party's data, why it leaves personal posts out, the
// notice of the right to a recurso de revisión and the signature. They are
// data, beside the clauses, because the law they cite changes (the Ley
// General de Transparencia of 2025 renumbered its articles): an office
// updates them without touching code. The classifier does not read them;
// the access package does.
type AnswerTexts struct {
	// Law names the transparency law the answer rests on.
	Law string `yaml:"ley"`
	// Masking is the legal basis cited for each kind of data a versión
	// pública masks.
	Masking MaskingBases `yaml:"testado"`
	// Excluded says why personal posts are not delivered (policy Sexta).
	Excluded string `yaml:"excluidas"`
	// Appeal is the notice of the requester's right to a recurso de
	// revisión.
	Appeal string `yaml:"recurso"`
	// Signature closes the answer.
	Signature Signature `yaml:"firma"`
}

// MaskingBases are the legal bases of a versión pública, by kind of data.
type MaskingBases struct {
	Email   string `yaml:"correo"`
	Phone   string `yaml:"telefono"`
	Mention string `yaml:"mencion"`
}

// Signature is the signature block of the answer: the closing, and the
// name and position of who signs it (the head of the transparency unit).
// Name may be empty: the report then leaves a line to sign and write it.
type Signature struct {
	Closing  string `yaml:"despedida"`
	Name     string `yaml:"nombre"`
	Position string `yaml:"cargo"`
}

// answerDefaults fills what a policy file leaves out of its respuesta
// section (or the whole section, in a file written before it) with the
// embedded policy's texts.
func answerDefaults(a *AnswerTexts) {
	var def struct {
		Answer AnswerTexts `yaml:"respuesta"`
	}
	if err := yaml.Unmarshal(defaultPolicy, &def); err != nil {
		return // the embedded file is checked by the tests
	}
	d := def.Answer
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&a.Law, d.Law)
	fill(&a.Masking.Email, d.Masking.Email)
	fill(&a.Masking.Phone, d.Masking.Phone)
	fill(&a.Masking.Mention, d.Masking.Mention)
	fill(&a.Excluded, d.Excluded)
	fill(&a.Appeal, d.Appeal)
	fill(&a.Signature.Closing, d.Signature.Closing)
	fill(&a.Signature.Position, d.Signature.Position)
}

// checkAnswer reports a text of the respuesta section that is still empty
// once the defaults are in (only possible in the embedded file itself).
func checkAnswer(name string, a *AnswerTexts) error {
	for field, v := range map[string]string{
		"respuesta.ley": a.Law, "respuesta.testado.correo": a.Masking.Email, "respuesta.testado.telefono": a.Masking.Phone,
		"respuesta.testado.mencion": a.Masking.Mention, "respuesta.excluidas": a.Excluded, "respuesta.recurso": a.Appeal,
		"respuesta.firma.despedida": a.Signature.Closing, "respuesta.firma.cargo": a.Signature.Position,
	} {
		if v == "" {
			return fmt.Errorf("policy %s: %s: missing", name, field)
		}
	}
	return nil
}
