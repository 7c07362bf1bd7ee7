package directory

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/internal/suggest"
)

var (
	topKeys     = []string{"subject", "timezone", "jurisdiction", "campaigns", "export_every", "accounts"}
	accountKeys = []string{"id", "network", "handle", "endpoint", "allow_private_network", "type", "area",
		"administered_by_area", "servant", "office", "registered_on", "sweep_pages", "jurisdiction", "leave", "candidacy",
		"capture", "token_file", "token_env", "export_every"}
	servantKeys = []string{"name", "position", "level"}
	officeKeys  = []string{"from", "to"}
)

// Parse reads a directory from YAML and checks it; the networks it may name
// are those of nets. name is used in messages.
// The error, when the file has problems, is a *ValidationError listing all
// of them.
func Parse(name string, data []byte, nets Networks) (*Directory, error) {
	ps := &problems{file: name}
	d := &Directory{File: name}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			ps.add(0, "", "", "the file is empty; it needs subject: and accounts:")
		} else {
			ps.add(syntaxLine(err), "", "", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		return nil, ps.err()
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		line := more.Line
		if err != nil {
			line = syntaxLine(err)
		}
		ps.add(line, "", "", "a second YAML document (after ---): a directory is one document; join them or remove the ---")
		return nil, ps.err()
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		ps.add(root.Line, "", "", "expected a mapping with subject: and accounts:")
		return nil, ps.err()
	}
	d.fields = map[string]int{"subject": root.Line, "accounts": root.Line}
	eachKey(ps, root, "", topKeys, func(key string, v *yaml.Node) {
		d.fields[key] = v.Line
		switch key {
		case "subject":
			d.Subject = scalar(ps, v, key)
		case "timezone":
			d.Timezone = scalar(ps, v, key)
		case "jurisdiction":
			d.Jurisdiction = scalar(ps, v, key)
		case "campaigns":
			d.CampaignsFile = scalar(ps, v, key)
		case "export_every":
			d.ExportEvery = every(ps, v, key)
		case "accounts":
			if v.Kind != yaml.SequenceNode {
				ps.add(v.Line, key, "", "expected a list of accounts")
				return
			}
			for i, item := range v.Content {
				d.Accounts = append(d.Accounts, parseAccount(ps, item, fmt.Sprintf("accounts[%d]", i)))
			}
		}
	})
	d.check(ps, nets)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return d, nil
}

func parseAccount(ps *problems, n *yaml.Node, path string) Account {
	a := Account{Line: n.Line, fields: map[string]int{}, invalid: map[string]bool{}}
	if n.Kind != yaml.MappingNode {
		ps.add(n.Line, path, "", "expected an account (a mapping with id, network, handle, ...)")
		return a
	}
	eachKey(ps, n, path, accountKeys, func(key string, v *yaml.Node) {
		a.fields[key] = v.Line
		defer a.markInvalid(ps, key, len(ps.list))
		field := path + "." + key
		switch key {
		case "id":
			a.ID = scalar(ps, v, field)
		case "network":
			a.Network = archive.Network(scalar(ps, v, field))
		case "handle":
			a.Handle = scalar(ps, v, field)
		case "endpoint":
			a.Endpoint = scalar(ps, v, field)
		case "allow_private_network":
			a.AllowPrivateNetwork = boolean(ps, v, field)
		case "type":
			a.Type = scalar(ps, v, field)
		case "area":
			a.Area = scalar(ps, v, field)
		case "administered_by_area":
			a.AdministeredByArea = boolean(ps, v, field)
		case "registered_on":
			a.RegisteredOn = date(ps, v, field)
		case "sweep_pages":
			a.SweepPages = integer(ps, v, field)
		case "jurisdiction":
			a.Jurisdiction = scalar(ps, v, field)
		case "leave":
			a.Leaves = parseLeaves(ps, v, field)
		case "candidacy":
			a.Candidacies = parseCandidacies(ps, v, field)
		case "capture":
			a.Capture = Capture(scalar(ps, v, field))
		case "token_file":
			a.TokenFile = scalar(ps, v, field)
		case "token_env":
			a.TokenEnv = scalar(ps, v, field)
		case "export_every":
			a.ExportEvery = every(ps, v, field)
		case "servant":
			a.Servant = &Servant{Level: -1}
			if v.Kind != yaml.MappingNode {
				ps.add(v.Line, field, "", "expected name, position and level")
				return
			}
			eachKey(ps, v, field, servantKeys, func(key string, sv *yaml.Node) {
				a.fields["servant."+key] = sv.Line
				defer a.markInvalid(ps, "servant."+key, len(ps.list))
				sfield := field + "." + key
				switch key {
				case "name":
					a.Servant.Name = scalar(ps, sv, sfield)
				case "position":
					a.Servant.Position = scalar(ps, sv, sfield)
				case "level":
					a.Servant.Level = integer(ps, sv, sfield)
				}
			})
		case "office":
			if v.Kind != yaml.MappingNode {
				ps.add(v.Line, field, "", "expected from and to dates")
				return
			}
			eachKey(ps, v, field, officeKeys, func(key string, ov *yaml.Node) {
				a.fields["office."+key] = ov.Line
				defer a.markInvalid(ps, "office."+key, len(ps.list))
				switch key {
				case "from":
					a.Office.From = date(ps, ov, field+"."+key)
				case "to":
					a.Office.To = date(ps, ov, field+"."+key)
				}
			})
		}
	})
	return a
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
		if slices.Contains(tokenKeys, strings.ToLower(k.Value)) {
			tokenKey(ps, k.Line, field)
			continue
		}
		if !slices.Contains(known, k.Value) {
			ps.add(k.Line, field, "", "unknown key%s; known keys: %s", suggest.DidYouMean(k.Value, known), strings.Join(known, ", "))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			ps.add(k.Line, field, "", "repeated key (first at line %d)", line)
			continue
		}
		seen[k.Value] = k.Line
		f(k.Value, v)
	}
}

func scalar(ps *problems, v *yaml.Node, field string) string {
	if v.Kind != yaml.ScalarNode {
		ps.add(v.Line, field, "", "expected a single value, not a list or mapping")
		return ""
	}
	if v.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

func boolean(ps *problems, v *yaml.Node, field string) bool {
	s := scalar(ps, v, field)
	b, ok := parseBool(s)
	if !ok {
		ps.add(v.Line, field, s, "expected true or false")
	}
	return b
}

// parseBool reads the ways a spreadsheet or a person writes yes and no.
func parseBool(s string) (b, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "sí", "si", "1":
		return true, true
	case "false", "no", "0", "":
		return false, true
	}
	return false, false
}

func integer(ps *problems, v *yaml.Node, field string) int {
	s := scalar(ps, v, field)
	n, err := strconv.Atoi(s)
	if err != nil {
		ps.add(v.Line, field, s, "expected a whole number")
		return -1
	}
	return n
}

func date(ps *problems, v *yaml.Node, field string) Date {
	s := scalar(ps, v, field)
	if s == "" {
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		ps.add(v.Line, field, s, "expected a date written YYYY-MM-DD")
	}
	return d
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// syntaxLine digs the line number out of a YAML syntax error.
func syntaxLine(err error) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}
