package classifier

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	toks := newStemmer().tokenize("Inauguramos la Línea 4 🚇 #TemporadaDeLluvias @GobGDL https://www.guadalajara.gob.mx/avisos 25% ¡Vamos!")
	var got []string
	for _, tk := range toks {
		got = append(got, string(tk.kind)+":"+tk.norm)
	}
	want := []string{"w:inaugur", "w:la", "w:line", "n:", "e:🚇", "h:temporadadelluvias", "w:tempor", "w:de", "w:lluvi",
		"m:gobgdl", "u:gob.mx", "n:", "w:vam"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens =\n%q\nwant\n%q", got, want)
	}
	if !toks[1].stop || toks[0].stop {
		t.Errorf("stop words: %+v", toks[:2])
	}
}

func TestFeaturesNameTheirWords(t *testing.T) {
	s := newStemmer()
	toks := s.tokenize("Licitación pública de luminarias")
	feats := features(toks, 1, nil, 1<<20, featureSet{pairs: true, charNs: []int{4}}, nil)
	var words, pairs, official int
	for _, f := range feats {
		switch {
		case f.kind == kindWord:
			words++
			if toks[f.a].kind != kindWord {
				t.Errorf("word feature points at %+v", toks[f.a])
			}
		case f.kind == kindPair:
			pairs++
		case f.kind == kindSignal && f.b == signalOfficial:
			official++
		}
	}
	if words != 3 || pairs != 2 || official != 1 {
		t.Errorf("words %d pairs %d official %d, want 3 (stop word left out), 2, 1", words, pairs, official)
	}
}

// tinyCorpus is enough to train a model that tells the two apart.
func tinyCorpus() []Example {
	var ex []Example
	for _, s := range []string{
		"Inauguramos la rehabilitación del parque en la colonia Oblatos",
		"Licitación pública para el alumbrado de la avenida Vallarta",
		"Sesión de cabildo: aprobamos el presupuesto de obra pública",
		"Programa de bacheo en Huentitán, reporta baches al 070",
		"Informe de transparencia del tercer trimestre ya disponible",
		"Reunión con vecinos para revisar el proyecto de colector pluvial",
		"Campaña de vacunación antirrábica gratuita en los centros de salud",
		"Alerta por lluvias: Protección Civil recomienda evitar pasos a desnivel",
		"Entregamos becas a estudiantes de secundaria del municipio",
		"Cierre vial en Periférico por obras del nuevo puente",
		"La comisión de hacienda dictaminó la iniciativa de ingresos",
		"Convocatoria abierta para el programa de apoyo a mujeres emprendedoras",
	} {
		ex = append(ex, Example{Text: s, Label: Function})
	}
	for _, s := range []string{
		"Feliz cumpleaños a mi mamá, te quiero mucho",
		"Qué golazo de las Chivas anoche, a la final",
		"Domingo de tacos de birria con la familia",
		"Mi perrita cumplió tres años hoy 🐶🎂",
		"Gracias a todos por sus felicitaciones, qué bonito día",
		"De vacaciones en la playa con mis hijos",
		"Ya salió mi nueva canción, escúchenla en todas las plataformas",
		"Vota este domingo por nuestro candidato, súmate a la campaña",
		"Misa de acción de gracias por mis abuelos",
		"Corrí mi primer medio maratón, qué cansancio jajaja",
		"Receta de pozole rojo para la cena de hoy",
		"Boletos para mi concierto en el auditorio ya a la venta",
	} {
		ex = append(ex, Example{Text: s, Label: Personal})
	}
	return ex
}

func tinyModel(t testing.TB) *Model {
	t.Helper()
	m, err := Train(tinyCorpus(), TrainOptions{Buckets: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainIsDeterministicAndRoundTrips(t *testing.T) {
	a, b := tinyModel(t), tinyModel(t)
	var ba, bb bytes.Buffer
	if err := a.Write(&ba); err != nil {
		t.Fatal(err)
	}
	if err := b.Write(&bb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) || a.Version != b.Version {
		t.Fatal("the same examples gave two different models")
	}
	r, err := ReadModel(bytes.NewReader(ba.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range tinyCorpus() {
		ra, rr := a.read(x.Text, 0, ""), r.read(x.Text, 0, "")
		if pa, pr := a.probability(&ra), r.probability(&rr); pa != pr {
			t.Fatalf("probability %v after a round trip, %v before", pr, pa)
		}
	}
	if _, err := ReadModel(strings.NewReader("no es un modelo")); err == nil {
		t.Error("ReadModel accepted garbage")
	}
}

func TestClassifyContent(t *testing.T) {
	c := New(DefaultPolicy(), tinyModel(t))
	tests := []struct {
		name, text string
		acct       Account
		label      Label
		basis      string
		rationale  []string
	}{
		{"function", "Inauguramos la rehabilitación del mercado y la licitación del alumbrado", Account{}, Function, "Sexta",
			[]string{"Relacionada con las funciones", "vocabulario institucional", "«"}},
		{"personal", "Feliz cumpleaños a mi hija, domingo de tacos con la familia 🎂", Account{}, Personal, "Sexta",
			[]string{"Contenido personal", "vida familiar y celebraciones: «feliz cumpleaños»"}},
		{"too short", "¡¡ 👏👏 !! https://t.co/x", Account{}, Undetermined, "Sexta", []string{"demasiado breve"}},
		{"official account", "Feliz cumpleaños a mi hija", Account{Official: true}, Function, "Tercera", []string{"Cuenta oficial"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := c.Classify(tt.acct, Post{Text: tt.text})
			if d.Label != tt.label || d.Basis != tt.basis {
				t.Fatalf("Classify = %s/%s (%q), want %s/%s", d.Label, d.Basis, d.Rationale, tt.label, tt.basis)
			}
			for _, w := range tt.rationale {
				if !strings.Contains(d.Rationale, w) {
					t.Errorf("rationale %q lacks %q", d.Rationale, w)
				}
			}
			if tt.label != Undetermined && (d.Confidence <= 0.5 || d.Confidence > 1) {
				t.Errorf("confidence %v for a decided post", d.Confidence)
			}
			if !tt.acct.Official && !strings.HasPrefix(d.DecidedBy, "model:es-") {
				t.Errorf("DecidedBy = %q", d.DecidedBy)
			}
		})
	}
}

func TestOfficialMentionWeighsForFunction(t *testing.T) {
	m := tinyModel(t)
	plain, mentioned := m.read("Nos vemos en la plaza", 0, ""), m.read("Nos vemos en la plaza", 1, "")
	if m.score(&mentioned) <= m.score(&plain) {
		t.Error("mentioning an official account did not move the score towards function")
	}
	c := New(DefaultPolicy(), m)
	d := c.Classify(Account{}, Post{Text: "Inauguramos la obra del colector con @gobierno", OfficialMentions: 1})
	if d.Label == Function && !strings.Contains(d.Rationale, "cuentas oficiales") {
		t.Errorf("rationale %q does not tell the official mention", d.Rationale)
	}
}

func TestEvaluate(t *testing.T) {
	c := New(DefaultPolicy(), tinyModel(t))
	ex := append(tinyCorpus(), Example{Text: "Sí", Label: Function})
	ev := c.Evaluate(ex, Account{})
	sum := 0
	for _, row := range ev.Confusion {
		for _, n := range row {
			sum += n
		}
	}
	if sum != len(ex) || ev.Total != len(ex) || ev.Undetermined < 1 {
		t.Errorf("confusion counts %d of %d, undetermined %d (want the one-word post among them)", sum, len(ex), ev.Undetermined)
	}
	if ev.MacroF1 < 0.8 || ev.MacroF1Decided < ev.MacroF1 {
		t.Errorf("macro-F1 on the training posts %.2f (decided %.2f)", ev.MacroF1, ev.MacroF1Decided)
	}
	official := c.Evaluate(ex, Account{Official: true})
	if official.Function.Recall != 1 || official.Personal.Recall != 0 {
		t.Errorf("as official posts: %+v", official)
	}
}

func TestReadLabels(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tsv := write("a.tsv", "n\tlabel\ttext\n1\tF\tLicitación \"abierta\" de obra\n2\tP\tFeliz domingo\n3\tX\t...\n")
	csvFile := write("b.csv", "\ufefftext,label\n\"Reunión, de cabildo\",function\nCumpleaños,personal\n")
	set, err := ReadLabels(tsv)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Examples) != 2 || set.Skipped != 1 || set.Examples[0].Text != `Licitación "abierta" de obra` {
		t.Errorf("TSV read as %+v", set)
	}
	set, err = ReadLabels(csvFile)
	if err != nil || len(set.Examples) != 2 || set.Examples[0].Text != "Reunión, de cabildo" || set.Examples[0].Label != Function {
		t.Errorf("CSV read as %+v, %v", set, err)
	}
	all, err := ReadLabels(dir)
	if err != nil || len(all.Examples) != 4 {
		t.Errorf("folder read as %+v, %v", all, err)
	}
	for name, data := range map[string]string{
		"bad label": "label\ttext\nF\tuno\nQ\tdos\n",
		"no text":   "label\tcuerpo\nF\tuno\n",
	} {
		_, err := ReadLabels(write("bad.tsv", data))
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, err = ReadLabels(write("bad.tsv", "label\ttext\nF\tuno\nQ\tdos\n"))
	if err == nil || !strings.Contains(err.Error(), "bad.tsv:3") {
		t.Errorf("error %v does not name the line", err)
	}
}

// trainingMaterial reads what the shipped model is trained on, in the order
// go generate gives it: the project's corpus, then the real posts.
func trainingMaterial(t testing.TB) []Example {
	t.Helper()
	var ex []Example
	for _, dir := range []string{"testdata/corpus", "testdata/real"} {
		set, err := ReadLabels(dir)
		if err != nil {
			t.Fatal(err)
		}
		ex = append(ex, set.Examples...)
	}
	return ex
}

// TestEmbeddedModelIsTheCorpus retrains on the training material with the
// default options and compares with the model shipped in the binary: a
// change to the material or the features must come with a new model
// (go generate ./classifier).
func TestEmbeddedModelIsTheCorpus(t *testing.T) {
	m, err := Train(trainingMaterial(t), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.Write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), embeddedModel) {
		t.Errorf("the embedded model (%s) is not what the training material gives (%s): run go generate ./classifier", DefaultModel().Version, m.Version)
	}
}

func TestCrossValidateHoldsOutWholeAuthors(t *testing.T) {
	ex := tinyCorpus()
	for _, e := range tinyCorpus() {
		e.Text += " otra vez"
		ex = append(ex, e)
	}
	for i := range ex { // one file, six authors writing both kinds of post
		ex[i].Source, ex[i].Author = "real.tsv", fmt.Sprint("autor ", i%6)
	}
	ev, err := CrossValidate(ex, TrainOptions{Buckets: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Total != len(ex) || ev.Function.Support+ev.Personal.Support != len(ex) {
		t.Errorf("cross-validation judged %d posts (supports %d + %d), want each of %d once", ev.Total, ev.Function.Support, ev.Personal.Support, len(ex))
	}
	folds, k := foldsOf(ex, nil, 5)
	if k != 5 {
		t.Fatalf("%d folds for six authors, want 5", k)
	}
	for i, e := range ex {
		for j, o := range ex {
			if e.Author == o.Author && folds[i] != folds[j] {
				t.Fatalf("author %s split across folds", e.Author)
			}
		}
	}
	// Without authors, each source file is one.
	for i := range ex {
		ex[i].Author, ex[i].Source = "", fmt.Sprint(ex[i].Label, i%2)
	}
	folds, k = foldsOf(ex, nil, 5)
	if k != 4 {
		t.Fatalf("%d folds for four source files, want 4", k)
	}
	for i, e := range ex {
		for j, o := range ex {
			if e.Source == o.Source && folds[i] != folds[j] {
				t.Fatalf("source %s split across folds", e.Source)
			}
		}
	}
}
