package classifier

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Example is one labelled post for training or evaluation.
type Example struct {
	Text  string
	Label Label // Function or Personal
	// Source names where the example comes from (its file).
	Source string
	// Author groups the examples by who wrote them: validation and
	// calibration hold out whole authors, so that figures and probabilities
	// are those of texts by people the model never read. ReadLabels takes
	// it from an "author" column, or makes the file the author; empty, the
	// Source is the group.
	Author string
	// Office is the office the author held when writing, "none" for none
	// (from an "office" column; empty when unknown).
	Office string
	// Account is the account the post is on ("network/id") when the
	// example is an office's own review of it: a model trained on such
	// examples also learns how each reviewed account leans, and reads the
	// account of the posts it judges (Header.AccountFeatures). Empty for
	// the shipped material, whose authors an office will not meet.
	Account string
}

// group is the example's author group: its author, else its source.
func (e *Example) group() string {
	if e.Author != "" {
		return e.Author
	}
	return e.Source
}

// TrainOptions tune training. Zero fields take DefaultTrainOptions'.
type TrainOptions struct {
	Buckets         uint32  // hashed feature space (a power of two)
	Epochs          int     // passes over the examples
	L2              float64 // weight decay
	LearningRate    float64 // AdaGrad's
	Folds           int     // for fitting the calibration on held-out scores
	BandLow         float64 // undetermined band
	BandHigh        float64
	MinWords        int
	OfficialMention float64
	Features        []string // optional feature kinds: "pairs", "chars", "lexicon"
	// Lexicon is the lists read with "lexicon" among the Features; nil
	// takes the embedded ones (EmbeddedLexicon).
	Lexicon []LexiconList
	// MinAuthors keeps only the features found in the posts of at least
	// this many author groups: a feature one author alone writes (a name,
	// a place, a slogan) teaches nothing about other authors.
	MinAuthors int
	// Balance weighs each class's examples so that both weigh alike.
	Balance bool
	// EvenPosts weighs every example alike. By default each author group's
	// examples are weighed so that every group weighs alike, however many
	// posts it has: a corpus file of 400 posts as much as a servant of 47.
	EvenPosts bool
}

// DefaultTrainOptions are the options the shipped model was trained with,
// chosen by validation that holds out whole authors (docs/classifier.md):
// words and their character 4-grams, no pairs of words, every author
// weighing alike, at least two content words to judge a post.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		Buckets: 1 << 20, Epochs: 40, L2: 1e-2, LearningRate: 2, Folds: 5,
		BandLow: 0.4, BandHigh: 0.6, MinWords: 2, OfficialMention: 1.5,
		Features: []string{"chars", "lexicon"}, Lexicon: shippedLexicon(),
	}
}

// shippedLexicon is the embedded lexicon; the tests read it, so it parses.
func shippedLexicon() []LexiconList {
	lists, err := EmbeddedLexicon()
	if err != nil {
		panic(fmt.Sprintf("embedded lexicon: %v", err))
	}
	return lists
}

func (o *TrainOptions) defaults() {
	d := DefaultTrainOptions()
	if o.Buckets == 0 {
		o.Buckets = d.Buckets
	}
	if o.Epochs == 0 {
		o.Epochs = d.Epochs
	}
	if o.L2 == 0 {
		o.L2 = d.L2
	}
	if o.LearningRate == 0 {
		o.LearningRate = d.LearningRate
	}
	if o.Folds == 0 {
		o.Folds = d.Folds
	}
	if o.BandLow == 0 && o.BandHigh == 0 {
		o.BandLow, o.BandHigh = d.BandLow, d.BandHigh
	}
	if o.MinWords == 0 {
		o.MinWords = d.MinWords
	}
	if o.OfficialMention == 0 {
		o.OfficialMention = d.OfficialMention
	}
	if o.Features == nil {
		o.Features = d.Features
	}
	if o.Lexicon == nil && slices.Contains(o.Features, "lexicon") {
		o.Lexicon = d.Lexicon
	}
	if !slices.Contains(o.Features, "lexicon") {
		o.Lexicon = nil
	}
}

// Train fits a model on labelled examples: logistic regression by AdaGrad
// with L2, in a fixed order, so that the same examples and options give the
// same model. The calibration (Platt scaling) is fitted on the scores of
// held-out folds.
func Train(examples []Example, opts TrainOptions) (*Model, error) {
	opts.defaults()
	var nf, np int
	var accounts []string
	h := sha256.New()
	for _, e := range examples {
		switch e.Label {
		case Function:
			nf++
		case Personal:
			np++
		default:
			return nil, fmt.Errorf("train: label %q: expected function or personal", e.Label)
		}
		fmt.Fprintf(h, "%s\t%s\t%d:%s\n", e.Label, e.group(), len(e.Text), e.Text)
		if e.Account != "" {
			fmt.Fprintf(h, "account\t%s\n", e.Account)
			accounts = append(accounts, e.Account)
		}
	}
	if nf < 10 || np < 10 {
		return nil, fmt.Errorf("train: %d function and %d personal examples: need at least 10 of each", nf, np)
	}
	if opts.BandLow > opts.BandHigh || opts.BandLow < 0 || opts.BandHigh > 1 {
		return nil, errors.New("train: the undetermined band must lie within 0..1, low before high")
	}
	fmt.Fprintf(h, "%+v", opts)
	sum := hex.EncodeToString(h.Sum(nil))

	m := &Model{Header: Header{
		Format: 1, Version: "es-" + sum[:12], Buckets: opts.Buckets,
		PlattA: 1, BandLow: opts.BandLow, BandHigh: opts.BandHigh, MinWords: opts.MinWords,
		OfficialMention: opts.OfficialMention, Features: opts.Features, Lexicon: opts.Lexicon, Accounts: slices.Compact(slices.Sorted(slices.Values(accounts))),
		Training: Training{Examples: len(examples), Function: nf, Personal: np, SHA256: sum, Epochs: opts.Epochs, L2: opts.L2,
			Authors: groupCount(examples), EvenPosts: opts.EvenPosts, MinAuthors: opts.MinAuthors, Balance: opts.Balance},
	}, stems: newStemmer(), lex: compileLexicon(opts.Lexicon)}

	readings := make([]reading, len(examples))
	ys := make([]float64, len(examples))
	groups := make([]int32, len(examples))
	groupOf := map[string]int32{}
	for i, e := range examples {
		g, ok := groupOf[e.group()]
		if !ok {
			g = int32(len(groupOf))
			groupOf[e.group()] = g
		}
		groups[i] = g
		readings[i] = m.read(e.Text, 0, e.Account)
		if e.Label == Function {
			ys[i] = 1
		}
	}
	order := rand.New(rand.NewPCG(1, 2)).Perm(len(examples))

	// Held-out scores for the calibration.
	folds, k := foldsOf(examples, order, opts.Folds)
	var scores, labels []float64
	for fold := 0; fold < k; fold++ {
		var train, held []int
		for _, i := range order {
			if folds[i] == fold {
				held = append(held, i)
			} else {
				train = append(train, i)
			}
		}
		fm := &Model{Header: m.Header, stems: m.stems}
		fm.fit(readings, ys, groups, train, opts)
		for _, i := range held {
			scores = append(scores, fm.score(&readings[i]))
			labels = append(labels, ys[i])
		}
	}
	m.PlattA, m.PlattB = platt(scores, labels)
	m.fit(readings, ys, groups, order, opts)
	return m, nil
}

// groupCount counts the author groups of the examples.
func groupCount(examples []Example) int {
	seen := map[string]bool{}
	for i := range examples {
		seen[examples[i].group()] = true
	}
	return len(seen)
}

// foldsOf assigns each example to a fold that holds out whole author
// groups (Example.Author, else Source). The groups are sorted by their share
// of function examples and dealt round the folds, so that each fold holds
// out some groups of each kind. With a single group, examples are dealt in
// the shuffled order instead.
func foldsOf(examples []Example, order []int, maxFolds int) (folds []int, k int) {
	type group struct {
		name     string
		function float64
		n        int
	}
	index := map[string]int{}
	var groups []group
	for _, e := range examples {
		g, ok := index[e.group()]
		if !ok {
			g = len(groups)
			index[e.group()] = g
			groups = append(groups, group{name: e.group()})
		}
		groups[g].n++
		if e.Label == Function {
			groups[g].function++
		}
	}
	folds = make([]int, len(examples))
	k = min(len(groups), maxFolds)
	if k >= 2 {
		sorted := slices.Clone(groups)
		slices.SortFunc(sorted, func(a, b group) int {
			fa, fb := a.function/float64(a.n), b.function/float64(b.n)
			switch {
			case fa > fb:
				return -1
			case fa < fb:
				return 1
			}
			return strings.Compare(a.name, b.name)
		})
		fold := map[string]int{}
		for j, g := range sorted {
			fold[g.name] = j % k
		}
		for i, e := range examples {
			folds[i] = fold[e.group()]
		}
		return folds, k
	}
	if order == nil {
		order = make([]int, len(examples))
		for i := range order {
			order[i] = i
		}
	}
	for j, i := range order {
		folds[i] = j % maxFolds
	}
	return folds, maxFolds
}

// fit runs AdaGrad over the examples in order, for opts.Epochs passes,
// reshuffling between passes with a fixed seed.
func (m *Model) fit(rds []reading, ys []float64, groups []int32, order []int, opts TrainOptions) {
	m.weights = make([]float32, m.Buckets)
	keep := keptFeatures(rds, groups, order, m.Buckets, opts.MinAuthors)
	perGroup := map[int32]float64{}
	for _, i := range order {
		perGroup[groups[i]]++
	}
	for g, n := range perGroup {
		perGroup[g] = 1
		if !opts.EvenPosts {
			perGroup[g] = float64(len(order)) / float64(len(perGroup)) / n
		}
	}
	weight := [2]float64{1, 1} // of personal, function examples
	if opts.Balance {
		var n [2]float64
		for _, i := range order {
			n[int(ys[i])]++
		}
		if n[0] > 0 && n[1] > 0 {
			weight = [2]float64{(n[0] + n[1]) / (2 * n[0]), (n[0] + n[1]) / (2 * n[1])}
		}
	}
	g2 := make([]float32, m.Buckets)
	var bias, biasG2 float64
	order = append([]int(nil), order...)
	shuffle := rand.New(rand.NewPCG(3, 4))
	const eps = 1e-8
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		for _, i := range order {
			rd := &rds[i]
			if len(rd.feats) == 0 {
				continue
			}
			scale := scale(len(rd.feats))
			s := bias
			for _, f := range rd.feats {
				s += float64(m.weights[f.hash]) * scale
			}
			g := (sigmoid(s) - ys[i]) * weight[int(ys[i])] * perGroup[groups[i]]
			for _, f := range rd.feats {
				if keep != nil && !keep[f.hash] {
					continue
				}
				w := float64(m.weights[f.hash])
				grad := g*scale + opts.L2*w
				g2[f.hash] += float32(grad * grad)
				m.weights[f.hash] = float32(w - opts.LearningRate*grad/(math.Sqrt(float64(g2[f.hash]))+eps))
			}
			biasG2 += g * g
			bias -= opts.LearningRate * g / (math.Sqrt(biasG2) + eps)
		}
		shuffle.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	}
	m.Bias = bias
}

// keptFeatures marks the buckets found in the examples of at least
// minAuthors author groups; nil keeps all.
func keptFeatures(rds []reading, groups []int32, order []int, buckets uint32, minAuthors int) []bool {
	if minAuthors <= 1 {
		return nil
	}
	last := make([]int32, buckets)
	count := make([]uint16, buckets)
	for i := range last {
		last[i] = -1
	}
	byGroup := slices.Clone(order)
	slices.SortStableFunc(byGroup, func(a, b int) int { return int(groups[a]) - int(groups[b]) })
	for _, i := range byGroup {
		for _, f := range rds[i].feats {
			if last[f.hash] != groups[i] {
				last[f.hash] = groups[i]
				count[f.hash]++
			}
		}
	}
	keep := make([]bool, buckets)
	for i, c := range count {
		keep[i] = int(c) >= minAuthors
	}
	return keep
}

// platt fits p = σ(a·s + b) to held-out scores by Newton's method on the
// log-loss, with Platt's smoothed targets.
func platt(scores, labels []float64) (a, b float64) {
	var pos, neg float64
	for _, y := range labels {
		if y == 1 {
			pos++
		} else {
			neg++
		}
	}
	hi, lo := (pos+1)/(pos+2), 1/(neg+2)
	a, b = 1, 0
	for iter := 0; iter < 50; iter++ {
		var ga, gb, haa, hab, hbb float64
		for i, s := range scores {
			t := lo
			if labels[i] == 1 {
				t = hi
			}
			p := sigmoid(a*s + b)
			d := p - t
			w := p * (1 - p)
			ga += d * s
			gb += d
			haa += w * s * s
			hab += w * s
			hbb += w
		}
		haa += 1e-9
		hbb += 1e-9
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a -= da
		b -= db
		if math.Abs(da) < 1e-9 && math.Abs(db) < 1e-9 {
			break
		}
	}
	return a, b
}
