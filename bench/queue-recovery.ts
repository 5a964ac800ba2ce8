/**
 * The export queue's pg-boss 10 (issue 18), measured on a throwaway
 * PostgreSQL: (1) pickup: an idle worker in another
 * process, time from enqueue to the job starting; (2) recovery: worker A
 * (another process) starts the job and is killed with kill -9, worker B
 * (another process) is running: time from the kill until B has completed it,
 * given up after RECOVERY_WAIT_MS. Also lists the tables it creates.
 * (graphile-worker 0.17 was measured the same way and not kept: its stale
 * lock of a killed worker's job is reset after a fixed 4 hours.)
 *
 *   tsx bench/queue-recovery.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { startPostgres } from '../test/support/postgres.js';

const RECOVERY_WAIT_MS = Number(process.env.RECOVERY_WAIT_MS ?? 30_000);
/** pg-boss: how long a job may stay active before it counts as abandoned, and how often the supervisor checks. */
const BOSS_EXPIRE_S = 3;
const BOSS_MAINTENANCE_S = 1;
const BOSS_POLL_S = 0.5;

// ---- the worker process: `tsx bench/queue-recovery.ts worker <url> <hang|work>` ----
async function worker(url: string, mode: 'hang' | 'work') {
  const say = (event: string, id: string) => console.log(JSON.stringify({ event, id, at: Date.now() }));
  const handle = async (id: string) => {
    say('started', id);
    if (mode === 'hang') await new Promise(() => {});
    say('completed', id);
  };
  const boss = new PgBoss({ connectionString: url, maintenanceIntervalSeconds: BOSS_MAINTENANCE_S, max: 4 });
  boss.on('error', (error) => console.error('pg-boss:', error.message));
  await boss.start();
  await boss.work<{ id: string }>('export', { pollingIntervalSeconds: BOSS_POLL_S, batchSize: 1 }, async ([job]) => handle(job!.data.id));
  console.log(JSON.stringify({ event: 'ready' }));
}

// ---- the measurement ----
interface Worker {
  child: ChildProcess;
  next(event: string, id?: string, ms?: number): Promise<number | undefined>;
}

function startWorker(url: string, mode: 'hang' | 'work'): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, 'worker', url, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seen: { event: string; id?: string; at?: number }[] = [];
  const waiting = new Set<() => void>();
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('{')) seen.push(JSON.parse(line));
      for (const w of waiting) w();
    }
  });
  const next: Worker['next'] = (event, id, ms = 30_000) =>
    new Promise((resolve) => {
      const check = () => {
        const hit = seen.find((e) => e.event === event && (!id || e.id === id));
        if (!hit) return;
        clearTimeout(timer);
        waiting.delete(check);
        resolve(hit.at ?? Date.now());
      };
      const timer = setTimeout(() => {
        waiting.delete(check);
        resolve(undefined);
      }, ms);
      waiting.add(check);
      check();
    });
  return next('ready', undefined, 60_000).then(() => ({ child, next }));
}

/** A client that enqueues, opened once: the pickup times count from the send, not from connecting. */
async function enqueuer(url: string): Promise<{ send(id: string): Promise<void>; close(): Promise<void> }> {
  const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false, max: 1 });
  boss.on('error', () => {});
  await boss.start();
  await boss.createQueue('export', { name: 'export', retryLimit: 3, retryDelay: 0, expireInSeconds: BOSS_EXPIRE_S });
  return { send: async (id) => void (await boss.send('export', { id })), close: () => boss.stop({ graceful: false, wait: true }) };
}

async function measure(url: string) {
  const queue = await enqueuer(url); // creates the schema and the queue
  const enqueue = (id: string) => queue.send(id);
  await enqueue('warm-up');
  const idle = await startWorker(url, 'work');
  await idle.next('completed', 'warm-up');
  const pickups: number[] = [];
  for (let i = 0; i < 5; i++) {
    const id = `pickup-${i}`;
    const sent = Date.now();
    await enqueue(id);
    const started = await idle.next('started', id);
    pickups.push(started! - sent);
  }
  idle.child.kill('SIGKILL');

  const a = await startWorker(url, 'hang');
  const b = await startWorker(url, 'work');
  // B is idle and polling; A gets the job only if it is the one to fetch it, so retry until A has it.
  let id = '';
  for (let i = 0; i < 10 && !id; i++) {
    const candidate = `victim-${i}`;
    await enqueue(candidate);
    const first = await Promise.race([a.next('started', candidate).then(() => 'a'), b.next('started', candidate).then(() => 'b')]);
    if (first === 'a') id = candidate;
  }
  a.child.kill('SIGKILL');
  const killedAt = Date.now();
  const completed = await b.next('completed', id, RECOVERY_WAIT_MS);
  b.child.kill('SIGKILL');
  await queue.close();
  return { pickups, recoveryMs: completed === undefined ? undefined : completed - killedAt };
}

async function main() {
  const server = await startPostgres();
  try {
    {
      const url = await server.createDatabase('pg_boss');
      const { pickups, recoveryMs } = await measure(url);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ t: string }>(
        `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'public') ORDER BY 1`,
      );
      await client.end();
      console.log(
        `pg-boss: pickup (enqueue → start in another process) ${pickups.map((ms) => `${ms} ms`).join(', ')}; ` +
          `kill -9 → completed by another worker: ${recoveryMs === undefined ? `not within ${RECOVERY_WAIT_MS / 1000} s` : `${(recoveryMs / 1000).toFixed(1)} s`}; ` +
          `tables: ${rows.map((r) => r.t).join(', ')}`,
      );
    }
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === 'worker') {
  void worker(process.argv[3]!, process.argv[4] as 'hang' | 'work');
} else {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
