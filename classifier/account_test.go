package classifier

import (
	"fmt"
	"strings"
	"testing"
)

// A model trained on an office's reviews learns how each reviewed account
// leans, reads it when judging that account's posts, says so in the
// rationale, and judges any other account's posts by their text alone.
func TestAccountFeaturesLearnAnAccountsLeaning(t *testing.T) {
	set, err := ShippedMaterial()
	if err != nil {
		t.Fatal(err)
	}
	// A servant whose posts about the city's plazas and parks are, as the
	// office decided them, personal (walks with the family), though such
	// words read as government in the material.
	var reviews []Example
	for i := range 30 {
		reviews = append(reviews, Example{
			Text:  fmt.Sprintf("Paseo número %d por la plaza y el parque de la colonia, con la familia y los perros.", i),
			Label: Personal, Source: "archive", Author: "mastodon/paseante", Account: "mastodon/paseante",
		})
	}
	m, err := Train(append(set.Examples, reviews...), DefaultTrainOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !m.knows("mastodon/paseante") || m.knows("mastodon/otra") {
		t.Fatal("a model trained on examples naming their account does not read accounts")
	}
	c := New(DefaultPolicy(), m)
	text := "Recorrimos la plaza y el parque de la colonia tras la rehabilitación."
	_, asTheirs := c.contentProbability(text, 0, "mastodon/paseante")
	_, asOthers := c.contentProbability(text, 0, "mastodon/otra")
	_, asNone := c.contentProbability(text, 0, "")
	if !(asTheirs < asOthers-0.1) {
		t.Errorf("P(function) as the reviewed account's %.3f, as another's %.3f: want the account's leaning to lower it", asTheirs, asOthers)
	}
	if asOthers != asNone {
		t.Errorf("P(function) as an unreviewed account's %.3f, with no account %.3f: want the text alone to decide both", asOthers, asNone)
	}
	d := c.Classify(Account{}, Post{Text: "Paseo por la plaza y el parque de la colonia con la familia.", Account: "mastodon/paseante"})
	if d.Label != Personal || !strings.Contains(d.Rationale, accountEvidence) {
		t.Errorf("the reviewed account's walk: %s %.2f %q, want personal naming what the office decided before", d.Label, d.Confidence, d.Rationale)
	}

	// The shipped material names no account: its model reads none, and an
	// account given to it changes nothing.
	shipped := DefaultModel()
	if len(shipped.Accounts) > 0 {
		t.Fatal("the shipped model reads accounts")
	}
	s := New(DefaultPolicy(), shipped)
	if _, a := s.contentProbability(text, 0, "mastodon/paseante"); a != mustProbability(s, text) {
		t.Errorf("the shipped model's probability changes with the account: %.3f", a)
	}
}

func mustProbability(c *Classifier, text string) float64 {
	_, p := c.contentProbability(text, 0, "")
	return p
}
