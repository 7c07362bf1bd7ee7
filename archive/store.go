package archive

import (
	"context"
	"errors"
	"time"
)

// Errors shared by every engine.
var (
	// ErrNotFound reports an archive that does not exist where it was asked for.
	ErrNotFound = errors.New("archive not found")
	// ErrLocked reports an archive held by another process.
	ErrLocked = errors.New("archive in use by another process")
)

// Store is an archive engine: records go in through Append and come out
// through the read methods. Implementations are safe for concurrent use.
type Store interface {
	Appender
	Reader
	Close() error
}

// Appender takes records. Append returns only when every record of the batch
// is durable, or returns an error and has stored none of them. Appends may be
// called concurrently; the order in which concurrent batches land is not
// defined.
type Appender interface {
	Append(ctx context.Context, b *Batch) error
}

// Reader answers the questions asked of an archive.
type Reader interface {
	// Heads returns, for every post of the given accounts (all accounts when
	// the list is empty), the hash and number of its latest version.
	Heads(ctx context.Context, accountIDs []string) (map[Key]Head, error)
	// Accounts returns the latest snapshot of every account ever recorded.
	Accounts(ctx context.Context) ([]Account, error)
	// Search returns the latest version of the posts matching q, newest first.
	Search(ctx context.Context, q Query) (*Result, error)
	// Facets counts the posts matching q (all of them: q's Limit and
	// Offset are ignored) by label, network, area, account and basis.
	Facets(ctx context.Context, q Query) (*Facets, error)
	// Counts counts, per account, the posts q selects (its Limit and
	// Offset aside), and when the newest and the oldest of them were
	// published: what the directory tells the public of each account,
	// under q.Public, and the review backlog, under q.NeedsReview.
	Counts(ctx context.Context, q Query) ([]AccountCount, error)
	// Summary counts posts, versions, labels and events per account.
	Summary(ctx context.Context) ([]AccountSummary, error)
	// Health returns the crawl health of every account in the archive.
	Health(ctx context.Context) ([]AccountHealth, error)
	// Lookup resolves what a person calls a post (its id, its URL, or
	// ACCOUNT/ID) to the keys of the archived posts it names.
	Lookup(ctx context.Context, ref string) ([]Key, error)
	// History returns every version, event and decision of one post, oldest
	// first; ErrNotFound when the archive holds no such post.
	History(ctx context.Context, k Key) (*PostHistory, error)
	// WARCRefs calls fn with every reference to WARC evidence the archive
	// holds, stopping at fn's first error.
	WARCRefs(ctx context.Context, fn func(WARCUse) error) error
	// Export calls fn with every record the archive holds, in batches of at
	// most size records of one kind, table after table, stopping at fn's
	// first error: what copying an archive to another engine reads.
	Export(ctx context.Context, size int, fn func(*Batch) error) error
}

// Head is what change detection needs to know about a post already archived.
type Head struct {
	ContentSHA256 string
	Version       int
	PublishedAt   time.Time
	Deleted       bool // the latest deletion or restoration event says deleted
}

// AccountHealth tells how crawling an account has been going.
type AccountHealth struct {
	AccountID           string
	Network             Network
	Handle              string
	LastAttempt         time.Time // zero when never crawled
	LastSuccess         time.Time
	LastStatus          CrawlStatus
	LastError           string // of the latest crawl that failed
	LastErrorAt         time.Time
	ConsecutiveFailures int // crawls that failed since the last success
	NewestPostAt        time.Time
	Posts               int
	// The latest deep sweep that ended well (status ok): when it ended, how
	// many archived posts it checked, and whether its listing reached the
	// end of the history. LastSweep is zero when the account was never
	// swept.
	LastSweep         time.Time
	LastSweepChecked  int
	LastSweepComplete bool
}

// Status is the account's health in one word: its last crawl's status, or
// "never crawled".
func (h *AccountHealth) Status() string {
	if h.LastAttempt.IsZero() {
		return "never crawled"
	}
	return string(h.LastStatus)
}

// Lag is how long ago the newest post seen of the account was published.
func (h *AccountHealth) Lag(now time.Time) time.Duration {
	if h.NewestPostAt.IsZero() {
		return 0
	}
	return now.Sub(h.NewestPostAt)
}

// PostHistory is everything the archive holds about one post.
type PostHistory struct {
	Key           Key
	Versions      []Post // oldest first, Raw included
	Events        []Event
	Decisions     []Decision
	Captures      int
	FirstCaptured time.Time
	LastCaptured  time.Time
	// Seen tells, for each content the post was captured with, when it was
	// first and last captured and how many times, first seen first: when
	// each version was seen (an edit undone gives its content one entry).
	Seen []Seen
}

// Seen is when a post was captured with one content.
type Seen struct {
	ContentSHA256 string
	First, Last   time.Time
	Captures      int
}

// WARCUse is one reference from the archive to WARC evidence.
type WARCUse struct {
	Table string // post_versions, fetches or media
	What  string // what refers to it, in words: a post version, a URL
	Ref   WARCRef
}

// Query selects posts. Zero fields do not filter; the fields that are set
// all apply.
type Query struct {
	Account string
	Network Network
	Label   Label
	// Labels, when not empty, keeps the posts whose standing label is one
	// of these (a public reader's search keeps to Function).
	Labels []Label
	// Public, when set, keeps the posts the public role may read under
	// Visibility: their latest version decided function, by a person when
	// a person decided some version of the post, by a model only at or
	// above the publication threshold (PostHistory.Public says the same of
	// one).
	Public bool
	// Visibility is the publication rule in use: what Public keeps, and
	// what NeedsReview adds to the queue (a model's function decision below
	// the threshold waits for a person). Its zero value publishes no
	// model decision.
	Visibility Visibility
	From       time.Time // published at or after
	To         time.Time // published before
	Text       string    // case- and accent-insensitive substring of the text
	// Area and Servant match the latest snapshot of the post's account:
	// its area exactly, and a case- and accent-insensitive substring of
	// its servant's name. A post of an account without a snapshot matches
	// neither.
	Area    string
	Servant string
	Basis   string // the standing decision's basis, exactly ("Sexta")
	Edited  bool   // only posts marked edited by their network or with more than one version
	Deleted bool   // only posts that stand deleted at their source
	// NeedsReview, when above 0, keeps only the posts awaiting a person:
	// no person decided their latest version, and a person decided an
	// earlier one, or its decision is undetermined, has a confidence below
	// NeedsReview, or is a model's function below Visibility's threshold.
	// They come in ReviewRank order (what would most change the public
	// view first), then closest to publication first among the model's
	// function decisions below the threshold, then oldest first.
	NeedsReview float64
	Limit       int // 0: no limit
	Offset      int
}

// AccountCount is how many posts of one account a query selects, when
// the newest of them was published (zero when none has a date), and when
// the oldest was (captured, for a post without a date).
type AccountCount struct {
	AccountID string
	Posts     int
	Newest    time.Time
	Oldest    time.Time
}

// Result is one page of a search.
type Result struct {
	Total int // matches before Limit and Offset
	Hits  []Hit
}

// FacetLimit is the most values a list of Facets holds.
const FacetLimit = 50

// Facets counts the posts a query matches.
type Facets struct {
	Total int `json:"total"`
	// Each list is sorted by count, most first, then by value, and holds
	// the FacetLimit values counted most; an empty area or basis (an
	// account without a snapshot, a post without a decision) is not
	// listed, as no query can select it.
	Labels   []FacetCount `json:"labels"` // by standing label
	Networks []FacetCount `json:"networks"`
	Areas    []FacetCount `json:"areas"`
	Accounts []FacetCount `json:"accounts"`
	Bases    []FacetCount `json:"bases"`
	Edited   int          `json:"edited"`  // as Query.Edited
	Deleted  int          `json:"deleted"` // as Query.Deleted
}

// FacetCount is how many posts have one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Hit is the latest version of a post with the decision that stands for it.
// Its Post has every field but Raw and RawType, which History gives.
type Hit struct {
	Post
	Decision        Decision
	Versions        int
	Reviewed        bool      // a person decided some version of the post
	DeletedAtSource time.Time // zero unless the post is gone at its source
	AccountType     string    // official or personal, from the latest account snapshot
	Area            string
}

// AccountSummary counts what the archive holds for one account.
type AccountSummary struct {
	AccountID string
	Network   Network
	Type      string
	Posts     int
	Versions  int
	Edited    int           // posts marked edited by their network or with more than one version
	Labels    map[Label]int // posts by standing label
	// Newest is, by standing label, when the newest post was published
	// (a label none of whose posts has a publication time is absent): the
	// newest public information of an account is Newest[Function].
	Newest map[Label]time.Time
	Events map[EventKind]int
}
