import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Role } from '../auth/roles.js';
import type { Fixture } from '../db/fixture.js';
import type { RenderedDeck } from '../exports/deck.js';

/**
 * Everything the reference server keeps, as one async interface with two
 * engines: SQLite (server/storage/sqlite.ts, the embedded default) and
 * PostgreSQL (server/storage/postgres.ts, for several instances). Methods are
 * the server's own operations, not SQL: each engine writes its own queries,
 * and test/server/storage-contract.test.ts runs the same cases on both.
 *
 * Timestamps are ISO 8601 strings (`Date#toISOString()`), ids lowercase UUIDs
 * as text. Every method is atomic on its own: one that writes several rows
 * (`exports.complete`, `sessions.create`, `sessions.switchOrganization`,
 * `importFixture`) runs in a transaction of its own, or in the caller's when
 * called on the `tx` of `transaction()`.
 */
export interface Storage {
  readonly engine: 'sqlite' | 'postgres';
  /** False once close() has begun: background work checks it before writing. */
  readonly isOpen: boolean;
  users: UserRecords;
  sessions: SessionRecords;
  pickers: PickerRecords;
  lessons: LessonRecords;
  exports: ExportRecords;
  /** Cache invalidation: a cheap token that moves with every committed write, and pushes where the engine has them. */
  changes: Changes;

  /**
   * Runs `work` in one transaction: everything it does through `tx` commits
   * together, or nothing does when it throws (the error is rethrown). Calls
   * made meanwhile through the storage itself (other requests) see none of
   * it until the commit. `tx.transaction()` nests (a savepoint).
   */
  transaction<T>(work: (tx: Storage) => Promise<T>): Promise<T>;

  /** Fills an empty database from a validated fixture, all or nothing (server/storage/fixture-loader.ts prepares it). */
  importFixture(prepared: PreparedFixture): Promise<void>;

  /** A rate limiter whose counts every instance on this database shares (rate-limiter-flexible's store for the engine). */
  rateLimiter(options: { keyPrefix: string; points: number; duration: number }): Promise<RateLimiterAbstract>;

  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Fills a database this open created (its schema was new), inside the same
   * transaction as the migrations: instances starting together never see an
   * empty schema, and a seed that fails leaves no schema behind.
   */
  seed?: (tx: Storage) => Promise<void>;
  /** Sees every SQL statement run (query counting in tests and benchmarks). */
  onStatement?: (sql: string) => void;
}

export interface OpenedStorage {
  storage: Storage;
  /** True when this open created the schema (and ran `seed`). */
  isNew: boolean;
}

export interface UserWithPassword {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  /** The organisation the user last chose, whether or not still a member (see isMember). */
  activeOrganizationId: string | null;
}

export interface UserRecords {
  /** By email, ignoring ASCII case (SQLite's NOCASE, PostgreSQL's lower() under the C collation: the same rule). */
  byEmail(email: string): Promise<UserWithPassword | undefined>;
  isMember(userId: string, organizationId: string): Promise<boolean>;
  /** The user's organisations and role in each, by name ignoring ASCII case, then id. */
  organizations(userId: string): Promise<{ id: string; name: string; role: Role }[]>;
}

export interface NewSession {
  tokenHash: string;
  userId: string;
  activeOrganizationId: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface SessionRecord {
  tokenHash: string;
  user: { id: string; email: string; name: string };
  /** The session's organisation while the user is still a member of it, else null. */
  activeOrganizationId: string | null;
  /** The role in it; null with it. */
  role: Role | null;
  createdAt: string;
  expiresAt: string;
}

export interface SessionRecords {
  /** Removes sessions ended by `purge` (expired at `now`, or created at or before `createdBefore`), then inserts the new one. */
  create(session: NewSession, purge: { now: string; createdBefore: string }): Promise<void>;
  /** The session if it expires after `now` and was created after `createdAfter`. */
  find(tokenHash: string, now: string, createdAfter: string): Promise<SessionRecord | undefined>;
  /** Moves the expiry to `expiresAt`, never back (another instance may have written a later one). True if it moved. */
  touch(tokenHash: string, expiresAt: string): Promise<boolean>;
  remove(tokenHash: string): Promise<void>;
  /**
   * Makes `organizationId` the session's active organisation and the one the
   * user signs in to next time, if the user is a member of it; false otherwise
   * (nothing written).
   */
  switchOrganization(tokenHash: string, userId: string, organizationId: string): Promise<boolean>;
}

/** A specialization as the pickers return it (published ones only). */
export interface Specialization {
  id: string;
  title: string;
  description: string;
  isPublished: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Training extends Specialization {
  tags: string[];
  specializationId: string | null;
  durationMinutes: number | null;
}

/**
 * The workflow pickers' data: published records of one organisation, by
 * title ignoring ASCII case, then id.
 */
export interface PickerRecords {
  specializations(organizationId: string): Promise<Specialization[]>;
  trainings(organizationId: string): Promise<Training[]>;
  /** Published trainings' tags trimmed of spaces, tabs and line breaks, empty ones dropped, each once; by tag ignoring ASCII case, then tag. */
  trainingTags(organizationId: string): Promise<string[]>;
  /** By position, then name ignoring ASCII case, then id. */
  partnerStages(organizationId: string): Promise<{ id: string; name: string }[]>;
}

export interface LessonForExport {
  id: string;
  title: string;
  sections: { heading: string; body: string }[];
  updatedAt: string;
  organizationName: string;
}

export interface LessonRecords {
  /** By title ignoring ASCII case, then id. */
  list(organizationId: string): Promise<{ id: string; title: string; updatedAt: string }[]>;
  /** The lesson if it belongs to the organisation, with what a deck needs. */
  forExport(organizationId: string, lessonId: string): Promise<LessonForExport | undefined>;
}

export type ExportStatus = 'pending' | 'completed' | 'failed';
export type ExportErrorCode = 'export_failed' | 'timed_out';

export interface ExportJobRecord {
  id: string;
  lessonId: string;
  cacheKey: string | null;
  status: ExportStatus;
  createdAt: string;
  completedAt: string | null;
  costCents: number | null;
  model: string | null;
  error: string | null;
}

export interface NewExportJob {
  id: string;
  organizationId: string;
  lessonId: string;
  cacheKey: string | null;
  createdAt: string;
  /** This server generates it (and resumes it after a crash); false: another process's work, only followed. */
  runsHere: boolean;
}

/** A pending job of this server that a killed run left unfinished, with its lesson. */
export interface InterruptedJob {
  id: string;
  lessonId: string;
  organizationId: string;
  organizationName: string;
  title: string;
  sections: { heading: string; body: string }[];
}

/** For a watched (lesson, cache key): the job that pair means (server/exports/which-export.ts), once it has ended. */
export interface ExportOutcomeRecord {
  lessonId: string;
  cacheKey: string | null;
  id: string;
  /** 'pending' only for a job named in `unrecorded`. */
  status: ExportStatus;
  costCents: number | null;
  model: string | null;
  error: string | null;
  errorCode: ExportErrorCode | null;
}

export interface ExportRecords {
  /** The job a request for (lesson, cache key) means (which-export.ts), if it is completed: a cache hit. */
  completedFor(lessonId: string, cacheKey: string | null): Promise<ExportJobRecord | undefined>;
  /** The cost of the organisation's exports completed in [from, to). */
  spentCents(organizationId: string, from: string, to: string): Promise<number>;
  /** Inserts a pending job and returns it as stored. */
  create(job: NewExportJob): Promise<ExportJobRecord>;
  get(id: string): Promise<ExportJobRecord | undefined>;
  /** This server's pending jobs (runsHere), oldest first. */
  interrupted(): Promise<InterruptedJob[]>;
  /** The job with what its generation needs (its lesson) while it is pending; undefined once it has ended (or never was). */
  pendingWork(id: string): Promise<InterruptedJob | undefined>;
  /**
   * Marks a pending job completed and stores its deck, in one transaction: a
   * completed job always has its file. False (nothing written) when the job
   * was no longer pending (its deadline passed meanwhile).
   */
  complete(
    id: string,
    result: { costCents: number; model: string; completedAt: string; fileName: string; bytes: Buffer },
  ): Promise<boolean>;
  /** Marks a pending job failed (`export_failed`); false when it was no longer pending. */
  fail(id: string, message: string, completedAt: string): Promise<boolean>;
  /** Marks failed (`timed_out`) every pending job created at or before `cutoff`; returns how many. */
  failOverdue(message: string, completedAt: string, cutoff: string): Promise<number>;
  /** When the oldest pending job was created (ms since the epoch), or null when none is. */
  oldestPendingMs(): Promise<number | null>;
  /** The deck of a completed job of the organisation. */
  file(organizationId: string, jobId: string): Promise<{ fileName: string; bytes: Buffer } | undefined>;
  /**
   * One query for every watched key: the outcome of each key whose job has
   * ended, and of each job in `unrecorded` (failed without the failure being
   * written: reported with status 'pending').
   */
  outcomes(keys: { lessonId: string; cacheKey: string | null }[], unrecorded: string[]): Promise<ExportOutcomeRecord[]>;
}

/**
 * What a cache needs to never be staler than the database.
 *
 * `version()` changes whenever a write may have changed the data: SQLite's
 * data_version and total_changes(); on PostgreSQL a row that a trigger on
 * every table bumps in the writing transaction, so the new version becomes
 * visible exactly when the write does. Read the version BEFORE the data it
 * guards: an answer built after reading version V is at least as new as V.
 *
 * `onDataChanged` and `onExportEnded` push the same news without a read:
 * PostgreSQL's NOTIFY from the writing transaction, heard by every instance
 * (at commit, so a listener that reads afterwards sees the write); SQLite
 * pushes only this process's own writes (another process's are seen by the
 * next `version()` or poll). A listener is also called with no argument when
 * notifications may have been missed (the LISTEN connection was re-made):
 * treat that as "anything may have changed".
 */
export interface Changes {
  version(): Promise<string>;
  onDataChanged(listener: () => void): () => void;
  /** An export ended (completed, failed, timed out): its id, or undefined after a gap. */
  onExportEnded(listener: (jobId?: string) => void): () => void;
}

/** A fixture parsed and checked (server/db/fixture.ts), with the slow parts done before the one write transaction. */
export interface PreparedFixture {
  fixture: Fixture;
  /** When the load ran: the createdAt of records that give none. */
  loadedAt: string;
  /** The users' password hashes, in fixture.users order. */
  passwordHashes: string[];
  /** Each export's rendered deck, in fixture.exports order; undefined unless completed. */
  decks: ({ fileName: string; deck: RenderedDeck } | undefined)[];
}
