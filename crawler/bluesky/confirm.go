package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

var _ crawler.Confirmer = (*Adapter)(nil)

// getPostsMax is the most URIs app.bsky.feed.getPosts takes at once.
const getPostsMax = 25

// Gone asks the AppView for the posts (app.bsky.feed.getPosts, 25 at a
// time). The AppView leaves out of its answer the posts that no longer
// exist, so those it omits are gone. getPosts does not resolve handles in
// at-URIs, so the handle is first resolved to its DID.
func (a *Adapter) Gone(ctx context.Context, f crawler.Fetcher, acct *directory.Account, ids []string) (map[string]string, error) {
	base := strings.TrimRight(acct.Endpoint, "/")
	if base == "" {
		base = DefaultEndpoint
	}
	resolve := base + "/xrpc/com.atproto.identity.resolveHandle?handle=" + url.QueryEscape(acct.Handle)
	resp, err := f.Get(ctx, resolve, accept)
	if err != nil {
		return nil, refused(fmt.Sprintf("resolve handle %q at %s", acct.Handle, resolve), err)
	}
	var who struct {
		DID string `json:"did"`
	}
	if err := json.Unmarshal(resp.Body, &who); err != nil || !strings.HasPrefix(who.DID, "did:") {
		return nil, fmt.Errorf("resolve handle %q at %s: no DID in the answer", acct.Handle, resolve)
	}
	gone := map[string]string{}
	for start := 0; start < len(ids); start += getPostsMax {
		chunk := ids[start:min(start+getPostsMax, len(ids))]
		q := url.Values{}
		for _, id := range chunk {
			q.Add("uris", "at://"+who.DID+"/app.bsky.feed.post/"+id)
		}
		u := base + "/xrpc/app.bsky.feed.getPosts?" + q.Encode()
		resp, err := f.Get(ctx, u, accept)
		if err != nil {
			return nil, refused(fmt.Sprintf("confirm %d posts of %q at %s", len(chunk), acct.Handle, u), err)
		}
		var out struct {
			Posts []struct {
				URI string `json:"uri"`
			} `json:"posts"`
		}
		if err := json.Unmarshal(resp.Body, &out); err != nil {
			return nil, fmt.Errorf("parse getPosts from %s: %w", resp.URL, err)
		}
		present := map[string]bool{}
		for _, p := range out.Posts {
			present[recordKey(p.URI)] = true
		}
		for _, id := range chunk {
			if !present[id] {
				gone[id] = fmt.Sprintf("GET %s left it out of its answer", u)
			}
		}
	}
	return gone, nil
}
