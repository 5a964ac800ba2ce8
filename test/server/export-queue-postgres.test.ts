import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { PostgresExportQueue } from '../../server/storage/export-queue-postgres.js';
import { eventually } from '../support/waiting.js';
import { startPostgres, type ThrowawayPostgres } from '../support/postgres.js';

let server: ThrowawayPostgres;
before(async () => {
  server = await startPostgres();
});
after(() => server?.stop());

test('an instance runs at most `concurrency` generations at once, and every queued export runs', async () => {
  const url = await server.createDatabase('queue_concurrency');
  let running = 0;
  let most = 0;
  const done: string[] = [];
  const queue = await PostgresExportQueue.start({
    url,
    concurrency: 2,
    abandonAfterSeconds: 60,
    generate: async (id) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 300));
      running--;
      done.push(id);
    },
  });
  try {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) await queue.enqueue(id);
    await eventually(() => done.length === ids.length, 30_000, 'all five exports run');
    assert.deepEqual([...done].sort(), [...ids].sort());
    assert.equal(most, 2);
  } finally {
    await queue.stop();
  }
});

test('an export whose instance is killed with kill -9 mid-generation is run again by another instance', async () => {
  const url = await server.createDatabase('queue_recovery');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/export-queue-worker.ts', url, '2'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await eventually(() => out.includes('ready'), 30_000, 'the other instance started');
    const id = randomUUID();
    // Queued from a third party, as a dispatching instance would.
    const dispatcher = await PostgresExportQueue.start({ url, concurrency: 0, abandonAfterSeconds: 2, generate: async () => {} });
    await dispatcher.enqueue(id);
    await dispatcher.stop();
    await eventually(() => out.includes(`started ${id}`), 30_000, 'the other instance starting the export');
    child.kill('SIGKILL');
    await exited;

    const generated: string[] = [];
    const survivor = await PostgresExportQueue.start({
      url,
      concurrency: 1,
      abandonAfterSeconds: 2,
      superviseEverySeconds: 1,
      generate: async (job) => void generated.push(job),
    });
    try {
      await eventually(() => generated.includes(id), 30_000, 'the surviving instance running the abandoned export');
    } finally {
      await survivor.stop();
    }
  } finally {
    child.kill('SIGKILL');
  }
});
