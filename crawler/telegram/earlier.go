package telegram

import (
	"bytes"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
)

var _ crawler.Reparser = (*Adapter)(nil)

// Earlier returns p as vigia read the same message before it kept a
// forward's text, a poll and link previews (issue 16): a forward without
// text, a poll without its question and options, no media of kind "link".
// The crawl loop compares its hash with the stored version's, so that an
// archive made before records these posts as reparsed, not edited.
func (a *Adapter) Earlier(p *archive.Post) (archive.Post, bool) {
	q := *p
	q.Shared = nil
	q.Media = slices.DeleteFunc(slices.Clone(p.Media), func(m archive.Media) bool { return m.Kind == "link" })
	if p.Shared != nil && p.Shared.Kind == archive.Forward {
		q.Text = ""
	} else if poll := pollIn(p.Raw); poll != "" {
		q.Text = strings.TrimSuffix(strings.TrimSuffix(p.Text, poll), "\n\n")
	}
	changed := q.Text != p.Text || len(q.Media) != len(p.Media)
	return q, changed
}

// pollIn gives the text of the poll in a message's raw HTML, or "".
func pollIn(raw []byte) string {
	if !bytes.Contains(raw, []byte("tgme_widget_message_poll")) {
		return ""
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	poll := doc.Find(".tgme_widget_message_poll").FilterFunction(notQuoted).First()
	if poll.Length() == 0 {
		return ""
	}
	return pollText(poll)
}
