package samplenet

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// The directory file, as crawler/directory reads it.

type dirFile struct {
	Subject  string       `yaml:"subject"`
	Timezone string       `yaml:"timezone"`
	Accounts []dirAccount `yaml:"accounts"`
}

type dirAccount struct {
	ID                 string      `yaml:"id"`
	Network            string      `yaml:"network"`
	Handle             string      `yaml:"handle"`
	Endpoint           string      `yaml:"endpoint,omitempty"`
	Type               string      `yaml:"type"`
	Area               string      `yaml:"area"`
	AdministeredByArea bool        `yaml:"administered_by_area,omitempty"`
	Servant            *dirServant `yaml:"servant,omitempty"`
	Office             *dirOffice  `yaml:"office,omitempty"`
	RegisteredOn       string      `yaml:"registered_on,omitempty"`
}

type dirServant struct {
	Name     string `yaml:"name"`
	Position string `yaml:"position"`
	Level    int    `yaml:"level"`
}

type dirOffice struct {
	From string `yaml:"from,omitempty"`
	To   string `yaml:"to,omitempty"`
}

// Directory returns the directory of the sample's accounts, pointing at
// URL(): call it after Start. A server mounted in httptest uses
// DirectoryAt with the test server's URL.
func (s *Server) Directory() []byte { return s.DirectoryAt(s.URL()) }

// DirectoryAt returns the directory of the sample's accounts served at
// baseURL (e.g. "http://127.0.0.1:41234", no trailing slash).
func (s *Server) DirectoryAt(baseURL string) []byte {
	d := dirFile{Subject: s.sample.body.Subject, Timezone: s.sample.body.Timezone}
	for _, a := range s.sample.accounts {
		sp := a.spec
		e := dirAccount{
			ID: sp.ID, Network: sp.Network, Handle: sp.Profile.Handle, Endpoint: baseURL,
			Type: sp.Type, Area: sp.Area, AdministeredByArea: sp.AdministeredByArea,
			RegisteredOn: sp.RegisteredOn,
		}
		switch sp.Network {
		case "mastodon":
			e.Handle = "@" + sp.Profile.Handle + "@" + s.sample.body.MastodonDomain
		case "rss":
			e.Handle, e.Endpoint = baseURL+sp.Profile.Handle, ""
		}
		if v := sp.Servant; v != nil {
			e.Servant = &dirServant{Name: v.Name, Position: v.Position, Level: v.Level}
		}
		if sp.Office.From != "" || sp.Office.To != "" {
			e.Office = &dirOffice{From: sp.Office.From, To: sp.Office.To}
		}
		d.Accounts = append(d.Accounts, e)
	}
	return marshalDirectory("vigia samplenet: the sample's directory of accounts (generated)", d)
}

func marshalDirectory(comment string, d dirFile) []byte {
	body, err := yaml.Marshal(d)
	if err != nil {
		// Plain structs of strings, ints and bools always marshal.
		panic(fmt.Sprintf("marshal directory: %v", err))
	}
	return append([]byte("# "+comment+"\n"), body...)
}
