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
	// Summary counts posts, versions, labels and events per account.
	Summary(ctx context.Context) ([]AccountSummary, error)
}

// Head is what change detection needs to know about a post already archived.
type Head struct {
	ContentSHA256 string
	Version       int
}

// Query selects posts. Zero fields do not filter.
type Query struct {
	Account string
	Network Network
	Label   Label
	From    time.Time // published at or after
	To      time.Time // published before
	Text    string    // case- and accent-insensitive substring of the text
	Limit   int       // 0: no limit
	Offset  int
}

// Result is one page of a search.
type Result struct {
	Total int // matches before Limit and Offset
	Hits  []Hit
}

// Hit is the latest version of a post with the decision that stands for it.
type Hit struct {
	Post
	Decision        Decision
	Versions        int
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
	Edited    int // posts marked edited by their network or with more than one version
	Labels    map[Label]int
	Events    map[EventKind]int
}
