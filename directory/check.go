package directory

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/internal/suggest"
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// check applies the register's rules to a parsed directory, with the
// handles of each network checked by its spec in nets.
func (d *Directory) check(ps *problems, nets Networks) {
	if d.Timezone == "" {
		d.Timezone = DefaultTimezone
	}
	loc, err := time.LoadLocation(d.Timezone)
	if err != nil {
		ps.add(d.fields["timezone"], "timezone", d.Timezone, "unknown time zone; use a name such as %s", DefaultTimezone)
		loc = time.UTC
	}
	d.Location = loc
	if d.Subject == "" {
		ps.add(d.fields["subject"], "subject", "", "missing: name the obligated body")
	}
	if len(d.Accounts) == 0 {
		ps.add(d.fields["accounts"], "accounts", "", "no accounts: list the registered accounts")
	}
	d.checkJurisdiction(ps)
	d.loadCampaigns(ps)
	ids := map[string]int{}
	handles := map[string]int{}
	for i := range d.Accounts {
		a := &d.Accounts[i]
		a.check(ps, nets, fmt.Sprintf("accounts[%d]", i), d.File)
		d.checkElectoral(ps, a, fmt.Sprintf("accounts[%d]", i))
		if a.ID != "" {
			if first, dup := ids[a.ID]; dup {
				ps.add(a.line("id"), fmt.Sprintf("accounts[%d].id", i), a.ID, "repeated id (first used at line %d); ids must be unique", first)
			} else {
				ids[a.ID] = a.line("id")
			}
		}
		if a.Handle != "" {
			key := string(a.Network) + " " + strings.ToLower(a.Handle)
			if first, dup := handles[key]; dup {
				ps.add(a.line("handle"), fmt.Sprintf("accounts[%d].handle", i), a.Handle, "the same %s account is registered at line %d", a.Network, first)
			} else {
				handles[key] = a.line("handle")
			}
		}
	}
}

func (a *Account) check(ps *problems, nets Networks, path, dirFile string) {
	at := func(field string) (int, string) { return a.line(field), path + "." + field }

	line, field := at("id")
	switch {
	case a.ID == "":
		ps.add(line, field, "", "missing: give the account a short unique id, e.g. obras-director")
	case !idPattern.MatchString(a.ID):
		ps.add(line, field, a.ID, "use lower-case letters, digits, '.', '_' and '-' (at most 64)")
	}

	line, field = at("network")
	networks := nets.Names()
	spec, known := nets.Spec(a.Network)
	switch {
	case a.Network == "":
		ps.add(line, field, "", "missing: one of %s", strings.Join(networks, ", "))
	case !known:
		ps.add(line, field, string(a.Network), "unknown network%s; supported: %s", suggest.DidYouMean(string(a.Network), networks), strings.Join(networks, ", "))
	}

	line, field = at("handle")
	if a.Handle == "" {
		ps.add(line, field, "", "missing")
	} else if known {
		if msg := spec.CheckHandle(a.Handle); msg != "" {
			ps.add(line, field, a.Handle, "%s", msg)
		}
	}

	if a.Endpoint != "" {
		line, field = at("endpoint")
		if msg := checkBaseURL(a.Endpoint); msg != "" {
			ps.add(line, field, a.Endpoint, "%s", msg)
		} else if known && spec.IsFeed() {
			ps.add(line, field, a.Endpoint, "not used by %s accounts: the handle is the feed's URL", a.Network)
		}
		a.Endpoint = strings.TrimRight(a.Endpoint, "/")
	}
	a.checkCapture(ps, spec, known, at, dirFile)

	if a.AllowPrivateNetwork && a.Endpoint == "" && !(known && spec.IsFeed()) && !a.invalid["endpoint"] {
		line, field = at("allow_private_network")
		ps.add(line, field, "true", "needs endpoint: the base URL of the instance on the office's network, the one host it lets the crawler reach there")
	}

	line, field = at("type")
	switch a.Type {
	case Official, Personal:
	case "":
		ps.add(line, field, "", "missing: official (policy Séptima A) or personal (Séptima B)")
	default:
		ps.add(line, field, a.Type, "expected official or personal%s", suggest.DidYouMean(a.Type, []string{Official, Personal}))
	}

	if a.Area == "" {
		line, field = at("area")
		ps.add(line, field, "", "missing: name the administrative area the account belongs to")
	}

	if a.Type == Personal {
		a.checkPersonal(ps, at)
	}
	if a.AdministeredByArea && a.Type == Official {
		line, field = at("administered_by_area")
		ps.add(line, field, "true", "applies only to personal accounts (policy Décima novena); official accounts are official already")
	}

	if _, given := a.fields["sweep_pages"]; given && !a.invalid["sweep_pages"] && (a.SweepPages < 1 || a.SweepPages > MaxSweepPages) {
		line, field = at("sweep_pages")
		ps.add(line, field, fmt.Sprint(a.SweepPages), "expected a whole number of pages from 1 to %d (leave it out for the crawl's --sweep-pages)", MaxSweepPages)
	}

	from, to := a.Office.From, a.Office.To
	if !from.IsZero() && !to.IsZero() && to.t.Before(from.t) {
		line, field = at("office.to")
		ps.add(line, field, to.String(), "the term ends before it starts (office.from is %s)", from)
	}
}

func (a *Account) checkPersonal(ps *problems, at func(string) (int, string)) {
	s := a.Servant
	if s == nil {
		line, field := at("servant")
		ps.add(line, field, "", "missing: a personal account needs its servant's name, position and level (policy Quinta)")
	} else {
		if s.Name == "" {
			line, field := at("servant.name")
			ps.add(line, field, "", "missing: the servant's full name")
		}
		if s.Position == "" {
			line, field := at("servant.position")
			ps.add(line, field, "", "missing: the servant's position")
		}
		line, field := at("servant.level")
		switch {
		case a.invalid["servant.level"]:
		case s.Level == -1 && a.fields["servant.level"] == 0:
			ps.add(line, field, "", "missing: 0 for the head of the body, 1 to %d for the levels below", MaxServantLevel)
		case s.Level < 0 || s.Level > MaxServantLevel:
			ps.add(line, field, fmt.Sprint(s.Level), "breaks policy Quinta: only the head (level 0) and up to %d levels below may register personal accounts", MaxServantLevel)
		}
	}
	if a.RegisteredOn.IsZero() && !a.invalid["registered_on"] {
		line, field := at("registered_on")
		ps.add(line, field, "", "missing: the date of the servant's express request to register the account")
	}
	if a.AdministeredByArea && a.Office.From.IsZero() && !a.invalid["office.from"] {
		line, field := at("office.from")
		ps.add(line, field, "", "missing: an account administered by an area counts as official only inside the servant's term (policy Décima novena)")
	}
}

// checkBaseURL returns what is wrong with an absolute http(s) URL, or "".
func checkBaseURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "expected an http:// or https:// URL"
	case u.Host == "":
		return "the URL has no host"
	case u.User != nil:
		return "credentials do not belong in the directory"
	}
	return ""
}
