package access

import (
	"context"
	"fmt"
	"slices"

	"github.com/vigia-mx/vigia/archive"
)

// A captured exchange holds more than the post a package delivers: a
// listing page holds the account's other posts of the day, older versions,
// posts the request's filters left out. Build withholds evidence that holds
// the text of a post it does not deliver, but it only knows the posts it is
// given; beside is what Answer learns from the archive about the rest of
// the delivered posts' accounts, so that no filter lets a personal post,
// or data the versión pública masks, out through the evidence.

// beside is what the archive holds beside the posts a package delivers.
type beside struct {
	// secrets are texts no file of the package may hold: every version of
	// the accounts' posts that is not public information, and what the
	// versión pública masks in those that are.
	secrets []secret
	// unsafe names, by WARC-Record-ID, the records that are the evidence of
	// a version that is not public information, and why, in Spanish.
	unsafe map[string]string
}

// besideOf reads, for every account of a delivered post (Hit.Public, or
// edited: some version may be public), all
// its posts and, of those edited, every version, and
// gathers what evidence must not hold.
func besideOf(ctx context.Context, r archive.Reader, hits []archive.Hit, vis archive.Visibility, redact func(*archive.Hit) (string, []Redaction)) (*beside, error) {
	var accounts []string
	for i := range hits {
		// (an edited post delivers its public versions even when its
		// latest is withheld)
		if h := &hits[i]; (h.Public(vis) || h.Versions > 1) && !slices.Contains(accounts, h.AccountID) {
			accounts = append(accounts, h.AccountID)
		}
	}
	out := &beside{unsafe: map[string]string{}}
	for _, a := range accounts {
		res, err := r.Search(ctx, archive.Query{Account: a})
		if err != nil {
			return nil, fmt.Errorf("read the posts of account %q: %w", a, err)
		}
		for i := range res.Hits {
			h := &res.Hits[i]
			if h.Versions <= 1 {
				out.add(h, h.Public(vis), redact)
				continue
			}
			hist, err := r.History(ctx, h.Key())
			if err != nil {
				return nil, fmt.Errorf("read the versions of %s: %w", postName(h), err)
			}
			for _, v := range hist.Versions {
				out.add(&archive.Hit{Post: v}, hist.PublicOf(v.ContentSHA256, vis), redact)
			}
		}
	}
	return out, nil
}

// add gathers what evidence must not hold of one version.
func (b *beside) add(h *archive.Hit, public bool, redact func(*archive.Hit) (string, []Redaction)) {
	if !public {
		for _, n := range needles(h.Text) {
			b.secrets = append(b.secrets, secret{n, secretLeftOut})
		}
		if id := h.WARC.RecordID; id != "" {
			// (which one is not said: the answer does not point the
			// requester to what it leaves out)
			b.unsafe[id] = "contiene otra publicación que no es información pública"
		}
		return
	}
	if redact == nil {
		return
	}
	_, marks := redact(h)
	for _, m := range marks {
		if s := collapse(h.Text[m.Start:m.End]); s != "" {
			b.secrets = append(b.secrets, secret{s, secretMasked})
		}
	}
}

// unsafeRecord says why one of recs must be withheld as the evidence of a
// version that is not public information, or "" when none is.
func (b *beside) unsafeRecord(recs []*record) string {
	if b == nil {
		return ""
	}
	for _, r := range recs {
		if why, ok := b.unsafe[r.id]; ok {
			return why
		}
	}
	return ""
}
