package classifier

import (
	"fmt"
	"math"
)

// Evaluation scores decisions against labels. Undetermined decisions count
// as neither class: they lower recall, not precision.
type Evaluation struct {
	Total        int
	Undetermined int
	// Confusion[actual][predicted], predicted including undetermined.
	Confusion map[Label]map[Label]int
	Function  ClassScore
	Personal  ClassScore
	MacroF1   float64
	// MacroF1Decided leaves the undetermined out, as if a person decided them well.
	MacroF1Decided float64
	// LogLoss and Brier measure the calibration of the probabilities given
	// (over every example long enough to judge).
	LogLoss, Brier float64
}

// ClassScore is precision, recall and F1 of one class.
type ClassScore struct {
	Precision, Recall, F1 float64
	Support               int
}

// UndeterminedShare is the part of the examples left undetermined.
func (e *Evaluation) UndeterminedShare() float64 {
	if e.Total == 0 {
		return 0
	}
	return float64(e.Undetermined) / float64(e.Total)
}

// Evaluate classifies each example as a post of acct and scores the result.
func (c *Classifier) Evaluate(examples []Example, acct Account) *Evaluation {
	decisions := make([]Label, len(examples))
	var probs []float64
	if c.model != nil && !acct.Official {
		probs = make([]float64, len(examples))
	}
	for i, x := range examples {
		if probs == nil {
			decisions[i] = c.Classify(acct, Post{Text: x.Text}).Label
			continue
		}
		// A personal account without dates: the content model decides.
		var d Decision
		d, probs[i] = c.contentProbability(x.Text, 0)
		decisions[i] = d.Label
	}
	return score(examples, decisions, probs)
}

// score compares decisions (and, when given, the probabilities of function;
// NaN for none) with the examples' labels.
func score(examples []Example, decisions []Label, probs []float64) *Evaluation {
	ev := &Evaluation{Confusion: map[Label]map[Label]int{Function: {}, Personal: {}}}
	var ll, brier float64
	n := 0
	for i, x := range examples {
		ev.Total++
		ev.Confusion[x.Label][decisions[i]]++
		if decisions[i] == Undetermined {
			ev.Undetermined++
		}
		if probs == nil || math.IsNaN(probs[i]) {
			continue
		}
		p, y := probs[i], 0.0
		if x.Label == Function {
			y = 1
		}
		pc := math.Min(math.Max(p, 1e-6), 1-1e-6)
		ll -= y*math.Log(pc) + (1-y)*math.Log(1-pc)
		brier += (p - y) * (p - y)
		n++
	}
	if n > 0 {
		ev.LogLoss, ev.Brier = ll/float64(n), brier/float64(n)
	}
	cf := ev.Confusion
	class := func(l, other Label, decidedOnly bool) ClassScore {
		tp := cf[l][l]
		predicted := cf[l][l] + cf[other][l]
		support := cf[l][Function] + cf[l][Personal] + cf[l][Undetermined]
		actual := support
		if decidedOnly {
			actual = cf[l][Function] + cf[l][Personal]
		}
		s := ClassScore{Support: support, Precision: ratio(tp, predicted), Recall: ratio(tp, actual)}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		return s
	}
	ev.Function, ev.Personal = class(Function, Personal, false), class(Personal, Function, false)
	ev.MacroF1 = (ev.Function.F1 + ev.Personal.F1) / 2
	ev.MacroF1Decided = (class(Function, Personal, true).F1 + class(Personal, Function, true).F1) / 2
	return ev
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// CrossValidate estimates how a model trained with opts does on texts unlike
// those it learnt from: the examples are split into folds by source (each
// fold holds out whole files, some of each label; see foldsOf), a model is
// trained without each fold and decides on it, and the decisions of all
// folds are scored together.
func CrossValidate(examples []Example, opts TrainOptions) (*Evaluation, error) {
	opts.defaults()
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	folds, k := foldsOf(examples, order, opts.Folds)
	var all []Example
	var decisions []Label
	var probs []float64
	for fold := 0; fold < k; fold++ {
		var train, held []Example
		for i, e := range examples {
			if folds[i] == fold {
				held = append(held, e)
			} else {
				train = append(train, e)
			}
		}
		m, err := Train(train, opts)
		if err != nil {
			return nil, fmt.Errorf("cross-validate, fold %d of %d: %w", fold+1, k, err)
		}
		c := New(DefaultPolicy(), m)
		for _, e := range held {
			all = append(all, e)
			d, p := c.contentProbability(e.Text, 0)
			decisions, probs = append(decisions, d.Label), append(probs, p)
		}
	}
	return score(all, decisions, probs), nil
}
