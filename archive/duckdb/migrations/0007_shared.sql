-- Someone else's post a version carries (a repost, a quote, a Telegram
-- forward's origin): archive.Shared as a JSON object, NULL when there is
-- none. Versions stored before have none; no record is rewritten.

ALTER TABLE post_versions ADD COLUMN shared VARCHAR;
