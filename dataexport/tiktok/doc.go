// Package tiktok reads the data TikTok gives an account's holder in JSON
// ("Download your data", format JSON): user_data.json (user_data_tiktok.json
// since 2024), whose Video.Videos.VideoList (Post.Posts.VideoList in newer
// exports) lists the account's videos with their Date, Link, Likes and,
// in newer exports, Title, Sound and Location; Profile's ProfileMap names
// the account. A video is named by the id in its link, or by its second of
// publication. Dates are read as UTC. The layouts and their sources are in
// ../testdata/README.md.
package tiktok
