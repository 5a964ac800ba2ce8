import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import { DEFAULT_ROLE, type Role } from '../auth/roles.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../db/schema.js';
import { theExportId } from '../exports/which-export.js';
import { Listeners } from './listeners.js';
import type {
  Changes,
  ExportJobRecord,
  ExportOutcomeRecord,
  ExportRecords,
  ExportStatus,
  LessonRecords,
  OpenedStorage,
  OpenOptions,
  PickerRecords,
  PreparedFixture,
  SessionRecords,
  Storage,
  UserRecords,
} from './storage.js';

interface JobRow {
  id: string;
  lesson_id: string;
  cache_key: string | null;
  status: ExportStatus;
  created_at: string;
  completed_at: string | null;
  cost_cents: number | null;
  model: string | null;
  error: string | null;
}

const toJob = (r: JobRow): ExportJobRecord => ({
  id: r.id,
  lessonId: r.lesson_id,
  cacheKey: r.cache_key,
  status: r.status,
  createdAt: r.created_at,
  completedAt: r.completed_at,
  costCents: r.cost_cents,
  model: r.model,
  error: r.error,
});

/** A job with what its generation needs: its lesson and organisation (InterruptedJob). */
const WORK = `SELECT j.id, j.lesson_id, l.title, l.sections, j.organization_id, o.name AS organization_name
              FROM export_jobs j JOIN lessons l ON l.id = j.lesson_id JOIN organizations o ON o.id = j.organization_id`;
interface WorkRow {
  id: string;
  lesson_id: string;
  title: string;
  sections: string;
  organization_id: string;
  organization_name: string;
}

const toWork = (r: WorkRow) => ({
  id: r.id,
  lessonId: r.lesson_id,
  organizationId: r.organization_id,
  organizationName: r.organization_name,
  title: r.title,
  sections: JSON.parse(r.sections) as { heading: string; body: string }[],
});

// SQLite's julian day to Unix ms: both sides of the deadline are computed by SQLite.
const julianDayToMs = (jd: number) => (jd - 2440587.5) * 86_400_000;

const JOB_COLUMNS = 'j.id, j.lesson_id, j.cache_key, j.status, j.created_at, j.completed_at, j.cost_cents, j.model, j.error';
// `title COLLATE NOCASE, id`: alphabetical ignoring case (apple < Banana < cherry), ties by id.
const ORDER = 'ORDER BY title COLLATE NOCASE, id';

/** The statements, prepared once and shared by the storage and its transactions. The SQL is the callers' own, moved here. */
function prepare(db: Database.Database) {
  return {
    user: db.prepare<[string], { id: string; email: string; name: string; password_hash: string; active_organization_id: string | null }>(
      'SELECT id, email, name, password_hash, active_organization_id FROM users WHERE email = ?',
    ),
    organizations: db.prepare<[string], { id: string; name: string; role: Role }>(
      `SELECT o.id, o.name, m.role FROM organizations o JOIN memberships m ON m.organization_id = o.id
       WHERE m.user_id = ? ORDER BY o.name COLLATE NOCASE, o.id`,
    ),
    isMember: db.prepare<[string, string], { ok: number }>('SELECT 1 AS ok FROM memberships WHERE user_id = ? AND organization_id = ?'),
    rememberActive: db.prepare('UPDATE users SET active_organization_id = ? WHERE id = ?'),

    insertSession: db.prepare(
      'INSERT INTO sessions (token_hash, user_id, active_organization_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    findSession: db.prepare<
      [string, string, string],
      {
        token_hash: string;
        id: string;
        email: string;
        name: string;
        active_organization_id: string | null;
        role: Role | null;
        created_at: string;
        expires_at: string;
      }
    >(
      `SELECT s.token_hash, u.id, u.email, u.name, s.created_at, s.expires_at, m.organization_id AS active_organization_id, m.role
       FROM sessions s JOIN users u ON u.id = s.user_id
       LEFT JOIN memberships m ON m.user_id = u.id AND m.organization_id = s.active_organization_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND s.created_at > ?`,
    ),
    touchSession: db.prepare<{ expiresAt: string; tokenHash: string }>(
      'UPDATE sessions SET expires_at = @expiresAt WHERE token_hash = @tokenHash AND expires_at < @expiresAt',
    ),
    removeSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    setActive: db.prepare('UPDATE sessions SET active_organization_id = ? WHERE token_hash = ?'),
    purgeSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR created_at <= ?'),

    specializations: db.prepare<
      [string],
      { id: string; title: string; description: string; is_published: number; created_at: string; updated_at: string }
    >(
      `SELECT id, title, description, is_published, created_at, updated_at FROM specializations
       WHERE organization_id = ? AND is_published = 1 ${ORDER}`,
    ),
    trainings: db.prepare<
      [string],
      {
        id: string;
        title: string;
        description: string;
        tags: string;
        specialization_id: string | null;
        duration_minutes: number | null;
        is_published: number;
        created_at: string;
        updated_at: string;
      }
    >(
      `SELECT id, title, description, tags, specialization_id, duration_minutes, is_published, created_at, updated_at
       FROM trainings WHERE organization_id = ? AND is_published = 1 ${ORDER}`,
    ),
    tags: db
      .prepare<[string], string>(
        `SELECT DISTINCT trim(j.value, ' ' || char(9, 10, 13)) AS tag
         FROM trainings t, json_each(t.tags) j
         WHERE t.organization_id = ? AND t.is_published = 1 AND j.type = 'text' AND tag <> ''
         ORDER BY tag COLLATE NOCASE, tag`,
      )
      .pluck(),
    partnerStages: db.prepare<[string], { id: string; name: string }>(
      'SELECT id, name FROM partner_stages WHERE organization_id = ? ORDER BY position, name COLLATE NOCASE, id',
    ),

    lessons: db.prepare<[string], { id: string; title: string; updatedAt: string }>(
      'SELECT id, title, updated_at AS updatedAt FROM lessons WHERE organization_id = ? ORDER BY title COLLATE NOCASE, id',
    ),
    lesson: db.prepare<[string, string], { id: string; title: string; sections: string; updated_at: string; organization_name: string }>(
      `SELECT l.id, l.title, l.sections, l.updated_at, o.name AS organization_name FROM lessons l JOIN organizations o ON o.id = l.organization_id
       WHERE l.id = ? AND l.organization_id = ?`,
    ),

    hit: db.prepare<[{ lessonId: string; cacheKey: string | null }], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM export_jobs j WHERE j.id = (${theExportId('@lessonId', '@cacheKey')}) AND j.status = 'completed'`,
    ),
    spent: db
      .prepare<[string, string, string], number>(
        `SELECT COALESCE(SUM(cost_cents), 0) AS spent FROM export_jobs
         WHERE organization_id = ? AND status = 'completed' AND completed_at >= ? AND completed_at < ?`,
      )
      .pluck(),
    insertJob: db.prepare(
      `INSERT INTO export_jobs (id, organization_id, lesson_id, cache_key, status, created_at, runs_here) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
    ),
    interrupted: db.prepare<[], WorkRow>(`${WORK} WHERE j.status = 'pending' AND j.runs_here = 1 ORDER BY j.created_at`),
    pendingWork: db.prepare<[string], WorkRow>(`${WORK} WHERE j.id = ? AND j.status = 'pending'`),
    job: db.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM export_jobs j WHERE j.id = ?`),
    complete: db.prepare(
      `UPDATE export_jobs SET status = 'completed', cost_cents = ?, model = ?, completed_at = ? WHERE id = ? AND status = 'pending'`,
    ),
    fail: db.prepare(
      `UPDATE export_jobs SET status = 'failed', error = ?, error_code = 'export_failed', completed_at = ? WHERE id = ? AND status = 'pending'`,
    ),
    // julianday(): a job another process wrote in another ISO form still compares by its instant.
    overdue: db.prepare<[string, string, string], { id: string }>(
      `UPDATE export_jobs SET status = 'failed', error = ?, error_code = 'timed_out', completed_at = ?
       WHERE status = 'pending' AND julianday(created_at) <= julianday(?) RETURNING id`,
    ),
    oldestPending: db
      .prepare<[], number | null>(`SELECT MIN(julianday(created_at)) AS oldest FROM export_jobs WHERE status = 'pending'`)
      .pluck(),
    insertFile: db.prepare('INSERT INTO export_files (job_id, file_name, bytes) VALUES (?, ?, ?)'),
    file: db.prepare<[string, string], { file_name: string; bytes: Buffer }>(
      `SELECT f.file_name, f.bytes FROM export_files f JOIN export_jobs j ON j.id = f.job_id
       WHERE f.job_id = ? AND j.organization_id = ? AND j.status = 'completed'`,
    ),
    // For each watched key: the job the stream waits for (which-export.ts), if it has ended.
    outcomes: db.prepare<
      [string, string],
      {
        lesson_id: string;
        cache_key: string | null;
        id: string;
        status: ExportStatus;
        cost_cents: number | null;
        model: string | null;
        error: string | null;
        error_code: 'export_failed' | 'timed_out' | null;
      }
    >(`
      WITH watched AS (
        SELECT json_extract(value, '$[0]') AS lesson_id, json_extract(value, '$[1]') AS cache_key FROM json_each(?)
      )
      SELECT w.lesson_id, w.cache_key, j.id, j.status, j.cost_cents, j.model, j.error, j.error_code
      FROM watched w
      JOIN export_jobs j ON j.id = (${theExportId('w.lesson_id', 'w.cache_key')})
      WHERE j.status <> 'pending' OR j.id IN (SELECT value FROM json_each(?))`),
  };
}

type Statements = ReturnType<typeof prepare>;

/**
 * One better-sqlite3 connection serves every caller, so a transaction that
 * awaits in the middle would take in whatever other requests run meanwhile.
 * While one is open, calls made outside it wait at this gate; calls inside it
 * (through its `tx`) pass. Methods are synchronous underneath, so nothing can
 * start a transaction between a call's check and its statements.
 */
class Gate {
  private held: Promise<void> | undefined;

  /** Resolves when no transaction is open (at once, the usual case). */
  async pass(): Promise<void> {
    while (this.held) await this.held;
  }

  async enter(): Promise<() => void> {
    await this.pass();
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }
}

/** What a storage and its transactions share. */
interface Shared {
  db: Database.Database;
  path: string;
  /** The rate limiter's own connection (rateLimiter()), opened on first use. */
  limits?: Database.Database;
  sql: Statements;
  gate: Gate;
  version: () => string;
  dataChanged: Listeners<[]>;
  exportEnded: Listeners<[jobId?: string]>;
  closing: boolean;
}

/**
 * A cheap token that changes whenever the database's data may have changed:
 * SQLite's `data_version` moves when another connection (another process)
 * commits, and `total_changes()` when this connection writes.
 *
 * Two statements rather than one SELECT of both: `PRAGMA data_version` is
 * 1.7 µs against 2.5 µs for the pragma_data_version() table function, and
 * `total_changes()` alone takes no read lock (0.07 µs) — a third off the
 * read that every cached answer pays (file database in WAL mode).
 */
function dataVersion(db: Database.Database): () => string {
  const version = db.prepare('PRAGMA data_version').pluck();
  const changes = db.prepare('SELECT total_changes()').pluck();
  return () => `${version.get() as number}.${changes.get() as number}`;
}

/** The embedded engine: one better-sqlite3 connection, WAL (server/db/schema.ts's migrations). */
export class SqliteStorage implements Storage {
  readonly engine = 'sqlite';
  readonly users: UserRecords;
  readonly sessions: SessionRecords;
  readonly pickers: PickerRecords;
  readonly lessons: LessonRecords;
  readonly exports: ExportRecords;
  readonly changes: Changes;
  /** Inside a transaction: events wait for its commit. */
  private readonly queued: (() => void)[] | undefined;
  private savepoints = 0;

  constructor(
    private readonly shared: Shared,
    inTransaction = false,
  ) {
    this.queued = inTransaction ? [] : undefined;
    const { sql, db } = shared;
    const run = this.run.bind(this);

    this.users = {
      byEmail: (email) =>
        run(() => {
          const r = sql.user.get(email);
          return (
            r && { id: r.id, email: r.email, name: r.name, passwordHash: r.password_hash, activeOrganizationId: r.active_organization_id }
          );
        }),
      isMember: (userId, organizationId) => run(() => sql.isMember.get(userId, organizationId) !== undefined),
      organizations: (userId) => run(() => sql.organizations.all(userId)),
    };

    this.sessions = {
      create: (s, purge) =>
        run(() => {
          db.transaction(() => {
            sql.purgeSessions.run(purge.now, purge.createdBefore);
            sql.insertSession.run(s.tokenHash, s.userId, s.activeOrganizationId, s.createdAt, s.expiresAt);
          })();
          this.wrote();
        }),
      find: (tokenHash, now, createdAfter) =>
        run(() => {
          const r = sql.findSession.get(tokenHash, now, createdAfter);
          return (
            r && {
              tokenHash: r.token_hash,
              user: { id: r.id, email: r.email, name: r.name },
              activeOrganizationId: r.active_organization_id,
              role: r.role,
              createdAt: r.created_at,
              expiresAt: r.expires_at,
            }
          );
        }),
      touch: (tokenHash, expiresAt) => run(() => this.wrote(sql.touchSession.run({ expiresAt, tokenHash }).changes) > 0),
      remove: (tokenHash) =>
        run(() => {
          this.wrote(sql.removeSession.run(tokenHash).changes);
        }),
      switchOrganization: (tokenHash, userId, organizationId) =>
        run(() => {
          const switched = db.transaction(() => {
            if (!sql.isMember.get(userId, organizationId)) return false;
            sql.setActive.run(organizationId, tokenHash);
            sql.rememberActive.run(organizationId, userId);
            return true;
          })();
          if (switched) this.wrote();
          return switched;
        }),
    };

    this.pickers = {
      specializations: (organizationId) =>
        run(() =>
          sql.specializations.all(organizationId).map((r) => ({
            id: r.id,
            title: r.title,
            description: r.description,
            isPublished: r.is_published === 1,
            createdAt: r.created_at,
            updatedAt: r.updated_at,
          })),
        ),
      trainings: (organizationId) =>
        run(() =>
          sql.trainings.all(organizationId).map((r) => ({
            id: r.id,
            title: r.title,
            description: r.description,
            tags: JSON.parse(r.tags) as string[],
            specializationId: r.specialization_id,
            durationMinutes: r.duration_minutes,
            isPublished: r.is_published === 1,
            createdAt: r.created_at,
            updatedAt: r.updated_at,
          })),
        ),
      trainingTags: (organizationId) => run(() => sql.tags.all(organizationId)),
      partnerStages: (organizationId) => run(() => sql.partnerStages.all(organizationId)),
    };

    this.lessons = {
      list: (organizationId) => run(() => sql.lessons.all(organizationId)),
      forExport: (organizationId, lessonId) =>
        run(() => {
          const r = sql.lesson.get(lessonId, organizationId);
          return (
            r && {
              id: r.id,
              title: r.title,
              sections: JSON.parse(r.sections),
              updatedAt: r.updated_at,
              organizationName: r.organization_name,
            }
          );
        }),
    };

    this.exports = {
      completedFor: (lessonId, cacheKey) =>
        run(() => {
          const r = sql.hit.get({ lessonId, cacheKey });
          return r && toJob(r);
        }),
      spentCents: (organizationId, from, to) => run(() => sql.spent.get(organizationId, from, to)!),
      create: (job) =>
        run(() => {
          sql.insertJob.run(job.id, job.organizationId, job.lessonId, job.cacheKey, job.createdAt, job.runsHere ? 1 : 0);
          this.wrote();
          return toJob(sql.job.get(job.id)!);
        }),
      get: (id) =>
        run(() => {
          const r = sql.job.get(id);
          return r && toJob(r);
        }),
      interrupted: () => run(() => sql.interrupted.all().map(toWork)),
      pendingWork: (id) =>
        run(() => {
          const r = sql.pendingWork.get(id);
          return r && toWork(r);
        }),
      complete: (id, result) =>
        run(() => {
          const stored = db.transaction(() => {
            if (sql.complete.run(result.costCents, result.model, result.completedAt, id).changes === 0) return false;
            sql.insertFile.run(id, result.fileName, result.bytes);
            return true;
          })();
          if (stored) this.ended(id);
          return stored;
        }),
      fail: (id, message, completedAt) =>
        run(() => {
          const failed = sql.fail.run(message, completedAt, id).changes > 0;
          if (failed) this.ended(id);
          return failed;
        }),
      failOverdue: (message, completedAt, cutoff) =>
        run(() => {
          const ids = sql.overdue.all(message, completedAt, cutoff);
          for (const { id } of ids) this.ended(id);
          return ids.length;
        }),
      oldestPendingMs: () =>
        run(() => {
          const oldest = sql.oldestPending.get();
          return oldest == null ? null : julianDayToMs(oldest);
        }),
      file: (organizationId, jobId) =>
        run(() => {
          const r = sql.file.get(jobId, organizationId);
          return r && { fileName: r.file_name, bytes: r.bytes };
        }),
      outcomes: (keys, unrecorded) =>
        run(() =>
          sql.outcomes
            .all(JSON.stringify(keys.map((k) => [k.lessonId, k.cacheKey])), JSON.stringify(unrecorded))
            .map<ExportOutcomeRecord>((r) => ({
              lessonId: r.lesson_id,
              cacheKey: r.cache_key,
              id: r.id,
              status: r.status,
              costCents: r.cost_cents,
              model: r.model,
              error: r.error,
              errorCode: r.error_code,
            })),
        ),
    };

    this.changes = {
      version: () => run(() => shared.version()),
      onDataChanged: (listener) => shared.dataChanged.add(listener),
      onExportEnded: (listener) => shared.exportEnded.add(listener),
    };
  }

  /** The connection itself, for tests that reach past the interface (pragmas, raw SQL) and for callers not yet moved over. */
  get db(): Database.Database {
    return this.shared.db;
  }

  get isOpen(): boolean {
    return !this.shared.closing && this.shared.db.open;
  }

  /** Runs synchronous statements once no transaction of others is open; errors become rejections. */
  private async run<T>(work: () => T): Promise<T> {
    if (!this.queued) await this.shared.gate.pass();
    return work();
  }

  /** After a write that changed `changes` rows: tells the data-change listeners (at commit, inside a transaction). */
  private wrote<N extends number>(changes: N = 1 as N): N {
    if (changes > 0) this.emit(() => this.shared.dataChanged.emit());
    return changes;
  }

  private ended(jobId: string): void {
    this.wrote();
    this.emit(() => this.shared.exportEnded.emit(jobId));
  }

  private emit(event: () => void): void {
    if (this.queued) this.queued.push(event);
    else event();
  }

  async transaction<T>(work: (tx: Storage) => Promise<T>): Promise<T> {
    const { db } = this.shared;
    if (this.queued) {
      const name = `nested_${++this.savepoints}`;
      const before = this.queued.length;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const result = await work(this);
        db.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        db.exec(`ROLLBACK TO ${name}`);
        db.exec(`RELEASE ${name}`);
        this.queued.length = before;
        throw error;
      }
    }
    const release = await this.shared.gate.enter();
    const tx = new SqliteStorage(this.shared, true);
    try {
      db.exec('BEGIN IMMEDIATE');
      const result = await work(tx);
      db.exec('COMMIT');
      for (const event of tx.queued!) event();
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    } finally {
      release();
    }
  }

  importFixture(prepared: PreparedFixture): Promise<void> {
    return this.run(() => {
      insertFixture(this.shared.db, prepared);
      this.wrote();
    });
  }

  /**
   * The counts live in a file of their own beside the database (`<file>-limits`),
   * on a connection of their own: every sign-in that fails writes a count, and
   * a write on the database itself moves its data version (PRAGMA data_version
   * for other processes, total_changes() for this one), which would empty the
   * session and picker-answer caches of every process at each failed sign-in.
   * Processes on the same file still share the counts through the side file.
   */
  rateLimiter({ keyPrefix, points, duration }: { keyPrefix: string; points: number; duration: number }) {
    const { shared } = this;
    if (!shared.limits) {
      shared.limits = new Database(shared.path === ':memory:' ? ':memory:' : `${shared.path}-limits`);
      shared.limits.pragma('journal_mode = WAL');
      shared.limits.pragma('busy_timeout = 5000');
    }
    const storeClient = shared.limits;
    return new Promise<RateLimiterSQLite>((resolve, reject) => {
      const limiter: RateLimiterSQLite = new RateLimiterSQLite(
        { storeClient, storeType: 'better-sqlite3', keyPrefix, points, duration, tableName: `rate_limit_${keyPrefix}` },
        (error?: unknown) => (error ? reject(error) : resolve(limiter)),
      );
    });
  }

  async close(): Promise<void> {
    if (this.queued) throw new Error('close() the storage, not a transaction');
    this.shared.closing = true;
    await this.shared.gate.pass();
    if (this.shared.db.open) this.shared.db.close();
    this.shared.limits?.close();
  }
}

/** The fixture's rows, in one transaction. */
function insertFixture(db: Database.Database, { fixture, loadedAt, passwordHashes, decks }: PreparedFixture): void {
  const insert = {
    organization: db.prepare('INSERT INTO organizations (id, name) VALUES (?, ?)'),
    user: db.prepare('INSERT INTO users (id, email, name, password_hash, active_organization_id) VALUES (?, ?, ?, ?, ?)'),
    membership: db.prepare('INSERT INTO memberships (user_id, organization_id, role) VALUES (?, ?, ?)'),
    specialization: db.prepare(
      'INSERT INTO specializations (id, organization_id, title, description, is_published, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    training: db.prepare(
      `INSERT INTO trainings (id, organization_id, title, description, tags, specialization_id, duration_minutes, is_published, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    lesson: db.prepare('INSERT INTO lessons (id, organization_id, title, sections, updated_at) VALUES (?, ?, ?, ?, ?)'),
    job: db.prepare(
      `INSERT INTO export_jobs (id, organization_id, lesson_id, cache_key, status, cost_cents, model, error, created_at, completed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    file: db.prepare('INSERT INTO export_files (job_id, file_name, bytes) VALUES (?, ?, ?)'),
    stage: db.prepare('INSERT INTO partner_stages (id, organization_id, name, position) VALUES (?, ?, ?, ?)'),
  };

  db.transaction(() => {
    for (const o of fixture.organizations) insert.organization.run(o.id, o.name);
    fixture.users.forEach((u, i) => {
      insert.user.run(u.id, u.email, u.name, passwordHashes[i]!, u.activeOrganizationId);
      for (const org of u.organizationIds) insert.membership.run(u.id, org, u.roles?.[org] ?? DEFAULT_ROLE);
    });
    for (const s of fixture.specializations) {
      const created = s.createdAt ?? loadedAt;
      insert.specialization.run(s.id, s.organizationId, s.title, s.description, Number(s.isPublished), created, s.updatedAt ?? created);
    }
    for (const t of fixture.trainings) {
      const created = t.createdAt ?? loadedAt;
      insert.training.run(
        t.id,
        t.organizationId,
        t.title,
        t.description,
        JSON.stringify(t.tags),
        t.specializationId,
        t.durationMinutes,
        Number(t.isPublished),
        created,
        t.updatedAt ?? created,
      );
    }
    for (const l of fixture.lessons) insert.lesson.run(l.id, l.organizationId, l.title, JSON.stringify(l.sections), l.updatedAt);
    fixture.exports.forEach((e, i) => {
      const rendered = decks[i];
      insert.job.run(
        e.id,
        e.organizationId,
        e.lessonId,
        e.cacheKey,
        e.status,
        e.costCents ?? rendered?.deck.costCents ?? null,
        e.model ?? rendered?.deck.model ?? null,
        e.error ?? null,
        e.createdAt,
        e.status === 'pending' ? null : (e.completedAt ?? e.createdAt),
      );
      if (rendered) insert.file.run(e.id, rendered.fileName, rendered.deck.bytes);
    });
    for (const s of fixture.partnerStages) insert.stage.run(s.id, s.organizationId, s.name, s.position);
  })();
}

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to
 * date (server/db/schema.ts's migrations). WAL lets the stream's poll read
 * while an export writes; foreign keys are off by default in SQLite and must
 * be switched on per connection. A database this open creates is seeded in
 * the same transaction as its migrations.
 */
export async function openSqliteStorage(
  path: string,
  { seed, onStatement }: OpenOptions = {},
): Promise<OpenedStorage & { storage: SqliteStorage }> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, onStatement ? { verbose: (sql) => onStatement(String(sql)) } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');

  try {
    // IMMEDIATE: a second process opening the same new file waits here rather than migrating it too.
    db.exec('BEGIN IMMEDIATE');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${path} has schema version ${version}, newer than this server's ${SCHEMA_VERSION}: upgrade the server or use another POS_DB`,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    const shared: Shared = {
      db,
      path,
      sql: prepare(db),
      gate: new Gate(),
      version: dataVersion(db),
      dataChanged: new Listeners(),
      exportEnded: new Listeners(),
      closing: false,
    };
    const isNew = version === 0;
    if (isNew && seed) await seed(new SqliteStorage(shared, true));
    db.exec('COMMIT');
    return { storage: new SqliteStorage(shared), isNew };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    throw error;
  }
}
