-- Deep sweeps: a crawl that re-lists an account's whole available history
-- to see deletions of any age (vigia crawl --sweep, and --sweep-every under
-- --every). Each account crawl says whether it was one, whether its listing
-- reached the end of the history (not stopped by the page budget), and how
-- many archived posts it checked. Crawls recorded before are not sweeps.

ALTER TABLE account_crawls ADD COLUMN sweep BOOLEAN DEFAULT false;
ALTER TABLE account_crawls ADD COLUMN sweep_complete BOOLEAN DEFAULT false;
ALTER TABLE account_crawls ADD COLUMN sweep_checked INTEGER DEFAULT 0;
