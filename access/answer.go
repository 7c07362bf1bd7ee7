package access

import (
	"context"
	"strings"

	"github.com/vigia-mx/vigia/access/redact"
	"github.com/vigia-mx/vigia/archive"
)

// Answer searches the archive for every post matching q, whatever its
// label (Build delivers only the public information and counts the rest),
// and builds the package of req in dir. req.Searched, when empty, is q in
// words.
func Answer(ctx context.Context, r archive.Reader, q archive.Query, req Request, dir string, opt Options) (*Package, error) {
	q.Label, q.Labels, q.Limit, q.Offset, q.NeedsReview = "", nil, 0, 0, 0
	res, err := r.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	accts, err := r.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	opt.Accounts = make(map[string]archive.Account, len(accts))
	for _, a := range accts {
		opt.Accounts[a.ID] = a
	}
	if req.Searched == "" {
		req.Searched = describe(q, opt.Accounts)
	}
	opt.text = q.Text
	opt.shared = NewSharedCheck(ctx, r, opt.Visibility)
	if opt.histories, err = readHistories(ctx, r, res.Hits, opt.Visibility); err != nil {
		return nil, err
	}
	if opt.WARCDir != "" {
		if opt.beside, err = besideOf(ctx, r, res.Hits, opt.Visibility, opt.Redact); err != nil {
			return nil, err
		}
	}
	return Build(ctx, req, res.Hits, dir, opt)
}

// RedactWith masks with rd what Build's Options.Redact asks for.
func RedactWith(rd *redact.Redactor) func(h *archive.Hit) (string, []Redaction) {
	return func(h *archive.Hit) (string, []Redaction) {
		text, marks := rd.Redact(h.Text)
		out := make([]Redaction, len(marks))
		for i, m := range marks {
			out[i] = Redaction{Network: string(h.Network), AccountID: h.AccountID, PostID: h.PostID,
				Kind: m.Kind, Start: m.Start, End: m.End, Basis: m.Basis}
		}
		return text, out
	}
}

// Describe says in Spanish what q searches, for the report.
func Describe(q archive.Query) string { return describe(q, nil) }

// describe is Describe, naming the account searched by whose it is when
// accts (by id) has it.
func describe(q archive.Query, accts map[string]archive.Account) string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+": "+v)
		}
	}
	if a, ok := accts[q.Account]; ok {
		add("cuenta", Owner(&a, q.Account, a.Network))
	} else {
		add("cuenta", q.Account)
	}
	add("red", string(q.Network))
	add("servidor público", q.Servant)
	add("área", q.Area)
	add("fundamento", q.Basis)
	if !q.From.IsZero() {
		add("publicadas desde", q.From.Format("2006-01-02"))
	}
	if !q.To.IsZero() {
		add("publicadas antes de", q.To.Format("2006-01-02"))
	}
	add("texto", q.Text)
	if q.Edited {
		parts = append(parts, "solo editadas")
	}
	if q.Deleted {
		parts = append(parts, "solo eliminadas en su origen")
	}
	if len(parts) == 0 {
		return "todas las publicaciones del archivo"
	}
	return strings.Join(parts, "; ")
}
