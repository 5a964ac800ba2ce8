import pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { DEFAULT_ROLE, type Role } from '../auth/roles.js';
import { Listeners } from './listeners.js';
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './postgres-schema.js';
import type {
  Changes,
  ExportJobRecord,
  ExportRecords,
  InterruptedJob,
  LessonForExport,
  LessonRecords,
  OpenedStorage,
  OpenOptions,
  PickerRecords,
  PreparedFixture,
  SessionRecords,
  Storage,
  UserRecords,
  UserWithPassword,
} from './storage.js';

const CHANNEL = { dataChanged: 'pos_data_changed', exportEnded: 'pos_export_ended' } as const;

// timestamptz as the ISO strings the interface speaks; bigint (counts, sums, the data version) as numbers.
const TIMESTAMPTZ = 1184;
const INT8 = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMPTZ) {
      const parse = pg.types.getTypeParser(TIMESTAMPTZ);
      return (value: string) => (parse(value) as Date).toISOString();
    }
    if (oid === INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The rule of server/exports/which-export.ts in PostgreSQL's dialect (the
 * contract tests hold the two to the same answers): a lesson's export is its
 * newest job created at or after the lesson's updatedAt, with the cache key
 * when one is given. `seq` stands for SQLite's rowid.
 */
const theExportId = (lessonId: string, cacheKey: string) => `
  CASE WHEN ${cacheKey} IS NULL THEN (
    SELECT x.id FROM export_jobs x
    WHERE x.lesson_id = ${lessonId} AND x.created_at >= (SELECT updated_at FROM lessons WHERE id = ${lessonId})
    ORDER BY x.created_at DESC, x.seq DESC LIMIT 1
  ) ELSE (
    SELECT x.id FROM export_jobs x
    WHERE x.lesson_id = ${lessonId} AND x.cache_key = ${cacheKey} AND x.created_at >= (SELECT updated_at FROM lessons WHERE id = ${lessonId})
    ORDER BY x.created_at DESC, x.seq DESC LIMIT 1
  ) END`;

const JOB_COLUMNS = `j.id, j.lesson_id AS "lessonId", j.cache_key AS "cacheKey", j.status, j.created_at AS "createdAt",
  j.completed_at AS "completedAt", j.cost_cents AS "costCents", j.model, j.error`;

/** A job with what its generation needs: its lesson and organisation (InterruptedJob). */
const WORK = `SELECT j.id, j.lesson_id AS "lessonId", l.title, l.sections, j.organization_id AS "organizationId", o.name AS "organizationName"
              FROM export_jobs j JOIN lessons l ON l.id = j.lesson_id JOIN organizations o ON o.id = j.organization_id`;

const SQL = {
  user: `SELECT id, email, name, password_hash AS "passwordHash", active_organization_id AS "activeOrganizationId"
         FROM users WHERE lower(email) = lower($1 COLLATE "C")`,
  organizations: `SELECT o.id, o.name, m.role FROM organizations o JOIN memberships m ON m.organization_id = o.id
                  WHERE m.user_id = $1 ORDER BY lower(o.name), o.id`,
  isMember: 'SELECT 1 FROM memberships WHERE user_id = $1 AND organization_id = $2',
  // Purge and insert in one statement: one round trip, one transaction.
  createSession: `WITH purged AS (DELETE FROM sessions WHERE expires_at <= $6 OR created_at <= $7)
                  INSERT INTO sessions (token_hash, user_id, active_organization_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
  findSession: `SELECT s.token_hash AS "tokenHash", u.id, u.email, u.name, s.created_at AS "createdAt", s.expires_at AS "expiresAt",
                  m.organization_id AS "activeOrganizationId", m.role
                FROM sessions s JOIN users u ON u.id = s.user_id
                LEFT JOIN memberships m ON m.user_id = u.id AND m.organization_id = s.active_organization_id
                WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.created_at > $3`,
  // Never moves an expiry back: another instance may have written a later one.
  touchSession: 'UPDATE sessions SET expires_at = $2 WHERE token_hash = $1 AND expires_at < $2',
  removeSession: 'DELETE FROM sessions WHERE token_hash = $1',
  switchOrganization: `WITH member AS (SELECT 1 FROM memberships WHERE user_id = $2 AND organization_id = $3),
                         s AS (UPDATE sessions SET active_organization_id = $3 WHERE token_hash = $1 AND EXISTS (SELECT 1 FROM member)),
                         u AS (UPDATE users SET active_organization_id = $3 WHERE id = $2 AND EXISTS (SELECT 1 FROM member))
                       SELECT EXISTS (SELECT 1 FROM member) AS ok`,

  specializations: `SELECT id, title, description, is_published AS "isPublished", created_at AS "createdAt", updated_at AS "updatedAt"
                    FROM specializations WHERE organization_id = $1 AND is_published ORDER BY lower(title), id`,
  trainings: `SELECT id, title, description, tags, specialization_id AS "specializationId", duration_minutes AS "durationMinutes",
                is_published AS "isPublished", created_at AS "createdAt", updated_at AS "updatedAt"
              FROM trainings WHERE organization_id = $1 AND is_published ORDER BY lower(title), id`,
  // Trimmed of spaces, tabs and line breaks; empty ones dropped; each once; strings only, as SQLite's json_each type 'text'.
  tags: `SELECT tag FROM (
           SELECT DISTINCT btrim(j.value #>> '{}', E' \\t\\n\\r') COLLATE "C" AS tag
           FROM trainings t, json_array_elements(t.tags) j
           WHERE t.organization_id = $1 AND t.is_published AND json_typeof(j.value) = 'string'
         ) tags WHERE tag <> '' ORDER BY lower(tag), tag`,
  partnerStages: 'SELECT id, name FROM partner_stages WHERE organization_id = $1 ORDER BY position, lower(name), id',

  lessons: 'SELECT id, title, updated_at AS "updatedAt" FROM lessons WHERE organization_id = $1 ORDER BY lower(title), id',
  lesson: `SELECT l.id, l.title, l.sections, l.updated_at AS "updatedAt", o.name AS "organizationName"
           FROM lessons l JOIN organizations o ON o.id = l.organization_id WHERE l.id = $1 AND l.organization_id = $2`,

  hit: `SELECT ${JOB_COLUMNS} FROM export_jobs j WHERE j.id = (${theExportId('$1::text', '$2::text')}) AND j.status = 'completed'`,
  spent: `SELECT COALESCE(SUM(cost_cents), 0)::int8 AS spent FROM export_jobs
          WHERE organization_id = $1 AND status = 'completed' AND completed_at >= $2 AND completed_at < $3`,
  insertJob: `INSERT INTO export_jobs AS j (id, organization_id, lesson_id, cache_key, status, created_at, runs_here)
              VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING ${JOB_COLUMNS}`,
  job: `SELECT ${JOB_COLUMNS} FROM export_jobs j WHERE j.id = $1`,
  interrupted: `${WORK} WHERE j.status = 'pending' AND j.runs_here ORDER BY j.created_at, j.seq`,
  pendingWork: `${WORK} WHERE j.id = $1 AND j.status = 'pending'`,
  // One statement each: the mark, the file and the NOTIFY commit together (the NOTIFY is delivered at commit).
  complete: `WITH done AS (
               UPDATE export_jobs SET status = 'completed', cost_cents = $2, model = $3, completed_at = $4 WHERE id = $1 AND status = 'pending' RETURNING id
             ), stored AS (
               INSERT INTO export_files (job_id, file_name, bytes) SELECT id, $5, $6 FROM done RETURNING job_id
             ) SELECT pg_notify('${CHANNEL.exportEnded}', job_id) FROM stored`,
  fail: `WITH failed AS (
           UPDATE export_jobs SET status = 'failed', error = $2, error_code = 'export_failed', completed_at = $3 WHERE id = $1 AND status = 'pending' RETURNING id
         ) SELECT pg_notify('${CHANNEL.exportEnded}', id) FROM failed`,
  overdue: `WITH failed AS (
              UPDATE export_jobs SET status = 'failed', error = $1, error_code = 'timed_out', completed_at = $2
              WHERE status = 'pending' AND created_at <= $3 RETURNING id
            ) SELECT pg_notify('${CHANNEL.exportEnded}', id) FROM failed`,
  oldestPending: `SELECT (extract(epoch FROM min(created_at)) * 1000)::float8 AS oldest FROM export_jobs WHERE status = 'pending'`,
  file: `SELECT f.file_name AS "fileName", f.bytes FROM export_files f JOIN export_jobs j ON j.id = f.job_id
         WHERE f.job_id = $1 AND j.organization_id = $2 AND j.status = 'completed'`,
  // For each watched key: the job the stream waits for, if it has ended. One query for every key.
  outcomes: `WITH watched AS (SELECT * FROM unnest($1::text[], $2::text[]) AS w(lesson_id, cache_key))
             SELECT w.lesson_id AS "lessonId", w.cache_key AS "cacheKey", j.id, j.status, j.cost_cents AS "costCents", j.model, j.error,
               j.error_code AS "errorCode"
             FROM watched w JOIN export_jobs j ON j.id = (${theExportId('w.lesson_id', 'w.cache_key')})
             WHERE j.status <> 'pending' OR j.id = ANY($3::text[])`,
  version: 'SELECT version FROM pos_data_version',
} as const;

type Queryable = pg.Pool | pg.PoolClient;

/** What a storage and its transactions share. */
interface Shared {
  pool: pg.Pool;
  onStatement: ((sql: string) => void) | undefined;
  dataChanged: Listeners<[]>;
  exportEnded: Listeners<[jobId?: string]>;
  listener: NotificationListener;
  closing: boolean;
}

/**
 * The engine for several instances: a pg Pool for queries, one more
 * connection that LISTENs (server/storage/storage.ts, Changes). Statements
 * that write several rows are single statements where they can be
 * (data-modifying CTEs): atomic without a transaction's extra round trips.
 */
export class PostgresStorage implements Storage {
  readonly engine = 'postgres';
  readonly users: UserRecords;
  readonly sessions: SessionRecords;
  readonly pickers: PickerRecords;
  readonly lessons: LessonRecords;
  readonly exports: ExportRecords;
  readonly changes: Changes;
  private savepoints = 0;

  constructor(
    private readonly shared: Shared,
    /** Inside a transaction: its connection. */
    private readonly client?: pg.PoolClient,
  ) {
    const rows = <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => this.query<R>(sql, params).then((r) => r.rows);
    const row = <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => rows<R>(sql, params).then((r) => r[0]);

    this.users = {
      byEmail: (email) => row<UserWithPassword>(SQL.user, [email]),
      isMember: async (userId, organizationId) => (await row(SQL.isMember, [userId, organizationId])) !== undefined,
      organizations: (userId) => rows(SQL.organizations, [userId]),
    };

    this.sessions = {
      create: async (s, purge) => {
        await this.query(SQL.createSession, [
          s.tokenHash,
          s.userId,
          s.activeOrganizationId,
          s.createdAt,
          s.expiresAt,
          purge.now,
          purge.createdBefore,
        ]);
      },
      find: async (tokenHash, now, createdAfter) => {
        const r = await row<{
          tokenHash: string;
          id: string;
          email: string;
          name: string;
          activeOrganizationId: string | null;
          role: Role | null;
          createdAt: string;
          expiresAt: string;
        }>(SQL.findSession, [tokenHash, now, createdAfter]);
        return (
          r && {
            tokenHash: r.tokenHash,
            user: { id: r.id, email: r.email, name: r.name },
            activeOrganizationId: r.activeOrganizationId,
            role: r.role,
            createdAt: r.createdAt,
            expiresAt: r.expiresAt,
          }
        );
      },
      touch: async (tokenHash, expiresAt) => ((await this.query(SQL.touchSession, [tokenHash, expiresAt])).rowCount ?? 0) > 0,
      remove: async (tokenHash) => {
        await this.query(SQL.removeSession, [tokenHash]);
      },
      switchOrganization: async (tokenHash, userId, organizationId) =>
        (await row<{ ok: boolean }>(SQL.switchOrganization, [tokenHash, userId, organizationId]))!.ok,
    };

    this.pickers = {
      specializations: (organizationId) => rows(SQL.specializations, [organizationId]),
      trainings: (organizationId) => rows(SQL.trainings, [organizationId]),
      trainingTags: async (organizationId) => (await rows<{ tag: string }>(SQL.tags, [organizationId])).map((r) => r.tag),
      partnerStages: (organizationId) => rows(SQL.partnerStages, [organizationId]),
    };

    this.lessons = {
      list: (organizationId) => rows(SQL.lessons, [organizationId]),
      forExport: (organizationId, lessonId) => row<LessonForExport>(SQL.lesson, [lessonId, organizationId]),
    };

    this.exports = {
      completedFor: (lessonId, cacheKey) => row<ExportJobRecord>(SQL.hit, [lessonId, cacheKey]),
      spentCents: async (organizationId, from, to) => (await row<{ spent: number }>(SQL.spent, [organizationId, from, to]))!.spent,
      create: async (job) =>
        (await row<ExportJobRecord>(SQL.insertJob, [job.id, job.organizationId, job.lessonId, job.cacheKey, job.createdAt, job.runsHere]))!,
      get: (id) => row<ExportJobRecord>(SQL.job, [id]),
      interrupted: () => rows(SQL.interrupted),
      pendingWork: (id) => row<InterruptedJob>(SQL.pendingWork, [id]),
      complete: async (id, r) =>
        ((await this.query(SQL.complete, [id, r.costCents, r.model, r.completedAt, r.fileName, r.bytes])).rowCount ?? 0) > 0,
      fail: async (id, message, completedAt) => ((await this.query(SQL.fail, [id, message, completedAt])).rowCount ?? 0) > 0,
      failOverdue: async (message, completedAt, cutoff) => (await this.query(SQL.overdue, [message, completedAt, cutoff])).rowCount ?? 0,
      oldestPendingMs: async () => (await row<{ oldest: number | null }>(SQL.oldestPending))!.oldest,
      file: (organizationId, jobId) => row<{ fileName: string; bytes: Buffer }>(SQL.file, [jobId, organizationId]),
      outcomes: (keys, unrecorded) => rows(SQL.outcomes, [keys.map((k) => k.lessonId), keys.map((k) => k.cacheKey), unrecorded]),
    };

    this.changes = {
      version: async () => String((await row<{ version: number }>(SQL.version))!.version),
      onDataChanged: (listener) => shared.dataChanged.add(listener),
      onExportEnded: (listener) => shared.exportEnded.add(listener),
    };
  }

  /** The pool, for tests that reach past the interface (raw SQL) and for the job queue (pg-boss and graphile-worker take a pool too). */
  get pool(): pg.Pool {
    return this.shared.pool;
  }

  get isOpen(): boolean {
    return !this.shared.closing;
  }

  /** How many times the LISTEN connection was re-made after it dropped. */
  get listenReconnects(): number {
    return this.shared.listener.reconnects;
  }

  private query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    this.shared.onStatement?.(sql);
    return (this.client ?? this.shared.pool).query<R>(sql, params);
  }

  async transaction<T>(work: (tx: Storage) => Promise<T>): Promise<T> {
    if (this.client) {
      const name = `nested_${++this.savepoints}`;
      await this.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(this);
        await this.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await this.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    }
    return inTransaction(this.shared, (client) => work(new PostgresStorage(this.shared, client)));
  }

  importFixture(prepared: PreparedFixture): Promise<void> {
    return this.client ? insertFixture(this.client, prepared) : inTransaction(this.shared, (client) => insertFixture(client, prepared));
  }

  /**
   * rate-limiter-flexible creates its table with CREATE TABLE IF NOT EXISTS,
   * which is not safe against itself: instances starting together fail it with
   * 42P07 or a duplicate type (the library forgives only one of the forms). So
   * they take turns, under the migrations' lock, held by a connection of its
   * own while the library creates the table on the pool.
   */
  async rateLimiter({ keyPrefix, points, duration }: { keyPrefix: string; points: number; duration: number }) {
    const turn = await this.shared.pool.connect();
    try {
      await turn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      return await new Promise<RateLimiterPostgres>((resolve, reject) => {
        const limiter: RateLimiterPostgres = new RateLimiterPostgres(
          { storeClient: this.shared.pool, storeType: 'pool', keyPrefix, points, duration, tableName: `rate_limit_${keyPrefix}` },
          (error?: unknown) => (error ? reject(error) : resolve(limiter)),
        );
      });
    } finally {
      // A failed unlock means the connection broke, which ends the lock too: drop it from the pool.
      await turn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).then(
        () => turn.release(),
        (error: Error) => turn.release(error),
      );
    }
  }

  async close(): Promise<void> {
    if (this.client) throw new Error('close() the storage, not a transaction');
    if (this.shared.closing) return;
    this.shared.closing = true;
    await this.shared.listener.stop();
    await this.shared.pool.end();
  }
}

async function inTransaction<T>(shared: Shared, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await shared.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection itself failed: it must not go back to the pool.
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** One INSERT per table, its rows as a JSON array: a handful of round trips whatever the fixture's size. */
async function insertFixture(client: Queryable, { fixture, loadedAt, passwordHashes, decks }: PreparedFixture): Promise<void> {
  const insert = (table: string, columns: string, types: string, records: unknown[], select = columns) =>
    records.length
      ? client.query(`INSERT INTO ${table} (${columns}) SELECT ${select} FROM json_to_recordset($1::json) AS x(${types})`, [
          JSON.stringify(records),
        ])
      : undefined;
  await insert(
    'organizations',
    'id, name',
    'id text, name text',
    fixture.organizations.map((o) => ({ id: o.id, name: o.name })),
  );
  await insert(
    'users',
    'id, email, name, password_hash, active_organization_id',
    'id text, email text, name text, password_hash text, active_organization_id text',
    fixture.users.map((u, i) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      password_hash: passwordHashes[i],
      active_organization_id: u.activeOrganizationId,
    })),
  );
  await insert(
    'memberships',
    'user_id, organization_id, role',
    'user_id text, organization_id text, role text',
    fixture.users.flatMap((u) =>
      u.organizationIds.map((org) => ({ user_id: u.id, organization_id: org, role: u.roles?.[org] ?? DEFAULT_ROLE })),
    ),
  );
  await insert(
    'specializations',
    'id, organization_id, title, description, is_published, created_at, updated_at',
    'id text, organization_id text, title text, description text, is_published boolean, created_at timestamptz, updated_at timestamptz',
    fixture.specializations.map((s) => {
      const created = s.createdAt ?? loadedAt;
      return { ...pick(s), is_published: s.isPublished, created_at: created, updated_at: s.updatedAt ?? created };
    }),
  );
  await insert(
    'trainings',
    'id, organization_id, title, description, tags, specialization_id, duration_minutes, is_published, created_at, updated_at',
    'id text, organization_id text, title text, description text, tags json, specialization_id text, duration_minutes integer, is_published boolean, created_at timestamptz, updated_at timestamptz',
    fixture.trainings.map((t) => {
      const created = t.createdAt ?? loadedAt;
      return {
        ...pick(t),
        tags: t.tags,
        specialization_id: t.specializationId,
        duration_minutes: t.durationMinutes,
        is_published: t.isPublished,
        created_at: created,
        updated_at: t.updatedAt ?? created,
      };
    }),
  );
  await insert(
    'lessons',
    'id, organization_id, title, sections, updated_at',
    'id text, organization_id text, title text, sections json, updated_at timestamptz',
    fixture.lessons.map((l) => ({
      id: l.id,
      organization_id: l.organizationId,
      title: l.title,
      sections: l.sections,
      updated_at: l.updatedAt,
    })),
  );
  await insert(
    'export_jobs',
    'id, organization_id, lesson_id, cache_key, status, cost_cents, model, error, created_at, completed_at',
    'id text, organization_id text, lesson_id text, cache_key text, status text, cost_cents integer, model text, error text, created_at timestamptz, completed_at timestamptz',
    fixture.exports.map((e, i) => ({
      id: e.id,
      organization_id: e.organizationId,
      lesson_id: e.lessonId,
      cache_key: e.cacheKey,
      status: e.status,
      cost_cents: e.costCents ?? decks[i]?.deck.costCents ?? null,
      model: e.model ?? decks[i]?.deck.model ?? null,
      error: e.error ?? null,
      created_at: e.createdAt,
      completed_at: e.status === 'pending' ? null : (e.completedAt ?? e.createdAt),
    })),
  );
  await insert(
    'export_files',
    'job_id, file_name, bytes',
    'job_id text, file_name text, bytes text',
    fixture.exports.flatMap((e, i) => {
      const rendered = decks[i];
      return rendered ? [{ job_id: e.id, file_name: rendered.fileName, bytes: rendered.deck.bytes.toString('base64') }] : [];
    }),
    "job_id, file_name, decode(bytes, 'base64')",
  );
  await insert(
    'partner_stages',
    'id, organization_id, name, position',
    'id text, organization_id text, name text, position integer',
    fixture.partnerStages.map((s) => ({ id: s.id, organization_id: s.organizationId, name: s.name, position: s.position })),
  );
}

const pick = (r: { id: string; organizationId: string; title: string; description: string }) => ({
  id: r.id,
  organization_id: r.organizationId,
  title: r.title,
  description: r.description,
});

/**
 * The LISTEN connection: one per instance, outside the pool (a pooled
 * connection would be handed to queries). When it drops (the server
 * restarted, pg_terminate_backend, the network), it is made again with a
 * growing pause, and every listener is called with no argument: whatever was
 * notified during the gap is lost, so they must look again.
 */
class NotificationListener {
  reconnects = 0;
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 50;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly onNotification: (channel: string, payload: string | undefined) => void,
    private readonly onGap: () => void,
  ) {}

  /** Resolves once listening (the first time; later reconnections happen in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...this.config, application_name: 'pos-listen' });
    client.on('notification', (message) => this.onNotification(message.channel, message.payload || undefined));
    // A dropped connection emits 'error' and then 'end' (or only 'end'): reconnect once.
    let lost = false;
    const reconnect = () => {
      if (lost || this.stopped) return;
      lost = true;
      this.client = undefined;
      client.end().catch(() => {});
      this.later();
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    await client.connect();
    await client.query(`LISTEN ${CHANNEL.dataChanged}; LISTEN ${CHANNEL.exportEnded}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryMs = 50;
    if (this.failing) console.error('storage: listening for notifications again');
    this.failing = false;
  }

  private later(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      try {
        await this.connect();
        this.reconnects++;
        this.onGap();
      } catch (error) {
        if (!this.failing)
          console.error(`storage: the LISTEN connection dropped and re-making it failed (${(error as Error).message}); retrying`);
        this.failing = true;
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        this.later();
      }
    }, this.retryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.client?.end().catch(() => {});
    this.client = undefined;
  }
}

/** Any number, the same for every instance of this server: the advisory lock the migrations take. */
const MIGRATION_LOCK = 0x706f735f; // "pos_"

/**
 * Connects, brings the schema up to date and starts listening. Instances
 * starting together take turns on an advisory lock, so one migrates (and
 * seeds) and the others find the schema ready.
 */
export async function openPostgresStorage(
  url: string,
  { seed, onStatement, poolSize = 10 }: OpenOptions & { poolSize?: number } = {},
): Promise<OpenedStorage & { storage: PostgresStorage }> {
  const config: pg.ClientConfig = { connectionString: url, types };
  const pool = new pg.Pool({ ...config, max: poolSize, application_name: 'pos-storage' });
  // An idle connection that drops (a restart, pg_terminate_backend) is an 'error' on the pool, which would otherwise end the process.
  pool.on('error', (error) => console.error(`storage: an idle database connection failed: ${error.message}`));
  const dataChanged = new Listeners<[]>();
  const exportEnded = new Listeners<[jobId?: string]>();
  const listener = new NotificationListener(
    config,
    (channel, payload) => (channel === CHANNEL.exportEnded ? exportEnded.emit(payload) : dataChanged.emit()),
    () => {
      dataChanged.emit();
      exportEnded.emit();
    },
  );
  const shared: Shared = { pool, onStatement, dataChanged, exportEnded, listener, closing: false };
  try {
    const isNew = await inTransaction(shared, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS pos_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM pos_schema_migrations');
      const version = rows[0]!.version ?? 0;
      if (version > POSTGRES_SCHEMA_VERSION) {
        throw new Error(
          `the database has schema version ${version}, newer than this server's ${POSTGRES_SCHEMA_VERSION}: upgrade the server`,
        );
      }
      for (let v = version; v < POSTGRES_SCHEMA_VERSION; v++) {
        await client.query(POSTGRES_MIGRATIONS[v]!);
        await client.query('INSERT INTO pos_schema_migrations (version) VALUES ($1)', [v + 1]);
      }
      if (version === 0 && seed) await seed(new PostgresStorage(shared, client));
      return version === 0;
    });
    await listener.start();
    return { storage: new PostgresStorage(shared), isNew };
  } catch (error) {
    await listener.stop();
    await pool.end();
    throw error;
  }
}
