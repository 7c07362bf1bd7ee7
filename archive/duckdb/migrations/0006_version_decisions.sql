-- A decision stands for the version whose content it was made on, and for
-- no other: a person's decision on version 1 no longer stands for an edit
-- the servant made afterwards (the edit is decided afresh, and goes to a
-- person because a person had decided the post: the column reviewed).
-- post_heads is rebuilt from the records with that rule (dropping it and
-- running this file again rebuilds it), and current_posts, the definition
-- it is tested against, says the same.

DROP TABLE IF EXISTS post_heads;

CREATE TABLE post_heads (
    network        VARCHAR   NOT NULL,
    account_id     VARCHAR   NOT NULL,
    post_id        VARCHAR   NOT NULL,
    -- the latest version (0 while only decisions or events of the post
    -- are stored), how many versions there are, and the latest's fields
    version        INTEGER   NOT NULL,
    versions       INTEGER   NOT NULL,
    published_at   TIMESTAMP,
    edited         BOOLEAN   NOT NULL,
    content_sha256 VARCHAR   NOT NULL,
    captured_at    TIMESTAMP, -- of the latest version: finds its row fast

    -- the latest decision a person made on the latest version
    p_label        VARCHAR,
    p_confidence   DOUBLE,
    p_basis        VARCHAR,
    p_decided_by   VARCHAR,
    p_decided_at   TIMESTAMP,
    -- the latest other decision made on the latest version
    s_label        VARCHAR,
    s_confidence   DOUBLE,
    s_basis        VARCHAR,
    s_decided_by   VARCHAR,
    s_decided_at   TIMESTAMP,
    -- the latest deletion or restoration event, and the latest deletion
    gone_kind      VARCHAR,
    gone_at        TIMESTAMP,
    deleted_at     TIMESTAMP,
    -- a person decided some version of the post
    reviewed       BOOLEAN   NOT NULL
);

INSERT INTO post_heads
WITH post_keys AS (
    SELECT network, account_id, post_id FROM post_versions
    UNION SELECT network, account_id, post_id FROM decisions
    UNION SELECT network, account_id, post_id FROM events WHERE kind IN ('deleted_at_source', 'restored')
),
latest AS (
    SELECT network, account_id, post_id, version, published_at, edited, content_sha256, captured_at,
           count(*) OVER (PARTITION BY network, account_id, post_id) AS versions
    FROM post_versions
    QUALIFY row_number() OVER (PARTITION BY network, account_id, post_id ORDER BY version DESC) = 1
),
person AS (
    SELECT d.network, d.account_id, d.post_id, d.label, d.confidence, d.basis, d.decided_by, d.decided_at
    FROM decisions d JOIN latest l USING (network, account_id, post_id)
    WHERE d.decided_by LIKE 'person:%' AND d.content_sha256 = l.content_sha256
    QUALIFY row_number() OVER (PARTITION BY d.network, d.account_id, d.post_id ORDER BY d.decided_at DESC) = 1
),
on_latest AS (
    SELECT d.network, d.account_id, d.post_id, d.label, d.confidence, d.basis, d.decided_by, d.decided_at
    FROM decisions d JOIN latest l USING (network, account_id, post_id)
    WHERE d.decided_by NOT LIKE 'person:%' AND d.content_sha256 = l.content_sha256
    QUALIFY row_number() OVER (PARTITION BY d.network, d.account_id, d.post_id ORDER BY d.decided_at DESC) = 1
),
reviewed AS (
    SELECT DISTINCT network, account_id, post_id FROM decisions WHERE decided_by LIKE 'person:%'
),
gone AS (
    SELECT network, account_id, post_id,
           arg_max(kind, observed_at) AS kind, max(observed_at) AS at,
           max(observed_at) FILTER (WHERE kind = 'deleted_at_source') AS deleted_at
    FROM events
    WHERE kind IN ('deleted_at_source', 'restored')
    GROUP BY network, account_id, post_id
)
SELECT k.network, k.account_id, k.post_id,
       coalesce(l.version, 0), coalesce(l.versions, 0), l.published_at, coalesce(l.edited, false),
       coalesce(l.content_sha256, ''), l.captured_at,
       p.label, p.confidence, p.basis, p.decided_by, p.decided_at,
       s.label, s.confidence, s.basis, s.decided_by, s.decided_at,
       g.kind, g.at, g.deleted_at,
       r.post_id IS NOT NULL
FROM post_keys k
LEFT JOIN latest l USING (network, account_id, post_id)
LEFT JOIN person p USING (network, account_id, post_id)
LEFT JOIN on_latest s USING (network, account_id, post_id)
LEFT JOIN reviewed r USING (network, account_id, post_id)
LEFT JOIN gone g USING (network, account_id, post_id);

-- current_posts: the latest version of every post, with the decision that
-- stands for it (a person's on that version over any rule's or model's on
-- it; otherwise the latest on it), whether a person decided some version
-- of the post, and whether the post is gone at its source.
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
    WHERE d.content_sha256 = l.content_sha256
    QUALIFY row_number() OVER (
        PARTITION BY d.network, d.account_id, d.post_id
        ORDER BY (d.decided_by LIKE 'person:%') DESC, d.decided_at DESC) = 1
),
reviewed AS (
    SELECT DISTINCT network, account_id, post_id FROM decisions WHERE decided_by LIKE 'person:%'
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
       coalesce(a.area, '')              AS area,
       r.post_id IS NOT NULL             AS reviewed
FROM latest l
LEFT JOIN standing s USING (network, account_id, post_id)
LEFT JOIN reviewed r USING (network, account_id, post_id)
LEFT JOIN gone g USING (network, account_id, post_id)
LEFT JOIN acct a ON a.account_id = l.account_id;
