package directory

import (
	"fmt"
	"io"
	"time"

	"go.yaml.in/yaml/v3"
)

// yamlDirectory and friends give the YAML form its field order.
type yamlDirectory struct {
	Subject      string        `yaml:"subject"`
	Timezone     string        `yaml:"timezone,omitempty"`
	Jurisdiction string        `yaml:"jurisdiction,omitempty"`
	Campaigns    string        `yaml:"campaigns,omitempty"`
	ExportEvery  string        `yaml:"export_every,omitempty"`
	Accounts     []yamlAccount `yaml:"accounts"`
}

type yamlAccount struct {
	ID                 string       `yaml:"id"`
	Network            string       `yaml:"network"`
	Handle             string       `yaml:"handle"`
	Endpoint           string       `yaml:"endpoint,omitempty"`
	AllowPrivate       bool         `yaml:"allow_private_network,omitempty"`
	Type               string       `yaml:"type"`
	Area               string       `yaml:"area"`
	AdministeredByArea bool         `yaml:"administered_by_area,omitempty"`
	Servant            *yamlServant `yaml:"servant,omitempty"`
	Office             *yamlOffice  `yaml:"office,omitempty"`
	RegisteredOn       string       `yaml:"registered_on,omitempty"`
	SweepPages         int          `yaml:"sweep_pages,omitempty"`
	Jurisdiction       string       `yaml:"jurisdiction,omitempty"`
	Leave              []yamlOffice `yaml:"leave,omitempty"`
	Candidacy          []yamlCand   `yaml:"candidacy,omitempty"`
	Capture            string       `yaml:"capture,omitempty"`
	TokenFile          string       `yaml:"token_file,omitempty"`
	TokenEnv           string       `yaml:"token_env,omitempty"`
	ExportEvery        string       `yaml:"export_every,omitempty"`
}

type yamlCand struct {
	Election     string `yaml:"election"`
	Jurisdiction string `yaml:"jurisdiction,omitempty"`
	Office       string `yaml:"office,omitempty"`
}

type yamlServant struct {
	Name     string `yaml:"name"`
	Position string `yaml:"position"`
	Level    int    `yaml:"level"`
}

type yamlOffice struct {
	From string `yaml:"from,omitempty"`
	To   string `yaml:"to"`
}

// WriteYAML writes the directory in the form Parse reads.
func (d *Directory) WriteYAML(w io.Writer) error {
	out := yamlDirectory{Subject: d.Subject, Jurisdiction: d.Jurisdiction, Campaigns: d.CampaignsFile, ExportEvery: writeEvery(d.ExportEvery)}
	if d.Timezone != DefaultTimezone {
		out.Timezone = d.Timezone
	}
	for _, a := range d.Accounts {
		ya := yamlAccount{
			ID: a.ID, Network: string(a.Network), Handle: a.Handle, Endpoint: a.Endpoint, AllowPrivate: a.AllowPrivateNetwork,
			Type: a.Type, Area: a.Area, AdministeredByArea: a.AdministeredByArea,
			RegisteredOn: a.RegisteredOn.String(), SweepPages: a.SweepPages,
			TokenFile: a.TokenFile, TokenEnv: a.TokenEnv, ExportEvery: writeEvery(a.ExportEvery),
		}
		if _, given := a.fields["capture"]; given || a.Capture == CaptureAPI {
			ya.Capture = string(a.Capture)
		}
		if s := a.Servant; s != nil {
			ya.Servant = &yamlServant{Name: s.Name, Position: s.Position, Level: s.Level}
		}
		if !a.Office.From.IsZero() || !a.Office.To.IsZero() {
			ya.Office = &yamlOffice{From: a.Office.From.String(), To: a.Office.To.String()}
		}
		if a.Jurisdiction != d.Jurisdiction {
			ya.Jurisdiction = a.Jurisdiction
		}
		for _, l := range a.Leaves {
			ya.Leave = append(ya.Leave, yamlOffice{From: l.From.String(), To: l.To.String()})
		}
		for _, c := range a.Candidacies {
			yc := yamlCand{Election: c.Election.String(), Office: c.Office}
			if c.Jurisdiction != a.Jurisdiction {
				yc.Jurisdiction = c.Jurisdiction
			}
			ya.Candidacy = append(ya.Candidacy, yc)
		}
		out.Accounts = append(out.Accounts, ya)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write directory: %w", err)
	}
	return enc.Close()
}

// writeEvery writes a period as parseEvery reads it: whole days as "30d".
func writeEvery(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}
