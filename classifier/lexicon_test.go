package classifier

import (
	"slices"
	"strings"
	"testing"
)

func TestEmbeddedLexicon(t *testing.T) {
	lists, err := EmbeddedLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) < 6 {
		t.Fatalf("%d lists, want the electoral, party, institutional and personal ones", len(lists))
	}
	for _, l := range lists {
		seen := map[string]bool{}
		for _, e := range l.Entries {
			if seen[e] {
				t.Errorf("%s: %q twice", l.ID, e)
			}
			seen[e] = true
		}
		if l.Name == "" || strings.ToLower(l.Name) != l.Name {
			t.Errorf("%s: name %q: a rationale reads it mid-sentence, in lower case", l.ID, l.Name)
		}
	}
	for _, l := range lists { // each file says where it comes from
		data, err := lexiconFiles.ReadFile("lexicon/" + l.ID + ".txt")
		if err != nil || !strings.Contains(string(data), "# Written for the vigia project") {
			t.Errorf("lexicon/%s.txt: its header does not say it was written for the project (%v)", l.ID, err)
		}
	}
	if got := DefaultModel().Lexicon; len(got) != len(lists) {
		t.Errorf("the shipped model carries %d lists, the embedded lexicon has %d: run go generate ./classifier", len(got), len(lists))
	}
}

func TestLexiconMatch(t *testing.T) {
	lx := compileLexicon([]LexiconList{
		{ID: "electoral", Name: "vocabulario electoral", Entries: []string{"campaña", "cierre de campaña", "-campaña de vacunación", "vota", "votá", "candidato", "PASO"}},
		{ID: "partidos", Name: "partidos y coaliciones", Entries: []string{"PAN", "PRO", "La Libertad Avanza", "kirchner*", "EAJ-PNV"}},
	})
	s := newStemmer()
	tests := []struct {
		text string
		want []string // list:hit
	}{
		{"Votá a La Libertad Avanza en las PASO", []string{"0:Votá", "1:La Libertad Avanza", "0:PASO"}},
		{"Gran cierre de campaña del candidato del PAN #VotaPAN", []string{"0:cierre de campaña", "0:candidato", "1:PAN", "0:Vota", "1:PAN"}},
		{"Campaña de vacunación antigripal: un paso más", nil}, // a longer phrase kept out; paso is not PASO
		{"Pan dulce y pro bono", nil}, // acronyms match only as written
		{"El kirchnerismo y los kirchneristas", []string{"1:kirchnerismo", "1:kirchneristas"}},
		{"Hoy vota EAJ-PNV", []string{"0:vota", "1:EAJ PNV"}},
		{"Campaña", []string{"0:Campaña"}},
	}
	for _, tt := range tests {
		toks := s.tokenize(tt.text)
		var got []string
		for _, h := range lx.match(toks) {
			got = append(got, string(rune('0'+h.list))+":"+hitText(toks, h))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: hits %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLexiconFeaturesCountHits(t *testing.T) {
	m := tinyModel(t)
	if len(m.Lexicon) == 0 || !slices.Contains(m.Features, "lexicon") {
		t.Fatalf("a model trained with the default options reads no lexicon: %v", m.Features)
	}
	count := func(text string) (n int) {
		rd := m.read(text, 0, "")
		for _, f := range rd.feats {
			if f.kind == kindLexicon {
				n++
			}
		}
		return n
	}
	if got := count("Vota por nuestra candidata, cierre de campaña"); got != 1 {
		t.Errorf("one list hit three times gave %d lexicon features, want 1 (its count bucket)", got)
	}
	if got := count("Feliz cumpleaños a mi mamá, misa en la parroquia"); got < 2 {
		t.Errorf("family and religion gave %d lexicon features, want one per list", got)
	}
}

// TestRationaleNamesTheLexicon: a campaign post is decided personal, and the
// rationale names the electoral vocabulary that weighed, in Spanish.
func TestRationaleNamesTheLexicon(t *testing.T) {
	c := New(DefaultPolicy(), DefaultModel())
	d := c.Classify(Account{}, Post{Text: "Este domingo vota por nuestra candidata a la alcaldía. ¡Cierre de campaña en la plaza a las 7!"})
	if d.Label != Personal {
		t.Fatalf("campaign post decided %s (%s)", d.Label, d.Rationale)
	}
	for _, want := range []string{"vocabulario electoral: ", "«vota»", "«cierre de campaña»"} {
		if !strings.Contains(d.Rationale, want) {
			t.Errorf("rationale %q lacks %q", d.Rationale, want)
		}
	}
	d = c.Classify(Account{}, Post{Text: "El Pleno del Congreso aprobó el dictamen del proyecto de ley de vivienda; el PP votó en contra."})
	if d.Label != Function || !strings.Contains(d.Rationale, "vocabulario legislativo: ") {
		t.Errorf("legislative post: %s, %q", d.Label, d.Rationale)
	}
}
