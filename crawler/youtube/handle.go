package youtube

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

// An office knows its channels by their @handle (youtube.com/@nombre); the
// feed is asked by channel id (UC…). A directory account may name either:
// for a handle, the crawl first asks YouTube for the handle's page, through
// the crawl's fetcher (so the page is kept as evidence beside the feed), and
// reads the channel id the page names. The answer is kept for the life of
// the adapter: a handle can be renamed, a channel id never changes.

// channels remembers, per handle page, the channel id it named.
type channels struct {
	mu  sync.Mutex
	ids map[string]string
}

// HandleURL is the page of the channel an account names by its @handle.
func HandleURL(acct *directory.Account) string {
	return base(acct) + "/" + url.PathEscape(acct.Handle)
}

func base(acct *directory.Account) string {
	b := strings.TrimRight(acct.Endpoint, "/")
	if b == "" {
		b = DefaultEndpoint
	}
	return b
}

// channel returns the channel id of acct: its handle when that is an id,
// else the id its handle's page names.
func (a *Adapter) channel(ctx context.Context, f crawler.Fetcher, acct *directory.Account) (string, error) {
	if !strings.HasPrefix(acct.Handle, "@") {
		return acct.Handle, nil
	}
	page := HandleURL(acct)
	a.channels.mu.Lock()
	id, ok := a.channels.ids[page]
	a.channels.mu.Unlock()
	if ok {
		return id, nil
	}
	resp, err := f.Get(ctx, page, "text/html")
	if err != nil {
		return "", fmt.Errorf("find the channel of YouTube handle %s: %w", acct.Handle, err)
	}
	id = ChannelOfPage(resp.Body)
	if id == "" {
		return "", fmt.Errorf("find the channel of YouTube handle %s: %s names no channel id (a consent or bot-check page?); write the channel id (UC…) in the directory instead", acct.Handle, page)
	}
	a.channels.mu.Lock()
	if a.channels.ids == nil {
		a.channels.ids = map[string]string{}
	}
	a.channels.ids[page] = id
	a.channels.mu.Unlock()
	return id, nil
}

var (
	channelURL       = regexp.MustCompile(`^https?://(?:www\.|m\.)?youtube\.com/channel/(UC[A-Za-z0-9_-]{22})/?$`)
	channelIDPattern = regexp.MustCompile(`^UC[A-Za-z0-9_-]{22}$`)
	externalID       = regexp.MustCompile(`"externalId":"(UC[A-Za-z0-9_-]{22})"`)
)

// ChannelOfPage returns the channel id a channel's page names: its
// canonical link (https://www.youtube.com/channel/UC…), its og:url, its
// itemprop identifier or channelId, or the "externalId" of its initial
// data; "" when it names none.
func ChannelOfPage(body []byte) string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err == nil {
		for _, sel := range []string{`link[rel="canonical"]`, `meta[property="og:url"]`} {
			for _, attr := range []string{"href", "content"} {
				if m := channelURL.FindStringSubmatch(strings.TrimSpace(doc.Find(sel).AttrOr(attr, ""))); m != nil {
					return m[1]
				}
			}
		}
		for _, sel := range []string{`meta[itemprop="identifier"]`, `meta[itemprop="channelId"]`} {
			if v := strings.TrimSpace(doc.Find(sel).AttrOr("content", "")); channelIDPattern.MatchString(v) {
				return v
			}
		}
	}
	if m := externalID.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}
