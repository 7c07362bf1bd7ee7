// Package facebook reads Facebook's "Download your information" export in
// JSON: the posts file in each of the layouts Facebook has used
// (posts/your_posts_1.json until 2022,
// your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_1.json
// in 2023, your_facebook_activity/posts/… since 2024), with attachments
// (media, links, places) and edit times, and the profile that names the
// account. Facebook writes text as UTF-8 bytes escaped one by one
// (dataexport.FixMeta undoes it). Its posts carry no id: a post is named by
// its second of publication. The layouts and their sources are in
// ../testdata/README.md.
package facebook
