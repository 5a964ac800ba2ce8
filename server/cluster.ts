import cluster, { type Worker } from 'node:cluster';
import type { ServerConfig } from './config.js';
import type { RunningServer, StartOptions } from './server.js';

/** What a worker tells the primary. */
type WorkerMessage = { type: 'ready'; url: string } | { type: 'queued'; jobId: string; queued: boolean };
/** What the primary tells a worker: generate these exports of a worker that died. */
type PrimaryMessage = { type: 'resume'; jobIds: string[] };

export interface ServeOptions {
  /** Starts this process's server (startServer with the caller's options and these). */
  start(options: Pick<StartOptions, 'resume' | 'onExportQueued'>): Promise<RunningServer>;
  /** Prints what the start did (seeded, resumed). */
  announce?(running: RunningServer): void;
}

/** A worker that dies this long after it was ready starts its restarts' back-off afresh. */
const STABLE_MS = 60_000;
const FIRST_RESTART_MS = 500;
const LONGEST_RESTART_MS = 30_000;
// Internal: how the primary tells a worker it forks to resume what a killed run left.
const RESUME_ENV = 'POS_CLUSTER_RESUME';

/**
 * Runs the reference server as `config.workers` says: one process, or a
 * node:cluster primary and that many workers sharing the port, each a whole
 * instance over the same database. Throws what a single process's start
 * throws; in the primary, a worker that cannot start exits the whole cluster.
 */
export async function serve(config: ServerConfig, options: ServeOptions): Promise<void> {
  if (config.workers <= 1) {
    const running = await options.start({});
    options.announce?.(running);
    console.log(`listening on ${running.url}`);
    shutDownOnSignals(running);
  } else if (cluster.isPrimary) {
    runPrimary(config.workers);
  } else {
    await runWorker(options);
  }
}

/** SIGINT/SIGTERM: a graceful shutdown (RunningServer#close), once; a worker gets both when Ctrl-C reaches the process group. */
function shutDownOnSignals(running: RunningServer): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function runWorker({ start, announce }: ServeOptions): Promise<void> {
  const send = (message: WorkerMessage) => process.send?.(message);
  // Every job this worker has queued, reported as it goes: the primary hands them on if this process dies.
  const queued = new Set<string>();
  const running = await start({
    resume: process.env[RESUME_ENV] === '1',
    onExportQueued(jobId, isQueued) {
      if (isQueued) queued.add(jobId);
      else queued.delete(jobId);
      send({ type: 'queued', jobId, queued: isQueued });
    },
  });
  announce?.(running);
  process.on('message', (message: PrimaryMessage) => {
    if (message?.type !== 'resume') return;
    const count = running.exports.resumeInterrupted(new Set(message.jobIds));
    if (count) console.log(`worker ${process.pid}: resuming ${count} export(s) of a worker that stopped`);
    // Those not resumed (ended meanwhile) are nobody's now.
    for (const jobId of message.jobIds) if (!queued.has(jobId)) send({ type: 'queued', jobId, queued: false });
  });
  shutDownOnSignals(running);
  send({ type: 'ready', url: running.url });
}

interface Slot {
  index: number;
  worker: Worker | undefined;
  /** Set once its worker listens; a worker that exits before that could not start. */
  readyAt: number | undefined;
  /** Restarts since it was last stable, for the back-off. */
  restarts: number;
  /** Exports its worker has queued and not finished. */
  jobs: Set<string>;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * The primary forks the first worker alone: it creates and seeds a new
 * database, and resumes the exports a killed run left, before any other
 * worker can accept one (so none is generated twice). The others follow once
 * it listens. A worker that dies after it was ready is restarted with a
 * back-off, and the exports it had queued go to a worker that is up; one that
 * exits before it was ready (a bad database, the port in use) stops the
 * cluster with exit code 1 rather than restarting in a loop. SIGINT/SIGTERM
 * shut every worker down gracefully; the primary exits when they all have.
 */
function runPrimary(count: number): void {
  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    worker: undefined,
    readyAt: undefined,
    restarts: 0,
    jobs: new Set(),
    restartTimer: undefined,
  }));
  /** Jobs of dead workers not yet handed to a live one (none was up). */
  const orphaned = new Set<string>();
  let started = false;
  let stopping: number | undefined;

  const live = () => slots.filter((s) => s.worker);
  const exitWhenAllGone = () => {
    if (stopping !== undefined && live().length === 0) process.exit(stopping);
  };
  const stop = (code: number) => {
    if (stopping !== undefined) return;
    stopping = code;
    for (const slot of slots) clearTimeout(slot.restartTimer);
    for (const slot of live()) slot.worker!.process.kill('SIGTERM');
    exitWhenAllGone();
  };

  const handOrphans = () => {
    const ready = live().filter((s) => s.readyAt !== undefined);
    if (!orphaned.size || !ready.length) return;
    const to = ready.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const jobIds = [...orphaned];
    orphaned.clear();
    for (const id of jobIds) to.jobs.add(id);
    console.log(`handing ${jobIds.length} export(s) of a stopped worker to worker ${to.index} (pid ${to.worker!.process.pid})`);
    to.worker!.send({ type: 'resume', jobIds } satisfies PrimaryMessage);
  };

  const fork = (slot: Slot, resume: boolean) => {
    slot.restartTimer = undefined;
    slot.readyAt = undefined;
    const worker = cluster.fork({ [RESUME_ENV]: resume ? '1' : '0' });
    slot.worker = worker;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'queued') {
        if (message.queued) slot.jobs.add(message.jobId);
        else slot.jobs.delete(message.jobId);
      } else if (message.type === 'ready') {
        slot.readyAt = Date.now();
        if (!started && slot.index === 1) for (const other of slots.slice(1)) fork(other, false);
        if (!started && slots.every((s) => s.readyAt !== undefined)) {
          started = true;
          const pids = slots.map((s) => s.worker!.process.pid).join(', ');
          console.log(`listening on ${message.url} with ${count} workers (pids ${pids})`);
        }
        handOrphans();
      }
    });
    worker.on('exit', (code, signal) => {
      slot.worker = undefined;
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (stopping !== undefined) return exitWhenAllGone();
      if (slot.readyAt === undefined) {
        console.error(`worker ${slot.index} could not start (${why}); stopping the other workers`);
        return stop(1);
      }
      for (const id of slot.jobs) orphaned.add(id);
      slot.jobs = new Set();
      handOrphans();
      slot.restarts = Date.now() - slot.readyAt >= STABLE_MS ? 0 : slot.restarts + 1;
      const delay = Math.min(LONGEST_RESTART_MS, FIRST_RESTART_MS * 2 ** Math.max(0, slot.restarts - 1));
      console.error(`worker ${slot.index} (pid ${worker.process.pid}) stopped (${why}); restarting it in ${delay} ms`);
      slot.restartTimer = setTimeout(() => fork(slot, false), delay);
    });
  };

  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  fork(slots[0]!, true);
}
