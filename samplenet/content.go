package samplenet

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The sample is written as YAML under content/, decoded strictly (unknown
// keys are errors):
//
//	content/body.yaml — the obligated body:
//	  subject:         name of the body, as the directory gives it
//	  timezone:        IANA zone of the directory
//	  mastodon_domain: domain of the sample's Mastodon handles (@user@domain)
//
//	content/NN-<id>.yaml — one account each, in directory order:
//	  id, network, type, area, administered_by_area, registered_on,
//	  servant {name, position, level}, office {from, to}:
//	      the directory entry (see directory)
//	  profile:
//	    handle:    mastodon username; bluesky handle; telegram channel;
//	               youtube channel id (UC…); rss/atom feed path on the server
//	    site:      rss/atom only: the public origin (https://host) of the
//	               feed's site; the feed's self link, item links and ids,
//	               and enclosures (site/media/FILE) name it, never the
//	               server's address; paths are the same on both
//	    name:      display name
//	    bio:       profile text or feed description
//	    since:     YYYY-MM-DD the account was created
//	    followers, following: counters
//	  posts: oldest or newest first, in any order; each:
//	    key:       short name, unique in the account; other posts point at
//	               it as "<account id>/<key>" (required for rss/atom items,
//	               where it is the item's slug)
//	    at:        RFC 3339 time the post was published (or reposted)
//	    topic:     what the post is about, as a reviewer would read it:
//	               funcion (the servant's or body's public functions),
//	               personal (private life) or electoral (partisan)
//	    title:     youtube video or feed item title
//	    text:      plain text; URLs, #tags and @mentions become links
//	    html:      feed items only: the description as HTML
//	    edited:    RFC 3339 time of the last edit (Telegram shows a marker)
//	    reply_to:  "<account id>/<key>" the post answers (mastodon, bluesky)
//	    repost:    "<account id>/<key>" boosted, reposted or forwarded;
//	               a repost has no text of its own
//	    quote:     "<account id>/<key>" quoted below the post's own text
//	               (mastodon, bluesky); a quote has no media
//	    media:     [{file, alt, type}] images, served under /media/
//	    enclosure: {file, type, alt} an rss enclosure (alt: its caption)
//	    categories: feed item categories
//	    replies, reposts, likes, views: public counters
//
// Every post must be dated between 2026-06-01 and 2026-11-20.

//go:embed content/*.yaml
var contentFS embed.FS

// Topics of a post.
const (
	topicFunction  = "funcion"
	topicPersonal  = "personal"
	topicElectoral = "electoral"
)

var (
	windowFrom = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	windowTo   = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	networks   = []string{"mastodon", "bluesky", "telegram", "youtube", "rss"}
)

type bodySpec struct {
	Subject        string `yaml:"subject"`
	Timezone       string `yaml:"timezone"`
	MastodonDomain string `yaml:"mastodon_domain"`
}

type accountSpec struct {
	ID                 string       `yaml:"id"`
	Network            string       `yaml:"network"`
	Type               string       `yaml:"type"`
	Area               string       `yaml:"area"`
	AdministeredByArea bool         `yaml:"administered_by_area"`
	RegisteredOn       string       `yaml:"registered_on"`
	Servant            *servantSpec `yaml:"servant"`
	Office             officeSpec   `yaml:"office"`
	Profile            profileSpec  `yaml:"profile"`
	Posts              []postSpec   `yaml:"posts"`
}

type servantSpec struct {
	Name     string `yaml:"name"`
	Position string `yaml:"position"`
	Level    int    `yaml:"level"`
}

type officeSpec struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

type profileSpec struct {
	Handle    string `yaml:"handle"`
	Site      string `yaml:"site"`
	Name      string `yaml:"name"`
	Bio       string `yaml:"bio"`
	Since     string `yaml:"since"`
	Followers int64  `yaml:"followers"`
	Following int64  `yaml:"following"`
}

type postSpec struct {
	Key       string      `yaml:"key"`
	At        string      `yaml:"at"`
	Topic     string      `yaml:"topic"`
	Title     string      `yaml:"title"`
	Text      string      `yaml:"text"`
	HTML      string      `yaml:"html"`
	Edited    string      `yaml:"edited"`
	ReplyTo   string      `yaml:"reply_to"`
	Repost    string      `yaml:"repost"`
	Quote     string      `yaml:"quote"`
	Media     []mediaSpec `yaml:"media"`
	Enclosure *mediaSpec  `yaml:"enclosure"`
	Category  []string    `yaml:"categories"`
	Replies   int64       `yaml:"replies"`
	Reposts   int64       `yaml:"reposts"`
	Likes     int64       `yaml:"likes"`
	Views     int64       `yaml:"views"`
}

type mediaSpec struct {
	File string `yaml:"file"`
	Alt  string `yaml:"alt"`
	Type string `yaml:"type"`
}

// sample is the parsed content.
type sample struct {
	body     bodySpec
	accounts []*account
	byID     map[string]*account
}

// account is one sample account with its posts, newest first.
type account struct {
	spec  accountSpec
	since time.Time
	posts []*post
	// network identities
	numID string // mastodon account id
	did   string // bluesky
	// unreachable makes every request for the account fail (SetUnreachable).
	unreachable bool
}

// post is one sample post. id is the network's own id for it.
type post struct {
	acct      *account
	key       string
	at        time.Time
	edited    time.Time
	topic     string
	title     string
	text      string
	html      string
	replyTo   *post // resolved from replyRef
	repost    *post // resolved from repostRef
	quote     *post // resolved from quoteRef
	replyRef  string
	repostRef string
	quoteRef  string
	media     []mediaSpec
	enclosure *mediaSpec
	category  []string
	replies   int64
	reposts   int64
	likes     int64
	views     int64
	id        string
	// Changes made while serving (changes.go).
	deleted bool
	edits   []version // every version, oldest first, once edited by Edit
	// unlisted: dropped from listings, its own page still served (Unlist);
	// pageStatus: what its own page answers instead (SetPageStatus).
	unlisted   bool
	pageStatus int
}

// loadSample reads and checks the content/*.yaml files of fsys.
func loadSample(fsys fs.FS) (*sample, error) {
	names, err := fs.Glob(fsys, "content/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list content: %w", err)
	}
	slices.Sort(names)
	s := &sample{byID: map[string]*account{}}
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if path.Base(name) == "body.yaml" {
			if err := decodeStrict(data, &s.body); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
			continue
		}
		var spec accountSpec
		if err := decodeStrict(data, &spec); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		a, err := newAccount(spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if _, dup := s.byID[a.spec.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: repeated account id %q", name, a.spec.ID))
			continue
		}
		s.accounts = append(s.accounts, a)
		s.byID[a.spec.ID] = a
	}
	if s.body.Subject == "" || s.body.MastodonDomain == "" {
		errs = append(errs, errors.New("content/body.yaml: subject and mastodon_domain are required"))
	}
	if len(errs) == 0 {
		errs = append(errs, s.link()...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("load sample content: %w", err)
	}
	return s, nil
}

func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// newAccount checks an account's fields and reads its posts.
func newAccount(spec accountSpec) (*account, error) {
	a := &account{spec: spec}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if spec.ID == "" || !slices.Contains(networks, spec.Network) || spec.Profile.Handle == "" || spec.Profile.Name == "" {
		bad("account %q: id, a known network, profile.handle and profile.name are required", spec.ID)
	}
	if err := checkSite(spec.Network, spec.Profile); err != nil {
		bad("account %q: %w", spec.ID, err)
	}
	since, err := time.Parse(time.DateOnly, spec.Profile.Since)
	if err != nil {
		bad("account %q: profile.since %q: want YYYY-MM-DD", spec.ID, spec.Profile.Since)
	}
	a.since = since
	keys := map[string]bool{}
	for i, ps := range spec.Posts {
		p, err := newPost(a, ps)
		if err != nil {
			bad("account %q: posts[%d]: %w", spec.ID, i, err)
			continue
		}
		if p.key != "" {
			if keys[p.key] {
				bad("account %q: posts[%d]: repeated key %q", spec.ID, i, p.key)
			}
			keys[p.key] = true
		}
		a.posts = append(a.posts, p)
	}
	// Newest first, as the networks list them.
	slices.SortStableFunc(a.posts, func(x, y *post) int { return y.at.Compare(x.at) })
	return a, errors.Join(errs...)
}

// checkSite checks the public site of a feed account: an https origin,
// with the feed's path as the handle. Other networks name none.
func checkSite(network string, p profileSpec) error {
	if network != "rss" {
		if p.Site != "" {
			return errors.New("profile.site is only for rss accounts")
		}
		return nil
	}
	if p.Site == "" {
		return errors.New("profile.site is required for rss accounts")
	}
	u, err := url.Parse(p.Site)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("profile.site %q: want https://host, no path", p.Site)
	}
	if !strings.HasPrefix(p.Handle, "/") {
		return fmt.Errorf("profile.handle %q: want the feed's path, starting with /", p.Handle)
	}
	return nil
}

func newPost(a *account, ps postSpec) (*post, error) {
	p := &post{
		acct: a, key: ps.Key, topic: ps.Topic, title: strings.TrimSpace(ps.Title),
		text: strings.TrimSpace(ps.Text), html: strings.TrimSpace(ps.HTML),
		media: ps.Media, enclosure: ps.Enclosure, category: ps.Category,
		replyRef: ps.ReplyTo, repostRef: ps.Repost, quoteRef: ps.Quote,
		replies: ps.Replies, reposts: ps.Reposts, likes: ps.Likes, views: ps.Views,
	}
	if p.key != "" && !keyPattern.MatchString(p.key) {
		return nil, fmt.Errorf("key %q: use lower-case letters, digits and '-'", p.key)
	}
	at, err := time.Parse(time.RFC3339, ps.At)
	if err != nil {
		return nil, fmt.Errorf("at %q: want an RFC 3339 time", ps.At)
	}
	if at.Before(windowFrom) || !at.Before(windowTo) {
		return nil, fmt.Errorf("at %s: outside 2026-06-01..2026-11-20", ps.At)
	}
	p.at = at
	if ps.Edited != "" {
		if p.edited, err = time.Parse(time.RFC3339, ps.Edited); err != nil || !p.edited.After(at) {
			return nil, fmt.Errorf("edited %q: want an RFC 3339 time after at", ps.Edited)
		}
	}
	switch p.topic {
	case topicFunction, topicPersonal, topicElectoral:
	default:
		return nil, fmt.Errorf("topic %q: want funcion, personal or electoral", p.topic)
	}
	if ps.Repost == "" && p.text == "" && p.html == "" {
		return nil, errors.New("text is required (or repost)")
	}
	if ps.Quote != "" && (ps.Repost != "" || p.text == "" || len(p.media) > 0 || (a.spec.Network != "mastodon" && a.spec.Network != "bluesky")) {
		return nil, errors.New("a quote is a mastodon or bluesky post with text of its own, no media and no repost")
	}
	if a.spec.Network == "bluesky" && utf8.RuneCountInString(p.text) > 300 {
		return nil, errors.New("text longer than Bluesky's 300 characters")
	}
	if a.spec.Network == "rss" && p.key == "" {
		return nil, errors.New("key is required for feed items (it is the slug)")
	}
	for _, m := range p.media {
		if m.File == "" || strings.ContainsAny(m.File, "/'\"") {
			return nil, fmt.Errorf("media file %q: want a plain file name", m.File)
		}
	}
	return p, nil
}

// link resolves references between posts and gives every post its id.
func (s *sample) link() []error {
	var errs []error
	resolve := func(a *account, ref, what string) *post {
		if ref == "" {
			return nil
		}
		acctID, key, _ := strings.Cut(ref, "/")
		if t := s.byID[acctID]; t != nil && t.spec.Network == a.spec.Network {
			for _, p := range t.posts {
				if p.key == key && p.key != "" && p.repostRef == "" {
					return p
				}
			}
		}
		errs = append(errs, fmt.Errorf("account %q: %s %q: no post of the same network with that key (reposts cannot be referenced)", a.spec.ID, what, ref))
		return nil
	}
	for _, a := range s.accounts {
		for _, p := range a.posts {
			p.replyTo = resolve(a, p.replyRef, "reply_to")
			p.repost = resolve(a, p.repostRef, "repost")
			p.quote = resolve(a, p.quoteRef, "quote")
			if p.quote != nil && p.quote.quoteRef != "" {
				errs = append(errs, fmt.Errorf("account %q: quote %q: a quote of a quote is not in the sample", a.spec.ID, p.quoteRef))
			}
		}
	}
	for _, a := range s.accounts {
		a.assignIDs()
	}
	return errs
}

// account returns the account of a network with the given handle; Mastodon
// and Bluesky handles compare case-insensitively.
func (s *sample) account(network, handle string) *account {
	for _, a := range s.accounts {
		if a.spec.Network != network {
			continue
		}
		if strings.EqualFold(a.spec.Profile.Handle, handle) || (a.did != "" && a.did == handle) {
			return a
		}
	}
	return nil
}
