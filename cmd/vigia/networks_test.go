package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/decision"
	"github.com/vigia-mx/vigia/directory"
)

// TestNetworks fails for a network of archive.Networks that lacks a piece:
// an adapter or a reader of its data export, a spec whose example passes
// its own check, capabilities that agree with what the adapter implements.
func TestNetworks(t *testing.T) {
	nets := networks()
	for _, p := range nets.Problems() {
		t.Error(p)
	}
	for _, n := range archive.Networks {
		t.Run(string(n), func(t *testing.T) {
			ad, spec := wire(n)
			reader, reads := exportReader(n)
			if ad == nil && !reads {
				t.Fatal("no adapter and no reader of its data export")
			}
			if reads && reader.Network != n {
				t.Errorf("the reader of %s's data export reads %s", n, reader.Network)
			}
			if spec.Name != n {
				t.Errorf("spec of %s is named %q", n, spec.Name)
			}
			if _, ok := ad.(crawler.Confirmer); ok != spec.ConfirmsDeletions {
				t.Errorf("adapter is a crawler.Confirmer: %v; spec says ConfirmsDeletions: %v", ok, spec.ConfirmsDeletions)
			}
			if _, ok := ad.(crawler.Historian); ok != spec.EditHistory {
				t.Errorf("adapter is a crawler.Historian: %v; spec says EditHistory: %v", ok, spec.EditHistory)
			}
			// An account registered with the example handle validates.
			y := "subject: S\naccounts:\n  - {id: a, network: " + string(n) + ", handle: \"" + spec.Example + "\", type: official, area: X}\n"
			d, err := directory.Parse("d.yml", []byte(y), nets)
			if err != nil {
				t.Fatalf("a directory with the example handle: %v", err)
			}
			// Its mentions are counted when the network's posts mention accounts.
			h := decision.OfficialMentions(nets, []decision.Account{decision.FromDirectory(&d.Accounts[0])})
			if spec.Mention == nil {
				if len(h) != 0 {
					t.Errorf("a network without mentions gives official mentions %v", h)
				}
				return
			}
			if got := h.Count("Aviso de @" + spec.Mention(spec.Example)[0] + " hoy"); got != 1 {
				t.Errorf("mentions of the example counted %d, want 1", got)
			}
		})
	}
}

// TestDirectoryFixturesWithTheAdapters checks the directory package's own
// fixtures against the adapters' specs, which its tests cannot import.
func TestDirectoryFixturesWithTheAdapters(t *testing.T) {
	if _, err := directory.Load("../../directory/testdata/valid.yml", networks()); err != nil {
		t.Error(err)
	}
	_, err := directory.Load("../../directory/testdata/problems.bad.yml", networks())
	want, rerr := os.ReadFile("../../directory/testdata/problems.bad.golden")
	if rerr != nil {
		t.Fatal(rerr)
	}
	if got := strings.ReplaceAll(fmt.Sprint(err)+"\n", "../../directory/", ""); got != string(want) {
		t.Errorf("problems with the adapters' specs:\n%s\nwant:\n%s", got, want)
	}
}
