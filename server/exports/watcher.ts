import type { Db } from '../db/database.js';

/** How a followed export ended, as the stream reports it. */
export type ExportOutcome =
  | { status: 'completed'; url: string; costCents: number; model: string }
  | { status: 'failed'; message: string }
  /** The server is shutting down: the client should reconnect (to the next instance). */
  | { status: 'restarting' };

type Listener = (outcome: ExportOutcome) => void;

interface Watch {
  lessonId: string;
  cacheKey: string | null;
  listeners: Set<Listener>;
}

interface OutcomeRow {
  lesson_id: string;
  cache_key: string | null;
  id: string;
  status: 'completed' | 'failed';
  cost_cents: number | null;
  model: string | null;
  error: string | null;
}

export const exportFileUrl = (jobId: string) => `/api/exports/pptx/files/${jobId}.pptx`;

/**
 * Follows exports for every open stream with one shared poll.
 *
 * Streams subscribe by (lesson, cache key); each tick runs ONE query for all
 * distinct keys together, whatever the number of streams. A job finishing in
 * this process calls `checkNow()`, so its streams hear at once instead of at
 * the next tick; the timer remains for jobs written by another process.
 */
export class ExportWatcher {
  /** Checks run (timer ticks and immediate checks); each runs exactly one query. */
  readonly stats = { checks: 0 };
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private readonly query;

  constructor(
    db: Db,
    private readonly pollMs: number,
  ) {
    // For each watched key: the job the stream waits for, if it has ended.
    // With a cache key: the newest job of the lesson with that key. Without:
    // the newest job created at or after the lesson's last update (a fresh one).
    this.query = db.prepare<[string], OutcomeRow>(`
      WITH watched AS (
        SELECT json_extract(value, '$[0]') AS lesson_id, json_extract(value, '$[1]') AS cache_key FROM json_each(?)
      )
      SELECT w.lesson_id, w.cache_key, j.id, j.status, j.cost_cents, j.model, j.error
      FROM watched w
      JOIN lessons l ON l.id = w.lesson_id
      JOIN export_jobs j ON j.id = (
        SELECT j2.id FROM export_jobs j2
        WHERE j2.lesson_id = w.lesson_id
          AND CASE WHEN w.cache_key IS NULL THEN j2.created_at >= l.updated_at ELSE j2.cache_key = w.cache_key END
        ORDER BY j2.created_at DESC, j2.rowid DESC
        LIMIT 1
      )
      WHERE j.status <> 'pending'`);
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

  /** Ends every subscription with `outcome` (at shutdown) and stops polling. */
  closeAll(outcome: ExportOutcome): void {
    const watches = [...this.watches.values()];
    this.watches.clear();
    this.stop();
    for (const watch of watches) for (const listener of watch.listeners) listener(outcome);
  }

  private check(): void {
    if (this.watches.size === 0) return;
    this.stats.checks++;
    const keys = [...this.watches.values()].map((w) => [w.lessonId, w.cacheKey]);
    for (const row of this.query.all(JSON.stringify(keys))) {
      const key = JSON.stringify([row.lesson_id, row.cache_key]);
      const watch = this.watches.get(key);
      if (!watch) continue;
      this.watches.delete(key);
      const outcome: ExportOutcome =
        row.status === 'completed'
          ? { status: 'completed', url: exportFileUrl(row.id), costCents: row.cost_cents ?? 0, model: row.model ?? 'unknown' }
          : { status: 'failed', message: row.error ?? 'The export failed.' };
      for (const listener of watch.listeners) listener(outcome);
    }
    if (this.watches.size === 0) this.stop();
  }
}
