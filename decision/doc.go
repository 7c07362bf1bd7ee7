// Package decision is the one path from an account's facts and a post to
// the decision record the archive keeps: the crawl's judging of each new
// version, the reclassification of the archive ("vigia classify
// --reclassify") and a person's decision ("vigia review decide", the web
// application's review) all go through it, so that the same post under the
// same policy is decided the same way whichever of them decides it.
//
// Account facts come from the directory (FromDirectory) or from the
// archive's snapshot of the account (FromArchive); both give an Account,
// whose office dates are calendar days. A Judge (ForDirectory for a crawl,
// ForArchive for a reclassification) reads them in one time zone, counts
// the mentions of official accounts in the text the same way for every
// caller (Mentions), and asks the classifier, under the policy in use, for
// its verdict. The servant's leaves and candidacies (archive.Electoral,
// each candidacy with its campaign as the campaign calendar, package
// electoral, gave it to the directory) are facts of the account too: the
// archive's snapshot keeps them, so a reclassification reads them as the
// crawl did. The time zone is the directory's Location; snapshots keep the
// days but not the zone, so a reclassification reads them in the zone its
// caller names (vigia classify --timezone, by default
// directory.DefaultTimezone, the directory's default). Person gives a
// person's decision the basis of the policy in use for the account's type.
//
// The package imports classifier, archive and directory; the crawler does
// not import it (it takes a crawler.Judge, a function, which Judge.Crawled
// is).
package decision
