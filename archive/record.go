package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Label is the classification of a post version.
type Label string

// Labels of a decision.
const (
	Function     Label = "function"     // related to the servant's functions: public information
	Personal     Label = "personal"     // personal content: not public information (policy Sexta)
	Undetermined Label = "undetermined" // awaits a person's review
)

// EventKind names what happened to a post.
type EventKind string

// Post events.
const (
	FirstSeen       EventKind = "first_seen"
	Edited          EventKind = "edited"
	DeletedAtSource EventKind = "deleted_at_source"
	Restored        EventKind = "restored"
	// Reparsed is a new version that holds what vigia now reads of a post
	// it had stored from the same content in an earlier form (the text of a
	// Telegram forward, a link card): not a change the author made, and
	// never counted as an edit (crawler.Reparser).
	Reparsed EventKind = "reparsed"
	// AccountUnreachable is an account-level event (its PostID is empty):
	// the account could not be listed (gone, private, behind a login, or
	// its server down). It is recorded when an account that was reachable
	// stops being so, and is never read as the deletion of its posts.
	AccountUnreachable EventKind = "account_unreachable"
	// MissingFromExport: a data export the account's holder handed in
	// lacks a post an earlier one had, inside the span of time it covers,
	// and the export does not say it is whole (or too much is missing to
	// believe it): reported per post, never read as a deletion.
	MissingFromExport EventKind = "missing_from_export"
)

// Event records a change in a post's life, observed at a point in time, or
// (with an empty PostID) in an account's.
type Event struct {
	Network       Network   `json:"network"`
	AccountID     string    `json:"account"`
	PostID        string    `json:"post_id"`
	Kind          EventKind `json:"kind"`
	ObservedAt    time.Time `json:"observed_at"`
	ContentSHA256 string    `json:"content_sha256"` // the version the event refers to
	Evidence      string    `json:"evidence"`       // what was observed, in words: the URL fetched, the status seen
	RunID         string    `json:"run_id"`
}

// Decision says whether one version of a post is public information.
// Decisions are records of their own: a later decision supersedes an earlier
// one for reading, and a person's decision supersedes any rule's or model's,
// but none is ever changed.
type Decision struct {
	Network       Network   `json:"network"`
	AccountID     string    `json:"account"`
	PostID        string    `json:"post_id"`
	ContentSHA256 string    `json:"content_sha256"` // the version decided on
	Label         Label     `json:"label"`
	Confidence    float64   `json:"confidence"` // probability that Label is right, 0..1
	Basis         string    `json:"basis"`      // the policy clause, e.g. "Tercera"
	Rationale     string    `json:"rationale"`  // the evidence in words, in Spanish
	DecidedBy     string    `json:"decided_by"` // "rule", "model vN" or "person:NAME"
	DecidedAt     time.Time `json:"decided_at"`
}

// Capture logs one observation of a post, whether or not it changed.
type Capture struct {
	Network       Network   `json:"network"`
	AccountID     string    `json:"account"`
	PostID        string    `json:"post_id"`
	CapturedAt    time.Time `json:"captured_at"`
	ContentSHA256 string    `json:"content_sha256"`
	SourceURL     string    `json:"source_url"`
	RunID         string    `json:"run_id"`
}

// Fetch logs one HTTP exchange of a crawl.
type Fetch struct {
	RunID     string
	AccountID string
	Network   Network
	URL       string
	Status    int // 0 when no response arrived
	Bytes     int64
	Duration  time.Duration
	Attempt   int    // 1 for the first try
	Error     string // empty on success
	FetchedAt time.Time
	WARC      WARCRef // where the exchange is kept as evidence; empty when no response arrived
}

// WARCRef points at the WARC record holding an HTTP exchange as evidence.
type WARCRef struct {
	File     string `json:"file"`      // base name of the WARC file, under the archive's WARC folder
	RecordID string `json:"record_id"` // WARC-Record-ID of the response record
	Offset   int64  `json:"offset"`    // where the record's gzip member starts in the file
	Digest   string `json:"digest"`    // its WARC-Block-Digest, "sha256:…"
}

// IsZero reports whether the reference points nowhere.
func (r WARCRef) IsZero() bool { return r.RecordID == "" }

// AccountCrawl is the outcome of crawling one account in one run: what the
// account health table is made of.
type AccountCrawl struct {
	RunID        string
	AccountID    string
	Network      Network
	StartedAt    time.Time
	FinishedAt   time.Time
	Status       CrawlStatus
	Error        string // empty when Status is CrawlOK
	Pages        int
	PostsSeen    int
	VersionsNew  int
	Deleted      int       // posts confirmed deleted at source in this crawl
	NewestPostAt time.Time // the newest publication time seen; zero if none

	// Sweep: this crawl re-listed the account's whole available history
	// (a deep sweep), not only its recent posts.
	Sweep bool
	// SweepComplete: the sweep's listing reached the end of the history;
	// false when the page budget stopped it first (then only posts newer
	// than the oldest one listed were checked).
	SweepComplete bool
	// SweepChecked is how many archived posts the sweep checked: listed
	// again, or asked about one by one.
	SweepChecked int
}

// CrawlStatus is how an account's crawl ended.
type CrawlStatus string

// Crawl outcomes.
const (
	CrawlOK          CrawlStatus = "ok"
	CrawlPartial     CrawlStatus = "partial"     // some pages were listed, then an error
	CrawlUnreachable CrawlStatus = "unreachable" // not even the first page could be listed
)

// FixityCheck records one run of vigia verify over the WARC evidence.
type FixityCheck struct {
	CheckedAt  time.Time
	WARCDir    string
	Files      int
	Records    int
	References int // archive references checked against the files
	Problems   int
	Report     string // the problems, one per line (truncated to the first thousand)
}

// Account snapshots a directory entry as it was when posts were crawled under
// it, so that the archive can tell later what the register said.
type Account struct {
	ID                 string
	Network            Network
	Handle             string
	Endpoint           string
	Type               string // official or personal
	Area               string
	AdministeredByArea bool
	ServantName        string
	ServantPosition    string
	ServantLevel       int // -1 when no servant is named
	OfficeFrom         time.Time
	OfficeTo           time.Time // zero while in office
	RegisteredOn       time.Time
	Subject            string // the obligated body
	// Electoral is what the directory says of the servant's leaves and
	// candidacies, with each candidacy's campaign as the campaign calendar
	// gave it: a reclassification decides from it as the crawl did.
	Electoral   Electoral
	FactsSHA256 string // hash of the fields above; a new row only when it changes
	RecordedAt  time.Time
}

// Electoral is what elections bear on in a personal account's decisions:
// the servant's jurisdiction, leaves and candidacies. The engines keep it
// as one JSON column.
type Electoral struct {
	Jurisdiction string      `json:"jurisdiction,omitempty"` // ISO 3166-2, e.g. MX-JAL
	Leaves       []Days      `json:"leaves,omitempty"`       // licencias: the servant does not exercise the office
	Candidacies  []Candidacy `json:"candidacies,omitempty"`
}

// IsZero reports whether e says nothing.
func (e Electoral) IsZero() bool {
	return e.Jurisdiction == "" && len(e.Leaves) == 0 && len(e.Candidacies) == 0
}

// Days is a span of calendar days, both ends included, as UTC midnights; a
// zero To is open (a leave not yet ended).
type Days struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// Candidacy is the servant's candidacy in an electoral process, with the
// process's campaign for the office as the campaign calendar gave it.
type Candidacy struct {
	Jurisdiction string    `json:"jurisdiction"`
	Election     time.Time `json:"election"`         // election day
	Office       string    `json:"office,omitempty"` // as the calendar names it, e.g. ayuntamiento
	Process      string    `json:"process"`          // e.g. Proceso Electoral Federal 2023-2024
	Campaign     Days      `json:"campaign"`
	Veda         Days      `json:"veda,omitzero"`
}

// Run summarises one crawl.
type Run struct {
	ID             string
	StartedAt      time.Time
	FinishedAt     time.Time
	CrawlerVersion string
	Directory      string
	Accounts       int
	AccountsFailed int
	Fetches        int
	PostsSeen      int
	VersionsNew    int
}

// Batch is a set of records appended together: a store makes all of them
// durable or none.
//
// A batch with an ID may be appended more than once (a spool replaying what
// it cannot tell was delivered): with Replayed set, a store keeps the records
// of an ID once, whatever the number of appends.
type Batch struct {
	ID       string
	Replayed bool
	// Offline: crawled while the archive was unreachable, from the heads
	// the spool kept of it (spool.Heads): at delivery its versions are
	// numbered again after the archive's, and what the archive holds
	// already is left out.
	Offline bool

	Posts     []Post
	Captures  []Capture
	Events    []Event
	Decisions []Decision
	Fetches   []Fetch
	Accounts  []Account
	Runs      []Run
	Crawls    []AccountCrawl
	Fixity    []FixityCheck
}

// Len is the number of records in the batch.
func (b *Batch) Len() int {
	return len(b.Posts) + len(b.Captures) + len(b.Events) + len(b.Decisions) +
		len(b.Fetches) + len(b.Accounts) + len(b.Runs) + len(b.Crawls) + len(b.Fixity)
}

// Merge appends the records of o to b.
func (b *Batch) Merge(o *Batch) {
	b.Posts = append(b.Posts, o.Posts...)
	b.Captures = append(b.Captures, o.Captures...)
	b.Events = append(b.Events, o.Events...)
	b.Decisions = append(b.Decisions, o.Decisions...)
	b.Fetches = append(b.Fetches, o.Fetches...)
	b.Accounts = append(b.Accounts, o.Accounts...)
	b.Runs = append(b.Runs, o.Runs...)
	b.Crawls = append(b.Crawls, o.Crawls...)
	b.Fixity = append(b.Fixity, o.Fixity...)
}

// FactsHash returns the SHA-256, in hex, of what the account snapshot says
// (every field but FactsSHA256 and RecordedAt).
func (a *Account) FactsHash() string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q %q %q %q %t %q %q %d %s %s %s %q",
		a.ID, a.Network, a.Handle, a.Endpoint, a.Type, a.Area, a.AdministeredByArea,
		a.ServantName, a.ServantPosition, a.ServantLevel,
		a.OfficeFrom.Format(time.DateOnly), a.OfficeTo.Format(time.DateOnly),
		a.RegisteredOn.Format(time.DateOnly), a.Subject)
	if !a.Electoral.IsZero() {
		// Only when said, so that the snapshots of accounts without it
		// keep the hash they had before the field existed.
		e, _ := json.Marshal(a.Electoral)
		fmt.Fprintf(h, " %s", e)
	}
	return hex.EncodeToString(h.Sum(nil))
}
