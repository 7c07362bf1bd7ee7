// Package instagram reads Instagram's "Download your information" export in
// JSON: posts (content/posts_1.json in 2022 and 2023,
// your_instagram_activity/content/posts_1.json since 2024), reels
// (content/reels.json, ig_reels_media), captions and media, and the
// personal information that names the account (profile_user,
// string_map_data.Username). Meta's escaping of text is undone
// (dataexport.FixMeta). Its posts carry no id: a post is named by its
// second of publication, a reel likewise with an "r" before it. The
// layouts and their sources are in ../testdata/README.md.
package instagram
