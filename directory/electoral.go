package directory

import (
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/decision/electoral"
	"github.com/vigia-mx/vigia/internal/suggest"
)

var (
	leaveKeys     = []string{"from", "to"}
	candidacyKeys = []string{"election", "jurisdiction", "office"}
)

// Leave is a licencia: days on which the servant does not exercise the
// office. To is zero while the leave lasts.
type Leave struct {
	From, To Date
}

// Candidacy is the servant's candidacy in an electoral process, named by
// its election day and jurisdiction; the check resolves it in the
// directory's campaign calendar.
type Candidacy struct {
	Election     Date
	Jurisdiction string // as written, or the account's
	Office       string // as the calendar names it; may be empty when the process has one campaign

	// Set by the check from the campaign calendar.
	Process  string
	Campaign electoral.Period
	Veda     electoral.Period

	line     int    // where the candidacy starts in its file
	path     string // e.g. accounts[2].candidacy[0]
	readable bool   // its fields could be read (else already reported)
}

func parseLeaves(ps *problems, v *yaml.Node, field string) []Leave {
	items := listOf(v)
	if items == nil {
		ps.add(v.Line, field, "", "expected a list of periods, each with from and to dates")
		return nil
	}
	var out []Leave
	for i, item := range items {
		path := fmt.Sprintf("%s[%d]", field, i)
		if item.Kind != yaml.MappingNode {
			ps.add(item.Line, path, "", "expected from and to dates")
			continue
		}
		var l Leave
		eachKey(ps, item, path, leaveKeys, func(key string, lv *yaml.Node) {
			switch key {
			case "from":
				l.From = date(ps, lv, path+"."+key)
			case "to":
				l.To = date(ps, lv, path+"."+key)
			}
		})
		switch {
		case l.From.IsZero():
			ps.add(item.Line, path+".from", "", "missing: the first day of the leave")
		case !l.To.IsZero() && l.To.t.Before(l.From.t):
			ps.add(item.Line, path+".to", l.To.String(), "the leave ends before it starts (from is %s)", l.From)
		default:
			out = append(out, l)
		}
	}
	return out
}

func parseCandidacies(ps *problems, v *yaml.Node, field string) []Candidacy {
	items := listOf(v)
	if items == nil {
		ps.add(v.Line, field, "", "expected a candidacy (election, jurisdiction, office) or a list of them")
		return nil
	}
	var out []Candidacy
	for i, item := range items {
		path := fmt.Sprintf("%s[%d]", field, i)
		if item.Kind != yaml.MappingNode {
			ps.add(item.Line, path, "", "expected election, jurisdiction and office")
			continue
		}
		c := Candidacy{line: item.Line, path: path}
		before := len(ps.list)
		lines := map[string]int{}
		eachKey(ps, item, path, candidacyKeys, func(key string, cv *yaml.Node) {
			lines[key] = cv.Line
			switch key {
			case "election":
				c.Election = date(ps, cv, path+"."+key)
			case "jurisdiction":
				c.Jurisdiction = scalar(ps, cv, path+"."+key)
			case "office":
				c.Office = scalar(ps, cv, path+"."+key)
			}
		})
		if _, given := lines["election"]; !given {
			ps.add(item.Line, path+".election", "", "missing: the election day of the process, YYYY-MM-DD")
		}
		c.readable = len(ps.list) == before
		out = append(out, c)
	}
	return out
}

// listOf returns the items of a sequence, or a lone mapping as one item;
// nil for anything else.
func listOf(v *yaml.Node) []*yaml.Node {
	switch v.Kind {
	case yaml.SequenceNode:
		if v.Content == nil {
			return []*yaml.Node{}
		}
		return v.Content
	case yaml.MappingNode:
		return []*yaml.Node{v}
	}
	return nil
}

// checkJurisdiction checks the directory's jurisdiction.
func (d *Directory) checkJurisdiction(ps *problems) {
	if d.Jurisdiction != "" && !electoral.KnownJurisdiction(d.Jurisdiction) {
		ps.add(d.fields["jurisdiction"], "jurisdiction", d.Jurisdiction, "unknown jurisdiction%s; use MX (federal) or a state's ISO 3166-2 code such as MX-JAL",
			suggest.DidYouMean(d.Jurisdiction, electoral.Jurisdictions))
	}
}

// loadCampaigns reads the campaign calendar the directory names, relative
// to the directory's folder, and adds it to the embedded one.
func (d *Directory) loadCampaigns(ps *problems) {
	d.Campaigns = electoral.Default()
	if d.CampaignsFile == "" {
		return
	}
	path := d.CampaignsFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(d.File), path)
	}
	c, err := electoral.Load(path)
	if err != nil {
		ps.add(d.fields["campaigns"], "campaigns", d.CampaignsFile, "%v", err)
		d.Campaigns = nil // its candidacies cannot be checked
		return
	}
	d.Campaigns = d.Campaigns.With(c)
}

// checkElectoral checks an account's jurisdiction, leaves and candidacies,
// and resolves each candidacy's campaign in the directory's calendar.
func (d *Directory) checkElectoral(ps *problems, a *Account, path string) {
	at := func(field string) (int, string) { return a.line(field), path + "." + field }
	if a.Jurisdiction != "" {
		if !electoral.KnownJurisdiction(a.Jurisdiction) {
			line, field := at("jurisdiction")
			ps.add(line, field, a.Jurisdiction, "unknown jurisdiction%s; use MX (federal) or a state's ISO 3166-2 code such as MX-JAL",
				suggest.DidYouMean(a.Jurisdiction, electoral.Jurisdictions))
		}
	} else {
		a.Jurisdiction = d.Jurisdiction
	}
	if a.Type == Official {
		for _, key := range []string{"leave", "candidacy"} {
			if _, given := a.fields[key]; given {
				line, field := at(key)
				ps.add(line, field, "", "applies only to personal accounts: an official account has no servant who takes leave or stands for election")
			}
		}
		return
	}
	for i := range a.Candidacies {
		c := &a.Candidacies[i]
		if c.Jurisdiction == "" {
			c.Jurisdiction = a.Jurisdiction
		}
		if !c.readable || c.Election.IsZero() || d.Campaigns == nil {
			continue
		}
		switch {
		case c.Jurisdiction == "":
			ps.add(c.line, c.path+".jurisdiction", "", "missing: the process's jurisdiction (MX for federal, a state's code such as MX-JAL), here, on the account or at the top of the directory")
			continue
		case !electoral.KnownJurisdiction(c.Jurisdiction):
			ps.add(c.line, c.path+".jurisdiction", c.Jurisdiction, "unknown jurisdiction%s; use MX (federal) or a state's ISO 3166-2 code such as MX-JAL",
				suggest.DidYouMean(c.Jurisdiction, electoral.Jurisdictions))
			continue
		}
		p, ok := d.Campaigns.Process(c.Jurisdiction, c.Election.t)
		if !ok {
			known := "none"
			if e := d.Campaigns.Elections(c.Jurisdiction); len(e) > 0 {
				known = strings.Join(e, ", ")
			}
			ps.add(c.line, c.path+".election", c.Election.String(), "the campaign calendar (%s) has no process of %s with that election day (it knows: %s); add the process's campaign periods to the file the directory names in campaigns:",
				d.Campaigns.File, c.Jurisdiction, known)
			continue
		}
		camp, ok := p.Campaign(c.Office)
		if !ok {
			offices := p.Offices()
			if c.Office == "" {
				ps.add(c.line, c.path+".office", "", "missing: %s has campaigns on different dates; name the office, one of %s", p.Name, strings.Join(offices, ", "))
			} else {
				ps.add(c.line, c.path+".office", c.Office, "not an office of %s%s; its offices: %s", p.Name, suggest.DidYouMean(c.Office, offices), strings.Join(offices, ", "))
			}
			continue
		}
		c.Process, c.Campaign, c.Veda = p.Name, camp.Period, p.Veda
	}
}

// Electoral returns what the account says of the servant's jurisdiction,
// leaves and candidacies, as the archive keeps it.
func (a *Account) Electoral() archive.Electoral {
	var e archive.Electoral
	if a.Type != Personal {
		return e
	}
	e.Jurisdiction = a.Jurisdiction
	for _, l := range a.Leaves {
		e.Leaves = append(e.Leaves, archive.Days{From: l.From.t, To: l.To.t})
	}
	for _, c := range a.Candidacies {
		if c.Process == "" {
			continue // not resolved: the directory did not pass its check
		}
		e.Candidacies = append(e.Candidacies, archive.Candidacy{
			Jurisdiction: c.Jurisdiction, Election: c.Election.t, Office: c.Office, Process: c.Process,
			Campaign: days(c.Campaign), Veda: days(c.Veda),
		})
	}
	return e
}

func days(p electoral.Period) archive.Days { return archive.Days{From: p.From, To: p.To} }
