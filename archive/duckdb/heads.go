package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/vigia-mx/vigia/archive"
)

// post_heads (migrations/0006_version_decisions.sql) holds one row per
// post: its latest version, the decisions standing for that version (a
// decision stands only for the content it was made on), whether a person
// decided any version, and whether it is gone at its source — what a search
// filters, sorts and counts on. Each append updates the rows of the posts
// its batch touches from their old rows and the batch, without reading the
// records again, except in one case: when a post's latest hash changes, the
// decisions made on the new hash may have been stored before (a reverted
// edit, or a decision appended before its version), so those posts'
// decisions are read back.

// postHead is one row of post_heads.
type postHead struct {
	key       archive.Key
	stored    bool   // the row is in post_heads already
	storedSHA string // its latest hash there
	reread    bool   // its decisions on a new latest hash are read back
	version   int    // 0: no version stored yet
	versions  int
	published time.Time
	edited    bool
	sha       string
	captured  time.Time
	person    headDecision // the latest a person made on sha
	onLatest  headDecision // the latest other decision on sha
	reviewed  bool         // a person decided some version
	goneKind  string
	goneAt    time.Time
	deletedAt time.Time
}

// headDecision is the part of a decision post_heads keeps (the rationale is
// read from decisions for the posts a search returns).
type headDecision struct {
	label      string
	confidence float64
	basis, by  string
	at         time.Time
}

func (d *headDecision) set() bool { return d.by != "" }

// take keeps d if it is as late as the decision held, or none is held.
func (h *headDecision) take(d *archive.Decision) {
	if h.set() && d.DecidedAt.Before(h.at) {
		return
	}
	*h = headDecision{string(d.Label), d.Confidence, d.Basis, d.DecidedBy, d.DecidedAt.UTC()}
}

// headsTemp is the connection's scratch table of post keys, joined to
// post_heads and decisions by updateHeads.
const headsTemp = "head_keys"

// updateHeads brings the post_heads rows of the posts b touches up to date,
// on conn, inside the transaction that appended b.
func updateHeads(ctx context.Context, conn *sql.Conn, b *archive.Batch) error {
	heads := map[archive.Key]*postHead{}
	var order []archive.Key
	touch := func(k archive.Key) *postHead {
		h, ok := heads[k]
		if !ok {
			h = &postHead{key: k}
			heads[k] = h
			order = append(order, k)
		}
		return h
	}
	for i := range b.Posts {
		touch(b.Posts[i].Key())
	}
	for i := range b.Decisions {
		d := &b.Decisions[i]
		touch(archive.Key{Network: d.Network, AccountID: d.AccountID, PostID: d.PostID})
	}
	for i := range b.Events {
		if e := &b.Events[i]; goneEvent(e.Kind) {
			touch(archive.Key{Network: e.Network, AccountID: e.AccountID, PostID: e.PostID})
		}
	}
	if len(order) == 0 {
		return nil
	}
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+headsTemp+` (
			network VARCHAR, account_id VARCHAR, post_id VARCHAR)`); err != nil {
		return err
	}
	if err := fillKeys(ctx, conn, order); err != nil {
		return err
	}
	stored, err := loadHeads(ctx, conn, heads)
	if err != nil {
		return err
	}
	if stored > 0 { // the rows loaded are written anew below
		if _, err := conn.ExecContext(ctx, `DELETE FROM post_heads USING `+headsTemp+` t
			WHERE post_heads.network = t.network AND post_heads.account_id = t.account_id AND post_heads.post_id = t.post_id`); err != nil {
			return fmt.Errorf("replace post heads: %w", err)
		}
	}
	for i := range b.Posts {
		p := &b.Posts[i]
		h := heads[p.Key()]
		h.versions++
		if p.Version > h.version {
			h.version, h.sha, h.published, h.edited, h.captured = p.Version, p.ContentSHA256, p.PublishedAt.UTC(), p.Edited, p.CapturedAt.UTC()
		}
	}
	for i := range b.Events {
		e := &b.Events[i]
		if !goneEvent(e.Kind) {
			continue
		}
		h := heads[archive.Key{Network: e.Network, AccountID: e.AccountID, PostID: e.PostID}]
		at := e.ObservedAt.UTC()
		if h.goneKind == "" || !at.Before(h.goneAt) {
			h.goneKind, h.goneAt = string(e.Kind), at
		}
		if e.Kind == archive.DeletedAtSource && at.After(h.deletedAt) {
			h.deletedAt = at
		}
	}
	// The decisions on a new latest hash: of a post stored before, read
	// back from decisions (which hold b's by now); of a new post, b's.
	var reread []archive.Key
	for _, k := range order {
		if h := heads[k]; h.sha != h.storedSHA {
			h.person, h.onLatest, h.reread = headDecision{}, headDecision{}, h.stored
			if h.reread {
				reread = append(reread, k)
			}
		}
	}
	for i := range b.Decisions {
		d := &b.Decisions[i]
		k := archive.Key{Network: d.Network, AccountID: d.AccountID, PostID: d.PostID}
		h := heads[k]
		person := archive.IsPerson(d.DecidedBy)
		h.reviewed = h.reviewed || person
		if d.ContentSHA256 == h.sha && h.version > 0 && !h.reread {
			h.decision(person).take(d)
		}
	}
	if len(reread) > 0 {
		if err := rereadDecisions(ctx, conn, reread, heads); err != nil {
			return err
		}
	}
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "post_heads")
		if err != nil {
			return err
		}
		for _, k := range order {
			if err := a.AppendRow(heads[k].row()...); err != nil {
				_ = a.Close()
				return fmt.Errorf("post head %s/%s/%s: %w", k.Network, k.AccountID, k.PostID, err)
			}
		}
		return a.Close()
	})
}

func goneEvent(k archive.EventKind) bool {
	return k == archive.DeletedAtSource || k == archive.Restored
}

// fillKeys replaces the keys of the scratch table with keys.
func fillKeys(ctx context.Context, conn *sql.Conn, keys []archive.Key) error {
	if _, err := conn.ExecContext(ctx, "DELETE FROM "+headsTemp); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", headsTemp)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := a.AppendRow(string(k.Network), k.AccountID, k.PostID); err != nil {
				_ = a.Close()
				return err
			}
		}
		return a.Close()
	})
}

// loadHeads reads the stored rows of the posts in the scratch table, and
// says how many there were.
func loadHeads(ctx context.Context, conn *sql.Conn, heads map[archive.Key]*postHead) (int, error) {
	rows, err := conn.QueryContext(ctx, `SELECT h.* FROM post_heads h SEMI JOIN `+headsTemp+` t
		ON h.network = t.network AND h.account_id = t.account_id AND h.post_id = t.post_id`)
	if err != nil {
		return 0, fmt.Errorf("read post heads: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var k archive.Key
		var published, captured, goneAt, deletedAt sql.NullTime
		var goneKind sql.NullString
		var person, onLatest nullDecision
		var h postHead
		if err := rows.Scan(&k.Network, &k.AccountID, &k.PostID, &h.version, &h.versions, &published, &h.edited, &h.sha, &captured,
			&person.label, &person.confidence, &person.basis, &person.by, &person.at,
			&onLatest.label, &onLatest.confidence, &onLatest.basis, &onLatest.by, &onLatest.at,
			&goneKind, &goneAt, &deletedAt, &h.reviewed); err != nil {
			return 0, fmt.Errorf("read post heads: %w", err)
		}
		h.key, h.stored, h.storedSHA = k, true, h.sha
		h.published, h.captured, h.goneKind, h.goneAt, h.deletedAt = published.Time, captured.Time, goneKind.String, goneAt.Time, deletedAt.Time
		h.person, h.onLatest = person.value(), onLatest.value()
		*heads[k] = h
		n++
	}
	return n, rows.Err()
}

// decision is where a decision on the latest version is kept: a person's,
// or a rule's or model's.
func (h *postHead) decision(person bool) *headDecision {
	if person {
		return &h.person
	}
	return &h.onLatest
}

// rereadDecisions sets the decisions on the latest hash of the posts keys
// from every decision stored on it.
func rereadDecisions(ctx context.Context, conn *sql.Conn, keys []archive.Key, heads map[archive.Key]*postHead) error {
	if err := fillKeys(ctx, conn, keys); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, `SELECT d.network, d.account_id, d.post_id, d.content_sha256, d.label,
			d.confidence, d.basis, d.decided_by, d.decided_at
		FROM decisions d SEMI JOIN `+headsTemp+` t
			ON d.network = t.network AND d.account_id = t.account_id AND d.post_id = t.post_id`)
	if err != nil {
		return fmt.Errorf("read decisions of edited posts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d archive.Decision
		if err := rows.Scan(&d.Network, &d.AccountID, &d.PostID, &d.ContentSHA256, &d.Label, &d.Confidence,
			&d.Basis, &d.DecidedBy, &d.DecidedAt); err != nil {
			return fmt.Errorf("read decisions of edited posts: %w", err)
		}
		if h := heads[archive.Key{Network: d.Network, AccountID: d.AccountID, PostID: d.PostID}]; d.ContentSHA256 == h.sha {
			h.decision(archive.IsPerson(d.DecidedBy)).take(&d)
		}
	}
	return rows.Err()
}

// nullDecision scans the decision columns of post_heads.
type nullDecision struct {
	label, basis, by sql.NullString
	confidence       sql.NullFloat64
	at               sql.NullTime
}

func (n *nullDecision) value() headDecision {
	return headDecision{n.label.String, n.confidence.Float64, n.basis.String, n.by.String, n.at.Time}
}

// row is h in the column order of post_heads.
func (h *postHead) row() []driver.Value {
	dec := func(d headDecision) []driver.Value {
		if !d.set() {
			return []driver.Value{nil, nil, nil, nil, nil}
		}
		return []driver.Value{d.label, d.confidence, d.basis, d.by, d.at}
	}
	row := []driver.Value{string(h.key.Network), h.key.AccountID, h.key.PostID, int32(h.version), int32(h.versions),
		nullTime(h.published), h.edited, h.sha, nullTime(h.captured)}
	row = append(row, dec(h.person)...)
	row = append(row, dec(h.onLatest)...)
	return append(row, null(h.goneKind), nullTime(h.goneAt), nullTime(h.deletedAt), h.reviewed)
}
