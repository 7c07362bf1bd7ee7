package classifier

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAbstainsOnTooLittleEvidence: the shipped model leaves undetermined
// what gives it too little to read, rather than guessing with confidence.
func TestAbstainsOnTooLittleEvidence(t *testing.T) {
	c := New(DefaultPolicy(), DefaultModel())
	for _, text := range []string{
		"ok",
		"Gracias!",
		"👏👏👏",
		"🇦🇷❤️",
		"https://t.co/UzV47Jc7Ml",
		"@Kicillofok 🙌 https://t.co/abc",
		"#Feliz",
		"Sí, claro.",
		"",
	} {
		d := c.Classify(Account{}, Post{Text: text})
		if d.Label != Undetermined || d.Confidence != 0 || !strings.Contains(d.Rationale, "demasiado breve") {
			t.Errorf("%q decided %s (%.2f): %q; want undetermined, too short to judge", text, d.Label, d.Confidence, d.Rationale)
		}
	}
	// Two content words are enough to judge.
	if d := c.Classify(Account{}, Post{Text: "Feliz cumpleaños, mamá querida 🎂"}); d.Label == Undetermined {
		t.Errorf("a birthday greeting left undetermined: %q", d.Rationale)
	}
}

func TestReliabilityAndExposure(t *testing.T) {
	c := New(DefaultPolicy(), tinyModel(t))
	ex := append(tinyCorpus(),
		Example{Text: "ok", Label: Personal},
		Example{Text: "Vota por nuestro candidato en la licitación del parque", Label: Personal},
		Example{Text: "Feliz domingo con la familia en el parque nuevo del municipio", Label: Function})
	ev := c.Evaluate(ex, Account{})
	if len(ev.Reliability) != 5 || ev.Reliability[0].Low != 0.5 || ev.Reliability[4].High != 1 {
		t.Fatalf("reliability bands %+v, want 0.5–0.6 … 0.9–1.0", ev.Reliability)
	}
	judged := 0
	for _, b := range ev.Reliability {
		judged += b.Count
		if b.Count > 0 && (b.MeanConfidence < b.Low || b.MeanConfidence > b.High || b.Accuracy < 0 || b.Accuracy > 1) {
			t.Errorf("band %+v: mean confidence outside it, or accuracy outside 0..1", b)
		}
	}
	if judged != len(ex)-1 { // "ok" is too short to judge
		t.Errorf("reliability counts %d posts, want %d (all but the one too short)", judged, len(ex)-1)
	}

	// The exposure at a threshold counts what the decisions show and hide.
	for _, threshold := range []float64{0.5, 0.75, 0.95} {
		x := ev.AtThreshold(threshold)
		var published, hidden, shown, personal, function int
		for _, e := range ex {
			d := c.Classify(Account{}, Post{Text: e.Text})
			if e.Label == Personal {
				personal++
				if d.Label == Function && d.Confidence >= threshold {
					published++
				}
			} else {
				function++
				if d.Label == Personal && d.Confidence >= threshold {
					hidden++
				}
				if d.Label == Function && d.Confidence >= threshold {
					shown++
				}
			}
		}
		if x.PersonalPublished != published || x.FunctionHidden != hidden || x.FunctionPublished != shown || x.Personal != personal || x.Function != function {
			t.Errorf("at %.2f: %+v, want %d of %d published, %d of %d hidden", threshold, x, published, personal, hidden, function)
		}
		if want := float64(published) / float64(personal); math.Abs(x.PersonalPublishedShare-want) > 1e-12 {
			t.Errorf("at %.2f: published share %v, want %v", threshold, x.PersonalPublishedShare, want)
		}
	}
	if a, b := ev.AtThreshold(0.5), ev.AtThreshold(0.95); b.PersonalPublished > a.PersonalPublished || b.FunctionHidden > a.FunctionHidden {
		t.Errorf("a higher threshold exposed more: %+v then %+v", a, b)
	}
}

func TestEvaluateOffices(t *testing.T) {
	c := New(DefaultPolicy(), tinyModel(t))
	ex := []Example{
		{Text: "Licitación pública para el alumbrado de la avenida Vallarta", Label: Function, Office: "Presidenta municipal"},
		{Text: "Informe de transparencia del tercer trimestre ya disponible", Label: Personal, Office: "none"},
	}
	plain, offices := c.Evaluate(ex, Account{}), c.EvaluateOffices(ex, Account{})
	if plain.Confusion[Personal][Function] != 1 {
		t.Fatalf("read as a servant's post, the report is not function: %v", plain.Confusion)
	}
	if offices.Confusion[Personal][Personal] != 1 || offices.Confusion[Function][Function] != 1 {
		t.Errorf("honouring offices: %v, want the post written without office personal by the term rule", offices.Confusion)
	}
	if x := offices.AtThreshold(0.75); x.PersonalPublished != 0 {
		t.Errorf("a post written without office is published: %+v", x)
	}
}

func TestReadLabelsAuthorsAndOffices(t *testing.T) {
	dir := t.TempDir()
	tsv := "n\tlabel\tauthor\toffice\ttext\n1\tF\tAna (@ana)\tGobernadora\tObra pública en la ruta 3\n2\tP\t\tnone\tFeliz domingo\n"
	if err := os.WriteFile(filepath.Join(dir, "real.tsv"), []byte(tsv), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "corpus.tsv"), []byte("label\ttext\nF\tSesión de cabildo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := ReadLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, e := range set.Examples {
		got = append(got, e.Author+"|"+e.Office)
	}
	// A file without an author column is its own author, as is a row
	// whose author is blank.
	if want := "corpus.tsv||Ana (@ana)|Gobernadora|real.tsv|none"; strings.Join(got, "|") != want {
		t.Errorf("authors and offices %q, want %q", strings.Join(got, "|"), want)
	}
}

// TestTrainingMaterialAuthors checks that the training material
// holds whole authors out in validation: the real posts have their
// servants (an author column), each corpus file is one.
func TestTrainingMaterialAuthors(t *testing.T) {
	ex := trainingMaterial(t)
	authors := map[string]bool{}
	for _, e := range ex {
		authors[e.group()] = true
	}
	files, err := filepath.Glob("testdata/corpus/*.tsv")
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus files: %v, %v", files, err)
	}
	real, err := ReadLabels("testdata/real")
	if err != nil {
		t.Fatal(err)
	}
	servants := map[string]bool{}
	for _, e := range real.Examples {
		servants[e.Author] = true
	}
	if len(servants) < 44 || len(authors) != len(files)+len(servants) {
		t.Errorf("%d author groups in the training material, want %d corpus files and the %d servants of the real posts (44 or more)", len(authors), len(files), len(servants))
	}
	if m := DefaultModel(); m.Training.Authors != len(authors) || m.Training.Examples != len(ex) {
		t.Errorf("the shipped model records %d examples of %d authors, want %d of %d", m.Training.Examples, m.Training.Authors, len(ex), len(authors))
	}
}
