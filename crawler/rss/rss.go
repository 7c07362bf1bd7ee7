package rss

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/feed"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/internal/htmltext"
)

// Adapter lists the items of one RSS or Atom feed. The account's Handle is
// the feed's URL; its Endpoint is not used.
type Adapter struct{}

var _ crawler.Adapter = (*Adapter)(nil)

// New returns a feed adapter.
func New() *Adapter { return &Adapter{} }

// List fetches the feed once and yields its items as one page: a feed has
// no further pages.
func (a *Adapter) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	body, err := feed.Fetch(ctx, f, acct.Handle)
	if err != nil {
		return err
	}
	posts, err := ParseFeed(body, acct.Handle)
	if err != nil {
		return err
	}
	yield(crawler.Page{URL: acct.Handle, Posts: posts})
	return nil
}

// ParseFeed reads the items of an RSS or Atom feed fetched from feedURL as
// posts, in the feed's order. Network-side fields only are filled.
func ParseFeed(body []byte, feedURL string) ([]archive.Post, error) {
	fd, err := feed.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	posts := make([]archive.Post, 0, len(fd.Items))
	for _, it := range fd.Items {
		posts = append(posts, toPost(fd, it))
	}
	uniqueIDs(posts, fd.Items)
	return posts, nil
}

// uniqueIDs renames posts whose id is shared within the feed: some CMSs give
// every item the same guid (the site's address, say), which identifies none
// of them. Those items fall back to their link when it is theirs alone, else
// to the hash of their bytes.
func uniqueIDs(posts []archive.Post, items []feed.Item) {
	ids := make(map[string]int, len(posts))
	for _, p := range posts {
		ids[p.PostID]++
	}
	if len(ids) == len(posts) {
		return
	}
	links := make(map[string]int, len(items))
	for _, it := range items {
		links[strings.TrimSpace(it.Link)]++
	}
	for i := range posts {
		if ids[posts[i].PostID] < 2 {
			continue
		}
		if l := strings.TrimSpace(items[i].Link); l != "" && links[l] == 1 && ids[l] == 0 {
			posts[i].PostID = l
		} else {
			posts[i].PostID = contentID(items[i])
		}
	}
	// A rewritten id may meet another item's, and identical items share a
	// content id: number what still repeats, in feed order.
	seen := make(map[string]bool, len(posts))
	for i := range posts {
		id := posts[i].PostID
		for n := 2; seen[id]; n++ {
			id = posts[i].PostID + "#" + strconv.Itoa(n)
		}
		seen[id] = true
		posts[i].PostID = id
	}
}

func toPost(fd *feed.Feed, it feed.Item) archive.Post {
	p := archive.Post{
		Network:  archive.RSS,
		PostID:   strings.TrimSpace(it.GUID),
		URL:      itemURL(it.Item),
		Author:   feed.AuthorName(it.Item, fd.Info),
		Text:     itemText(it.Item),
		Raw:      it.Raw,
		RawType:  fd.Type,
		Language: language(fd.Info.Language),
		Media:    itemMedia(it.Item),
	}
	if it.Raw == nil {
		p.RawType = ""
	}
	if p.PostID == "" {
		p.PostID = strings.TrimSpace(it.Link)
	}
	if p.PostID == "" {
		p.PostID = contentID(it)
	}
	if t := it.PublishedParsed; t != nil {
		p.PublishedAt = t.UTC()
	} else if t := it.UpdatedParsed; t != nil {
		p.PublishedAt = t.UTC()
	}
	// Only Atom says when an entry changed; an RSS item's dates are all
	// publication dates (gofeed reads dc:date as both).
	if fd.Type == feed.TypeAtom && it.UpdatedParsed != nil && it.UpdatedParsed.After(p.PublishedAt) {
		p.EditedAt = it.UpdatedParsed.UTC()
	}
	return p
}

// itemURL is the item's link (for Atom, the first link with rel="alternate",
// else the first link), or a guid that is a URL.
func itemURL(it *gofeed.Item) string {
	if l := strings.TrimSpace(it.Link); l != "" {
		return l
	}
	for _, l := range it.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	if g := strings.TrimSpace(it.GUID); strings.HasPrefix(g, "https://") || strings.HasPrefix(g, "http://") {
		return g
	}
	return ""
}

// contentID identifies an item that has neither guid nor link: the SHA-256
// of its raw bytes, or, when those could not be located, of what gofeed
// read. Such an id changes when the item does.
func contentID(it feed.Item) string {
	h := sha256.New()
	if it.Raw != nil {
		h.Write(it.Raw)
	} else {
		for _, s := range []string{it.Title, it.Published, it.Updated, it.Description, it.Content} {
			fmt.Fprintf(h, "%d:%s\n", len(s), s)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// itemText is the title, a blank line and the body as plain text; the body
// is the full content when there is one, else the description. A body that
// starts with the title stands alone.
func itemText(it *gofeed.Item) string {
	title := htmltext.Plain(it.Title)
	body := htmltext.Plain(it.Content)
	if body == "" {
		body = htmltext.Plain(it.Description)
	}
	switch {
	case title == "":
		return body
	case body == "":
		return title
	case startsWith(body, title):
		return body
	}
	return title + "\n\n" + body
}

// startsWith reports whether text begins with the words of prefix: "Aviso"
// begins "Aviso: cierre vial", not "Avisos de obra".
func startsWith(text, prefix string) bool {
	rest, ok := strings.CutPrefix(text, prefix)
	if !ok || rest == "" {
		return ok
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// language is the two-letter code of a feed language such as "es-MX".
func language(tag string) string {
	tag = strings.TrimSpace(tag)
	if len(tag) < 2 || !isLetter(tag[0]) || !isLetter(tag[1]) || len(tag) > 2 && unicode.IsLetter(rune(tag[2])) {
		return ""
	}
	return strings.ToLower(tag[:2])
}

func isLetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }
