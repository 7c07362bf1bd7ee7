-- What elections bear on in a personal account's decisions: the servant's
-- jurisdiction, leaves (licencias) and candidacies with their campaigns
-- (archive.Electoral as a JSON object), NULL when the directory says
-- nothing. Snapshots stored before have none; no record is rewritten.

ALTER TABLE accounts ADD COLUMN electoral VARCHAR;
