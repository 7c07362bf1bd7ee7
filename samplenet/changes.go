package samplenet

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Changes to the sample between crawls. A test edits, deletes, restores or
// publishes posts, or makes an account unreachable, while the server runs;
// every route then answers as the real network does after such a change.
// Requests hold Server.sample's read lock for their whole response, and
// mutations its write lock, so that a response never mixes two states.

// Errors of the mutation API.
var (
	ErrUnknownAccount = errors.New("unknown account")
	ErrUnknownPost    = errors.New("unknown post")
)

// version is one text of a post and the time it took effect: when the post
// was published, or edited.
type version struct {
	text string
	at   time.Time
}

// versions returns the post's texts, oldest first, the current one last.
// A post edited in the content (edited:) has only the version known to the
// sample, dated at the edit, as Mastodon shows a status whose earlier
// versions it never saw.
func (p *post) versions() []version {
	if len(p.edits) > 0 {
		return p.edits
	}
	at := p.at
	if !p.edited.IsZero() {
		at = p.edited
	}
	return []version{{p.text, at}}
}

// textAt returns the post's text as it was at t: what a reply or a forward
// made at t copied or pointed at.
func (p *post) textAt(t time.Time) string {
	vs := p.versions()
	text := vs[0].text
	for _, v := range vs[1:] {
		if v.at.After(t) {
			break
		}
		text = v.text
	}
	return text
}

// shown reports whether a post is listed and served: not deleted, and not a
// boost or repost of a deleted post (Mastodon deletes the boosts with the
// status; the AppView drops feed items whose post is gone). A Telegram
// forward is a copy, and outlives the message it copies.
func (p *post) shown() bool {
	if p.deleted {
		return false
	}
	if p.repost != nil && p.acct.spec.Network != "telegram" {
		return !p.repost.deleted
	}
	return true
}

// listed returns the account's shown posts, newest first, but those
// dropped from listings (Unlist).
func (a *account) listed() []*post {
	for i, p := range a.posts {
		if p.shown() && !p.unlisted {
			continue
		}
		out := slices.Clone(a.posts[:i])
		for _, q := range a.posts[i+1:] {
			if q.shown() && !q.unlisted {
				out = append(out, q)
			}
		}
		return out
	}
	return a.posts
}

// readLocked serves each request holding the sample's read lock.
func (s *Server) readLocked(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.sampleMu.RLock()
		defer s.sampleMu.RUnlock()
		h.ServeHTTP(w, r)
	})
}

// find returns an account and one of its posts by directory id and key,
// deleted or not. verb names the operation in errors.
func (s *Server) find(verb, accountID, postKey string) (*account, *post, error) {
	a := s.sample.byID[accountID]
	if a == nil {
		return nil, nil, fmt.Errorf("%s post %q of account %q: %w", verb, postKey, accountID, ErrUnknownAccount)
	}
	if postKey != "" {
		for _, p := range a.posts {
			if p.key == postKey {
				return a, p, nil
			}
		}
	}
	return nil, nil, fmt.Errorf("%s post %q of account %q: %w", verb, postKey, accountID, ErrUnknownPost)
}

// Edit gives a post a new text, edited at at: Mastodon sets edited_at and
// adds a version to the status history; Telegram marks the message
// "edited", its time unchanged; Bluesky serves the same rkey with the new
// record text and a new cid; YouTube and feeds serve the new description,
// with <updated> at at. A feed item written as html: becomes the text.
// Replies and forwards made before keep pointing at, or copying, the
// version they saw.
func (s *Server) Edit(accountID, postKey, text string, at time.Time) error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	a, p, err := s.find("edit", accountID, postKey)
	if err != nil {
		return err
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("edit post %q of account %q: %s", postKey, accountID, fmt.Sprintf(format, args...))
	}
	text = strings.TrimSpace(text)
	vs := p.versions()
	switch {
	case p.deleted:
		return bad("the post is deleted")
	case p.repost != nil:
		return bad("a repost has no text of its own")
	case text == "":
		return bad("empty text")
	case a.spec.Network == "bluesky" && utf8.RuneCountInString(text) > 300:
		return bad("text longer than Bluesky's 300 characters")
	case !at.After(vs[len(vs)-1].at):
		return bad("edit time %s not after the current version's %s", at.Format(time.RFC3339), vs[len(vs)-1].at.Format(time.RFC3339))
	}
	p.edits = append(slices.Clip(vs), version{text, at})
	p.text, p.html, p.edited = text, "", at
	return nil
}

// Delete removes a post from every listing and single-post route: Mastodon
// answers 404 {"error":"Record not found"} for it and drops its boosts;
// Bluesky's feeds and getPosts omit it (and its reposts), and replies show
// it as a notFoundPost; t.me leaves a gap in the message numbers and shows
// "Post not found" for it; YouTube's and the feeds' entries drop it.
func (s *Server) Delete(accountID, postKey string) error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	_, p, err := s.find("delete", accountID, postKey)
	if err != nil {
		return err
	}
	if p.deleted {
		return fmt.Errorf("delete post %q of account %q: already deleted", postKey, accountID)
	}
	p.deleted = true
	return nil
}

// Restore undoes Delete: the post is served again, with its ids.
func (s *Server) Restore(accountID, postKey string) error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	_, p, err := s.find("restore", accountID, postKey)
	if err != nil {
		return err
	}
	if !p.deleted {
		return fmt.Errorf("restore post %q of account %q: not deleted", postKey, accountID)
	}
	p.deleted = false
	return nil
}

// Publish adds a new post, the account's newest, published at at (which
// must be after every post the account has had). Its ids are made as the
// content's are: a Mastodon snowflake and a Bluesky TID of at, the next
// Telegram message number, a new YouTube video id, the key as the feed
// item's slug. YouTube and feed items take the text's first line as title.
func (s *Server) Publish(accountID, postKey, text string, at time.Time) error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	a := s.sample.byID[accountID]
	if a == nil {
		return fmt.Errorf("publish post %q of account %q: %w", postKey, accountID, ErrUnknownAccount)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("publish post %q of account %q: %s", postKey, accountID, fmt.Sprintf(format, args...))
	}
	text = strings.TrimSpace(text)
	switch {
	case !keyPattern.MatchString(postKey):
		return bad("use lower-case letters, digits and '-' in the key")
	case slices.ContainsFunc(a.posts, func(p *post) bool { return p.key == postKey }):
		return bad("repeated key")
	case text == "":
		return bad("empty text")
	case a.spec.Network == "bluesky" && utf8.RuneCountInString(text) > 300:
		return bad("text longer than Bluesky's 300 characters")
	case len(a.posts) > 0 && !at.After(a.posts[0].at):
		return bad("time %s not after the account's newest post (%s)", at.Format(time.RFC3339), a.posts[0].at.Format(time.RFC3339))
	}
	p := &post{acct: a, key: postKey, at: at, topic: topicFunction, text: text}
	if n := a.spec.Network; n == "youtube" || n == "rss" {
		p.title = firstLine(text)
	}
	switch a.spec.Network {
	case "mastodon":
		p.id = snowflake(at, "status:"+a.spec.ID+":"+postKey)
	case "bluesky":
		p.id = tid(at, "post:"+a.spec.ID+":"+postKey)
	case "telegram":
		// Numbers keep growing past deleted messages, as on Telegram.
		last := 0
		for _, q := range a.posts {
			last = max(last, tgNumber(q))
		}
		p.id = strconv.Itoa(last + 1)
	case "youtube":
		p.id = videoID(a.spec.ID + ":published:" + postKey)
	case "rss":
		p.id = postKey
	}
	a.posts = slices.Insert(a.posts, 0, p)
	return nil
}

// SetUnreachable makes every request for an account — lookup, listing,
// feed, channel page, single posts, history — fail as the network does when
// its service fails (HTTP 503 with a short body), or, with on false, answer
// again. Other accounts keep working, and their boosts, reposts and
// forwards of the account's posts stay.
func (s *Server) SetUnreachable(accountID string, on bool) error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	a := s.sample.byID[accountID]
	if a == nil {
		return fmt.Errorf("set account %q unreachable: %w", accountID, ErrUnknownAccount)
	}
	a.unreachable = on
	return nil
}

// nginx503 is what nginx in front of a Mastodon instance answers when the
// application behind it is down.
const nginx503 = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n" +
	"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// failing answers a request for an account SetUnreachable made fail, and
// reports whether it did.
func failing(w http.ResponseWriter, a *account) bool {
	if a == nil || !a.unreachable {
		return false
	}
	switch a.spec.Network {
	case "mastodon":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, nginx503)
	case "bluesky":
		// XRPC's error shape, with the name of its 503 response type.
		writeJSON(w, http.StatusServiceUnavailable, bError{"NotEnoughResources", "Service Unavailable"})
	default:
		http.Error(w, "503 Service Unavailable", http.StatusServiceUnavailable)
	}
	return true
}

// Unlist drops a post from the account's listings (feeds, timelines)
// while its own page still serves it: a feed's window that moved past an
// item, a post an instance no longer lists. A deep sweep asks about it and
// must find it still there.
func (s *Server) Unlist(accountID, postKey string) error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	_, p, err := s.find("unlist", accountID, postKey)
	if err != nil {
		return err
	}
	p.unlisted = true
	return nil
}

// SetPageStatus makes a post's own page (a feed item's link, a video's
// watch page) answer status with a short plain body, whatever the post's
// state; 0 serves it as usual again. The listings are not changed.
func (s *Server) SetPageStatus(accountID, postKey string, status int) error {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	_, p, err := s.find("set the page status of", accountID, postKey)
	if err != nil {
		return err
	}
	if status != 0 && (status < 100 || status > 599) {
		return fmt.Errorf("set the page status of post %q of account %q: %d is not an HTTP status", postKey, accountID, status)
	}
	p.pageStatus = status
	return nil
}
