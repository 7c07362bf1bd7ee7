package crawler

import "github.com/vigia-mx/vigia/archive"

// Reparser is implemented by adapters that now read more of a post than an
// earlier vigia did from the same capture: the text of a Telegram forward or
// poll, a link card. An archive made before the change holds such posts in
// the earlier form; the next crawl finds a new content hash although the
// author changed nothing. Recording that as an edit would be false evidence
// against the account, so the loop asks the adapter for the earlier form of
// what it listed: when the stored version is exactly that form (the same
// content hash), the new version is recorded as archive.Reparsed, not
// archive.Edited. Any change the earlier vigia would also have seen still
// makes the hashes differ, and is an edit.
type Reparser interface {
	// Earlier returns p as the earlier vigia read the same capture, and
	// false when that reading is p itself.
	Earlier(p *archive.Post) (archive.Post, bool)
}

// reparsed reports whether post, whose hash differs from the stored head's,
// is the stored version read more fully rather than a change at the source.
func (a *accountCrawl) reparsed(post *archive.Post, head archive.Head) bool {
	r, ok := a.c.adapters[a.acct.Network].(Reparser)
	if !ok {
		return false
	}
	earlier, changed := r.Earlier(post)
	return changed && earlier.ContentHash() == head.ContentSHA256
}
