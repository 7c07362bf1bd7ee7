package archive

import "strings"

// Ref is what a person calls a post (vigia show POST, Store.Lookup): its
// URL, ACCOUNT/ID, or its ID alone, which may match posts of several
// accounts or networks.
type Ref struct {
	URL       string // the post's canonical URL, when the reference has "://"
	AccountID string // with InAccount: the account of ACCOUNT/ID
	PostID    string
	InAccount bool // the reference was ACCOUNT/ID
}

// ParseRef reads a reference: a URL (it has "://"), ACCOUNT/ID (split at
// the first "/"), or an ID.
func ParseRef(s string) Ref {
	if strings.Contains(s, "://") {
		return Ref{URL: s}
	}
	if acct, id, ok := strings.Cut(s, "/"); ok {
		return Ref{AccountID: acct, PostID: id, InAccount: true}
	}
	return Ref{PostID: s}
}

// Where is the reference as the SQL condition on post_versions that finds
// it, with ? placeholders, and the values of those: one engine-neutral
// condition both engines run.
func (r Ref) Where() (string, []any) {
	switch {
	case r.URL != "":
		return "url = ?", []any{r.URL}
	case r.InAccount:
		return "account_id = ? AND post_id = ?", []any{r.AccountID, r.PostID}
	default:
		return "post_id = ?", []any{r.PostID}
	}
}
