-- Which version of the on-chain reader made a run. When a newer reader
-- reads facts an older one did not (or stops reading some), a fact that
-- appears or disappears between their runs is the reader's doing, not a
-- change on the chain: no change event is recorded for it.

ALTER TABLE check_runs ADD COLUMN reader INTEGER NOT NULL DEFAULT 1;
