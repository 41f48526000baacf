-- On-chain re-checks: one run per chain and block, its raw facts, and the
-- change events between successive successful runs. All append-only.

CREATE TABLE check_runs (
    id           INTEGER PRIMARY KEY,
    chain        TEXT NOT NULL,
    block_number INTEGER,
    block_hash   TEXT NOT NULL DEFAULT '',
    block_time   TEXT,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
    error        TEXT NOT NULL DEFAULT '',
    round_trips  INTEGER NOT NULL DEFAULT 0,
    contracts    INTEGER NOT NULL DEFAULT 0,
    CHECK (ok = 0 OR (block_number IS NOT NULL AND block_hash <> ''))
) STRICT;

-- Which contracts a run covered (a run may cover one project's contracts only).
CREATE TABLE check_run_contracts (
    run_id      INTEGER NOT NULL REFERENCES check_runs(id),
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    error       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, contract_id)
) STRICT;
CREATE INDEX check_run_contracts_contract ON check_run_contracts (contract_id, run_id);

CREATE TABLE facts (
    run_id      INTEGER NOT NULL REFERENCES check_runs(id),
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (run_id, contract_id, key)
) STRICT;

CREATE TABLE change_events (
    id          INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    key         TEXT NOT NULL,
    old_value   TEXT NOT NULL,
    new_value   TEXT NOT NULL,
    old_run_id  INTEGER NOT NULL REFERENCES check_runs(id),
    new_run_id  INTEGER NOT NULL REFERENCES check_runs(id),
    old_block   INTEGER NOT NULL,
    new_block   INTEGER NOT NULL,
    grade       TEXT NOT NULL CHECK (grade IN ('high', 'low')),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX change_events_contract ON change_events (contract_id, id);

CREATE TRIGGER check_runs_no_update BEFORE UPDATE ON check_runs BEGIN SELECT RAISE(ABORT, 'check runs are append-only'); END;
CREATE TRIGGER check_runs_no_delete BEFORE DELETE ON check_runs BEGIN SELECT RAISE(ABORT, 'check runs are append-only'); END;
CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;
CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;
CREATE TRIGGER change_events_no_update BEFORE UPDATE ON change_events BEGIN SELECT RAISE(ABORT, 'change events are append-only'); END;
CREATE TRIGGER change_events_no_delete BEFORE DELETE ON change_events BEGIN SELECT RAISE(ABORT, 'change events are append-only'); END;
CREATE TRIGGER check_run_contracts_no_update BEFORE UPDATE ON check_run_contracts BEGIN SELECT RAISE(ABORT, 'check runs are append-only'); END;
CREATE TRIGGER check_run_contracts_no_delete BEFORE DELETE ON check_run_contracts BEGIN SELECT RAISE(ABORT, 'check runs are append-only'); END;
