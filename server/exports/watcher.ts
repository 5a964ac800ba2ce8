import type { StreamErrorCode } from '../errors.js';
import type { ExportOutcomeRecord, Storage } from '../storage/storage.js';

/** How a followed export ended, as the stream reports it. */
export type ExportOutcome =
  | { status: 'completed'; url: string; costCents: number; model: string }
  | { status: 'failed'; message: string; code: Exclude<StreamErrorCode, 'server_restarting'> }
  /** The server is shutting down: the client should reconnect (to the next instance). */
  | { status: 'restarting' };

type Listener = (outcome: ExportOutcome) => void;

interface Watch {
  lessonId: string;
  cacheKey: string | null;
  listeners: Set<Listener>;
}

export const exportFileUrl = (jobId: string) => `/api/exports/pptx/files/${jobId}.pptx`;

/** Consecutive failed checks after which the open streams are told the server cannot follow their exports. */
export const POLL_FAILURES_BEFORE_GIVING_UP = 3;

// One object each, so routes encode their event once for every stream they end.
const POLL_UNAVAILABLE: ExportOutcome = {
  status: 'failed',
  message: 'The server cannot read its database right now, so it cannot follow this export. Try again later.',
  code: 'storage_unavailable',
};
const FAILURE_NOT_RECORDED: ExportOutcome = {
  status: 'failed',
  message: 'The export failed, and the server could not record it: its database cannot be written right now. Try again later.',
  code: 'storage_unavailable',
};

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Follows exports for every open stream with one shared poll.
 *
 * Streams subscribe by (lesson, cache key) and wait for the job that pair
 * means (which-export.ts); each check runs ONE query for all distinct keys
 * together (storage.exports.outcomes), whatever the number of streams. The
 * storage announces every export's end (changes.onExportEnded): on
 * PostgreSQL any instance's, by NOTIFY; on SQLite this process's own. Each
 * announcement (or a gap in them) makes a check at once instead of at the
 * next tick; the timer remains as the safety net, and it alone carries
 * another SQLite process's completions.
 */
export class ExportWatcher {
  /** Checks run (timer ticks and immediate checks); each runs exactly one query. */
  readonly stats = { checks: 0 };
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  /** A check is running (its query is in flight); `again`: one more is due when it ends. */
  private checking = false;
  private again = false;
  private readonly stopHearing: () => void;
  /** Set at shutdown: every stream, including one opened afterwards, ends with it. */
  private final: ExportOutcome | undefined;
  /** Checks failed in a row; 0 while the poll works. */
  private failures = 0;
  /**
   * Jobs of this process whose failure could not be written (the database
   * refused the write): still `pending` in the database, so the query reports
   * them by id and their streams end with FAILURE_NOT_RECORDED.
   */
  private readonly unrecorded = new Set<string>();

  constructor(
    private readonly storage: Storage,
    private readonly pollMs: number,
  ) {
    // Which export ended does not matter: one check answers every watched key.
    this.stopHearing = storage.changes.onExportEnded(() => this.checkNow());
  }

  /** Number of distinct (lesson, cache key) pairs being followed. */
  get watchedKeys(): number {
    return this.watches.size;
  }

  /**
   * Calls `listener` once when the export ends. Returns the function that
   * unsubscribes: call it when the stream closes for any reason.
   */
  subscribe(lessonId: string, cacheKey: string | null, listener: Listener): () => void {
    const key = JSON.stringify([lessonId, cacheKey]);
    let watch = this.watches.get(key);
    if (!watch) {
      watch = { lessonId, cacheKey, listeners: new Set() };
      this.watches.set(key, watch);
    }
    watch.listeners.add(listener);
    this.timer ??= setInterval(() => this.check(), this.pollMs);
    this.checkNow();
    return () => {
      const current = this.watches.get(key);
      if (!current?.listeners.delete(listener)) return;
      if (current.listeners.size === 0) this.watches.delete(key);
      if (this.watches.size === 0) this.stop();
    };
  }

  /**
   * The job failed but its failure could not be written: the streams that
   * follow it end now with an `error` (code `storage_unavailable`) instead of
   * waiting for their timeout. The job itself stays pending for the next start.
   */
  failedUnrecorded(jobId: string): void {
    this.unrecorded.add(jobId);
    this.checkNow();
  }

  /** Checks soon (next turn of the event loop), coalescing calls made together. */
  checkNow(): void {
    if (this.scheduled || this.watches.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.check();
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops polling and hearing the storage's announcements for good (the app is closing). */
  close(): void {
    this.stop();
    this.stopHearing();
  }

  /**
   * At shutdown: ends every stream with `outcome`, and every stream opened
   * from now on at once. A browser reconnecting after `server_restarting` may
   * reuse a kept-alive connection the closing server still reads; followed
   * there, the stream would hear the export end on the instance going away
   * instead of moving to the next one.
   */
  shutDown(outcome: ExportOutcome): number {
    this.final = outcome;
    return this.closeAll(outcome);
  }

  /** Ends every subscription with `outcome` (at shutdown, or when the poll gives up) and stops polling. Returns how many streams it ended. */
  closeAll(outcome: ExportOutcome): number {
    const watches = [...this.watches.values()];
    this.watches.clear();
    this.stop();
    let streams = 0;
    for (const watch of watches) streams += this.notify(watch, outcome);
    return streams;
  }

  /**
   * Runs from timers (the interval, setImmediate): it must not throw, or the
   * process exits and every open stream with it. One check at a time: one
   * asked for while a query is in flight runs once it has answered (a
   * completion announced meanwhile may have committed after that query read).
   * A failed query leaves the streams waiting for the next check; after
   * POLL_FAILURES_BEFORE_GIVING_UP in a row they are ended with an `error`,
   * and so is any stream that subscribes while the query still fails.
   */
  private check(): void {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    void this.checkOnce().finally(() => {
      this.checking = false;
      if (this.again) {
        this.again = false;
        this.check();
      }
    });
  }

  private async checkOnce(): Promise<void> {
    if (this.watches.size === 0) return;
    if (this.final) {
      this.closeAll(this.final);
      return;
    }
    this.stats.checks++;
    const keys = [...this.watches.values()].map((w) => ({ lessonId: w.lessonId, cacheKey: w.cacheKey }));
    let rows: ExportOutcomeRecord[];
    try {
      rows = await this.storage.exports.outcomes(keys, [...this.unrecorded]);
    } catch (error) {
      this.pollFailed(error);
      return;
    }
    // Shut down while the query ran: every stream has its final event already.
    if (this.final) return;
    if (this.failures) {
      console.error(`export poll: recovered after ${this.failures} failed check(s)`);
      this.failures = 0;
    }
    for (const row of rows) {
      const key = JSON.stringify([row.lessonId, row.cacheKey]);
      const watch = this.watches.get(key);
      if (!watch) continue;
      this.watches.delete(key);
      const outcome: ExportOutcome =
        row.status === 'completed'
          ? { status: 'completed', url: exportFileUrl(row.id), costCents: row.costCents ?? 0, model: row.model ?? 'unknown' }
          : row.status === 'pending'
            ? FAILURE_NOT_RECORDED
            : { status: 'failed', message: row.error ?? 'The export failed.', code: row.errorCode ?? 'export_failed' };
      this.notify(watch, outcome);
    }
    if (this.watches.size === 0) this.stop();
  }

  // Logs the first failure and the giving up, not every tick: a database that
  // stays unreadable would otherwise write a line per poll period forever.
  private pollFailed(error: unknown): void {
    this.failures++;
    if (this.failures === 1) {
      console.error(
        `export poll: the query failed (${this.watches.size} export(s) followed): ${reasonOf(error)}; the streams keep waiting`,
      );
    }
    if (this.failures < POLL_FAILURES_BEFORE_GIVING_UP) return;
    const streams = this.closeAll(POLL_UNAVAILABLE);
    if (this.failures === POLL_FAILURES_BEFORE_GIVING_UP) {
      console.error(
        `export poll: failed ${this.failures} times in a row (${reasonOf(error)}); ended ${streams} stream(s) with an error event`,
      );
    }
  }

  /** Calls every listener of `watch`; one that throws does not keep the others from hearing. Returns how many. */
  private notify(watch: Watch, outcome: ExportOutcome): number {
    for (const listener of watch.listeners) {
      try {
        listener(outcome);
      } catch (error) {
        console.error(`export stream (lesson ${watch.lessonId}, cache key ${watch.cacheKey}): ending it failed: ${reasonOf(error)}`);
      }
    }
    return watch.listeners.size;
  }
}
