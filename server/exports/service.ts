import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Db } from '../db/database.js';
import { deckFileName, renderLessonDeck, type LessonContent, type RenderedDeck } from './deck.js';
import { exportFileUrl, type ExportWatcher } from './watcher.js';
import { theExportId } from './which-export.js';

export type ExportStatus = 'pending' | 'completed' | 'failed';

/** An export job as the API returns it. */
export interface ExportJob {
  id: string;
  lessonId: string;
  cacheKey: string | null;
  status: ExportStatus;
  createdAt: string;
  completedAt?: string;
  url?: string;
  costCents?: number;
  model?: string;
  error?: string;
}

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

export type DeckRenderer = (lesson: LessonContent) => Promise<RenderedDeck>;

/** What a generation needs to know of its job beyond the lesson: for the mark and the log. */
interface QueuedJob {
  id: string;
  lessonId: string;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What the demo's control asks of an organisation's next export. */
export type DemoBehaviour = 'fail' | 'hang';

/** The settings the service enforces (server/config.ts). */
export interface ExportPolicy {
  /** Each organisation's allowance per calendar month (UTC), in cents; undefined: none. */
  allowanceCents: number | undefined;
  /** A job still pending this long after its dispatch is marked failed (`timed_out`). */
  deadlineMs: number;
}

/** An organisation's export allowance for one month, as a refusal and the demo controls report it. */
export interface Allowance {
  /** `YYYY-MM`, UTC. */
  month: string;
  allowanceCents: number;
  spentCents: number;
}

export type DispatchResult = { job: ExportJob; cached: boolean } | { refused: Allowance };

export const formatDuration = (ms: number) =>
  ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The calendar month (UTC) of `at`: its key, its bounds as ISO strings, its name. */
function monthOf(at: Date) {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  const start = new Date(Date.UTC(year, month, 1));
  const next = new Date(Date.UTC(year, month + 1, 1));
  return {
    key: start.toISOString().slice(0, 7),
    start: start.toISOString(),
    next: next.toISOString(),
    name: `${MONTHS[month]} ${year}`,
    renews: `1 ${MONTHS[next.getUTCMonth()]} ${next.getUTCFullYear()}`,
  };
}

/** The 402 sentence for a refused dispatch. */
export function allowanceSpentMessage(allowance: Allowance): string {
  const month = monthOf(new Date(`${allowance.month}-01T00:00:00Z`));
  return (
    `This organisation's export allowance for ${month.name} is used up (spent ${allowance.spentCents} of ${allowance.allowanceCents} cents). ` +
    `It renews on ${month.renews}; exports already made can still be downloaded.`
  );
}

// setTimeout's largest delay (about 24.8 days); a longer one would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;
// SQLite's julian day to Unix ms: both sides of the deadline are computed by SQLite.
const julianDayToMs = (jd: number) => (jd - 2440587.5) * 86_400_000;

export function toExportJob(row: JobRow): ExportJob {
  const job: ExportJob = { id: row.id, lessonId: row.lesson_id, cacheKey: row.cache_key, status: row.status, createdAt: row.created_at };
  if (row.completed_at) job.completedAt = row.completed_at;
  if (row.status === 'completed') {
    job.url = exportFileUrl(row.id);
    job.costCents = row.cost_cents ?? 0;
    job.model = row.model ?? 'unknown';
  }
  if (row.status === 'failed') job.error = row.error ?? 'The export failed.';
  return job;
}

/**
 * Dispatches PPTX exports and generates them in this process, at most
 * `concurrency` at a time. The deck and the "completed" mark are written in one
 * transaction, so a completed job always has its file.
 */
export class ExportService {
  private readonly limit;
  private readonly running = new Set<Promise<void>>();
  /** Demo controls: the next export of an organisation fails or never finishes. */
  private readonly nextBehaviour = new Map<string, DemoBehaviour>();
  /**
   * Demo controls: cents added to an organisation's real spending of a month
   * (key `org month`), so the demo can use up its allowance, or start afresh,
   * without writing made-up jobs that streams and cache hits would then find.
   */
  private readonly demoSpending = new Map<string, number>();
  private policy: ExportPolicy = { allowanceCents: undefined, deadlineMs: Infinity };
  /**
   * When this server began enforcing the deadline. A job's deadline runs from
   * its dispatch or from here, whichever is later: time the server was down
   * does not count (an interrupted job is resumed, not failed, at the next
   * start), and another process's pending job gets the whole deadline from
   * the moment this server can see it.
   */
  private deadlineFrom = Date.now();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepFailing = false;
  private readonly sql;

  constructor(
    private readonly db: Db,
    private readonly watcher: ExportWatcher,
    concurrency: number,
    private readonly render: DeckRenderer = renderLessonDeck,
  ) {
    this.limit = pLimit(concurrency);
    const JOB_COLUMNS = 'j.id, j.lesson_id, j.cache_key, j.status, j.created_at, j.completed_at, j.cost_cents, j.model, j.error';
    this.sql = {
      // The organisation's name is for the deck's title slide and footer.
      lesson: db.prepare<[string, string], { id: string; title: string; sections: string; updated_at: string; organization_name: string }>(
        `SELECT l.id, l.title, l.sections, l.updated_at, o.name AS organization_name FROM lessons l JOIN organizations o ON o.id = l.organization_id
         WHERE l.id = ? AND l.organization_id = ?`,
      ),
      // The job the request means (which-export.ts), if it is completed: a cache hit.
      hit: db.prepare<[{ lessonId: string; cacheKey: string | null }], JobRow>(
        `SELECT ${JOB_COLUMNS} FROM export_jobs j WHERE j.id = (${theExportId('@lessonId', '@cacheKey')}) AND j.status = 'completed'`,
      ),
      spent: db.prepare<[string, string, string], { spent: number }>(
        `SELECT COALESCE(SUM(cost_cents), 0) AS spent FROM export_jobs
         WHERE organization_id = ? AND status = 'completed' AND completed_at >= ? AND completed_at < ?`,
      ),
      insert: db.prepare(
        `INSERT INTO export_jobs (id, organization_id, lesson_id, cache_key, status, created_at, runs_here) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
      ),
      interrupted: db.prepare<
        [],
        { id: string; lesson_id: string; title: string; sections: string; organization_id: string; organization_name: string }
      >(
        `SELECT j.id, j.lesson_id, l.title, l.sections, j.organization_id, o.name AS organization_name
         FROM export_jobs j JOIN lessons l ON l.id = j.lesson_id JOIN organizations o ON o.id = j.organization_id
         WHERE j.status = 'pending' AND j.runs_here = 1 ORDER BY j.created_at`,
      ),
      job: db.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM export_jobs j WHERE j.id = ?`),
      complete: db.prepare(
        `UPDATE export_jobs SET status = 'completed', cost_cents = ?, model = ?, completed_at = ? WHERE id = ? AND status = 'pending'`,
      ),
      fail: db.prepare(
        `UPDATE export_jobs SET status = 'failed', error = ?, error_code = 'export_failed', completed_at = ? WHERE id = ? AND status = 'pending'`,
      ),
      pending: db.prepare<[string], { status: ExportStatus }>('SELECT status FROM export_jobs WHERE id = ?'),
      // julianday(): a job another process wrote in another ISO form still compares by its instant.
      overdue: db.prepare(
        `UPDATE export_jobs SET status = 'failed', error = ?, error_code = 'timed_out', completed_at = ?
         WHERE status = 'pending' AND julianday(created_at) <= julianday(?)`,
      ),
      oldestPending: db.prepare<[], { oldest: number | null }>(
        `SELECT MIN(julianday(created_at)) AS oldest FROM export_jobs WHERE status = 'pending'`,
      ),
      insertFile: db.prepare('INSERT INTO export_files (job_id, file_name, bytes) VALUES (?, ?, ?)'),
      file: db.prepare<[string, string], { file_name: string; bytes: Buffer }>(
        `SELECT f.file_name, f.bytes FROM export_files f JOIN export_jobs j ON j.id = f.job_id
         WHERE f.job_id = ? AND j.organization_id = ? AND j.status = 'completed'`,
      ),
    };
  }

  /** The lesson if it belongs to the organisation. */
  lesson(organizationId: string, lessonId: string) {
    return this.sql.lesson.get(lessonId, organizationId);
  }

  /**
   * The settings to enforce, from the server's configuration (createApp
   * passes them). Starts the deadline's clock.
   */
  configure(policy: ExportPolicy): void {
    this.policy = policy;
    this.deadlineFrom = Date.now();
    this.sweepIn(policy.deadlineMs);
  }

  /**
   * When the job the request means (which-export.ts) is completed, it is
   * returned as is (`cached: true`), whatever the allowance: a hit costs
   * nothing. Otherwise a new pending job is created and generated, unless the
   * organisation's spending this month has reached its allowance (`refused`):
   * a new export's cost is known only once it is made, so one dispatched just
   * under the allowance may take the month over it. Returns undefined when the
   * lesson is not the organisation's.
   */
  dispatch(organizationId: string, lessonId: string, cacheKey: string | null): DispatchResult | undefined {
    const lesson = this.lesson(organizationId, lessonId);
    if (!lesson) return undefined;
    const hit = this.sql.hit.get({ lessonId, cacheKey });
    if (hit) return { job: toExportJob(hit), cached: true };
    const allowance = this.allowance(organizationId);
    if (allowance && allowance.spentCents >= allowance.allowanceCents) return { refused: allowance };

    const id = randomUUID();
    const behaviour = this.nextBehaviour.get(organizationId);
    this.nextBehaviour.delete(organizationId);
    // A job meant to hang is left to no one (runs_here = 0): it stays pending until its deadline.
    this.sql.insert.run(id, organizationId, lessonId, cacheKey, new Date().toISOString(), behaviour === 'hang' ? 0 : 1);
    const job = { id, lessonId };
    if (behaviour === 'fail')
      this.enqueue(job, { title: lesson.title, sections: [] }, () => Promise.reject(new Error('the demo asked this export to fail')));
    else if (behaviour !== 'hang') {
      this.enqueue(job, {
        title: lesson.title,
        sections: JSON.parse(lesson.sections),
        organizationId,
        organizationName: lesson.organization_name,
      });
    }
    return { job: toExportJob(this.sql.job.get(id)!), cached: false };
  }

  /**
   * Generates again the jobs a previous run of this server accepted but did not
   * finish (it was killed): they stay `pending` and complete as if nothing had
   * happened, so clients following them see them complete. Returns how many.
   */
  resumeInterrupted(): number {
    const jobs = this.sql.interrupted.all();
    for (const job of jobs) {
      const lesson = {
        title: job.title,
        sections: JSON.parse(job.sections),
        organizationId: job.organization_id,
        organizationName: job.organization_name,
      };
      this.enqueue({ id: job.id, lessonId: job.lesson_id }, lesson);
    }
    return jobs.length;
  }

  /** Demo controls: make the organisation's next dispatched export fail, or never finish. */
  setNextBehaviour(organizationId: string, behaviour: DemoBehaviour | 'none'): void {
    if (behaviour === 'none') this.nextBehaviour.delete(organizationId);
    else this.nextBehaviour.set(organizationId, behaviour);
  }

  /**
   * The organisation's allowance this month (UTC) and what it has spent: the
   * `costCents` of its exports completed this month (cache hits create no job,
   * so they cost nothing). Undefined when the server has no allowance.
   */
  allowance(organizationId: string, at = new Date()): Allowance | undefined {
    const { allowanceCents } = this.policy;
    if (allowanceCents === undefined) return undefined;
    const month = monthOf(at);
    const real = this.sql.spent.get(organizationId, month.start, month.next)!.spent;
    const demo = this.demoSpending.get(`${organizationId} ${month.key}`) ?? 0;
    return { month: month.key, allowanceCents, spentCents: Math.max(0, real + demo) };
  }

  /**
   * Demo controls: `exhaust` counts the organisation's spending this month as
   * its whole allowance (the next dispatch that is not a cache hit gets 402);
   * `reset` counts it as nothing spent so far. In memory only, like
   * `setNextBehaviour`. Undefined when the server has no allowance.
   */
  setDemoSpending(organizationId: string, action: 'exhaust' | 'reset', at = new Date()): Allowance | undefined {
    const current = this.allowance(organizationId, at);
    if (!current) return undefined;
    const key = `${organizationId} ${current.month}`;
    const demo = this.demoSpending.get(key) ?? 0;
    const real = current.spentCents - demo;
    if (action === 'reset') this.demoSpending.set(key, -real);
    else if (current.spentCents < current.allowanceCents) this.demoSpending.set(key, current.allowanceCents - real);
    return this.allowance(organizationId, at);
  }

  /**
   * Marks failed (`timed_out`) every pending job whose deadline has passed, so
   * later streams and dispatches see a final state; streams following them
   * hear at once. Whose work it is does not matter: this server's (even one
   * still generating: its late result is discarded), a demo job left to no one,
   * or another process's. Returns how many.
   */
  failOverdue(now = Date.now()): number {
    const cutoff = now - this.policy.deadlineMs;
    if (!(cutoff >= this.deadlineFrom)) return 0;
    const message = `The export timed out: it did not finish within its deadline of ${formatDuration(this.policy.deadlineMs)}, so the server gave up on it.`;
    const { changes } = this.sql.overdue.run(message, new Date(now).toISOString(), new Date(cutoff).toISOString());
    if (changes) this.watcher.checkNow();
    return changes;
  }

  /**
   * Runs from a timer, so it must not throw. The next check is due at the
   * oldest pending job's deadline, and at the latest one deadline from now, for
   * jobs another process may write meanwhile. unref(): a pending check never
   * keeps the process alive, and once the database is closed it stops.
   */
  private sweep(): void {
    this.sweepTimer = undefined;
    if (!this.db.open) return;
    const { deadlineMs } = this.policy;
    let next = deadlineMs;
    try {
      this.failOverdue();
      const { oldest } = this.sql.oldestPending.get()!;
      if (oldest !== null) next = Math.min(next, Math.max(julianDayToMs(oldest), this.deadlineFrom) + deadlineMs - Date.now());
      if (this.sweepFailing) console.error('export deadline: checking works again');
      this.sweepFailing = false;
    } catch (error) {
      // The database refuses (read-only, full): try again soon, and say so once, not at every try.
      if (!this.sweepFailing) console.error(`export deadline: marking overdue jobs failed did not work (${reasonOf(error)}); trying again`);
      this.sweepFailing = true;
      next = Math.min(deadlineMs, 10_000);
    }
    // +1 ms: a deadline computed a hair early finds its job not yet due, and the check runs again at once.
    this.sweepIn(Math.max(0, next) + 1);
  }

  private sweepIn(ms: number): void {
    clearTimeout(this.sweepTimer);
    this.sweepTimer = Number.isFinite(ms) ? setTimeout(() => this.sweep(), Math.min(ms, MAX_TIMER_MS)).unref() : undefined;
  }

  private enqueue(job: QueuedJob, lesson: LessonContent, render = this.render): void {
    const work = this.limit(() => this.generate(job, lesson, render))
      // Nothing awaits this promise: generate() handles its failures, and this
      // is for a bug in it, which must not become an unhandled rejection (on
      // Node 20 the process would exit, taking every open stream with it).
      .catch((error) => console.error(`export ${job.id} (lesson ${job.lessonId}): unexpected error:`, error))
      .finally(() => this.running.delete(work));
    this.running.add(work);
  }

  /** The deck of a completed job of the organisation, or undefined. */
  file(organizationId: string, jobId: string): { fileName: string; bytes: Buffer } | undefined {
    const row = this.sql.file.get(jobId, organizationId);
    return row && { fileName: row.file_name, bytes: row.bytes };
  }

  /** Resolves when every export dispatched so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * The deck, or undefined once the deadline has passed since rendering began.
   * By then the sweep has failed the job (its deadline counts from the dispatch,
   * earlier), so nobody waits for the deck; without this, a renderer that never
   * returns would hold its concurrency slot forever and stall every later export.
   */
  private async withinDeadline(job: QueuedJob, rendering: Promise<RenderedDeck>): Promise<RenderedDeck | undefined> {
    const { deadlineMs } = this.policy;
    if (!Number.isFinite(deadlineMs)) return rendering;
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.min(deadlineMs, MAX_TIMER_MS)).unref();
    });
    try {
      const deck = await Promise.race([rendering, givenUp]);
      if (!deck) {
        // The late result, or failure, of the abandoned render goes nowhere.
        rendering.catch(() => {});
        console.error(`export ${job.id} (lesson ${job.lessonId}): the renderer did not return within the deadline; its slot is released`);
      }
      return deck;
    } finally {
      clearTimeout(timer);
    }
  }

  private async generate(job: QueuedJob, lesson: LessonContent, render: DeckRenderer): Promise<void> {
    const { id } = job;
    let storing = false;
    try {
      // Queued past its deadline: it has failed already, and rendering it would cost for nothing.
      if (this.sql.pending.get(id)?.status !== 'pending') return;
      const deck = await this.withinDeadline(job, render(lesson));
      if (!deck) return;
      // Shut down mid-render (past the grace period): the job stays pending and resumes at the next start.
      if (!this.db.open) return;
      storing = true;
      const stored = this.db.transaction(() => {
        if (this.sql.complete.run(deck.costCents, deck.model, new Date().toISOString(), id).changes === 0) return false;
        this.sql.insertFile.run(id, deckFileName(lesson.title), deck.bytes);
        return true;
      })();
      // Its deadline passed while it rendered: the timed_out its clients were told stands, and the deck is dropped.
      if (!stored)
        console.error(
          `export ${id} (lesson ${job.lessonId}): rendered, but the job had already ended (its deadline passed); the deck is discarded`,
        );
    } catch (error) {
      if (!this.db.open) return;
      const message = error instanceof Error && error.message ? error.message : 'The export failed.';
      try {
        this.sql.fail.run(`The export failed: ${message}`, new Date().toISOString(), id);
      } catch (markError) {
        // The database refuses writes (read-only, full, I/O error). The job stays
        // pending with runs_here = 1, so the next start generates it again; its
        // streams are told now rather than at their timeout.
        console.error(
          `export ${id} (lesson ${job.lessonId}): ${storing ? 'storing the deck' : 'generation'} failed (${message}), ` +
            `and marking the job failed did too (${reasonOf(markError)}); it stays pending until the next start`,
        );
        this.watcher.failedUnrecorded(id);
        return;
      }
      // A renderer's failure is the job's business (its error says why); the database refusing the deck is the operator's.
      if (storing) console.error(`export ${id} (lesson ${job.lessonId}): storing the deck failed (${message}); the job is marked failed`);
    }
    this.watcher.checkNow();
  }
}
