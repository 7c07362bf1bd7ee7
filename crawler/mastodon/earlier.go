package mastodon

import (
	"slices"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/internal/htmltext"
)

var _ crawler.Reparser = (*Adapter)(nil)

// Earlier returns p as vigia read the same status before it kept polls,
// link cards, quotes and what a boost carries (issue 16): Text without the
// poll's options and with a quote's "RE: link" paragraph, no media of kind
// "link", no Shared. The crawl loop compares its hash with the stored
// version's, so that an archive made before records these statuses as
// reparsed, not edited. It reads the status again from p.Raw; the second
// result is false when the earlier reading is p itself.
func (a *Adapter) Earlier(p *archive.Post) (archive.Post, bool) {
	q := *p
	q.Shared = nil
	q.Media = slices.DeleteFunc(slices.Clone(p.Media), func(m archive.Media) bool { return m.Kind == "link" })
	var s status
	if json.Unmarshal(p.Raw, &s, jsonOptions) == nil && s.Reblog == nil {
		q.Text = htmltext.Plain(s.Content)
		if cw := strings.TrimSpace(s.SpoilerText); cw != "" {
			q.Text = strings.TrimSpace(cw + "\n\n" + q.Text)
		}
	}
	return q, q.Text != p.Text || len(q.Media) != len(p.Media) || p.Shared != nil
}
