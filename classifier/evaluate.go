package classifier

import (
	"fmt"
	"math"
	"strings"
	"time"
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
	// Reliability tells, per band of confidence, how often the more likely
	// label was right: a calibrated model is right 9 times in 10 at 0.9.
	Reliability []ReliabilityBand

	labels      []Label
	decisions   []Label
	confidences []float64
}

// ReliabilityBand is one band of confidence, [Low, High): the examples whose
// more likely label had that confidence (the probability of the label,
// decided or left in the review band), their mean confidence and how many
// of them that label was right for.
type ReliabilityBand struct {
	Low, High      float64
	Count          int
	MeanConfidence float64
	Accuracy       float64
}

// Exposure is what a publication threshold lets through: the personal posts
// decided function with at least that confidence (shown to the public
// without a person looking), the function posts decided personal with that
// confidence (hidden from it), and the function posts decided function with
// it (published without waiting for a person; the others wait).
type Exposure struct {
	Threshold float64
	// PersonalPublished of Personal posts; FunctionHidden and
	// FunctionPublished of Function posts.
	PersonalPublished, Personal int
	FunctionHidden, Function    int
	FunctionPublished           int
	PersonalPublishedShare      float64
	FunctionHiddenShare         float64
	FunctionPublishedShare      float64
}

// AtThreshold counts what a publication threshold exposes and hides.
func (e *Evaluation) AtThreshold(t float64) Exposure {
	x := Exposure{Threshold: t}
	for i, l := range e.labels {
		sure := e.confidences[i] >= t
		switch l {
		case Personal:
			x.Personal++
			if e.decisions[i] == Function && sure {
				x.PersonalPublished++
			}
		case Function:
			x.Function++
			if e.decisions[i] == Personal && sure {
				x.FunctionHidden++
			}
			if e.decisions[i] == Function && sure {
				x.FunctionPublished++
			}
		}
	}
	x.PersonalPublishedShare = ratio(x.PersonalPublished, x.Personal)
	x.FunctionHiddenShare = ratio(x.FunctionHidden, x.Function)
	x.FunctionPublishedShare = ratio(x.FunctionPublished, x.Function)
	return x
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
	return c.evaluate(examples, acct, false)
}

// EvaluateOffices is Evaluate honouring each example's Office: a post
// written by someone holding no office ("none") is outside any term, and
// the term rule decides it personal; the others are posts of acct.
func (c *Classifier) EvaluateOffices(examples []Example, acct Account) *Evaluation {
	return c.evaluate(examples, acct, true)
}

// noTerm is an account whose term has not begun: the term rule decides.
var noTerm = Account{TermFrom: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}

func (c *Classifier) evaluate(examples []Example, acct Account, offices bool) *Evaluation {
	decisions := make([]Label, len(examples))
	confidences := make([]float64, len(examples))
	probs := make([]float64, len(examples))
	for i, x := range examples {
		probs[i] = math.NaN()
		a := acct
		if offices && strings.EqualFold(x.Office, "none") {
			a = noTerm
		}
		if c.model == nil || a.Official || !a.inTerm(time.Time{}) {
			d := c.Classify(a, Post{Text: x.Text})
			decisions[i], confidences[i] = d.Label, d.Confidence
			continue
		}
		// A personal account without dates: the content model decides.
		var d Decision
		d, probs[i] = c.contentProbability(x.Text, 0, x.Account)
		decisions[i], confidences[i] = d.Label, d.Confidence
	}
	return score(examples, decisions, confidences, probs)
}

// reliabilityBands are the bands of confidence Evaluation.Reliability
// reports: 0.5–0.6 … 0.9–1.0.
var reliabilityBands = []float64{0.5, 0.6, 0.7, 0.8, 0.9, 1.0}

// score compares decisions, their confidences (and, when given, the
// probabilities of function; NaN for none) with the examples' labels.
func score(examples []Example, decisions []Label, confidences, probs []float64) *Evaluation {
	ev := &Evaluation{Confusion: map[Label]map[Label]int{Function: {}, Personal: {}}, decisions: decisions, confidences: confidences}
	nb := len(reliabilityBands) - 1
	bands := make([]ReliabilityBand, nb)
	for j := range bands {
		bands[j].Low, bands[j].High = reliabilityBands[j], reliabilityBands[j+1]
	}
	var ll, brier float64
	n := 0
	for i, x := range examples {
		ev.Total++
		ev.labels = append(ev.labels, x.Label)
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
		conf, right := p, y == 1
		if p < 0.5 {
			conf, right = 1-p, y == 0
		}
		j := min(int((conf-0.5)*10), nb-1)
		bands[j].Count++
		bands[j].MeanConfidence += conf
		if right {
			bands[j].Accuracy++
		}
	}
	if n > 0 {
		ev.LogLoss, ev.Brier = ll/float64(n), brier/float64(n)
		for j := range bands {
			if c := float64(bands[j].Count); c > 0 {
				bands[j].MeanConfidence /= c
				bands[j].Accuracy /= c
			}
		}
		ev.Reliability = bands
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

// CrossValidate estimates how a model trained with opts does on posts of
// authors it never read: the examples are split into folds that hold out
// whole author groups (Example.Author, else the source file; see foldsOf),
// a model is trained without each fold and decides on it, and the
// decisions of all folds are scored together.
func CrossValidate(examples []Example, opts TrainOptions) (*Evaluation, error) {
	held, decisions, confidences, probs, err := crossValidate(examples, opts)
	if err != nil {
		return nil, err
	}
	return score(held, decisions, confidences, probs), nil
}

// crossValidate returns each example as judged by the model of the fold
// that held it out, in fold order.
func crossValidate(examples []Example, opts TrainOptions) (held []Example, decisions []Label, confidences, probs []float64, err error) {
	opts.defaults()
	folds, k := foldsOf(examples, nil, opts.Folds)
	for fold := 0; fold < k; fold++ {
		var train, out []Example
		for i, e := range examples {
			if folds[i] == fold {
				out = append(out, e)
			} else {
				train = append(train, e)
			}
		}
		m, err := Train(train, opts)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("cross-validate, fold %d of %d: %w", fold+1, k, err)
		}
		c := New(DefaultPolicy(), m)
		for _, e := range out {
			d, p := c.contentProbability(e.Text, 0, e.Account)
			held = append(held, e)
			decisions, confidences, probs = append(decisions, d.Label), append(confidences, d.Confidence), append(probs, p)
		}
	}
	return held, decisions, confidences, probs, nil
}
