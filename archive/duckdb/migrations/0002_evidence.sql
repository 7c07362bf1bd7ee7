-- Evidence over time: WARC references, each account's crawl outcomes
-- (the health table) and fixity checks.

ALTER TABLE post_versions ADD COLUMN warc_offset BIGINT;
ALTER TABLE post_versions ADD COLUMN warc_digest VARCHAR;

ALTER TABLE fetches ADD COLUMN warc_file VARCHAR;
ALTER TABLE fetches ADD COLUMN warc_record_id VARCHAR;
ALTER TABLE fetches ADD COLUMN warc_offset BIGINT;
ALTER TABLE fetches ADD COLUMN warc_digest VARCHAR;

CREATE TABLE account_crawls (
    run_id         VARCHAR   NOT NULL,
    account_id     VARCHAR   NOT NULL,
    network        VARCHAR   NOT NULL,
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP NOT NULL,
    status         VARCHAR   NOT NULL, -- ok | partial | unreachable
    error          VARCHAR,
    pages          INTEGER   NOT NULL,
    posts_seen     INTEGER   NOT NULL,
    versions_new   INTEGER   NOT NULL,
    deleted        INTEGER   NOT NULL,
    newest_post_at TIMESTAMP
);

CREATE TABLE fixity_checks (
    checked_at TIMESTAMP NOT NULL,
    warc_dir   VARCHAR   NOT NULL,
    files      INTEGER   NOT NULL,
    records    BIGINT    NOT NULL,
    refs       BIGINT    NOT NULL,
    problems   BIGINT    NOT NULL,
    report     VARCHAR
);

-- current_posts: the latest version of every post, with the decision that
-- stands for it (a person's over any rule's or model's; otherwise the latest
-- on that version) and whether the post is gone at its source. Search and
-- summaries read it; archivists may query it directly.
CREATE OR REPLACE VIEW current_posts AS
WITH latest AS (
    SELECT *, count(*) OVER (PARTITION BY network, account_id, post_id) AS versions
    FROM post_versions
    QUALIFY row_number() OVER (PARTITION BY network, account_id, post_id ORDER BY version DESC) = 1
),
standing AS (
    SELECT d.*
    FROM decisions d
    JOIN latest l USING (network, account_id, post_id)
    WHERE d.decided_by LIKE 'person:%' OR d.content_sha256 = l.content_sha256
    QUALIFY row_number() OVER (
        PARTITION BY d.network, d.account_id, d.post_id
        ORDER BY (d.decided_by LIKE 'person:%') DESC, d.decided_at DESC) = 1
),
gone AS (
    SELECT network, account_id, post_id,
           arg_max(kind, observed_at) AS last_kind,
           max(observed_at) FILTER (WHERE kind = 'deleted_at_source') AS deleted_at
    FROM events
    WHERE kind IN ('deleted_at_source', 'restored')
    GROUP BY network, account_id, post_id
),
acct AS (
    SELECT account_id, type, area
    FROM accounts
    QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY recorded_at DESC) = 1
)
SELECT l.network, l.account_id, l.post_id, l.version, l.versions, l.url, l.author,
       l.published_at, l.edited_at, l.edited, l.captured_at, l.text, l.language,
       l.reply_to, l.repost_of, l.media, l.metrics, l.content_sha256, l.source_url,
       l.crawler_version, l.run_id, l.warc_file, l.warc_record_id, l.warc_offset, l.warc_digest,
       coalesce(s.label, 'undetermined') AS label,
       coalesce(s.confidence, 0)         AS confidence,
       coalesce(s.basis, '')             AS basis,
       coalesce(s.rationale, '')         AS rationale,
       coalesce(s.decided_by, '')        AS decided_by,
       s.decided_at,
       CASE WHEN g.last_kind = 'deleted_at_source' THEN g.deleted_at END AS deleted_at_source,
       coalesce(a.type, '')              AS account_type,
       coalesce(a.area, '')              AS area
FROM latest l
LEFT JOIN standing s USING (network, account_id, post_id)
LEFT JOIN gone g USING (network, account_id, post_id)
LEFT JOIN acct a ON a.account_id = l.account_id;
