// Package telegram lists the posts of public Telegram channels from their web
// preview, https://t.me/s/CHANNEL, an HTML page that needs no login.
//
// A preview page holds about twenty messages, oldest first; the adapter
// yields them newest first and follows the page's "load older" link
// (a.tme_messages_more[data-before], or else <link rel="prev">) to
// /s/CHANNEL?before=ID until the channel's first page. A channel without a
// public preview (a user, a bot, a group, an unknown name) redirects to
// /CHANNEL; the adapter reports it as ErrNoPreview. A page with neither
// messages nor the channel header is reported as ErrNotChannelPage, which
// covers block pages of content filters and captive portals.
//
// Each div.tgme_widget_message[data-post="CHANNEL/ID"] becomes a Post:
//
//   - PostID is ID; URL is a.tgme_widget_message_date[href].
//   - Author is the signature (.tgme_widget_message_from_author) when the
//     channel signs its posts, else the channel name of data-post.
//   - PublishedAt is the <time datetime> of the date link: the original time,
//     even when the message was edited.
//   - Edited is set when .tgme_widget_message_meta starts with "edited".
//   - Text is the plain text of the message's own
//     .tgme_widget_message_text.js-message_text (<br> as a line break, emoji
//     kept as characters), never the quoted text of a reply block. A poll
//     adds its question and then each option on a line ("- option"); the
//     percentages and voter counts, which change as people vote, stay in Raw.
//   - A forwarded message is what the channel published: its Text, links
//     and media are the forwarded message's, kept as the post's own, and
//     Shared (Kind archive.Forward) names the origin: AuthorName is the
//     forwarded_from name, URL its link (t.me/CHANNEL/ID) and Author the
//     channel's handle when the origin is public; a hidden user has a name
//     only. RepostOf is that link, or "telegram:forwarded:NAME".
//   - ReplyTo is the href of the reply block (a.tgme_widget_message_reply).
//   - Media are photos (a.tgme_widget_message_photo_wrap, kind "image"),
//     videos (.tgme_widget_message_video_player, kind "video", with the
//     poster as PreviewURL) and documents (kind "document", the file name as
//     Alt), albums included, and link previews (kind "link": URL the linked
//     page, Alt its title or else its site's name, PreviewURL its picture;
//     the description stays in Raw). Voice notes, round videos and stickers
//     stay in Raw only.
//   - Metrics holds "views".
//   - Raw is the message's .tgme_widget_message_wrap element, re-serialized
//     by the HTML parser (the exchange itself is the byte-exact evidence);
//     RawType is "text/html".
//
// Service messages ("Channel created", "pinned «…»") are not posts of the
// account and are skipped; their numbers leave gaps, as deleted messages do.
//
// Archives made before forwards kept their text (and polls and link
// previews were read) hold those posts in the earlier form. Earlier gives
// that form of a post, and the crawl loop records the next version of such
// a post as reparsed, not edited (crawler.Reparser): the channel changed
// nothing.
//
// Limits of the source: Telegram marks an edit but gives no edit time, so
// EditedAt stays zero and an edit is detected by a change of content. View
// counts are rounded by Telegram ("33.4K" is stored as 33400). Media URLs are
// signed and expire, and change on every fetch, so each Media carries a
// stable ID, "{post URL}#{kind}{index}", which the content hash uses instead
// of the URL.
package telegram
