-- post_heads: one row per post, derived from the records, so that a search
-- reads one narrow row per post instead of computing every candidate's
-- latest version and standing decision from the records. Appends keep it up
-- to date in the same transaction (heads.go); it is the only table whose
-- rows are replaced, and it holds nothing the records do not: dropping it and
-- running this file again rebuilds it. The view current_posts stays the
-- definition the table is tested against.

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

    -- the latest decision a person made, on any version
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
    deleted_at     TIMESTAMP
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
    SELECT network, account_id, post_id, label, confidence, basis, decided_by, decided_at
    FROM decisions
    WHERE decided_by LIKE 'person:%'
    QUALIFY row_number() OVER (PARTITION BY network, account_id, post_id ORDER BY decided_at DESC) = 1
),
on_latest AS (
    SELECT d.network, d.account_id, d.post_id, d.label, d.confidence, d.basis, d.decided_by, d.decided_at
    FROM decisions d JOIN latest l USING (network, account_id, post_id)
    WHERE d.decided_by NOT LIKE 'person:%' AND d.content_sha256 = l.content_sha256
    QUALIFY row_number() OVER (PARTITION BY d.network, d.account_id, d.post_id ORDER BY d.decided_at DESC) = 1
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
       g.kind, g.at, g.deleted_at
FROM post_keys k
LEFT JOIN latest l USING (network, account_id, post_id)
LEFT JOIN person p USING (network, account_id, post_id)
LEFT JOIN on_latest s USING (network, account_id, post_id)
LEFT JOIN gone g USING (network, account_id, post_id);
