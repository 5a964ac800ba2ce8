import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Db } from '../db/database.js';
import { deckFileName, renderLessonDeck, type LessonContent, type RenderedDeck } from './deck.js';
import { exportFileUrl, type ExportWatcher } from './watcher.js';

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
      lesson: db.prepare<[string, string], { id: string; title: string; sections: string; updated_at: string }>(
        'SELECT id, title, sections, updated_at FROM lessons WHERE id = ? AND organization_id = ?',
      ),
      freshCompleted: db.prepare<[string, string | null], JobRow>(
        `SELECT ${JOB_COLUMNS} FROM export_jobs j JOIN lessons l ON l.id = j.lesson_id
         WHERE j.lesson_id = ? AND j.cache_key IS ? AND j.status = 'completed' AND j.created_at >= l.updated_at
         ORDER BY j.created_at DESC, j.rowid DESC LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO export_jobs (id, organization_id, lesson_id, cache_key, status, created_at, runs_here) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
      ),
      interrupted: db.prepare<[], { id: string; lesson_id: string; title: string; sections: string }>(
        `SELECT j.id, j.lesson_id, l.title, l.sections FROM export_jobs j JOIN lessons l ON l.id = j.lesson_id
         WHERE j.status = 'pending' AND j.runs_here = 1 ORDER BY j.created_at`,
      ),
      job: db.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM export_jobs j WHERE j.id = ?`),
      complete: db.prepare(
        `UPDATE export_jobs SET status = 'completed', cost_cents = ?, model = ?, completed_at = ? WHERE id = ? AND status = 'pending'`,
      ),
      fail: db.prepare(`UPDATE export_jobs SET status = 'failed', error = ?, completed_at = ? WHERE id = ? AND status = 'pending'`),
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
   * A fresh completed job with the same lesson and cache key is returned as is
   * (`cached: true`); otherwise a new pending job is created and generated.
   * Returns undefined when the lesson is not the organisation's.
   */
  dispatch(organizationId: string, lessonId: string, cacheKey: string | null): { job: ExportJob; cached: boolean } | undefined {
    const lesson = this.lesson(organizationId, lessonId);
    if (!lesson) return undefined;
    const hit = this.sql.freshCompleted.get(lessonId, cacheKey);
    if (hit) return { job: toExportJob(hit), cached: true };

    const id = randomUUID();
    const behaviour = this.nextBehaviour.get(organizationId);
    this.nextBehaviour.delete(organizationId);
    // A job meant to hang is left to no one (runs_here = 0): it stays pending, so its stream times out.
    this.sql.insert.run(id, organizationId, lessonId, cacheKey, new Date().toISOString(), behaviour === 'hang' ? 0 : 1);
    const job = { id, lessonId };
    if (behaviour === 'fail') this.enqueue(job, { title: lesson.title, sections: [] }, () => Promise.reject(new Error('the demo asked this export to fail')));
    else if (behaviour !== 'hang') this.enqueue(job, { title: lesson.title, sections: JSON.parse(lesson.sections) });
    return { job: toExportJob(this.sql.job.get(id)!), cached: false };
  }

  /**
   * Generates again the jobs a previous run of this server accepted but did not
   * finish (it was killed): they stay `pending` and complete as if nothing had
   * happened, so clients following them see them complete. Returns how many.
   */
  resumeInterrupted(): number {
    const jobs = this.sql.interrupted.all();
    for (const job of jobs) this.enqueue({ id: job.id, lessonId: job.lesson_id }, { title: job.title, sections: JSON.parse(job.sections) });
    return jobs.length;
  }

  /** Demo controls: make the organisation's next dispatched export fail, or never finish. */
  setNextBehaviour(organizationId: string, behaviour: DemoBehaviour | 'none'): void {
    if (behaviour === 'none') this.nextBehaviour.delete(organizationId);
    else this.nextBehaviour.set(organizationId, behaviour);
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


  private async generate(job: QueuedJob, lesson: LessonContent, render: DeckRenderer): Promise<void> {
    const { id } = job;
    let storing = false;
    try {
      const deck = await render(lesson);
      // Shut down mid-render (past the grace period): the job stays pending and resumes at the next start.
      if (!this.db.open) return;
      storing = true;
      this.db.transaction(() => {
        this.sql.insertFile.run(id, deckFileName(lesson.title), deck.bytes);
        this.sql.complete.run(deck.costCents, deck.model, new Date().toISOString(), id);
      })();
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
