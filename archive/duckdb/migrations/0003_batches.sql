-- Batches appended with an ID (from the spool), so that a batch replayed
-- after a crash or an outage is stored once.

CREATE TABLE batches (
    batch_id    VARCHAR   NOT NULL,
    appended_at TIMESTAMP NOT NULL
);
