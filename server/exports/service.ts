import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { PostgresExportQueue } from '../storage/export-queue-postgres.js';
import type { ExportJobRecord, ExportStatus, InterruptedJob, Storage } from '../storage/storage.js';
import { deckFileName, renderLessonDeck, type LessonContent, type RenderedDeck } from './deck.js';
import { exportFileUrl, type ExportWatcher } from './watcher.js';

export type { ExportStatus };

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

export type DeckRenderer = (lesson: LessonContent) => Promise<RenderedDeck>;

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

export function toExportJob(row: ExportJobRecord): ExportJob {
  const job: ExportJob = { id: row.id, lessonId: row.lessonId, cacheKey: row.cacheKey, status: row.status, createdAt: row.createdAt };
  if (row.completedAt) job.completedAt = row.completedAt;
  if (row.status === 'completed') {
    job.url = exportFileUrl(row.id);
    job.costCents = row.costCents ?? 0;
    job.model = row.model ?? 'unknown';
  }
  if (row.status === 'failed') job.error = row.error ?? 'The export failed.';
  return job;
}

/** What a generation needs: the job and its lesson. */
const lessonOf = (work: InterruptedJob): LessonContent => ({
  title: work.title,
  sections: work.sections,
  organizationId: work.organizationId,
  organizationName: work.organizationName,
});

export interface ExportServiceOptions {
  /** At most this many generations at once in this process (POS_EXPORT_CONCURRENCY). */
  concurrency: number;
  render?: DeckRenderer;
  /** On PostgreSQL: the database's URL, for the job queue every instance shares (pg-boss). */
  databaseUrl?: string;
}

/**
 * Dispatches PPTX exports and generates them, at most `concurrency` at a time
 * in this process. On SQLite the queue is this process's own (p-limit), and a
 * job a killed run left pending is generated again at the next start
 * (`resumeInterrupted`). On PostgreSQL it is pg-boss's queue in the database
 * (PostgresExportQueue): whichever instance has a free slot generates the job,
 * and one whose instance died runs again on another. Either way the deck and
 * the "completed" mark are written together (storage's exports.complete), so a
 * completed job always has its file, and only a pending job completes, once.
 */
export class ExportService {
  private readonly limit;
  private readonly concurrency: number;
  private readonly render: DeckRenderer;
  private readonly databaseUrl: string | undefined;
  private queue: Promise<PostgresExportQueue> | undefined;
  /**
   * Told when a job joins this process's own queue and when it leaves it
   * (done, failed or given up): a cluster's primary (server/cluster.ts) keeps
   * each worker's list, to hand a dead worker's jobs to another one.
   */
  onQueued: ((jobId: string, queued: boolean) => void) | undefined;
  /** Generations running in this process. */
  private readonly running = new Set<Promise<void>>();
  /** Jobs this process dispatched to the shared queue and has not seen end (idle() waits for them). */
  private readonly awaited = new Map<string, () => void>();
  private readonly stopHearing: () => void;
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

  constructor(
    private readonly storage: Storage,
    private readonly watcher: ExportWatcher,
    { concurrency, render = renderLessonDeck, databaseUrl }: ExportServiceOptions,
  ) {
    this.limit = pLimit(concurrency);
    this.concurrency = concurrency;
    this.render = render;
    this.databaseUrl = databaseUrl;
    if (storage.engine === 'postgres' && !databaseUrl) throw new Error('ExportService on PostgreSQL needs the database URL for its queue');
    this.stopHearing = storage.changes.onExportEnded((jobId) => {
      if (jobId) this.awaited.get(jobId)?.();
      else for (const id of [...this.awaited.keys()]) void this.stillPending(id);
    });
  }

  /** The lesson if it belongs to the organisation. */
  lesson(organizationId: string, lessonId: string) {
    return this.storage.lessons.forExport(organizationId, lessonId);
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
   * On PostgreSQL, joins the shared queue: from now on this instance generates
   * exports any instance dispatched (startServer calls it; a dispatch does
   * too). On SQLite there is nothing to join.
   */
  start(): Promise<void> {
    if (this.storage.engine !== 'postgres') return Promise.resolve();
    this.queue ??= PostgresExportQueue.start({
      url: this.databaseUrl!,
      concurrency: this.concurrency,
      abandonAfterSeconds: abandonAfterSeconds(this.policy.deadlineMs),
      generate: (id) => this.track(this.generateQueued(id)),
    });
    return this.queue.then(() => {});
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
  async dispatch(organizationId: string, lessonId: string, cacheKey: string | null): Promise<DispatchResult | undefined> {
    const lesson = await this.lesson(organizationId, lessonId);
    if (!lesson) return undefined;
    const hit = await this.storage.exports.completedFor(lessonId, cacheKey);
    if (hit) return { job: toExportJob(hit), cached: true };
    const allowance = await this.allowance(organizationId);
    if (allowance && allowance.spentCents >= allowance.allowanceCents) return { refused: allowance };

    const id = randomUUID();
    const behaviour = this.nextBehaviour.get(organizationId);
    this.nextBehaviour.delete(organizationId);
    // A job meant to hang is left to no one (runsHere false): it stays pending until its deadline.
    const job = await this.storage.exports.create({
      id,
      organizationId,
      lessonId,
      cacheKey,
      createdAt: new Date().toISOString(),
      runsHere: behaviour !== 'hang',
    });
    const work: InterruptedJob = {
      id,
      lessonId,
      organizationId,
      organizationName: lesson.organizationName,
      title: lesson.title,
      sections: lesson.sections,
    };
    if (behaviour === 'fail') {
      // Here, whatever the engine: the demo's failure is this request's, not the queue's.
      this.enqueueHere(work, { title: lesson.title, sections: [] }, () => Promise.reject(new Error('the demo asked this export to fail')));
    } else if (behaviour !== 'hang') {
      if (this.storage.engine === 'postgres') await this.enqueueShared(id);
      else this.enqueueHere(work, lessonOf(work));
    }
    return { job: toExportJob(job), cached: false };
  }

  /**
   * Generates again the jobs a previous run of this server accepted but did not
   * finish (it was killed): they stay `pending` and complete as if nothing had
   * happened, so clients following them see them complete. With `only`, just
   * those of them (a dead cluster worker's). Returns how many.
   * On PostgreSQL the queue does this itself (an abandoned job runs again): 0.
   */
  async resumeInterrupted(only?: ReadonlySet<string>): Promise<number> {
    if (this.storage.engine === 'postgres') return 0;
    const jobs = (await this.storage.exports.interrupted()).filter((job) => !only || only.has(job.id));
    for (const job of jobs) this.enqueueHere(job, lessonOf(job));
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
  async allowance(organizationId: string, at = new Date()): Promise<Allowance | undefined> {
    const { allowanceCents } = this.policy;
    if (allowanceCents === undefined) return undefined;
    const month = monthOf(at);
    const real = await this.storage.exports.spentCents(organizationId, month.start, month.next);
    const demo = this.demoSpending.get(`${organizationId} ${month.key}`) ?? 0;
    return { month: month.key, allowanceCents, spentCents: Math.max(0, real + demo) };
  }

  /**
   * Demo controls: `exhaust` counts the organisation's spending this month as
   * its whole allowance (the next dispatch that is not a cache hit gets 402);
   * `reset` counts it as nothing spent so far. In memory only, like
   * `setNextBehaviour`. Undefined when the server has no allowance.
   */
  async setDemoSpending(organizationId: string, action: 'exhaust' | 'reset', at = new Date()): Promise<Allowance | undefined> {
    const current = await this.allowance(organizationId, at);
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
   * hear at once (the storage announces each end). Whose work it is does not
   * matter: this server's (even one still generating: its late result is
   * discarded), a demo job left to no one, or another process's. Returns how many.
   */
  async failOverdue(now = Date.now()): Promise<number> {
    const cutoff = now - this.policy.deadlineMs;
    if (!(cutoff >= this.deadlineFrom)) return 0;
    const message = `The export timed out: it did not finish within its deadline of ${formatDuration(this.policy.deadlineMs)}, so the server gave up on it.`;
    return this.storage.exports.failOverdue(message, new Date(now).toISOString(), new Date(cutoff).toISOString());
  }

  /**
   * Runs from a timer, so it must not throw. The next check is due at the
   * oldest pending job's deadline, and at the latest one deadline from now, for
   * jobs another process may write meanwhile. unref(): a pending check never
   * keeps the process alive, and once the storage is closed it stops.
   */
  private async sweep(): Promise<void> {
    this.sweepTimer = undefined;
    if (!this.storage.isOpen) return;
    const { deadlineMs } = this.policy;
    let next = deadlineMs;
    try {
      await this.failOverdue();
      const oldest = await this.storage.exports.oldestPendingMs();
      if (oldest !== null) next = Math.min(next, Math.max(oldest, this.deadlineFrom) + deadlineMs - Date.now());
      if (this.sweepFailing) console.error('export deadline: checking works again');
      this.sweepFailing = false;
    } catch (error) {
      if (!this.storage.isOpen) return;
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
    this.sweepTimer = Number.isFinite(ms) ? setTimeout(() => void this.sweep(), Math.min(ms, MAX_TIMER_MS)).unref() : undefined;
  }

  /** In this process's own queue (SQLite; the demo's failures on either engine). */
  private enqueueHere(job: InterruptedJob, lesson: LessonContent, render = this.render): void {
    this.onQueued?.(job.id, true);
    void this.track(this.limit(() => this.generate(job, lesson, render)).finally(() => this.onQueued?.(job.id, false)));
  }

  /** In the queue every instance shares; idle() waits for its end, wherever it runs. */
  private async enqueueShared(id: string): Promise<void> {
    const ended = new Promise<void>((resolve) => this.awaited.set(id, resolve)).finally(() => this.awaited.delete(id));
    void this.track(ended);
    await this.start();
    await (await this.queue!).enqueue(id);
  }

  /** Whether a shared job is still pending (after a gap in notifications); stops waiting for it if not. */
  private async stillPending(id: string): Promise<void> {
    try {
      if ((await this.storage.exports.get(id))?.status !== 'pending') this.awaited.get(id)?.();
    } catch {
      // The next notification, or the job's own generation here, settles it.
    }
  }

  /**
   * Keeps `work` in `running` until it settles. Nothing else awaits it here:
   * generate() handles its failures, and this is for a bug in it, which must
   * not become an unhandled rejection (on Node 20 the process would exit,
   * taking every open stream with it). Returns the work itself, so the shared
   * queue's worker hears a throw and runs the job again.
   */
  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error) => console.error('export: unexpected error:', error)).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return work;
  }

  /** A job the shared queue handed to this instance. */
  private async generateQueued(id: string): Promise<void> {
    // Ended meanwhile (its deadline passed, or another instance finished it after this one's was abandoned): nothing to do.
    const work = await this.storage.exports.pendingWork(id);
    try {
      if (work) await this.generate(work, lessonOf(work), this.render);
    } finally {
      this.awaited.get(id)?.();
    }
  }

  /** The deck of a completed job of the organisation, or undefined. */
  file(organizationId: string, jobId: string): Promise<{ fileName: string; bytes: Buffer } | undefined> {
    return this.storage.exports.file(organizationId, jobId);
  }

  /** Resolves when every export dispatched so far by this process has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * Shutdown: stops taking work and lets running generations finish for up to
   * `graceMs`. What is left stays pending: on SQLite it resumes at the next
   * start, on PostgreSQL the queue runs it again elsewhere once abandoned.
   */
  async stop(graceMs: number): Promise<void> {
    clearTimeout(this.sweepTimer);
    this.stopHearing();
    let timer: NodeJS.Timeout | undefined;
    const here = Promise.race([this.idleHere(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    const queue = this.queue?.then(
      (q) => q.stop(graceMs),
      () => {},
    );
    await Promise.all([here, queue]);
    clearTimeout(timer);
  }

  /** idle(), but not for jobs other instances run (shutdown waits only for its own). */
  private async idleHere(): Promise<void> {
    for (const resolve of this.awaited.values()) resolve();
    await this.idle();
  }

  /**
   * The deck, or undefined once the deadline has passed since rendering began.
   * By then the sweep has failed the job (its deadline counts from the dispatch,
   * earlier), so nobody waits for the deck; without this, a renderer that never
   * returns would hold its concurrency slot forever and stall every later export.
   */
  private async withinDeadline(job: InterruptedJob, rendering: Promise<RenderedDeck>): Promise<RenderedDeck | undefined> {
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

  private async generate(job: InterruptedJob, lesson: LessonContent, render: DeckRenderer): Promise<void> {
    const { id } = job;
    let storing = false;
    try {
      // Queued past its deadline: it has failed already, and rendering it would cost for nothing.
      if ((await this.storage.exports.get(id))?.status !== 'pending') return;
      const deck = await this.withinDeadline(job, render(lesson));
      if (!deck) return;
      // Shut down mid-render (past the grace period): the job stays pending, for the next start (SQLite) or another instance (PostgreSQL).
      if (!this.storage.isOpen) return;
      storing = true;
      const stored = await this.storage.exports.complete(id, {
        costCents: deck.costCents,
        model: deck.model,
        completedAt: new Date().toISOString(),
        fileName: deckFileName(lesson.title),
        bytes: deck.bytes,
      });
      // Its deadline passed while it rendered: the timed_out its clients were told stands, and the deck is dropped.
      if (!stored)
        console.error(
          `export ${id} (lesson ${job.lessonId}): rendered, but the job had already ended (its deadline passed); the deck is discarded`,
        );
    } catch (error) {
      if (!this.storage.isOpen) return;
      const message = error instanceof Error && error.message ? error.message : 'The export failed.';
      try {
        await this.storage.exports.fail(id, `The export failed: ${message}`, new Date().toISOString());
      } catch (markError) {
        // The database refuses writes (read-only, full, I/O error). The job stays
        // pending, so the next start (SQLite) or the queue's next try (PostgreSQL)
        // generates it again; its streams are told now rather than at their timeout.
        console.error(
          `export ${id} (lesson ${job.lessonId}): ${storing ? 'storing the deck' : 'generation'} failed (${message}), ` +
            `and marking the job failed did too (${reasonOf(markError)}); it stays pending until it is generated again`,
        );
        this.watcher.failedUnrecorded(id);
        return;
      }
      // A renderer's failure is the job's business (its error says why); the database refusing the deck is the operator's.
      if (storing) console.error(`export ${id} (lesson ${job.lessonId}): storing the deck failed (${message}); the job is marked failed`);
    }
  }
}

/**
 * How long a generation may run on the shared queue before its instance counts
 * as dead and the job runs elsewhere: a quarter of the export deadline, within
 * 10 s to 2 min, so a rerun still has most of the deadline to complete.
 */
function abandonAfterSeconds(deadlineMs: number): number {
  if (!Number.isFinite(deadlineMs)) return 120;
  return Math.max(10, Math.min(120, Math.floor(deadlineMs / 4000)));
}
