import PgBoss from 'pg-boss';

/** The pg-boss queue the exports of every instance share. */
const QUEUE = 'pos-export';

export interface PostgresExportQueueOptions {
  /** The database the storage uses (pg-boss keeps its tables in schema `pgboss`). */
  url: string;
  /** At most this many generations at once on this instance (POS_EXPORT_CONCURRENCY). */
  concurrency: number;
  /**
   * A job still running this long after it started counts as abandoned (its
   * instance died: kill -9, a lost machine) and runs again on whichever
   * instance fetches it next. Far below the export deadline, or the rerun
   * comes after the job has timed out; a generation that is merely slow may
   * then run twice, which costs work but not correctness (only a pending
   * export completes, once: storage's exports.complete).
   */
  abandonAfterSeconds: number;
  /** How often this instance looks for abandoned jobs (pg-boss's maintenance; one instance does it per period). */
  superviseEverySeconds?: number;
  /** How often an idle worker asks for a job: pg-boss 10 polls (0.5 s at least), it does not LISTEN. */
  pollSeconds?: number;
  /** How many times a job is run again (abandoned, or `generate` threw) before pg-boss gives up on it. */
  retries?: number;
  /**
   * Generates the export. Its own failures it records on the export job
   * (storage's exports.fail); a throw means "could not even do that" (the
   * database is down) and the job is run again.
   */
  generate(exportJobId: string): Promise<void>;
}

/**
 * Instances starting together on a new database each create the queue, and
 * pg-boss 10's create_queue (a row, then a partition attached to its job
 * table) can deadlock between them: PostgreSQL fails one of them (40P01)
 * while the other creates it. Trying again then finds it made.
 */
async function createQueueOnce(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boss.createQueue(queue.name, queue);
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
    }
  }
}

/**
 * Export generation across instances on PostgreSQL (issue 18), on pg-boss 10:
 * each instance runs at most `concurrency` jobs; a job whose instance died is
 * run again elsewhere after `abandonAfterSeconds`. The export's row in
 * export_jobs stays the truth the API reports; the queue only decides who
 * generates it. Completion is announced by the storage's NOTIFY, not here.
 */
export class PostgresExportQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly workers: string[],
  ) {}

  static async start({
    url,
    concurrency,
    abandonAfterSeconds,
    superviseEverySeconds = 5,
    pollSeconds = 0.5,
    retries = 5,
    generate,
  }: PostgresExportQueueOptions): Promise<PostgresExportQueue> {
    const boss = new PgBoss({
      connectionString: url,
      application_name: 'pos-export-queue',
      max: concurrency + 2,
      maintenanceIntervalSeconds: superviseEverySeconds,
      // Cron scheduling is not used.
      schedule: false,
    });
    boss.on('error', (error) => console.error(`export queue: ${error.message}`));
    await boss.start();
    await createQueueOnce(boss, { name: QUEUE, retryLimit: retries, retryDelay: 0, expireInSeconds: abandonAfterSeconds });
    // pg-boss 10 runs one job at a time per work(): N of them is at most N at once.
    const workers: string[] = [];
    for (let i = 0; i < concurrency; i++) {
      workers.push(
        await boss.work<{ exportJobId: string }>(QUEUE, { pollingIntervalSeconds: pollSeconds, batchSize: 1 }, async ([job]) => {
          await generate(job!.data.exportJobId);
        }),
      );
    }
    return new PostgresExportQueue(boss, workers);
  }

  /**
   * Queues the export's generation for whichever instance has room. This
   * instance's idle workers fetch at once rather than at their next poll
   * (a busy one fetches when its job ends); other instances' at theirs.
   */
  async enqueue(exportJobId: string): Promise<void> {
    await this.boss.send(QUEUE, { exportJobId });
    for (const worker of this.workers) this.boss.notifyWorker(worker);
  }

  /**
   * Stops fetching and waits up to `graceMs` for running generations; what is
   * left is abandoned and runs again elsewhere (or here at the next start).
   */
  async stop(graceMs = 10_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: Math.max(1, graceMs) });
  }
}
