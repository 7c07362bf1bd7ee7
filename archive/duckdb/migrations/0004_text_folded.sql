-- A folded copy of each version's text (lower case, no accents), written at
-- insert time, so that a text search compares it instead of folding every
-- text at every query. Versions stored before have none: searches fold
-- theirs as before (coalesce), and no record is rewritten.

ALTER TABLE post_versions ADD COLUMN text_folded VARCHAR;
