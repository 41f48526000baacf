-- Projects, evidence, watched contracts and append-only scorecard versions.

CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name       TEXT NOT NULL CHECK (name <> ''),
    website    TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT '',
    chains     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(chains)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    axis          TEXT NOT NULL CHECK (axis IN ('training','inference','data','upgrades','governance','verification','usage','context')),
    kind          TEXT NOT NULL DEFAULT '' CHECK (kind IN ('','doc','code','paper','onchain','data','news')),
    source_type   TEXT NOT NULL DEFAULT '' CHECK (source_type IN ('','primary','secondary','third-party-code','onchain')),
    url           TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    title         TEXT NOT NULL,
    quote         TEXT NOT NULL,
    finding       TEXT NOT NULL DEFAULT '',
    submitter     TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('pending','accepted','rejected')),
    reviewer      TEXT NOT NULL DEFAULT '',
    review_note   TEXT NOT NULL DEFAULT '',
    sourced_as_of TEXT NOT NULL DEFAULT '',
    submitted_at  TEXT NOT NULL,
    reviewed_at   TEXT,
    UNIQUE (project_id, axis, url, quote)
) STRICT;
CREATE INDEX evidence_project_axis ON evidence (project_id, axis, status);

CREATE TABLE contracts (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    chain      TEXT NOT NULL DEFAULT '', -- CAIP-2; '' when the source does not say
    address    TEXT NOT NULL CHECK (address <> ''),
    role       TEXT NOT NULL CHECK (role IN ('token','governor','timelock','safe','proxy','proxy-admin','other')),
    label      TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (project_id, chain, address)
) STRICT;

-- A scorecard version and its assessments are never updated or deleted:
-- journalists cite them. A change of any level is a new version.
CREATE TABLE scorecard_versions (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    methodology TEXT NOT NULL,
    assessed_by TEXT NOT NULL,
    assessed_at TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (project_id, version)
) STRICT;

CREATE TABLE assessments (
    version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    axis       TEXT NOT NULL CHECK (axis IN ('training','inference','data','upgrades','governance','verification','usage')),
    level      INTEGER CHECK (level BETWEEN 0 AND 4), -- NULL: unknown
    criterion  TEXT NOT NULL DEFAULT '',
    rationale  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, axis)
) STRICT;

CREATE TABLE assessment_evidence (
    version_id  INTEGER NOT NULL,
    axis        TEXT NOT NULL,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (version_id, axis, evidence_id),
    FOREIGN KEY (version_id, axis) REFERENCES assessments(version_id, axis)
) STRICT;

CREATE TRIGGER scorecard_versions_no_update BEFORE UPDATE ON scorecard_versions
BEGIN SELECT RAISE(ABORT, 'scorecard versions are append-only'); END;
CREATE TRIGGER scorecard_versions_no_delete BEFORE DELETE ON scorecard_versions
BEGIN SELECT RAISE(ABORT, 'scorecard versions are append-only'); END;
CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
CREATE TRIGGER assessment_evidence_no_update BEFORE UPDATE ON assessment_evidence
BEGIN SELECT RAISE(ABORT, 'assessment citations are append-only'); END;
CREATE TRIGGER assessment_evidence_no_delete BEFORE DELETE ON assessment_evidence
BEGIN SELECT RAISE(ABORT, 'assessment citations are append-only'); END;
