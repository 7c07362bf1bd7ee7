package classifier

import (
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
)

// Learning from an office's own decisions: every post a person decided is a
// labelled example of the office's servants. Scores compares models on such
// examples; LearningCurve measures how much a model gains, on an author's
// other posts, from k of that author's posts added to its training.

// Scores is how a model's decisions on labelled posts, read as posts of
// personal accounts, compare with the labels. Undetermined decisions count
// against recall, as in Evaluate.
type Scores struct {
	Examples     int
	Function     ClassScore
	Personal     ClassScore
	MacroF1      float64
	Undetermined int
	// At the publication threshold: personal posts decided function with at
	// least that confidence (the public would see them unreviewed), and
	// function posts decided personal with it (hidden from the public).
	Threshold         float64
	PersonalPublished int
	FunctionHidden    int
}

// UndeterminedShare is the part of the examples left undetermined.
func (s *Scores) UndeterminedShare() float64 { return ratio(s.Undetermined, s.Examples) }

// PersonalPublishedShare is PersonalPublished of the personal posts.
func (s *Scores) PersonalPublishedShare() float64 {
	return ratio(s.PersonalPublished, s.Personal.Support)
}

// FunctionHiddenShare is FunctionHidden of the function posts.
func (s *Scores) FunctionHiddenShare() float64 { return ratio(s.FunctionHidden, s.Function.Support) }

// tally counts decisions against labels; tallies of several models on
// disjoint examples add up (pooled scores).
type tally struct {
	threshold         float64
	n                 [2][3]int // [label][decision]: function, personal; undetermined
	published, hidden int
}

func index(l Label) int {
	switch l {
	case Function:
		return 0
	case Personal:
		return 1
	}
	return 2
}

// judge decides each example with m as a post of a personal account
// without term dates (the content model decides) and counts it.
func (t *tally) judge(m *Model, examples []Example) {
	c := New(DefaultPolicy(), m)
	for _, x := range examples {
		d := c.Classify(Account{}, Post{Text: x.Text, Account: x.Account})
		t.add(x.Label, d.Label, d.Confidence)
	}
}

func (t *tally) add(label, decision Label, confidence float64) {
	l := index(label)
	if l > 1 {
		return
	}
	t.n[l][index(decision)]++
	sure := confidence >= t.threshold
	switch {
	case label == Personal && decision == Function && sure:
		t.published++
	case label == Function && decision == Personal && sure:
		t.hidden++
	}
}

func (t *tally) plus(o *tally) {
	for i := range t.n {
		for j := range t.n[i] {
			t.n[i][j] += o.n[i][j]
		}
	}
	t.published += o.published
	t.hidden += o.hidden
}

func (t *tally) scores() *Scores {
	s := &Scores{Threshold: t.threshold, PersonalPublished: t.published, FunctionHidden: t.hidden}
	class := func(l int) ClassScore {
		support := t.n[l][0] + t.n[l][1] + t.n[l][2]
		decided := t.n[0][l] + t.n[1][l]
		cs := ClassScore{Support: support, Precision: ratio(t.n[l][l], decided), Recall: ratio(t.n[l][l], support)}
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		return cs
	}
	s.Function, s.Personal = class(0), class(1)
	s.Examples = s.Function.Support + s.Personal.Support
	s.Undetermined = t.n[0][2] + t.n[1][2]
	s.MacroF1 = (s.Function.F1 + s.Personal.F1) / 2
	return s
}

// Score decides each example with m as a post of a personal account (the
// content model decides) and scores the decisions against the labels, with
// threshold as the publication threshold.
func Score(m *Model, examples []Example, threshold float64) *Scores {
	t := &tally{threshold: threshold}
	t.judge(m, examples)
	return t.scores()
}

// CurveOptions tune LearningCurve.
type CurveOptions struct {
	Ks      []int // reviewed posts per author added to training (k = 0 is the material alone)
	Repeats int   // samples of each author's posts per k
	MinTest int   // an author takes part at k when k + MinTest posts are labelled
	// Weight is how many times each reviewed post counts in training.
	Weight    int
	Threshold float64 // publication threshold for the exposure figures
	// Accounts treats each author as one account of the office: the
	// reviewed posts name it (Example.Account), so that the model learns
	// how the account leans, and its other posts are judged as its.
	Accounts bool
	Train    TrainOptions
	// Progress, when set, is told of each model trained.
	Progress func(k, author, repeat int)
}

// CurvePoint is the learning curve at one k: over the authors with at
// least k + MinTest labelled posts, each repetition samples k of an
// author's posts, trains on the material plus them, and decides the
// author's other posts; Base decides the same posts with the material's
// model alone (k = 0). Scores are pooled over authors and repetitions.
type CurvePoint struct {
	K       int
	Authors int
	Scored  int // posts decided per repetition, over all the authors
	Base    *Scores
	Learnt  *Scores
	// The mean over authors whose other posts hold both labels of the
	// macro-F1 on their posts (repetitions pooled), and how many they are.
	AuthorBase, AuthorLearnt float64
	AuthorsBothLabels        int
}

// LearningCurve measures how much a model learns from an office's reviews:
// labelled posts are grouped by Example.Author, and at each k of opts, k of
// an author's posts (a deterministic sample per author and repetition)
// join the material in training, and the author's other posts are decided.
// base is the material's model (nil: trained here).
func LearningCurve(material, labelled []Example, base *Model, opts CurveOptions) ([]CurvePoint, error) {
	if opts.Repeats < 1 {
		opts.Repeats = 1
	}
	if opts.Weight < 1 {
		opts.Weight = 1
	}
	byAuthor := map[string][]Example{}
	for _, x := range labelled {
		if x.Author == "" {
			return nil, fmt.Errorf("learning curve: a post without author: %.40q", x.Text)
		}
		byAuthor[x.Author] = append(byAuthor[x.Author], x)
	}
	authors := slices.Sorted(maps.Keys(byAuthor))
	if base == nil {
		var err error
		if base, err = Train(material, opts.Train); err != nil {
			return nil, err
		}
	}
	var points []CurvePoint
	for _, k := range opts.Ks {
		p := CurvePoint{K: k}
		baseAll, learntAll := &tally{threshold: opts.Threshold}, &tally{threshold: opts.Threshold}
		for ai, a := range authors {
			posts := byAuthor[a]
			if len(posts) < k+opts.MinTest {
				continue
			}
			p.Authors++
			p.Scored += len(posts) - k
			baseA, learntA := &tally{threshold: opts.Threshold}, &tally{threshold: opts.Threshold}
			h := fnv.New64a()
			h.Write([]byte(a))
			for rep := 0; rep < opts.Repeats; rep++ {
				order := rand.New(rand.NewPCG(h.Sum64(), uint64(rep))).Perm(len(posts))
				var reviewed, others []Example
				for j, i := range order {
					x := posts[i]
					if opts.Accounts {
						x.Account = a // the office reviews posts of its directory's accounts
					}
					if j < k {
						reviewed = append(reviewed, x)
					} else {
						others = append(others, x)
					}
				}
				baseA.judge(base, others)
				m := base
				if k > 0 {
					train := slices.Clip(material)
					for range opts.Weight {
						train = append(train, reviewed...)
					}
					var err error
					if m, err = Train(train, opts.Train); err != nil {
						return nil, fmt.Errorf("learning curve, author %q, k = %d: %w", a, k, err)
					}
				}
				learntA.judge(m, others)
				if opts.Progress != nil {
					opts.Progress(k, ai, rep)
				}
			}
			baseAll.plus(baseA)
			learntAll.plus(learntA)
			if bs, ls := baseA.scores(), learntA.scores(); bs.Function.Support > 0 && bs.Personal.Support > 0 {
				p.AuthorsBothLabels++
				p.AuthorBase += bs.MacroF1
				p.AuthorLearnt += ls.MacroF1
			}
		}
		if p.Authors == 0 {
			return nil, fmt.Errorf("learning curve: no author has %d labelled posts or more (k = %d)", k+opts.MinTest, k)
		}
		if p.AuthorsBothLabels > 0 {
			p.AuthorBase /= float64(p.AuthorsBothLabels)
			p.AuthorLearnt /= float64(p.AuthorsBothLabels)
		}
		p.Base, p.Learnt = baseAll.scores(), learntAll.scores()
		points = append(points, p)
	}
	return points, nil
}
