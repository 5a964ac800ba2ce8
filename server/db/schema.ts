/**
 * Schema migrations, applied in order. `PRAGMA user_version` records how many
 * have run, so a later release appends a migration and existing files catch up.
 * Never edit a migration that has shipped: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: the initial schema */ `
  CREATE TABLE organizations (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id                     TEXT PRIMARY KEY,
    email                  TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name                   TEXT NOT NULL,
    password_hash          TEXT NOT NULL,
    active_organization_id TEXT REFERENCES organizations(id)
  ) STRICT;

  CREATE TABLE memberships (
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, organization_id)
  ) STRICT, WITHOUT ROWID;

  -- Only a SHA-256 of the token is stored: a leaked database file holds no usable session.
  CREATE TABLE sessions (
    token_hash             TEXT PRIMARY KEY,
    user_id                TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    active_organization_id TEXT REFERENCES organizations(id),
    created_at             TEXT NOT NULL,
    expires_at             TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE specializations (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    is_published    INTEGER NOT NULL CHECK (is_published IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX specializations_by_org ON specializations (organization_id, is_published, title COLLATE NOCASE, id);

  CREATE TABLE trainings (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    tags              TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    specialization_id TEXT REFERENCES specializations(id),
    duration_minutes  INTEGER,
    is_published      INTEGER NOT NULL CHECK (is_published IN (0, 1)),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX trainings_by_org ON trainings (organization_id, is_published, title COLLATE NOCASE, id);

  CREATE TABLE lessons (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    title           TEXT NOT NULL,
    sections        TEXT NOT NULL CHECK (json_valid(sections)),
    updated_at      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX lessons_by_org ON lessons (organization_id, title COLLATE NOCASE);

  CREATE TABLE export_jobs (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    lesson_id       TEXT NOT NULL REFERENCES lessons(id),
    cache_key       TEXT,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
    cost_cents      INTEGER,
    model           TEXT,
    error           TEXT,
    created_at      TEXT NOT NULL,
    completed_at    TEXT
  ) STRICT;
  CREATE INDEX export_jobs_by_lesson ON export_jobs (lesson_id, created_at);
  CREATE INDEX export_jobs_by_cache_key ON export_jobs (lesson_id, cache_key, created_at);

  -- The deck lives in the same database as its job, written in the same
  -- transaction that marks the job completed: a completed job always has its file.
  CREATE TABLE export_files (
    job_id    TEXT PRIMARY KEY REFERENCES export_jobs(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    bytes     BLOB NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  /* 2: which pending jobs this server generates (and resumes after a crash) */ `
  -- 1: dispatched to this reference server, which generates it and, if it was
  -- killed mid-way, generates it again at its next start. 0: another process's
  -- work (a fixture's pending job), which this server only follows.
  ALTER TABLE export_jobs ADD COLUMN runs_here INTEGER NOT NULL DEFAULT 0 CHECK (runs_here IN (0, 1));
  CREATE INDEX export_jobs_interrupted ON export_jobs (status, runs_here);
  `,
  /* 3: a role per membership (server/auth/roles.ts), and each organisation's partner stages */ `
  -- Existing memberships become 'member', the role of a fixture's plain organizationIds.
  ALTER TABLE memberships ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
    CHECK (role IN ('owner', 'admin', 'member', 'viewer', 'partner'));

  -- The lifecycle stages a partner moves through; their names are the organisation's own.
  CREATE TABLE partner_stages (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    UNIQUE (organization_id, name)
  ) STRICT;
  CREATE INDEX partner_stages_by_org ON partner_stages (organization_id, position, name COLLATE NOCASE, id);
  `,
  /* 4: why a failed export failed (the stream's error code), and each organisation's spending by month */ `
  -- export_failed: the generation failed; timed_out: the job passed its deadline
  -- (POS_EXPORT_DEADLINE_MS). NULL on a job that failed before this migration or
  -- came failed from a fixture: read as export_failed.
  ALTER TABLE export_jobs ADD COLUMN error_code TEXT CHECK (error_code IN ('export_failed', 'timed_out'));
  -- The export allowance sums an organisation's completed exports of one month.
  CREATE INDEX export_jobs_spending ON export_jobs (organization_id, status, completed_at);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
