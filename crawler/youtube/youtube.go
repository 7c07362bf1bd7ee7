package youtube

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/crawler/feed"
	"github.com/vigia-mx/vigia/directory"
)

// DefaultEndpoint is where channel feeds are fetched unless an account's
// Endpoint says otherwise.
const DefaultEndpoint = "https://www.youtube.com"

// flakyNote is said of a 404 or 5xx from a feed, which YouTube returns for
// channels that exist, for hours at a time.
const flakyNote = "YouTube feeds fail intermittently; retried next crawl, not treated as deletion"

// Adapter lists the latest videos of a YouTube channel. The account's Handle
// is the channel id (UC…) or its @handle (handle.go); its Endpoint, if set,
// replaces DefaultEndpoint.
type Adapter struct {
	channels channels
}

var _ crawler.Adapter = (*Adapter)(nil)

// New returns a YouTube adapter.
func New() *Adapter { return &Adapter{} }

// FeedURL is the Atom feed of an account's channel, named by its id.
func FeedURL(acct *directory.Account) string {
	return channelFeed(acct, acct.Handle)
}

func channelFeed(acct *directory.Account, id string) string {
	return base(acct) + "/feeds/videos.xml?channel_id=" + url.QueryEscape(id)
}

// List fetches the channel's feed once and yields its entries as one page;
// a channel named by its @handle is found first.
func (a *Adapter) List(ctx context.Context, f crawler.Fetcher, acct *directory.Account, yield func(crawler.Page) bool) error {
	id, err := a.channel(ctx, f, acct)
	if err != nil {
		return err
	}
	feedURL := channelFeed(acct, id)
	body, err := feed.Fetch(ctx, f, feedURL)
	if err != nil {
		var fe *feed.FetchError
		var se *crawler.StatusError
		if errors.As(err, &fe) && errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status >= 500) {
			fe.Note = flakyNote
		}
		return err
	}
	feed, err := Parse(body, feedURL)
	if err != nil {
		return err
	}
	if feed.ChannelID != "" && feed.ChannelID != id {
		return fmt.Errorf("check feed %s: it is the feed of channel %q, not of %q", feedURL, feed.ChannelID, id)
	}
	yield(crawler.Page{URL: feedURL, Posts: feed.Posts})
	return nil
}

// Feed is a channel feed as posts.
type Feed struct {
	// ChannelID is the channel the feed is of, UC…. The feed itself writes
	// it without the "UC" (2026) while its entries write it in full; Parse
	// restores the prefix.
	ChannelID string
	Title     string
	Posts     []archive.Post
}

// Parse reads a channel's Atom feed. Each entry becomes a post with its
// video id, link, author, publication time, title and description, raw
// <entry>, thumbnail and video, and view and like counts.
func Parse(body []byte, feedURL string) (*Feed, error) {
	f, err := feed.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	if f.Type != feed.TypeAtom {
		return nil, fmt.Errorf("parse feed %s: a channel feed is Atom, not %s", feedURL, f.Type)
	}
	out := &Feed{
		ChannelID: channelID(extValue(f.Info.Extensions, "yt", "channelId")),
		Title:     strings.TrimSpace(f.Info.Title),
		Posts:     make([]archive.Post, 0, len(f.Items)),
	}
	for i, it := range f.Items {
		p, err := toPost(f, it)
		if err != nil {
			return nil, fmt.Errorf("parse feed %s: entry %d: %w", feedURL, i+1, err)
		}
		out.Posts = append(out.Posts, p)
	}
	return out, nil
}

// channelID restores the "UC" that the feed-level yt:channelId leaves out:
// a channel id is "UC" and 22 characters.
func channelID(id string) string {
	id = strings.TrimSpace(id)
	if len(id) == 22 {
		return "UC" + id
	}
	return id
}

func toPost(f *feed.Feed, it feed.Item) (archive.Post, error) {
	id := extValue(it.Extensions, "yt", "videoId")
	if id == "" {
		id = strings.TrimPrefix(strings.TrimSpace(it.GUID), "yt:video:")
	}
	if id == "" || strings.ContainsAny(id, ":/?&# ") {
		return archive.Post{}, fmt.Errorf("no video id (yt:videoId %q, id %q)", id, it.GUID)
	}
	watch := "https://www.youtube.com/watch?v=" + id
	group := first(it.Extensions["media"]["group"])

	p := archive.Post{
		Network: archive.YouTube,
		PostID:  id,
		URL:     strings.TrimSpace(it.Link),
		Author:  feed.AuthorName(it.Item, f.Info),
		Raw:     it.Raw,
		Metrics: metrics(first(group.Children["community"])),
	}
	if p.URL == "" {
		p.URL = watch
	}
	if p.Raw != nil {
		p.RawType = feed.TypeAtom
	}
	// Entries have no edit time: <updated> moves when the view or like
	// counts do, so EditedAt stays zero and edits show as a new content hash.
	if t := it.PublishedParsed; t != nil {
		p.PublishedAt = t.UTC()
	}

	title := strings.TrimSpace(first(group.Children["title"]).Value)
	if title == "" {
		title = strings.TrimSpace(it.Title)
	}
	p.Text = title
	if d := first(group.Children["description"]).Value; d != "" {
		p.Text += "\n\n" + d
	}

	thumb := strings.TrimSpace(first(group.Children["thumbnail"]).Attrs["url"])
	if thumb != "" {
		p.Media = append(p.Media, archive.Media{Kind: "image", URL: thumb, ID: thumbnailID(thumb)})
	}
	p.Media = append(p.Media, archive.Media{Kind: "video", URL: watch, PreviewURL: thumb, ID: watch})
	return p, nil
}

// numberedHost matches the thumbnail hosts i1…i9.ytimg.com, which serve the
// same files and vary between fetches.
var numberedHost = regexp.MustCompile(`^i[0-9]\.ytimg\.com$`)

// thumbnailID identifies a thumbnail by its URL on i.ytimg.com, so that a
// change of numbered host does not read as a new image.
func thumbnailID(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !numberedHost.MatchString(u.Host) {
		return raw
	}
	u.Host = "i.ytimg.com"
	return u.String()
}

// metrics reads media:community: media:statistics@views and
// media:starRating@count, the likes (YouTube no longer shows dislikes).
func metrics(community ext.Extension) archive.Metrics {
	m := archive.Metrics{}
	count := func(name, child, attr string) {
		v := strings.TrimSpace(first(community.Children[child]).Attrs[attr])
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			m[name] = n
		}
	}
	count("views", "statistics", "views")
	count("likes", "starRating", "count")
	if len(m) == 0 {
		return nil
	}
	return m
}

// extValue is the text of the first element prefix:name.
func extValue(e ext.Extensions, prefix, name string) string {
	return strings.TrimSpace(first(e[prefix][name]).Value)
}

func first(es []ext.Extension) ext.Extension {
	if len(es) == 0 {
		return ext.Extension{}
	}
	return es[0]
}
