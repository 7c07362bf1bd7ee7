-- The content models an office adopted for the archive (vigia classifier
-- adopt): the model file itself, so that every reader of the archive decides
-- with the same bytes, with what was measured before adopting it, who and
-- when. The latest adoption stands; none means the model shipped in vigia.

CREATE TABLE model_adoptions (
    version      VARCHAR NOT NULL,
    model_sha256 VARCHAR NOT NULL,
    model        BLOB NOT NULL,
    evaluation   VARCHAR NOT NULL,
    adopted_by   VARCHAR NOT NULL,
    adopted_at   TIMESTAMP NOT NULL,
    reason       VARCHAR NOT NULL
);
