import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { eventually, isAlive } from '../support/waiting.js';
import { freshDatabase, sharedPostgres, startPostgres } from '../support/postgres.js';

test('starts a throwaway PostgreSQL 15 that pg connects to, runs as an unprivileged user, and is gone after stop()', async () => {
  const server = await startPostgres();
  let stopped = false;
  try {
    assert.match(server.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ version: string; fsync: string }>(
      "SELECT current_setting('server_version_num') AS version, current_setting('fsync') AS fsync",
    );
    assert.equal(rows[0]!.version.slice(0, 2), '15');
    assert.equal(rows[0]!.fsync, 'off');
    await client.end();

    const other = await server.createDatabase('second');
    const second = new pg.Client({ connectionString: other, application_name: 'harness-victim' });
    await second.connect();
    // The FATAL, then 'Connection terminated unexpectedly': both come as 'error' events.
    const cut = new Promise<Error>((resolve) => second.on('error', resolve));
    assert.equal(await server.terminateBackends('harness-victim'), 1);
    assert.match((await cut).message, /terminat/);
    await second.end().catch(() => {});

    await server.stop();
    stopped = true;
    assert.equal(existsSync(server.folder), false, 'the temporary folder is removed');
    assert.equal(isAlive(server.pid), false, 'the postmaster has exited');
  } finally {
    if (!stopped) await server.stop();
  }
});

test('a test process killed with kill -9 takes its server with it, and the next start removes its folder', async () => {
  // A child process that starts a server, prints it, and waits to be killed.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      "import('./test/support/postgres.ts').then(async (m) => { const s = await m.startPostgres(); console.log(JSON.stringify(s)); setInterval(() => {}, 1000); })",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before starting a server`)));
  });
  const started = JSON.parse(line) as { pid: number; folder: string };
  assert.ok(isAlive(started.pid));
  child.kill('SIGKILL');
  await eventually(() => !isAlive(started.pid), 10_000, 'the server exiting after its test process was killed');
  // A killed process leaves its folder behind (no exit hook ran); whether it is still there now is not
  // asserted: another test file's start, running in parallel, may already have removed it.
  const next = await startPostgres();
  try {
    assert.equal(existsSync(started.folder), false, 'the next start removed the abandoned folder');
  } finally {
    await next.stop();
  }
});

test('the shared server is started once per process; each fresh database is empty and its own', async () => {
  const [one, two] = await Promise.all([sharedPostgres(), sharedPostgres()]);
  assert.equal(one, two);
  const [a, b] = await Promise.all([freshDatabase(), freshDatabase()]);
  assert.notEqual(a, b);
  const client = new pg.Client({ connectionString: a });
  await client.connect();
  await client.query('CREATE TABLE t (x int)');
  await client.end();
  const other = new pg.Client({ connectionString: b });
  await other.connect();
  const { rows } = await other.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't'");
  await other.end();
  assert.equal(rows[0].n, 0);
});

test('a test process that ends without stopping its server leaves neither the server nor its folder behind', async () => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      "import('./test/support/postgres.ts').then(async (m) => { const s = await m.sharedPostgres(); console.log(JSON.stringify(s)); })",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, 'the process ended by itself: the server does not keep it alive');
  const started = JSON.parse(out.trim()) as { pid: number; folder: string };
  await eventually(() => !isAlive(started.pid), 10_000, 'the server exiting with its test process');
  assert.equal(existsSync(started.folder), false, 'its folder is removed');
});
