package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
)

// maxLimit is the most posts one page or API call returns.
const maxLimit = 1000

// parseQuery reads the search filters of the page and the API from v:
// account, network, label, from, to (YYYY-MM-DD in loc, to including its
// whole day, or RFC 3339),
// text, area, servant, basis, edited, deleted, limit and offset.
func parseQuery(v url.Values, loc *time.Location, defLimit int) (archive.Query, error) {
	q := archive.Query{
		Account: strings.TrimSpace(v.Get("account")),
		Network: archive.Network(strings.TrimSpace(v.Get("network"))),
		Label:   archive.Label(strings.TrimSpace(v.Get("label"))),
		Text:    strings.TrimSpace(v.Get("text")),
		Area:    strings.TrimSpace(v.Get("area")),
		Servant: strings.TrimSpace(v.Get("servant")),
		Basis:   strings.TrimSpace(v.Get("basis")),
		Limit:   defLimit,
	}
	if q.Network != "" && !slices.Contains(archive.Networks, q.Network) {
		return q, fmt.Errorf("red «%s»: no es una red que vigia conozca", q.Network)
	}
	switch q.Label {
	case "", archive.Function, archive.Personal, archive.Undetermined:
	default:
		return q, fmt.Errorf("clasificación «%s»: no es una clasificación conocida", q.Label)
	}
	var err error
	if q.From, err = parseDate("from", v.Get("from"), loc, false); err != nil {
		return q, err
	}
	// As in vigia search, "to" includes its whole day.
	if q.To, err = parseDate("to", v.Get("to"), loc, true); err != nil {
		return q, err
	}
	for name, dst := range map[string]*bool{"edited": &q.Edited, "deleted": &q.Deleted} {
		switch v.Get(name) {
		case "", "0", "false", "no":
		case "1", "true", "si", "sí", "on":
			*dst = true
		default:
			return q, fmt.Errorf("%s «%s»: se espera sí o no (true o false)", fieldES[name], v.Get(name))
		}
	}
	for name, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		s := v.Get(name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, fmt.Errorf("%s «%s»: se espera un número entero, 0 o mayor", fieldES[name], s)
		}
		*dst = n
	}
	if q.Limit == 0 || q.Limit > maxLimit {
		q.Limit = maxLimit
	}
	return q, nil
}

// parseDate reads YYYY-MM-DD in loc (the end of the day when end is set)
// or an RFC 3339 time; "" is the zero time. name is the field, a
// parameter's name (its words in fieldES) or the words themselves.
func parseDate(name, s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if w, ok := fieldES[name]; ok {
		name = w
	}
	return time.Time{}, fmt.Errorf("%s: la fecha «%s» no es válida; escríbala como aaaa-mm-dd", capitalize(name), s)
}

// restrict narrows q to what u may see: a user who may not see personal
// content gets only public information (function-related posts, a
// model's only at or above vis's threshold), whatever the filters ask. It
// reports false when the filters ask only for what the user may not see.
func restrict(q *archive.Query, u *auth.User, vis archive.Visibility) bool {
	if auth.RoleOf(u).SeesPersonal() {
		return true
	}
	if q.Label != "" && q.Label != archive.Function {
		return false
	}
	q.Labels = []archive.Label{archive.Function}
	q.Public, q.Visibility = true, vis
	q.NeedsReview = 0
	return true
}

// describeQuery is q as the audit log keeps it.
func describeQuery(q archive.Query) string {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("account", q.Account)
	set("network", string(q.Network))
	set("label", string(q.Label))
	set("text", q.Text)
	set("area", q.Area)
	set("servant", q.Servant)
	set("basis", q.Basis)
	if !q.From.IsZero() {
		v.Set("from", q.From.Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.Format(time.RFC3339))
	}
	if q.Edited {
		v.Set("edited", "true")
	}
	if q.Deleted {
		v.Set("deleted", "true")
	}
	if len(q.Labels) > 0 {
		v.Set("restricted_to", fmt.Sprint(q.Labels))
	}
	v.Set("limit", strconv.Itoa(q.Limit))
	v.Set("offset", strconv.Itoa(q.Offset))
	return v.Encode()
}

// capitalize writes s's first letter in upper case, for the start of a
// sentence.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
