package classifier

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

//go:embed policy.yaml
var defaultPolicy []byte

// Policy is the legal basis the classifier applies: the clauses, and the
// decision each account rule gives.
type Policy struct {
	Version string   `yaml:"version"`
	Source  string   `yaml:"source"`
	Clauses []Clause `yaml:"clauses"`
	Rules   Rules    `yaml:"rules"`
	// Classifier holds the office's settings for the content model's
	// decisions.
	Classifier Settings `yaml:"classifier"`
	// Answer holds the legal texts of the answer to an access request
	// (answer.go); what a file leaves out comes from the embedded policy.
	Answer AnswerTexts `yaml:"respuesta"`
}

// DefaultPublishThreshold is the publication threshold of a policy that
// sets none.
const DefaultPublishThreshold = 0.75

// Settings are the office's settings for the content model's decisions.
type Settings struct {
	// PublishThreshold is the least confidence at which a model's function
	// decision makes a post public information for the public role; below
	// it the post waits for a person, hidden (0.5 to 1; default 0.75).
	PublishThreshold *float64 `yaml:"publish_threshold"`
}

// PublishThreshold is the policy's publication threshold
// (classifier.publish_threshold), DefaultPublishThreshold when it sets none.
func (p *Policy) PublishThreshold() float64 {
	if p == nil || p.Classifier.PublishThreshold == nil {
		return DefaultPublishThreshold
	}
	return *p.Classifier.PublishThreshold
}

// Clause is one clause of the policy.
type Clause struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	Text  string `yaml:"text"`
}

// Rules are the account-level rules, each a decision template.
type Rules struct {
	Official     Rule `yaml:"official"`     // official account
	Administered Rule `yaml:"administered"` // personal account administered by an area, inside the term
	OutsideTerm  Rule `yaml:"outside_term"` // personal account, post outside the servant's term
	Personal     Rule `yaml:"personal"`     // personal account, content to be judged
	Repost       Rule `yaml:"repost"`       // personal account, repost without text of its own

	// The electoral rules. A policy file written before them may leave
	// them out: it then gets the embedded policy's, on the basis of its
	// own outside_term rule (leave) or personal rule (candidacy).
	Leave           Rule `yaml:"leave"`            // personal account, post inside a leave (licencia)
	Candidacy       Rule `yaml:"candidacy"`        // post during the campaign of the servant's candidacy
	CandidacyReview Rule `yaml:"candidacy_review"` // the same, when the content model reads it as function
}

// Rule is a decision template. Placeholders in Rationale: {publicada} the
// post's date, {periodo} the servant's term, {licencia} the leave the post
// fell in, {etapa} "la campaña" or "la veda electoral", {proceso} the
// electoral process and {campana} the days of that stage.
type Rule struct {
	Label     Label  `yaml:"label"`
	Basis     string `yaml:"basis"`
	Rationale string `yaml:"rationale"`
}

// DefaultPolicy returns the embedded policy.
func DefaultPolicy() *Policy {
	p, err := ParsePolicy("policy.yaml (embedded)", defaultPolicy)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return p
}

// LoadPolicy reads a policy file.
func LoadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	return ParsePolicy(path, data)
}

// ParsePolicy decodes a policy strictly (unknown keys are errors) and checks
// that every rule names a known label and clause.
func ParsePolicy(name string, data []byte) (*Policy, error) {
	var p Policy
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	if p.Version == "" {
		return nil, fmt.Errorf("policy %s: version: missing", name)
	}
	clauses := map[string]bool{}
	for _, c := range p.Clauses {
		clauses[c.ID] = true
	}
	electoralDefaults(&p.Rules, clauses)
	answerDefaults(&p.Answer)
	if err := checkAnswer(name, &p.Answer); err != nil {
		return nil, err
	}
	for field, r := range map[string]Rule{
		"official": p.Rules.Official, "administered": p.Rules.Administered,
		"outside_term": p.Rules.OutsideTerm, "personal": p.Rules.Personal, "repost": p.Rules.Repost,
		"leave": p.Rules.Leave, "candidacy": p.Rules.Candidacy, "candidacy_review": p.Rules.CandidacyReview,
	} {
		switch r.Label {
		case Function, Personal, Undetermined:
		default:
			return nil, fmt.Errorf("policy %s: rules.%s.label: %q: expected function, personal or undetermined", name, field, r.Label)
		}
		if !clauses[r.Basis] {
			return nil, fmt.Errorf("policy %s: rules.%s.basis: %q: not one of the clauses", name, field, r.Basis)
		}
		if r.Rationale == "" {
			return nil, fmt.Errorf("policy %s: rules.%s.rationale: missing", name, field)
		}
	}
	if t := p.Classifier.PublishThreshold; t != nil && !(*t >= 0.5 && *t <= 1) {
		return nil, fmt.Errorf("policy %s: classifier.publish_threshold: %v: expected a confidence from 0.5 to 1", name, *t)
	}
	return &p, nil
}

// Clause returns the clause with the given id.
func (p *Policy) Clause(id string) (Clause, bool) {
	for _, c := range p.Clauses {
		if c.ID == id {
			return c, true
		}
	}
	return Clause{}, false
}

// electoralDefaults gives a policy without the electoral rules the
// embedded policy's, on a basis of its own clauses when it lacks the
// embedded one's: that of its outside_term rule for a leave (as outside the
// term, the servant does not exercise the office), of its personal rule for
// a candidacy.
func electoralDefaults(r *Rules, clauses map[string]bool) {
	if r.Leave != (Rule{}) && r.Candidacy != (Rule{}) && r.CandidacyReview != (Rule{}) {
		return
	}
	var def Policy
	if err := yaml.Unmarshal(defaultPolicy, &def); err != nil {
		return // the embedded file is checked by the tests
	}
	fill := func(rule *Rule, d Rule, basis string) {
		if *rule != (Rule{}) {
			return
		}
		*rule = d
		if !clauses[rule.Basis] {
			rule.Basis = basis
		}
	}
	fill(&r.Leave, def.Rules.Leave, r.OutsideTerm.Basis)
	fill(&r.Candidacy, def.Rules.Candidacy, r.Personal.Basis)
	fill(&r.CandidacyReview, def.Rules.CandidacyReview, r.Personal.Basis)
}
