// Package x reads the archive X gives an account's holder ("Download an
// archive of your data"): data/manifest.js (the account, the date, whether
// the archive is partial, each part's count), data/account.js,
// data/tweets.js and its parts (data/tweet.js in archives before 2022),
// data/note-tweet.js (the whole text of long posts), data/deleted-tweets.js,
// and each post's edit_info (the versions of an edited post are kept as
// posts of their own, named by editTweetIds). The layouts and the public
// parsers they were read from are in ../testdata/README.md.
package x
