package dataexport

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/warc"
	"github.com/vigia-mx/vigia/directory"
)

// Archive is what an import needs of an archive.
type Archive interface {
	archive.Appender
	Heads(ctx context.Context, accountIDs []string) (map[archive.Key]archive.Head, error)
	Accounts(ctx context.Context) ([]archive.Account, error)
	History(ctx context.Context, k archive.Key) (*archive.PostHistory, error)
}

// Evidence keeps resource records: a *warc.Writer.
type Evidence interface {
	AppendResource(r warc.Resource) (warc.Ref, error)
	Sync() error
}

// Judge decides a version as the crawl does (decision.Judge.Crawled).
type Judge func(acct *directory.Account, p *archive.Post) archive.Decision

// Import is one export handed in for one account of the directory.
type Import struct {
	Directory *directory.Directory
	Account   *directory.Account
	File      *File
	Export    *Export
	Received  time.Time // the day the office received the export
	Judge     Judge
	Evidence  Evidence
	Version   string // vigia's, e.g. "vigia/1.2.0"
}

// Result is what an import did.
type Result struct {
	Source    archive.ExportSource
	Evidence  archive.WARCRef // the export kept whole
	RunID     string
	Posts     int // posts in the export
	Versions  int // new versions archived
	New       int // posts archived for the first time
	Changed   int // posts the archive held, with new versions
	Unchanged int
	Edited    int // versions recorded as edits
	Restored  int
	Deleted   []Gone // deleted at the source, with the export as evidence
	Missing   []Gone // missing from this export, reported and not deleted
	// Older are posts the export shows as they were before what the
	// archive last recorded of them: an earlier version's content with no
	// later edit, or a post deleted since the export was made. They are
	// not taken as edits back nor restorations.
	Older []Gone
	// MissingWhy says why the missing posts were not taken as deleted.
	MissingWhy string
	Span       [2]time.Time // the oldest and newest post of the export
}

// Gone is a post the export shows deleted, or lacks.
type Gone struct {
	PostID      string
	PublishedAt time.Time
	Evidence    string
}

// Check reports what keeps the export from being imported for the
// account: another network, or another account's export.
func (im *Import) Check() error {
	acct, exp := im.Account, im.Export
	if exp.Network != acct.Network {
		return &Error{File: im.File.Path, Msg: fmt.Sprintf("a %s (%s); account %q is registered on %s", exportName(exp.Network), exp.Layout, acct.ID, acct.Network)}
	}
	if !SameHandle(exp.Handle, acct.Handle) {
		file, field, _ := strings.Cut(exp.HandleAt, ": ")
		return &Error{File: file, Field: field, Msg: fmt.Sprintf("the export is of %+q; account %q of the directory is %q: another account's export, nothing imported", exp.Handle, acct.ID, acct.Handle)}
	}
	return nil
}

func exportName(n archive.Network) string {
	switch n {
	case archive.X:
		return "X archive"
	case archive.Facebook:
		return "Facebook export"
	case archive.Instagram:
		return "Instagram export"
	case archive.TikTok:
		return "TikTok export"
	}
	return string(n) + " export"
}

// Run imports the export into arc: change detection against the archive's
// heads as the crawl does, the export kept as evidence, one batch appended.
func (im *Import) Run(ctx context.Context, arc Archive) (*Result, error) {
	if err := im.Check(); err != nil {
		return nil, err
	}
	acct, exp := im.Account, im.Export
	started := time.Now().UTC()
	res := &Result{
		Source: archive.ExportSource{Network: exp.Network, SHA256: im.File.SHA256, Received: im.Received},
		RunID:  newRunID(started), Posts: len(exp.Posts),
	}
	uri := res.Source.URI()
	heads, err := arc.Heads(ctx, []string{acct.ID})
	if err != nil {
		return nil, fmt.Errorf("read archived posts of %q: %w", acct.ID, err)
	}
	known := map[string]archive.Head{}
	for k, h := range heads {
		if k.Network == acct.Network {
			known[k.PostID] = h
		}
	}

	whole, err := im.Evidence.AppendResource(warc.Resource{TargetURI: uri, Date: started,
		ContentType: im.File.ContentType, Block: im.File.Bytes})
	if err != nil {
		return nil, fmt.Errorf("keep the export as evidence: %w", err)
	}
	res.Evidence = ref(whole)
	handed := fmt.Sprintf("the %s handed in on %s (sha256 %s)", exportName(exp.Network), im.Received.Format(time.DateOnly), im.File.SHA256)

	b := &archive.Batch{}
	seen := map[string]bool{}
	// keep writes a version's part of the export, made from the whole.
	keep := func(p *archive.Post) error {
		r, err := im.Evidence.AppendResource(warc.Resource{TargetURI: uri + "#" + p.PostID, Date: started,
			ContentType: "application/json", Block: p.Raw, MadeFrom: whole.RecordID})
		if err != nil {
			return fmt.Errorf("keep post %s of the export as evidence: %w", p.PostID, err)
		}
		p.WARC = ref(r)
		return nil
	}
	complete := func(p *archive.Post) {
		p.AccountID, p.CapturedAt, p.SourceURL = acct.ID, started, uri
		p.RunID, p.CrawlerVersion = res.RunID, im.Version
		p.Edited = p.Edited || !p.EditedAt.IsZero()
		p.ContentSHA256 = p.ContentHash()
	}
	// archiveVersion records a version the archive does not hold.
	archiveVersion := func(p *archive.Post, file string) error {
		head, had := known[p.PostID]
		if err := keep(p); err != nil {
			return err
		}
		p.Version = head.Version + 1
		kind := archive.FirstSeen
		if had {
			kind = archive.Edited
			res.Edited++
		}
		known[p.PostID] = archive.Head{ContentSHA256: p.ContentSHA256, Version: p.Version, PublishedAt: p.PublishedAt, Deleted: head.Deleted}
		b.Events = append(b.Events, archive.Event{Network: p.Network, AccountID: acct.ID, PostID: p.PostID, Kind: kind,
			ObservedAt: started, ContentSHA256: p.ContentSHA256, RunID: res.RunID,
			Evidence: fmt.Sprintf("version %d read from %s of %s", p.Version, file, handed)})
		b.Decisions = append(b.Decisions, im.Judge(acct, p))
		b.Posts = append(b.Posts, *p)
		res.Versions++
		return nil
	}

	for i := range exp.Posts {
		post := &exp.Posts[i]
		for j := range post.Versions {
			complete(&post.Versions[j])
		}
		latest := post.Latest()
		seen[latest.PostID] = true
		res.span(latest.PublishedAt)
		head, had := known[latest.PostID]
		if had && !head.Deleted && head.ContentSHA256 != latest.ContentSHA256 {
			h, err := arc.History(ctx, archive.Key{Network: latest.Network, AccountID: acct.ID, PostID: latest.PostID})
			if err != nil {
				return nil, fmt.Errorf("read the history of post %s: %w", latest.PostID, err)
			}
			if earlier(h, latest) {
				res.Older = append(res.Older, Gone{PostID: latest.PostID, PublishedAt: latest.PublishedAt})
				continue
			}
		}
		if had && head.Deleted && !exp.Generated.IsZero() {
			h, err := arc.History(ctx, archive.Key{Network: latest.Network, AccountID: acct.ID, PostID: latest.PostID})
			if err != nil {
				return nil, fmt.Errorf("read the history of post %s: %w", latest.PostID, err)
			}
			if generatedBeforeDeletion(h, exp.Generated) {
				res.Older = append(res.Older, Gone{PostID: latest.PostID, PublishedAt: latest.PublishedAt})
				continue
			}
		}
		if had && head.Deleted {
			res.Restored++
			b.Events = append(b.Events, archive.Event{Network: latest.Network, AccountID: acct.ID, PostID: latest.PostID,
				Kind: archive.Restored, ObservedAt: started, ContentSHA256: latest.ContentSHA256, RunID: res.RunID,
				Evidence: fmt.Sprintf("listed again in %s of %s", post.File, handed)})
			head.Deleted = false
			known[latest.PostID] = head
		}
		b.Captures = append(b.Captures, archive.Capture{Network: latest.Network, AccountID: acct.ID, PostID: latest.PostID,
			CapturedAt: started, ContentSHA256: latest.ContentSHA256, SourceURL: uri, RunID: res.RunID})
		if had && head.ContentSHA256 == latest.ContentSHA256 {
			res.Unchanged++
			continue
		}
		// The versions after the one the archive holds (an X archive keeps
		// each edit); all of them when it holds none of them.
		if had {
			res.Changed++
		} else {
			res.New++
		}
		from := 0
		for j := range post.Versions {
			if post.Versions[j].ContentSHA256 == head.ContentSHA256 {
				from = j + 1
			}
		}
		for j := from; j < len(post.Versions); j++ {
			if err := archiveVersion(&post.Versions[j], post.File); err != nil {
				return nil, err
			}
		}
	}

	// Posts the export lists as deleted.
	for i := range exp.Deleted {
		d := &exp.Deleted[i]
		p := &d.Post
		complete(p)
		if seen[p.PostID] {
			continue // listed as published too: it stands
		}
		seen[p.PostID] = true
		head, had := known[p.PostID]
		if had && head.Deleted {
			continue
		}
		if !had {
			if err := archiveVersion(p, d.File); err != nil {
				return nil, err
			}
			head = known[p.PostID]
		}
		when := "at a time it does not give"
		if !d.DeletedAt.IsZero() {
			when = "at " + d.DeletedAt.Format(time.RFC3339)
		}
		ev := fmt.Sprintf("listed as deleted %s in %s of %s", when, d.File, handed)
		b.Events = append(b.Events, archive.Event{Network: p.Network, AccountID: acct.ID, PostID: p.PostID,
			Kind: archive.DeletedAtSource, ObservedAt: started, ContentSHA256: head.ContentSHA256, RunID: res.RunID, Evidence: ev})
		res.Deleted = append(res.Deleted, Gone{PostID: p.PostID, PublishedAt: p.PublishedAt, Evidence: ev})
		head.Deleted = true
		known[p.PostID] = head
	}

	im.missing(b, res, known, seen, handed, started)

	if err := im.Evidence.Sync(); err != nil {
		return nil, fmt.Errorf("keep the export as evidence: %w", err)
	}
	finished := time.Now().UTC()
	stored, err := arc.Accounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("read archived accounts: %w", err)
	}
	snap := im.Directory.Snapshot(acct, started)
	if !slices.ContainsFunc(stored, func(a archive.Account) bool { return a.ID == snap.ID && a.FactsSHA256 == snap.FactsSHA256 }) {
		b.Accounts = append(b.Accounts, snap)
	}
	newest := res.Span[1]
	b.Crawls = []archive.AccountCrawl{{RunID: res.RunID, AccountID: acct.ID, Network: acct.Network, StartedAt: started, FinishedAt: finished,
		Status: archive.CrawlOK, Pages: 1, PostsSeen: len(exp.Posts), VersionsNew: res.Versions, Deleted: len(res.Deleted),
		NewestPostAt: newest, Sweep: true, SweepComplete: exp.Whole, SweepChecked: len(heads)}}
	b.Runs = []archive.Run{{ID: res.RunID, StartedAt: started, FinishedAt: finished, CrawlerVersion: im.Version,
		Directory: im.Directory.File, Accounts: 1, PostsSeen: len(exp.Posts), VersionsNew: res.Versions}}
	if err := arc.Append(ctx, b); err != nil {
		return nil, fmt.Errorf("archive the export's records: %w", err)
	}
	return res, nil
}

// earlier reports whether latest, a post as an export shows it, is the
// post as the archive held it before its latest version: its content is
// an earlier version's, and the export gives it no edit (nor publication)
// later than the latest version's. An export handed in after a newer one
// shows that; taking it as an edit would write into the record an edit
// back that the post never had. An edit back the export dates after the
// latest version (X keeps each edit, Facebook the last edit's time) is an
// edit.
func earlier(h *archive.PostHistory, latest *archive.Post) bool {
	n := len(h.Versions)
	if n < 2 {
		return false
	}
	if !slices.ContainsFunc(h.Versions[:n-1], func(v archive.Post) bool { return v.ContentSHA256 == latest.ContentSHA256 }) {
		return false
	}
	at := func(p *archive.Post) time.Time {
		if !p.EditedAt.IsZero() {
			return p.EditedAt
		}
		return p.PublishedAt
	}
	return !at(latest).After(at(&h.Versions[n-1]))
}

// generatedBeforeDeletion reports whether an export made at generated
// predates the post's last deletion as the archive observed it: the post
// it lists was not restored, the export is older than the deletion.
func generatedBeforeDeletion(h *archive.PostHistory, generated time.Time) bool {
	for i := len(h.Events) - 1; i >= 0; i-- {
		switch h.Events[i].Kind {
		case archive.DeletedAtSource:
			return generated.Before(h.Events[i].ObservedAt)
		case archive.Restored:
			return false
		}
	}
	return false
}

// missingShare is the largest share of the archived posts inside an
// export's span that may be missing from it for them to be taken as
// deleted: past it, the export is taken as partial.
const missingShare = 0.5

// missing reports the archived posts the export lacks, inside the span of
// time it covers (an export covers the dates its holder chose: a post
// older than its oldest one says nothing). They are deleted at the source
// only when the export says it is whole and holds most of what the archive
// has in its span, as the crawl believes a deletion only from a network
// that still shows what it should; otherwise each is reported.
func (im *Import) missing(b *archive.Batch, res *Result, known map[string]archive.Head, seen map[string]bool, handed string, now time.Time) {
	from, to := res.Span[0], res.Span[1]
	if from.IsZero() {
		return
	}
	var inSpan, lacking []string
	for id, h := range known {
		if h.Deleted || h.PublishedAt.IsZero() || h.PublishedAt.Before(from) || h.PublishedAt.After(to) {
			continue
		}
		inSpan = append(inSpan, id)
		if !seen[id] {
			lacking = append(lacking, id)
		}
	}
	if len(lacking) == 0 {
		return
	}
	slices.Sort(lacking)
	span := fmt.Sprintf("%s to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	exp := im.Export
	switch {
	case !exp.Whole:
		res.MissingWhy = exp.WholeWhy
	case float64(len(lacking)) > missingShare*float64(len(inSpan)):
		res.MissingWhy = fmt.Sprintf("%d of the %d archived posts it covers are missing: an export that lacks so much is taken as partial", len(lacking), len(inSpan))
	}
	for _, id := range lacking {
		h := known[id]
		g := Gone{PostID: id, PublishedAt: h.PublishedAt}
		kind := archive.DeletedAtSource
		if res.MissingWhy == "" {
			g.Evidence = fmt.Sprintf("missing from %s, which covers %s and is whole (%s)", handed, span, exp.WholeWhy)
			res.Deleted = append(res.Deleted, g)
			h.Deleted = true
			known[id] = h
		} else {
			kind = archive.MissingFromExport
			g.Evidence = fmt.Sprintf("missing from %s, which covers %s; not taken as deleted: %s", handed, span, res.MissingWhy)
			res.Missing = append(res.Missing, g)
		}
		b.Events = append(b.Events, archive.Event{Network: exp.Network, AccountID: im.Account.ID, PostID: id, Kind: kind,
			ObservedAt: now, ContentSHA256: h.ContentSHA256, RunID: res.RunID, Evidence: g.Evidence})
	}
}

func (r *Result) span(t time.Time) {
	if t.IsZero() {
		return
	}
	if r.Span[0].IsZero() || t.Before(r.Span[0]) {
		r.Span[0] = t
	}
	if t.After(r.Span[1]) {
		r.Span[1] = t
	}
}

func ref(r warc.Ref) archive.WARCRef {
	return archive.WARCRef{File: r.File, RecordID: r.RecordID, Offset: r.Offset, Digest: r.BlockDigest}
}

// newRunID names an import's run: "import-", its start, and random hex.
func newRunID(t time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "import-" + t.Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}
