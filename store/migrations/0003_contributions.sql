-- Contributions: signed submissions, reviewers and their sessions, and the
-- public moderation log (append-only).

ALTER TABLE evidence ADD COLUMN signer TEXT NOT NULL DEFAULT '';    -- EIP-55 address whose EIP-191 signature was verified
ALTER TABLE evidence ADD COLUMN signature TEXT NOT NULL DEFAULT '';

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
    role          TEXT NOT NULL CHECK (role IN ('reviewer', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE moderation_log (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    decision    TEXT NOT NULL CHECK (decision IN ('submitted', 'accepted', 'rejected')),
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    version     INTEGER, -- the scorecard version an acceptance created, if any
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX moderation_log_evidence ON moderation_log (evidence_id, id);

CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END;
