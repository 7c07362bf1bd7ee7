package electoral

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vigia-mx/vigia/internal/suggest"
	"github.com/vigia-mx/vigia/internal/yamlcheck"
)

var (
	topKeys      = []string{"procesos"}
	processKeys  = []string{"jurisdiccion", "proceso", "jornada", "campanas", "veda", "fuente"}
	campaignKeys = []string{"cargos", "periodo"}
	officePat    = regexp.MustCompile(`^[a-z][a-z_-]{1,39}$`)
)

// maxCampaignDays catches a mistyped year: no Mexican campaign lasts more
// than 90 days (LGIPE art. 251), nor a veda more than a few.
const maxCampaignDays = 120

// Problem is one thing wrong in a campaign calendar file.
type Problem = yamlcheck.Problem

// ValidationError lists every problem found in a campaign calendar file.
type ValidationError = yamlcheck.ValidationError

// problems collects Problems while a file is read.
type problems = yamlcheck.Problems

// Load reads a campaign calendar from the YAML file at path (see the
// package documentation). When the file has problems the error is a
// *ValidationError listing all of them.
func Load(path string) (*Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read campaign calendar: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a campaign calendar from data; name is used in messages.
func Parse(name string, data []byte) (*Calendar, error) {
	ps := &problems{What: "campaign calendar"}
	c := &Calendar{File: name}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			ps.Add(0, "", "", "the file is empty; it needs procesos:")
		} else {
			line, msg := yamlcheck.SyntaxError(err)
			ps.Add(line, "", "", "%s", msg)
		}
		return nil, ps.Err(name)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		line := more.Line
		if err != nil {
			line, _ = yamlcheck.SyntaxError(err)
		}
		ps.Add(line, "", "", "a second YAML document (after ---): a calendar is one document")
		return nil, ps.Err(name)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		ps.Add(root.Line, "", "", "expected procesos: with a list of electoral processes")
		return nil, ps.Err(name)
	}
	eachKey(ps, root, "", topKeys, func(key string, v *yaml.Node) {
		if v.Kind != yaml.SequenceNode {
			ps.Add(v.Line, key, "", "expected a list of electoral processes, each starting with \"- jurisdiccion:\"")
			return
		}
		for i, item := range v.Content {
			if p, ok := parseProcess(ps, item, fmt.Sprintf("procesos[%d]", i)); ok {
				c.Processes = append(c.Processes, p)
			}
		}
	})
	seen := map[string]int{}
	for i, p := range c.Processes {
		key := p.Jurisdiction + " " + p.Election.Format(time.DateOnly)
		if first, dup := seen[key]; dup {
			ps.Add(p.Line, fmt.Sprintf("procesos[%d]", i), "", "%s already has a process with election day %s (line %d): give each of its campaigns in that process's campanas", p.Jurisdiction, p.Election.Format(time.DateOnly), first)
		} else {
			seen[key] = p.Line
		}
	}
	if err := ps.Err(name); err != nil {
		return nil, err
	}
	return c, nil
}

func parseProcess(ps *problems, n *yaml.Node, path string) (Process, bool) {
	p := Process{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		ps.Add(n.Line, path, "", "expected a process (jurisdiccion, proceso, jornada, campanas, fuente)")
		return p, false
	}
	before := ps.Len()
	seen := map[string]bool{}
	eachKey(ps, n, path, processKeys, func(key string, v *yaml.Node) {
		seen[key] = true
		field := path + "." + key
		switch key {
		case "jurisdiccion":
			p.Jurisdiction = scalar(ps, v, field)
			if p.Jurisdiction != "" && !KnownJurisdiction(p.Jurisdiction) {
				ps.Add(v.Line, field, p.Jurisdiction, "unknown jurisdiction%s; use MX for federal processes or a state's ISO 3166-2 code such as MX-JAL", suggest.DidYouMean(p.Jurisdiction, Jurisdictions))
			}
		case "proceso":
			p.Name = scalar(ps, v, field)
		case "fuente":
			p.Source = scalar(ps, v, field)
		case "jornada":
			s := scalar(ps, v, field)
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				ps.Add(v.Line, field, s, "expected the election day written YYYY-MM-DD")
			}
			p.Election = d
		case "veda":
			p.Veda, _ = period(ps, v, field)
		case "campanas":
			if v.Kind != yaml.SequenceNode {
				ps.Add(v.Line, field, "", "expected a list of campaigns, each with cargos and periodo")
				return
			}
			for i, item := range v.Content {
				if c, ok := parseCampaign(ps, item, fmt.Sprintf("%s[%d]", field, i)); ok {
					p.Campaigns = append(p.Campaigns, c)
				}
			}
		}
	})
	for _, key := range processKeys {
		if !seen[key] && key != "veda" {
			ps.Add(n.Line, path+"."+key, "", "missing")
		}
	}
	if p.Name == "" && seen["proceso"] {
		ps.Add(n.Line, path+".proceso", "", "missing: the process's name, as the rationale will show it")
	}
	if p.Source == "" && seen["fuente"] {
		ps.Add(n.Line, path+".fuente", "", "missing: the agreement or publication the dates come from")
	}
	if !p.Election.IsZero() {
		for i, c := range p.Campaigns {
			if !c.Period.To.Before(p.Election) {
				ps.Add(n.Line, fmt.Sprintf("%s.campanas[%d].periodo", path, i), c.Period.String(), "the campaign does not end before the election day %s", p.Election.Format(time.DateOnly))
			}
		}
		if !p.Veda.IsZero() && !p.Veda.To.Before(p.Election) {
			ps.Add(n.Line, path+".veda", p.Veda.String(), "the veda does not end before the election day %s", p.Election.Format(time.DateOnly))
		}
	}
	offices := map[string]bool{}
	for i, c := range p.Campaigns {
		for _, o := range c.Offices {
			if offices[o] {
				ps.Add(n.Line, fmt.Sprintf("%s.campanas[%d].cargos", path, i), o, "the office is in two campaigns of the process")
			}
			offices[o] = true
		}
	}
	return p, ps.Len() == before
}

func parseCampaign(ps *problems, n *yaml.Node, path string) (Campaign, bool) {
	var c Campaign
	if n.Kind != yaml.MappingNode {
		ps.Add(n.Line, path, "", "expected a campaign with cargos and periodo")
		return c, false
	}
	before := ps.Len()
	seen := map[string]bool{}
	eachKey(ps, n, path, campaignKeys, func(key string, v *yaml.Node) {
		seen[key] = true
		field := path + "." + key
		switch key {
		case "cargos":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				ps.Add(v.Line, field, "", "expected a list of offices, e.g. [diputacion, ayuntamiento]")
				return
			}
			for _, o := range v.Content {
				s := scalar(ps, o, field)
				if !officePat.MatchString(s) {
					ps.Add(o.Line, field, s, "write an office in lower case without accents or spaces, e.g. diputacion")
					continue
				}
				c.Offices = append(c.Offices, s)
			}
		case "periodo":
			c.Period, _ = period(ps, v, field)
		}
	})
	for _, key := range campaignKeys {
		if !seen[key] {
			ps.Add(n.Line, path+"."+key, "", "missing")
		}
	}
	return c, ps.Len() == before
}

// period reads "YYYY-MM-DD..YYYY-MM-DD".
func period(ps *problems, v *yaml.Node, field string) (Period, bool) {
	s := scalar(ps, v, field)
	from, to, ok := strings.Cut(s, "..")
	a, err1 := time.Parse(time.DateOnly, strings.TrimSpace(from))
	b, err2 := time.Parse(time.DateOnly, strings.TrimSpace(to))
	switch {
	case !ok || err1 != nil || err2 != nil:
		ps.Add(v.Line, field, s, "expected a period YYYY-MM-DD..YYYY-MM-DD, both days included")
	case b.Before(a):
		ps.Add(v.Line, field, s, "the period ends before it begins")
	case b.Sub(a) > maxCampaignDays*24*time.Hour:
		ps.Add(v.Line, field, s, "the period is longer than %d days; check the years", maxCampaignDays)
	default:
		return Period{From: a, To: b}, true
	}
	return Period{}, false
}

// eachKey calls f for every known key of a mapping and reports unknown and
// repeated keys.
func eachKey(ps *problems, m *yaml.Node, path string, known []string, f func(key string, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		field := k.Value
		if path != "" {
			field = path + "." + k.Value
		}
		if !slices.Contains(known, k.Value) {
			ps.Add(k.Line, field, "", "unknown key%s; known keys: %s", suggest.DidYouMean(k.Value, known), strings.Join(known, ", "))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			ps.Add(k.Line, field, "", "repeated key (first at line %d)", line)
			continue
		}
		seen[k.Value] = k.Line
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		f(k.Value, v)
	}
}

func scalar(ps *problems, v *yaml.Node, field string) string {
	if v.Kind != yaml.ScalarNode {
		ps.Add(v.Line, field, "", "expected a single value, not a list or mapping")
		return ""
	}
	if v.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(v.Value)
}
