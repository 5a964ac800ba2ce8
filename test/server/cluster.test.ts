import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { stableUuid } from '../../server/db/demo-data.js';
import {
  clientsOnDistinctProcesses,
  pinnedClient,
  signIn,
  startServerProcess,
  type PinnedClient,
  type ServerProcess,
} from '../support/cluster.js';
import { browserFixture } from '../fixtures/browser-fixture.js';
import { freshDatabase } from '../support/postgres.js';
import { isAlive } from '../support/waiting.js';
import { assertDeckDownloads, eventually, TEST_ENGINE } from './support.js';

const ADA = 'ada@acme.example';
const lesson = (name: string) => stableUuid(`lesson:test:${name}`);
const SLOW = lesson('[slow] Slow lesson');
const streamPath = (lessonId: string, cacheKey: string) => `/api/exports/pptx/stream?lessonId=${lessonId}&cacheKey=${cacheKey}`;
/** The `completed` event of that job, as a stream carries it. */
const completedEvent = (jobId: string) => new RegExp(`event: completed\\ndata: \\{"url":"/api/exports/pptx/files/${jobId}\\.pptx"`);
const renders = (out: string, title: string) => out.split('\n').filter((line) => line.startsWith(`rendering ${JSON.stringify(title)} in `));
/** Where in the output `line` is (-1: absent). */
const lineAt = (out: string, line: string) => out.split('\n').indexOf(line);
const newDatabase = () => join(mkdtempSync(join(tmpdir(), 'pos-cluster-')), 'db.sqlite');
/** A JSON file of the browser fixture (which has the slow lesson), for POS_FIXTURE. */
const fixtureFile = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'pos-cluster-pg-')), 'fixture.json');
  writeFileSync(file, JSON.stringify(browserFixture()));
  return file;
};

/**
 * Opens a stream on one worker of the cluster at `url`, dispatches the export
 * it follows on another, and resolves once the stream hears that job's
 * `completed` (within `ms`), with both workers' pids.
 */
async function completionAcrossWorkers(url: string, cacheKey: string, ms?: number) {
  const [watching, exporting] = await clientsOnDistinctProcesses(url, 2);
  try {
    const cookie = await signIn(exporting!, ADA);
    const stream = await watching!.stream(streamPath(lesson('Test lesson 1'), cacheKey), cookie);
    await stream.waitFor(/: connected/);
    const dispatched = await exporting!.request('POST', '/api/exports/pptx', {
      cookie,
      body: { lessonId: lesson('Test lesson 1'), cacheKey },
    });
    assert.equal(dispatched.status, 202, dispatched.body);
    const { job } = JSON.parse(dispatched.body) as { job: { id: string } };
    await stream.waitFor(completedEvent(job.id), ms);
    stream.close();
    return { watching: watching!.pid, exporting: exporting!.pid };
  } finally {
    watching!.close();
    exporting!.close();
  }
}

// `--workers 2` over one SQLite file in WAL mode: real processes (server/cluster.ts), real HTTP.
// In the SQLite pass of the suite; the PostgreSQL pass runs the two-instance tests below instead.
describe(
  '--workers 2 on SQLite',
  { skip: TEST_ENGINE === 'sqlite' ? false : 'SQLite only: the PostgreSQL pass runs the instances below' },
  () => {
    it('seeds a new database once, both workers answer, and a session made on one is valid on the other', async () => {
      const server = await startServerProcess(['--workers', '2'], { POS_DB: newDatabase() });
      try {
        assert.match(server.out(), /^listening on http:\/\/127\.0\.0\.1:\d+ with 2 workers \(pids \d+, \d+\)$/m);
        assert.equal(server.out().match(/^seeded in /gm)?.length, 1, server.out());
        // The first worker created and seeded the file before the second one began: they never open a new file together.
        const [first, second] = /pids (\d+), (\d+)/.exec(server.out())!.slice(1);
        assert.ok(lineAt(server.out(), `seeded in ${first}`) >= 0, server.out());
        assert.ok(lineAt(server.out(), `starting in ${second}`) > lineAt(server.out(), `seeded in ${first}`), server.out());
        const [a, b] = await clientsOnDistinctProcesses(server.url, 2);
        assert.notEqual(a!.pid, b!.pid);
        assert.notEqual(a!.pid, server.child.pid, 'the workers answer, not the primary');
        const cookie = await signIn(a!, ADA);
        const session = await b!.request('GET', '/api/auth/session', { cookie });
        assert.equal(session.status, 200);
        assert.equal((JSON.parse(session.body) as { user: { email: string } }).user.email, ADA);
        a!.close();
        b!.close();
      } finally {
        assert.equal(await server.stop(), 0, server.err());
      }
    });

    it('a stream on one worker hears a completion made on the other at its next poll', async () => {
      const server = await startServerProcess(['--workers', '2'], { POS_DB: newDatabase(), POS_SSE_POLL_MS: '300' });
      try {
        const { exporting } = await completionAcrossWorkers(server.url, 'across');
        assert.deepEqual(
          renders(server.out(), 'Test lesson 1').map((line) => Number(line.split(' in ')[1])),
          [exporting],
          'generated by the worker that dispatched it',
        );
      } finally {
        await server.stop();
      }
    });

    it('kill -9 of the worker generating an export: the other worker generates it, once, and the file downloads; the dead one is restarted', async () => {
      const server = await startServerProcess(['--workers', '2'], {
        POS_DB: newDatabase(),
        POS_SSE_POLL_MS: '200',
        POS_TEST_SLOW_MS: '4000',
      });
      try {
        const [a] = await clientsOnDistinctProcesses(server.url, 2);
        const cookie = await signIn(a!, ADA);
        const dispatched = await a!.request('POST', '/api/exports/pptx', { cookie, body: { lessonId: SLOW, cacheKey: 'killed' } });
        const { job } = JSON.parse(dispatched.body) as { job: { id: string } };
        const [, renderer] = await server.waitForOutput(/^rendering "\[slow\] Slow lesson" in (\d+)$/m);
        const victim = Number(renderer);
        process.kill(victim, 'SIGKILL');
        await eventually(() => !isAlive(victim), 5000, 'the killed worker is gone');

        await server.waitForOutput(/^handing 1 export\(s\) of a stopped worker to worker \d \(pid \d+\)$/m);
        const survivor = await pinnedClient(server.url);
        const stream = await survivor.stream(streamPath(SLOW, 'killed'), cookie);
        await stream.waitFor(completedEvent(job.id));
        survivor.close();
        const lines = renders(server.out(), '[slow] Slow lesson');
        assert.equal(lines.length, 2, `rendered by the killed worker, then once by another:\n${lines.join('\n')}`);
        assert.notEqual(Number(lines[1]!.split(' in ')[1]), victim);

        await assertDeckDownloads(server.url, job.id, cookie);

        await server.waitForOutput(/^worker \d \(pid \d+\) stopped \(killed by SIGKILL\); restarting it in \d+ ms$/m);
        const pids = new Set<number>();
        await eventually(
          async () => {
            const client = await pinnedClient(server.url);
            pids.add(client.pid);
            client.close();
            return [...pids].filter((pid) => pid !== victim).length >= 2;
          },
          20_000,
          'two live workers answer again',
        );
      } finally {
        await server.stop();
      }
    });

    it('after kill -9 of the whole cluster, the next start resumes the interrupted export once, not in every worker', async () => {
      const db = newDatabase();
      const first = await startServerProcess(['--workers', '2'], { POS_DB: db, POS_TEST_SLOW_MS: '4000' });
      const client = await pinnedClient(first.url);
      const cookie = await signIn(client, ADA);
      const dispatched = await client.request('POST', '/api/exports/pptx', { cookie, body: { lessonId: SLOW, cacheKey: 'restart' } });
      const { job } = JSON.parse(dispatched.body) as { job: { id: string } };
      client.close();
      await first.waitForOutput(/^rendering "\[slow\] Slow lesson" in \d+$/m);
      const workers = /pids (\d+), (\d+)/.exec(first.out())!.slice(1).map(Number);
      // The primary killed: its workers lose their channel to it and exit at once (node:cluster).
      first.child.kill('SIGKILL');
      await first.exited;
      await eventually(() => workers.every((pid) => !isAlive(pid)), 10_000, 'the workers exit with their primary');

      const second = await startServerProcess(['--workers', '2'], { POS_DB: db, POS_SSE_POLL_MS: '200', POS_TEST_SLOW_MS: '5000' });
      try {
        // The first worker resumed it before the second began (so it could not take the job too, nor race a new dispatch).
        const resumedAt = lineAt(second.out(), 'resuming 1 export(s) interrupted by the last stop');
        assert.ok(resumedAt >= 0, second.out());
        const later = /pids \d+, (\d+)/.exec(second.out())![1];
        assert.ok(lineAt(second.out(), `starting in ${later}`) > resumedAt, second.out());
        const watcher = await pinnedClient(second.url);
        const stream = await watcher.stream(streamPath(SLOW, 'restart'), cookie);
        await stream.waitFor(completedEvent(job.id));
        watcher.close();
        // The render takes 5 s: the second worker started while the job was still pending, and left it alone.
        assert.equal(renders(second.out(), '[slow] Slow lesson').length, 1, second.out());
      } finally {
        await second.stop();
      }
    });

    it('SIGTERM to the primary shuts every worker down gracefully (streams told server_restarting) and exits 0', async () => {
      const server = await startServerProcess(['--workers', '2'], { POS_DB: newDatabase() });
      const [a, b] = await clientsOnDistinctProcesses(server.url, 2);
      const cookie = await signIn(a!, ADA);
      const streams = await Promise.all([a!, b!].map((c) => c.stream(streamPath(lesson('Test lesson 2'), 'never'), cookie)));
      await Promise.all(streams.map((s) => s.waitFor(/: connected/)));
      const workers = [a!.pid, b!.pid];
      assert.equal(await server.stop(), 0, server.err());
      for (const s of streams) assert.match(await s.ended, /"code":"server_restarting"/);
      assert.equal(server.out().match(/^SIGTERM: shutting down$/gm)?.length, 2, server.out());
      assert.ok(workers.every((pid) => !isAlive(pid)));
    });

    it('a worker that cannot start (the port is taken) stops the cluster with exit code 1 and its message, without restarting', async () => {
      const holder = await startServerProcess([], { POS_DB: newDatabase() });
      try {
        const port = new URL(holder.url).port;
        const { spawn } = await import('node:child_process');
        const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', port, '--workers', '2'], {
          env: { ...process.env, POS_DB: newDatabase() },
        });
        let out = '';
        child.stdout.on('data', (c) => (out += c));
        child.stderr.on('data', (c) => (out += c));
        const code = await new Promise((resolve) => child.once('exit', resolve));
        assert.equal(code, 1, out);
        assert.match(out, /cannot start: .*EADDRINUSE/);
        assert.match(out, /worker 1 could not start \(exit code 1\); stopping the other workers/);
        assert.equal(out.match(/cannot start/g)?.length, 1, 'one try, no restart loop');
      } finally {
        await holder.stop();
      }
    });

    it('a bad --workers is refused before anything starts', async () => {
      const { spawnSync } = await import('node:child_process');
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--workers', '0'], { encoding: 'utf8' });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /cannot start: --workers must be a whole number ≥ 1, got "0"/);
    });
  },
);

const GRACE = 'grace@globex.example';
const SAM = 'sam@partners.example';

/** Two instances (separate processes, ports of their own) on one new PostgreSQL database, started together. */
async function twoInstances(env: Record<string, string> = {}) {
  const databaseUrl = await freshDatabase();
  // Both are given the same fixture; the storage's advisory lock lets one create and seed the database.
  const common = { POS_DATABASE_URL: databaseUrl, POS_FIXTURE: fixtureFile(), POS_SSE_POLL_MS: '60000', ...env };
  const started = await Promise.allSettled([startServerProcess([], common), startServerProcess([], common)]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // Never leave the other one running (it would keep the test process alive).
    await Promise.all(started.map((s) => s.status === 'fulfilled' && s.value.stop()));
    throw failed.reason;
  }
  const [a, b] = started.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value);
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  return {
    a: a!,
    b: b!,
    sql,
    async stop() {
      await sql.end();
      await Promise.all([a!.stop(), b!.stop()]);
    },
  };
}

/** Runs `test` with two instances on one new database, and stops both afterwards, whatever the test did. */
async function withTwoInstances(env: Record<string, string>, test: (instances: TwoInstances) => Promise<void>): Promise<void> {
  const instances = await twoInstances(env);
  try {
    await test(instances);
  } finally {
    await instances.stop();
  }
}
type TwoInstances = Awaited<ReturnType<typeof twoInstances>>;

const post = (client: PinnedClient | ServerProcess, path: string, cookie: string, body: unknown) =>
  'request' in client
    ? client.request('POST', path, { cookie, body })
    : fetch(`${client.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

// Two instances over one PostgreSQL database (issue 18): real processes, real HTTP, real PostgreSQL.
describe(
  'two instances on PostgreSQL',
  { skip: TEST_ENGINE === 'postgres' ? false : 'PostgreSQL only: run with POS_TEST_ENGINE=postgres (npm run test:server:postgres)' },
  () => {
    it('seeds the new database once, and a stream on B hears a completion on A through NOTIFY (the poll is 60 s)', (t) =>
      withTwoInstances({}, async ({ a, b, sql }) => {
        assert.equal(`${a.out()}${b.out()}`.match(/^seeded in /gm)?.length, 1, 'one of them created and seeded it');
        const onA = await pinnedClient(a.url);
        const onB = await pinnedClient(b.url);
        const cookie = await signIn(onA, ADA);
        // The slow lesson (1.5 s): whichever instance the queue gives it to, the stream is opened on the other before it ends.
        const dispatched = await onA.request('POST', '/api/exports/pptx', { cookie, body: { lessonId: SLOW, cacheKey: 'notify' } });
        assert.equal(dispatched.status, 202, dispatched.body);
        const { job } = JSON.parse(dispatched.body) as { job: { id: string } };
        const [, renderer] = await Promise.race([
          a.waitForOutput(/^rendering "\[slow\] Slow lesson" in (\d+)$/m),
          b.waitForOutput(/^rendering "\[slow\] Slow lesson" in (\d+)$/m),
        ]);
        const watching = Number(renderer) === a.child.pid ? onB : onA;
        const stream = await watching.stream(streamPath(SLOW, 'notify'), cookie);
        await stream.waitFor(completedEvent(job.id), 20_000);
        const heardAt = Date.now();
        const { rows } = await sql.query<{ completed_at: Date }>('SELECT completed_at FROM export_jobs WHERE id = $1', [job.id]);
        const latency = heardAt - rows[0]!.completed_at.getTime();
        t.diagnostic(`completion on ${renderer} to the event on ${watching.pid}: ${latency} ms (poll 60 s, so NOTIFY carried it)`);
        console.log(`cluster: completion-to-event across instances ${latency} ms`);
        assert.ok(latency < 60_000);
        onA.close();
        onB.close();
      }));

    it('`--workers 2` over PostgreSQL: seeds once, both workers answer, and a stream on one hears the completion of an export dispatched on the other, through NOTIFY', async () => {
      const server = await startServerProcess(['--workers', '2'], {
        POS_DATABASE_URL: await freshDatabase(),
        POS_FIXTURE: fixtureFile(),
        POS_SSE_POLL_MS: '60000',
      });
      try {
        assert.match(server.out(), /^listening on http:\/\/127\.0\.0\.1:\d+ with 2 workers \(pids \d+, \d+\)$/m);
        assert.equal(server.out().match(/^seeded /gm)?.length, 1, server.out());
        // The poll is a minute away: only the notification can bring it within the wait.
        const { watching, exporting } = await completionAcrossWorkers(server.url, 'workers', 20_000);
        assert.notEqual(watching, exporting);
      } finally {
        assert.equal(await server.stop(), 0, server.err());
      }
    });

    it('kill -9 of the instance generating an export: the other one generates it, its API reports it completed and the file downloads', () =>
      withTwoInstances({ POS_EXPORT_DEADLINE_MS: '40000', POS_TEST_SLOW_MS: '3000' }, async ({ a, b }) => {
        // The queue counts a job running 10 s as abandoned (a quarter of a 40 s deadline, at least 10 s); the render (3 s) is killed first.
        const cookie = await signIn(await pinnedClient(a.url), ADA);
        const dispatched = await post(a, '/api/exports/pptx', cookie, { lessonId: SLOW, cacheKey: 'killed' });
        const { job } = (await (dispatched as Response).json()) as { job: { id: string } };
        const [, renderer] = await Promise.race([
          a.waitForOutput(/^rendering "\[slow\] Slow lesson" in (\d+)$/m),
          b.waitForOutput(/^rendering "\[slow\] Slow lesson" in (\d+)$/m),
        ]);
        const [victim, survivor] = Number(renderer) === a.child.pid ? [a, b] : [b, a];
        victim.child.kill('SIGKILL');
        await victim.exited;
        await survivor.waitForOutput(/^rendering "\[slow\] Slow lesson" in \d+$/m, 60_000);

        const onSurvivor = await pinnedClient(survivor.url);
        const stream = await onSurvivor.stream(streamPath(SLOW, 'killed'), cookie);
        await stream.waitFor(completedEvent(job.id), 60_000);
        onSurvivor.close();
        const again = await post(survivor, '/api/exports/pptx', cookie, { lessonId: SLOW, cacheKey: 'killed' });
        const answer = (await (again as Response).json()) as { job: { id: string; status: string } };
        assert.deepEqual([answer.job.id, answer.job.status], [job.id, 'completed']);
        await assertDeckDownloads(survivor.url, job.id, cookie);
      }));

    it('a graceful stop of A finishes the export A is generating and leaves the queued one to B, which generates it', () =>
      withTwoInstances({ POS_EXPORT_CONCURRENCY: '1', POS_TEST_SLOW_MS: '3000' }, async ({ a, b, sql }) => {
        // One generation at a time each: two slow exports keep both busy, the third waits in the shared queue.
        const cookie = await signIn(await pinnedClient(a.url), ADA);
        const ids: string[] = [];
        for (const cacheKey of ['stop-1', 'stop-2', 'stop-3']) {
          const dispatched = (await post(a, '/api/exports/pptx', cookie, { lessonId: SLOW, cacheKey })) as Response;
          assert.equal(dispatched.status, 202);
          ids.push(((await dispatched.json()) as { job: { id: string } }).job.id);
        }
        const rendering = /^rendering "\[slow\] Slow lesson" in \d+$/m;
        await Promise.all([a.waitForOutput(rendering), b.waitForOutput(rendering)]);
        assert.equal(await a.stop(), 0, a.err());
        const allEnded = async () => {
          for (let waited = 0; waited < 30_000; waited += 100) {
            const { rows } = await sql.query<{ status: string }>('SELECT status FROM export_jobs WHERE id = ANY($1)', [ids]);
            if (rows.every((row) => row.status !== 'pending')) return rows.map((row) => row.status);
            await new Promise((r) => setTimeout(r, 100));
          }
          return 'still pending after 30 s';
        };
        assert.deepEqual(await allEnded(), ['completed', 'completed', 'completed']);
        assert.deepEqual(
          [renders(a.out(), '[slow] Slow lesson').length, renders(b.out(), '[slow] Slow lesson').length],
          [1, 2],
          'A generated only the one it had begun; B generated its own and the queued one',
        );
      }));

    it('a sign-out on A is a 401 on B at its next request; an organisation switch on A is in effect on B', () =>
      withTwoInstances({}, async ({ a, b }) => {
        const [onA, onB] = [await pinnedClient(a.url), await pinnedClient(b.url)];
        const cookie = await signIn(onA, SAM);
        const session = async () =>
          JSON.parse((await onB.request('GET', '/api/auth/session', { cookie })).body) as {
            activeOrganizationId: string;
            organizations: { id: string }[];
          };
        const before = await session();
        const other = before.organizations.find((o) => o.id !== before.activeOrganizationId)!.id;
        const trainingsOn = async (client: PinnedClient) =>
          (
            JSON.parse((await client.request('GET', '/api/workflow-pickers/trainings', { cookie })).body) as { trainings: { id: string }[] }
          ).trainings
            .map((tr) => tr.id)
            .sort();
        const oldTrainings = await trainingsOn(onB);
        assert.equal(
          (await onA.request('POST', '/api/auth/organization/set-active', { cookie, body: { organizationId: other } })).status,
          200,
        );
        assert.equal((await session()).activeOrganizationId, other);
        const newTrainings = await trainingsOn(onB);
        assert.deepEqual(newTrainings, await trainingsOn(onA));
        assert.notDeepEqual(newTrainings, oldTrainings, 'B answers for the organisation chosen on A');

        assert.equal((await onA.request('POST', '/api/auth/sign-out', { cookie })).status, 200);
        assert.equal((await onB.request('GET', '/api/auth/session', { cookie })).status, 401);
        assert.equal((await onB.request('GET', '/api/workflow-pickers/trainings', { cookie })).status, 401);
        onA.close();
        onB.close();
      }));

    it('a training published by a write on A is in B’s next picker answer (B’s cached answer is dropped)', () =>
      withTwoInstances({}, async ({ a, b, sql }) => {
        const onB = await pinnedClient(b.url);
        const cookie = await signIn(onB, ADA);
        const titles = async () =>
          (
            JSON.parse((await onB.request('GET', '/api/workflow-pickers/trainings', { cookie })).body) as { trainings: { title: string }[] }
          ).trainings.map((tr) => tr.title);
        const { rows } = await sql.query<{ id: string; title: string }>(
          `SELECT t.id, t.title FROM trainings t JOIN users u ON u.active_organization_id = t.organization_id
         WHERE u.email = $1 AND NOT t.is_published ORDER BY t.id LIMIT 1`,
          [ADA],
        );
        const hidden = rows[0]!;
        const first = await titles();
        assert.ok(!first.includes(hidden.title));
        assert.deepEqual(await titles(), first);
        const cached = ((await (await fetch(`${b.url}/healthz`)).json()) as { cachedAnswers: number }).cachedAnswers;
        assert.ok(cached >= 1, 'B answered the second time from its cache');
        // Published through instance A's connection pool would be the same write: any committed write moves the version and notifies.
        await sql.query('UPDATE trainings SET is_published = true, updated_at = now() WHERE id = $1', [hidden.id]);
        assert.ok((await titles()).includes(hidden.title), 'B’s next answer has it');
        void a;
        onB.close();
      }));

    it('keeps organisations apart across instances: a session on B never sees another organisation’s data or exports', () =>
      withTwoInstances({}, async ({ a, b }) => {
        const [onA, onB] = [await pinnedClient(a.url), await pinnedClient(b.url)];
        const ada = await signIn(onA, ADA);
        const grace = await signIn(onB, GRACE);
        const dispatched = await onA.request('POST', '/api/exports/pptx', {
          cookie: ada,
          body: { lessonId: lesson('Test lesson 3'), cacheKey: 'mine' },
        });
        const { job } = JSON.parse(dispatched.body) as { job: { id: string } };
        const mine = await onA.stream(streamPath(lesson('Test lesson 3'), 'mine'), ada);
        await mine.waitFor(/event: completed/);
        assert.equal((await onB.request('GET', `/api/exports/pptx/files/${job.id}.pptx`, { cookie: grace })).status, 404);
        assert.equal((await onB.request('GET', streamPath(lesson('Test lesson 3'), 'mine'), { cookie: grace })).status, 404);
        const again = await onB.request('POST', '/api/exports/pptx', {
          cookie: grace,
          body: { lessonId: lesson('Test lesson 3'), cacheKey: 'mine' },
        });
        assert.equal(again.status, 404, 'not a cache hit on another organisation’s export');
        const ids = async (client: PinnedClient, cookie: string) =>
          (
            JSON.parse((await client.request('GET', '/api/workflow-pickers/trainings', { cookie })).body) as { trainings: { id: string }[] }
          ).trainings.map((tr) => tr.id);
        const acme = await ids(onA, ada);
        const globex = await ids(onB, grace);
        assert.ok(acme.length && globex.length);
        assert.deepEqual(
          globex.filter((id) => acme.includes(id)),
          [],
        );
        mine.close();
        onA.close();
        onB.close();
      }));

    it('counts failed sign-ins across instances: failures split over A and B reach the limit', () =>
      withTwoInstances({ POS_SIGNIN_MAX_FAILURES: '4' }, async ({ a, b }) => {
        const attempt = (server: ServerProcess, password: string) =>
          fetch(`${server.url}/api/auth/sign-in/email`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: ADA, password }),
          });
        for (const server of [a, b, a, b]) assert.equal((await attempt(server, 'wrong password')).status, 401);
        assert.equal((await attempt(a, 'partneros-demo')).status, 429, 'A counts B’s failures too');
        assert.equal((await attempt(b, 'partneros-demo')).status, 429);
      }));
  },
);
