package classifier

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
)

// Model is the content model: a logistic regression over hashed features of
// a post's text, whose output is the probability that the post relates to
// the servant's functions. Each feature's weight is its evidence, which is
// what a decision's rationale tells.
type Model struct {
	Header
	weights []float32 // one per bucket
	stems   *stemmer
	lex     *lexicon // Header.Lexicon compiled
}

// Header describes a model: what it was trained on and how it decides.
type Header struct {
	Format  int     `json:"format"`  // of the file; 1
	Version string  `json:"version"` // names the model in decisions: "model:VERSION"
	Buckets uint32  `json:"buckets"` // hashed feature space
	Bias    float64 `json:"bias"`
	// Platt scaling of the raw score, fitted on held-out folds, so that the
	// probability is calibrated: p = σ(PlattA·score + PlattB).
	PlattA float64 `json:"platt_a"`
	PlattB float64 `json:"platt_b"`

	// Posts whose probability falls in [BandLow, BandHigh] are undetermined,
	// as are those with fewer than MinWords content words.
	BandLow  float64 `json:"band_low"`
	BandHigh float64 `json:"band_high"`
	MinWords int     `json:"min_words"`
	// OfficialMention is the weight of mentioning an official account of
	// the directory, a signal the training texts cannot teach (they do not
	// say which accounts are official).
	OfficialMention float64 `json:"official_mention"`
	// Features lists the kinds of feature read besides words and signals:
	// "pairs" (adjacent words), "chars" or "chars4" (character 4-grams of
	// words), "chars3", "chars5".
	Features []string `json:"features"`
	// Lexicon holds the lists whose hits the model reads ("lexicon" in
	// Features), as it was trained with them.
	Lexicon []LexiconList `json:"lexicon,omitempty"`
	// Accounts are the accounts whose posts the model was trained on as
	// the office reviewed them (Example.Account), in order: for a post of
	// one of them it reads, besides the text, how the account leans
	// (accountFeatures); any other account's post is judged by its text.
	Accounts []string `json:"accounts,omitempty"`
	Training Training `json:"training"`
}

// Training records what a model learnt from.
type Training struct {
	Examples int     `json:"examples"`
	Function int     `json:"function"`
	Personal int     `json:"personal"`
	SHA256   string  `json:"sha256"` // of the examples, in order
	Epochs   int     `json:"epochs"`
	L2       float64 `json:"l2"`
	// Authors counts the author groups (authors, or files without an
	// author column); the options that weighed and selected by them follow.
	Authors    int  `json:"authors,omitempty"`
	EvenPosts  bool `json:"even_posts,omitempty"`
	MinAuthors int  `json:"min_authors,omitempty"`
	Balance    bool `json:"balance,omitempty"`
}

const modelMagic = "vigia-model\n"

//go:embed model/vigia-es.model
var embeddedModel []byte

// DefaultModel returns the model shipped in the binary, trained on the
// project's corpus and real posts (classifier/testdata/corpus, /real).
func DefaultModel() *Model {
	m, err := ReadModel(bytes.NewReader(embeddedModel))
	if err != nil {
		panic(fmt.Sprintf("embedded model: %v", err)) // the tests read it
	}
	return m
}

// LoadModel reads a model file.
func LoadModel(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	defer f.Close()
	m, err := ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("read model %s: %w", path, err)
	}
	return m, nil
}

// ReadModel decodes a model: gzip of the magic line, the JSON header on one
// line, then the non-zero weights as (uint32 bucket, float32 weight) pairs,
// little-endian.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a vigia model: %w", err)
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("not a vigia model")
	}
	line, err := br.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	m := &Model{stems: newStemmer()}
	if err := json.Unmarshal(line, &m.Header); err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if m.Format != 1 {
		return nil, fmt.Errorf("model format %d: this vigia reads format 1", m.Format)
	}
	if m.Buckets == 0 || m.Buckets > 1<<24 || m.Version == "" {
		return nil, fmt.Errorf("header: bad version %q or bucket count %d", m.Version, m.Buckets)
	}
	m.lex = compileLexicon(m.Lexicon)
	slices.Sort(m.Accounts) // knows searches them
	m.weights = make([]float32, m.Buckets)
	var pair [8]byte
	for {
		if _, err := io.ReadFull(br, pair[:]); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("read weights: %w", err)
		}
		i := binary.LittleEndian.Uint32(pair[:4])
		if i >= m.Buckets {
			return nil, fmt.Errorf("read weights: bucket %d out of %d", i, m.Buckets)
		}
		m.weights[i] = math.Float32frombits(binary.LittleEndian.Uint32(pair[4:]))
	}
	return m, nil
}

// Write encodes the model; the same model always gives the same bytes.
func (m *Model) Write(w io.Writer) error {
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	head, err := json.Marshal(m.Header)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(modelMagic)
	bw.Write(head)
	bw.WriteByte('\n')
	var pair [8]byte
	for i, v := range m.weights {
		if v == 0 {
			continue
		}
		binary.LittleEndian.PutUint32(pair[:4], uint32(i))
		binary.LittleEndian.PutUint32(pair[4:], math.Float32bits(v))
		bw.Write(pair[:])
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Save writes the model to a file.
func (m *Model) Save(path string) error {
	var b bytes.Buffer
	if err := m.Write(&b); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

// reading is a post as the model read it: its tokens and features.
type reading struct {
	toks  []token
	feats []feature
	own   []feature // of the account (accountFeatures), also in feats: for the rationale
	hits  []lexHit
	words int
}

// read reads a post's text; account names the account it is on
// ("network/id"), which only a model with AccountFeatures reads.
func (m *Model) read(text string, officialMentions int, account string) reading {
	toks := m.stems.tokenize(text)
	hits := m.lex.match(toks)
	rd := reading{toks: toks, hits: hits, feats: features(toks, officialMentions, hits, m.Buckets, m.kinds(), nil), words: contentWords(toks)}
	if account != "" && m.knows(account) {
		rd.own = accountFeatures(account, hits, rd.words, m.Buckets, nil)
		// Weighed like the text's features (scaled): unscaled, the leaning
		// outweighed the text and published more of a leaning-function
		// account's personal posts (learning curve, docs/classifier.md).
		rd.feats = append(rd.feats, rd.own...)
	}
	return rd
}

// knows reports whether the model learnt how account leans.
func (m *Model) knows(account string) bool {
	_, ok := slices.BinarySearch(m.Accounts, account)
	return ok
}

// score is the raw linear score of a reading: bias plus the weights of its
// features (the account's among them), scaled.
func (m *Model) score(rd *reading) float64 {
	s := m.Bias
	if len(rd.feats) == 0 {
		return s
	}
	var sum float64
	for _, f := range rd.feats {
		sum += float64(m.weight(f))
	}
	return s + sum*scale(len(rd.feats))
}

// scale is the weight of each feature in a post of n features: 1/√n, so
// that long posts do not grow overconfident.
func scale(n int) float64 { return 1 / math.Sqrt(float64(max(n, 1))) }

func (m *Model) weight(f feature) float32 {
	if f.kind == kindSignal && f.b == signalOfficial {
		return float32(m.OfficialMention) // not learnt: see Header.OfficialMention
	}
	return m.weights[f.hash]
}

// probability is the calibrated probability that a post read as rd relates
// to functions.
func (m *Model) probability(rd *reading) float64 {
	return sigmoid(m.PlattA*m.score(rd) + m.PlattB)
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// evidence is one readable feature's contribution to a decision.
type evidence struct {
	kind   byte
	text   string // as the post writes it
	weight float64
	// A list of the lexicon: its name and hits, as the post writes them.
	list string
	hits []string
}

// explain returns the readable features of a reading that pushed towards
// function (positive weights) and towards personal (negative), strongest
// first, each text once.
func (m *Model) explain(rd *reading) (forFunction, forPersonal []evidence) {
	seen := map[string]bool{}
	for _, f := range rd.feats {
		w := float64(m.weight(f))
		var text string
		switch {
		case f.kind == kindSignal && f.b == signalOfficial:
			text = "official-mention"
		case f.kind == kindLexicon:
			if w == 0 || int(f.b) >= len(m.Lexicon) {
				continue
			}
			e := evidence{kind: kindLexicon, weight: w, list: m.Lexicon[f.b].Name}
			for _, h := range rd.hits {
				if t := hitText(rd.toks, h); h.list == int(f.b) && !slices.Contains(e.hits, t) {
					e.hits = append(e.hits, t)
				}
			}
			e.text = strings.Join(e.hits, " ")
			if w > 0 {
				forFunction = append(forFunction, e)
			} else {
				forPersonal = append(forPersonal, e)
			}
			continue
		case f.a < 0 || f.kind == kindSignal:
			continue // character n-grams, presence flags and length tell a person nothing
		case f.b >= 0:
			text = rd.toks[f.a].text + " " + rd.toks[f.b].text
		default:
			text = rd.toks[f.a].text
		}
		key := string(f.kind) + lowerFold(text)
		if seen[key] || w == 0 {
			continue
		}
		seen[key] = true
		e := evidence{kind: f.kind, text: text, weight: w}
		if w > 0 {
			forFunction = append(forFunction, e)
		} else {
			forPersonal = append(forPersonal, e)
		}
	}
	sort.SliceStable(forFunction, func(i, j int) bool { return forFunction[i].weight > forFunction[j].weight })
	sort.SliceStable(forPersonal, func(i, j int) bool { return forPersonal[i].weight < forPersonal[j].weight })
	// How the office decided the account's posts before, when it weighs:
	// named first, since no word of the post says it.
	var own float64
	for _, f := range rd.own {
		own += float64(m.weights[f.hash])
	}
	if e := (evidence{kind: kindAccount, text: accountEvidence, weight: own}); own >= accountWeighs {
		forFunction = append([]evidence{e}, forFunction...)
	} else if own <= -accountWeighs {
		forPersonal = append([]evidence{e}, forPersonal...)
	}
	return forFunction, forPersonal
}

// accountWeighs is the weight of an account's features from which a
// rationale names them; accountEvidence is how.
const (
	accountWeighs   = 0.5
	accountEvidence = "lo que la oficina decidió antes en publicaciones de esta cuenta"
)

func lowerFold(s string) string { return fold(strings.ToLower(s)) }

// featureSet says which optional kinds of feature a model reads: pairs of
// words, and the lengths of the character n-grams of words.
type featureSet struct {
	pairs  bool
	charNs []int
}

func (m *Model) kinds() featureSet {
	var fs featureSet
	for _, k := range m.Features {
		switch k {
		case "pairs":
			fs.pairs = true
		case "chars", "chars4":
			fs.charNs = append(fs.charNs, 4)
		case "chars3":
			fs.charNs = append(fs.charNs, 3)
		case "chars5":
			fs.charNs = append(fs.charNs, 5)
		}
	}
	return fs
}
