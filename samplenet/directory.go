package samplenet

import (
	"bytes"
	"fmt"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// Directory returns the directory of the sample's accounts, pointing at
// URL(): call it after Start. A server mounted in httptest uses
// DirectoryAt with the test server's URL.
func (s *Server) Directory() []byte { return s.DirectoryAt(s.URL()) }

// DirectoryAt returns the directory of the sample's accounts served at
// baseURL (e.g. "http://127.0.0.1:41234", no trailing slash).
func (s *Server) DirectoryAt(baseURL string) []byte {
	d := &directory.Directory{Subject: s.sample.body.Subject, Timezone: s.sample.body.Timezone}
	for _, a := range s.sample.accounts {
		sp := a.spec
		e := directory.Account{
			ID: sp.ID, Network: archive.Network(sp.Network), Handle: sp.Profile.Handle, Endpoint: baseURL,
			Type: sp.Type, Area: sp.Area, AdministeredByArea: sp.AdministeredByArea,
			RegisteredOn: mustDate(sp.RegisteredOn),
			Office:       directory.Office{From: mustDate(sp.Office.From), To: mustDate(sp.Office.To)},
		}
		switch e.Network {
		case archive.Mastodon:
			e.Handle = "@" + sp.Profile.Handle + "@" + s.sample.body.MastodonDomain
		case archive.RSS:
			e.Handle, e.Endpoint = baseURL+sp.Profile.Handle, ""
		}
		if v := sp.Servant; v != nil {
			e.Servant = &directory.Servant{Name: v.Name, Position: v.Position, Level: v.Level}
		}
		d.Accounts = append(d.Accounts, e)
	}
	return writeDirectory("vigia samplenet: the sample's directory of accounts (generated)", d)
}

// writeDirectory renders a directory in the form directory reads.
func writeDirectory(comment string, d *directory.Directory) []byte {
	var buf bytes.Buffer
	buf.WriteString("# " + comment + "\n")
	if err := d.WriteYAML(&buf); err != nil {
		panic(fmt.Sprintf("write directory: %v", err)) // plain strings, ints and bools always marshal
	}
	return buf.Bytes()
}

// mustDate reads a date of the embedded content, checked when it loads.
func mustDate(s string) directory.Date {
	if s == "" {
		return directory.Date{}
	}
	d, err := directory.ParseDate(s)
	if err != nil {
		panic(fmt.Sprintf("sample content: %v", err))
	}
	return d
}
