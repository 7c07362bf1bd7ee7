-- The records of DESIGN.md "Records": append-only tables, no keys or
-- indexes (appends stay fast; DuckDB's zone maps serve the scans).

CREATE TABLE post_versions (
    network         VARCHAR   NOT NULL,
    account_id      VARCHAR   NOT NULL,
    post_id         VARCHAR   NOT NULL,
    version         INTEGER   NOT NULL,
    url             VARCHAR,
    author          VARCHAR,
    published_at    TIMESTAMP,
    edited_at       TIMESTAMP,
    edited          BOOLEAN   NOT NULL,
    captured_at     TIMESTAMP NOT NULL,
    text            VARCHAR   NOT NULL,
    raw             BLOB USING COMPRESSION uncompressed, -- as received; see docs/benchmarks.md
    raw_type        VARCHAR,
    language        VARCHAR,
    reply_to        VARCHAR,
    repost_of       VARCHAR,
    media           VARCHAR,  -- JSON array of {kind, url, preview_url, alt, mime_type, id}
    metrics         VARCHAR,  -- JSON object of counters
    content_sha256  VARCHAR   NOT NULL,
    source_url      VARCHAR,
    warc_file       VARCHAR,
    warc_record_id  VARCHAR,
    crawler_version VARCHAR,
    run_id          VARCHAR
);

CREATE TABLE captures (
    network        VARCHAR   NOT NULL,
    account_id     VARCHAR   NOT NULL,
    post_id        VARCHAR   NOT NULL,
    captured_at    TIMESTAMP NOT NULL,
    content_sha256 VARCHAR   NOT NULL,
    source_url     VARCHAR,
    run_id         VARCHAR
);

CREATE TABLE events (
    network        VARCHAR   NOT NULL,
    account_id     VARCHAR   NOT NULL,
    post_id        VARCHAR   NOT NULL,
    kind           VARCHAR   NOT NULL,
    observed_at    TIMESTAMP NOT NULL,
    content_sha256 VARCHAR,
    evidence       VARCHAR,
    run_id         VARCHAR
);

CREATE TABLE decisions (
    network        VARCHAR   NOT NULL,
    account_id     VARCHAR   NOT NULL,
    post_id        VARCHAR   NOT NULL,
    content_sha256 VARCHAR   NOT NULL,
    label          VARCHAR   NOT NULL,
    confidence     DOUBLE    NOT NULL,
    basis          VARCHAR   NOT NULL,
    rationale      VARCHAR   NOT NULL,
    decided_by     VARCHAR   NOT NULL,
    decided_at     TIMESTAMP NOT NULL
);

CREATE TABLE fetches (
    run_id      VARCHAR,
    account_id  VARCHAR   NOT NULL,
    network     VARCHAR   NOT NULL,
    url         VARCHAR   NOT NULL,
    status      INTEGER   NOT NULL,
    bytes       BIGINT    NOT NULL,
    duration_ms DOUBLE    NOT NULL,
    attempt     INTEGER   NOT NULL,
    error       VARCHAR,
    fetched_at  TIMESTAMP NOT NULL
);

CREATE TABLE accounts (
    account_id           VARCHAR   NOT NULL,
    network              VARCHAR   NOT NULL,
    handle               VARCHAR   NOT NULL,
    endpoint             VARCHAR,
    type                 VARCHAR   NOT NULL,
    area                 VARCHAR,
    administered_by_area BOOLEAN   NOT NULL,
    servant_name         VARCHAR,
    servant_position     VARCHAR,
    servant_level        INTEGER,
    office_from          DATE,
    office_to            DATE,
    registered_on        DATE,
    subject              VARCHAR,
    facts_sha256         VARCHAR   NOT NULL,
    recorded_at          TIMESTAMP NOT NULL
);

CREATE TABLE runs (
    run_id          VARCHAR   NOT NULL,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP NOT NULL,
    crawler_version VARCHAR,
    directory       VARCHAR,
    accounts        INTEGER   NOT NULL,
    accounts_failed INTEGER   NOT NULL,
    fetches         INTEGER   NOT NULL,
    posts_seen      INTEGER   NOT NULL,
    versions_new    INTEGER   NOT NULL
);

-- current_posts: the latest version of every post, with the decision that
-- stands for it (a person's over any rule's or model's; otherwise the latest
-- on that version) and whether the post is gone at its source. Search and
-- summaries read it; archivists may query it directly.
CREATE VIEW current_posts AS
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
       l.crawler_version, l.run_id,
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
