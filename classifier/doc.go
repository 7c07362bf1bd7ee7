// Package classifier decides, post by post, whether a post is public
// information: related to the servant's functions ("function") or personal
// content ("personal", policy Sexta), or not yet decidable ("undetermined").
//
// The classifier is pure: account facts and post text in, a Decision out. It
// imports neither the crawler nor the archive. The legal basis is data
// (policy.yaml, embedded; another file with LoadPolicy), so that an office
// can update clause texts and rationales without a new build.
//
// The account rules decide first: official accounts (Tercera), personal
// accounts administered by an area inside the servant's term (Décima
// novena), posts outside the term (personal, Sexta). The other posts of
// personal accounts are judged by their text with the content Model
// (features.go, model.go, content.go): a logistic regression over hashed
// features — stemmed Spanish words (Snowball), character n-grams,
// hashtags, mentions, link domains, emoji, and the hits of each list of a
// lexicon of public life written for the project (lexicon.go,
// lexicon/*.txt) — whose weights are the evidence a rationale names. Train fits one on labelled posts (labels.go reads them),
// Evaluate measures it, CrossValidate estimates it on authors it never read.
// The model shipped in the binary is trained on the project's own corpus,
// classifier/testdata/corpus, and real governors' posts,
// classifier/testdata/real; see docs/classifier.md.
package classifier

//go:generate go run ../cmd/vigia classifier train --labels testdata/corpus --labels testdata/real --out model/vigia-es.model
