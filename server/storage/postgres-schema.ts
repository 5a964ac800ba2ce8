/**
 * The PostgreSQL schema, as migrations applied in order: migration N brings
 * the same tables and columns as server/db/schema.ts's migration N does on
 * SQLite, so both engines speak of one schema version. `pos_schema_migrations`
 * records which have run. Never edit a migration that has shipped: add one
 * here and in schema.ts.
 *
 * Where the types differ from SQLite's, on purpose:
 * - Text that is sorted or compared (ids, titles, names, emails) is COLLATE "C":
 *   byte order, as SQLite compares, whatever locale the database was created
 *   with; and lower() under "C" folds ASCII letters only, exactly SQLite's NOCASE.
 * - Timestamps are timestamptz (SQLite keeps ISO text and compares it with
 *   julianday()); the storage reads them back as ISO strings.
 * - export_jobs.seq orders jobs created in the same millisecond, as SQLite's rowid does.
 * - json, not jsonb, for tags and sections: json keeps the text as written.
 *
 * And one thing SQLite has no need of: pos_data_version, a row a trigger on
 * every table bumps once per writing transaction (with a NOTIFY on
 * pos_data_changed), so caches on every instance can tell whether anything
 * changed (storage.ts, Changes). The sign-in limiter's tables are left out:
 * counting a failed sign-in changes nothing a cache holds.
 */
/** The triggers that make every write to these tables bump pos_data_version. */
const bumpsDataVersion = (...tables: string[]) =>
  tables
    .map(
      (table) => `
  CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION pos_bump_data_version();
  CREATE TRIGGER data_version_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION pos_bump_data_version();`,
    )
    .join('');

export const POSTGRES_MIGRATIONS: readonly string[] = [
  /* 1: the initial schema */ `
  CREATE TABLE pos_data_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint NOT NULL,
    -- The transaction that last bumped it: a transaction bumps it once, however many rows it writes.
    bumped_by xid8
  );
  INSERT INTO pos_data_version (version) VALUES (1);

  CREATE FUNCTION pos_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE pos_data_version SET version = version + 1, bumped_by = pg_current_xact_id()
    WHERE bumped_by IS DISTINCT FROM pg_current_xact_id();
    -- Delivered at commit, and only then; identical payloads of one transaction are sent once.
    IF FOUND THEN PERFORM pg_notify('pos_data_changed', ''); END IF;
    RETURN NULL;
  END $$;

  CREATE TABLE organizations (
    id   text COLLATE "C" PRIMARY KEY,
    name text COLLATE "C" NOT NULL
  );

  CREATE TABLE users (
    id                     text COLLATE "C" PRIMARY KEY,
    email                  text COLLATE "C" NOT NULL,
    name                   text NOT NULL,
    password_hash          text NOT NULL,
    active_organization_id text COLLATE "C" REFERENCES organizations(id)
  );
  CREATE UNIQUE INDEX users_by_email ON users (lower(email));

  CREATE TABLE memberships (
    user_id         text COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id text COLLATE "C" NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, organization_id)
  );

  -- Only a SHA-256 of the token is stored: a leaked database holds no usable session.
  CREATE TABLE sessions (
    token_hash             text COLLATE "C" PRIMARY KEY,
    user_id                text COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    active_organization_id text COLLATE "C" REFERENCES organizations(id),
    created_at             timestamptz NOT NULL,
    expires_at             timestamptz NOT NULL
  );

  CREATE TABLE specializations (
    id              text COLLATE "C" PRIMARY KEY,
    organization_id text COLLATE "C" NOT NULL REFERENCES organizations(id),
    title           text COLLATE "C" NOT NULL,
    description     text NOT NULL,
    is_published    boolean NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
  );
  CREATE INDEX specializations_by_org ON specializations (organization_id, is_published, lower(title), id);

  CREATE TABLE trainings (
    id                text COLLATE "C" PRIMARY KEY,
    organization_id   text COLLATE "C" NOT NULL REFERENCES organizations(id),
    title             text COLLATE "C" NOT NULL,
    description       text NOT NULL,
    tags              json NOT NULL DEFAULT '[]',
    specialization_id text COLLATE "C" REFERENCES specializations(id),
    duration_minutes  integer,
    is_published      boolean NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
  );
  CREATE INDEX trainings_by_org ON trainings (organization_id, is_published, lower(title), id);

  CREATE TABLE lessons (
    id              text COLLATE "C" PRIMARY KEY,
    organization_id text COLLATE "C" NOT NULL REFERENCES organizations(id),
    title           text COLLATE "C" NOT NULL,
    sections        json NOT NULL,
    updated_at      timestamptz NOT NULL
  );
  CREATE INDEX lessons_by_org ON lessons (organization_id, lower(title));

  CREATE TABLE export_jobs (
    id              text COLLATE "C" PRIMARY KEY,
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    organization_id text COLLATE "C" NOT NULL REFERENCES organizations(id),
    lesson_id       text COLLATE "C" NOT NULL REFERENCES lessons(id),
    cache_key       text COLLATE "C",
    status          text NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
    cost_cents      integer,
    model           text,
    error           text,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz
  );
  CREATE INDEX export_jobs_by_lesson ON export_jobs (lesson_id, created_at);
  CREATE INDEX export_jobs_by_cache_key ON export_jobs (lesson_id, cache_key, created_at);

  -- The deck lives in the same database as its job, written in the same
  -- transaction that marks the job completed: a completed job always has its file.
  CREATE TABLE export_files (
    job_id    text COLLATE "C" PRIMARY KEY REFERENCES export_jobs(id) ON DELETE CASCADE,
    file_name text NOT NULL,
    bytes     bytea NOT NULL
  );

  ${bumpsDataVersion('organizations', 'users', 'memberships', 'sessions', 'specializations', 'trainings', 'lessons', 'export_jobs', 'export_files')}
  `,
  /* 2: which pending jobs this server generates (and resumes after a crash) */ `
  -- true: dispatched to this reference server, which generates it and, if it was
  -- killed mid-way, generates it again. false: another process's work (a
  -- fixture's pending job), which this server only follows.
  ALTER TABLE export_jobs ADD COLUMN runs_here boolean NOT NULL DEFAULT false;
  CREATE INDEX export_jobs_interrupted ON export_jobs (status, runs_here);
  `,
  /* 3: a role per membership (server/auth/roles.ts), and each organisation's partner stages */ `
  ALTER TABLE memberships ADD COLUMN role text NOT NULL DEFAULT 'member'
    CHECK (role IN ('owner', 'admin', 'member', 'viewer', 'partner'));

  CREATE TABLE partner_stages (
    id              text COLLATE "C" PRIMARY KEY,
    organization_id text COLLATE "C" NOT NULL REFERENCES organizations(id),
    name            text COLLATE "C" NOT NULL,
    position        integer NOT NULL,
    UNIQUE (organization_id, name)
  );
  CREATE INDEX partner_stages_by_org ON partner_stages (organization_id, position, lower(name), id);
  ${bumpsDataVersion('partner_stages')}
  `,
  /* 4: why a failed export failed (the stream's error code), and each organisation's spending by month */ `
  ALTER TABLE export_jobs ADD COLUMN error_code text CHECK (error_code IN ('export_failed', 'timed_out'));
  CREATE INDEX export_jobs_spending ON export_jobs (organization_id, status, completed_at);
  `,
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;
