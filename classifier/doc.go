// Package classifier decides, post by post, whether a post is public
// information: related to the servant's functions ("function") or personal
// content ("personal", policy Sexta), or not yet decidable ("undetermined").
//
// The classifier is pure: account facts and post text in, a Decision out. It
// imports neither the crawler nor the archive. The legal basis is data
// (policy.yaml, embedded; another file with LoadPolicy), so that an office
// can update clause texts and rationales without a new build.
//
// Today it applies the account rules: official accounts (Tercera), personal
// accounts administered by an area inside the servant's term (Décima
// novena), posts outside the term (personal, Sexta); other posts of personal
// accounts are undetermined until the content model exists.
package classifier
