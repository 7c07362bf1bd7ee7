package telegram

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

var _ crawler.Confirmer = (*Adapter)(nil)

// Gone asks the channel's preview for the page that would start with each
// message (?before=N+1). Telegram numbers a channel's messages in sequence,
// so a page that holds older messages but not N shows a gap where N was:
// the message was deleted. An empty page tells nothing.
func (a *Adapter) Gone(ctx context.Context, f crawler.Fetcher, acct *directory.Account, ids []string) (map[string]string, error) {
	channel := strings.TrimPrefix(strings.TrimSpace(acct.Handle), "@")
	base := DefaultBase
	if acct.Endpoint != "" {
		base = strings.TrimRight(acct.Endpoint, "/")
	}
	gone := map[string]string{}
	for _, id := range ids {
		n, err := strconv.Atoi(id)
		if err != nil || n < 1 {
			continue // not a message number: cannot tell
		}
		u := base + "/s/" + url.PathEscape(channel) + "?before=" + strconv.Itoa(n+1)
		resp, err := f.Get(ctx, u, "text/html")
		if err != nil {
			return nil, fmt.Errorf("confirm message %s: %w", id, err)
		}
		posts, _, err := ParsePage(resp.Body, base)
		if err != nil {
			return nil, fmt.Errorf("confirm message %s: parse %s: %w", id, resp.URL, err)
		}
		found, older := false, false
		for _, p := range posts {
			m, _ := strconv.Atoi(p.PostID)
			found = found || m == n
			older = older || (m > 0 && m < n)
		}
		if !found && older {
			gone[id] = fmt.Sprintf("GET %s shows older messages but not number %d", u, n)
		}
	}
	return gone, nil
}
