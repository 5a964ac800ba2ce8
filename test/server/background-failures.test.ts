import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { EMAIL, ID, PASSWORD } from '../fixtures/server-fixture.js';
import { cookieFrom, eventually, onlyOn, openStream } from './support.js';

// The faults are made with SQLite's own means (PRAGMA query_only, a table renamed on the file by another connection).
const SQLITE_ONLY = { skip: onlyOn('sqlite', 'faults made with SQLite pragmas and a second connection to the file') };

// The server runs as a child process: an unhandled rejection or an uncaught
// exception in a background task ends a real process (Node 20), whereas in this
// one node:test would catch it. The child installs no process-level guard.
interface Child {
  process: ChildProcess;
  url: string;
  resumed: number;
  stderr: () => string;
  signIn(email: string): Promise<string>;
  /** Resolves once stderr satisfies `test`. */
  waitForLog(test: RegExp): Promise<void>;
  stop(): Promise<number | null>;
}

async function startChild(db: string, env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/background-fault-server.ts'], {
    env: { ...process.env, PORT: '0', POS_DB: db, POS_SSE_HEARTBEAT_MS: '200', POS_SSE_TIMEOUT_MS: '30000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const { url, resumed } = await new Promise<{ url: string; resumed: number }>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /resumed (\d+)\nlistening on (\S+)/.exec(out);
      if (match) resolve({ url: match[2]!, resumed: Number(match[1]) });
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${out}${err}`)));
  });
  return {
    process: child,
    url,
    resumed,
    stderr: () => err,
    async signIn(email) {
      const response = await fetch(`${url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      assert.equal(response.status, 200);
      return cookieFrom(response);
    },
    waitForLog: (test) =>
      eventually(() => test.test(err) || child.exitCode !== null, 10_000, `stderr to show ${test}`).then(() => {
        assert.equal(child.exitCode, null, `the server exited; stderr:\n${err}`);
      }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

const dbFile = (name: string) => join(mkdtempSync(join(tmpdir(), `pos-${name}-`)), 'db.sqlite');

/** The server still answers, and its process is still the one that started. */
async function assertServing(child: Child) {
  assert.equal(child.process.exitCode, null, `the server exited; stderr:\n${child.stderr()}`);
  const health = await fetch(`${child.url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { ok: boolean }).ok, true);
}

const SERVER_ERRORS = /unhandled|uncaught|Error: .*\n\s+at /i;

describe('a generation failing while the database cannot be written', SQLITE_ONLY, () => {
  it('keeps the process up, tells the stream, leaves the job pending, and marks it failed at the next start', async () => {
    const db = dbFile('readonly');
    const first = await startChild(db, { FAULT_READONLY: '1', POS_SSE_POLL_MS: '60000' });
    let job: { id: string };
    try {
      const cookie = await first.signIn(EMAIL.a);
      const streamUrl = `${first.url}/api/exports/pptx/stream?lessonId=${ID.lessonFailed}&cacheKey=readonly`;
      const stream = await openStream(streamUrl, cookie);
      await stream.waitFor(': connected');
      const dispatched = await fetch(`${first.url}/api/exports/pptx`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ lessonId: ID.lessonFailed, cacheKey: 'readonly' }),
      });
      assert.equal(dispatched.status, 202);
      job = ((await dispatched.json()) as { job: { id: string } }).job;

      // Told at once (the poll period is a minute), with a code the element treats as final.
      const text = await stream.ended;
      assert.ok(
        text.endsWith(
          'event: error\ndata: {"message":"The export failed, and the server could not record it: its database cannot be written right now. Try again later.","code":"storage_unavailable"}\n\n',
        ),
        text,
      );
      await assertServing(first);
      // Reads still work on a read-only database.
      assert.equal((await fetch(`${first.url}/api/workflow-pickers/trainings`, { headers: { cookie } })).status, 200);
      // A stream opened afterwards hears the same, rather than waiting for its timeout.
      const late = await openStream(streamUrl, cookie);
      assert.match(await late.ended, /"code":"storage_unavailable"/);

      // One line, with the job, the lesson and both reasons.
      const logged = first
        .stderr()
        .split('\n')
        .filter((line) => line.includes(job.id));
      assert.equal(logged.length, 1, first.stderr());
      assert.match(logged[0]!, new RegExp(`lesson ${ID.lessonFailed}.*the renderer crashed on purpose.*readonly database.*stays pending`));
      assert.doesNotMatch(first.stderr(), SERVER_ERRORS);

      const check = new Database(db, { readonly: true });
      const row = check.prepare('SELECT status, runs_here FROM export_jobs WHERE id = ?').get(job.id);
      check.close();
      assert.deepEqual(row, { status: 'pending', runs_here: 1 }, 'left for the resume at the next start');
    } finally {
      assert.equal(await first.stop(), 0, `graceful exit; stderr:\n${first.stderr()}`);
    }

    // The next start (the database writable again) resumes it; the renderer fails again, and this time the mark is written.
    const second = await startChild(db, { POS_SSE_POLL_MS: '60000' });
    try {
      assert.equal(second.resumed, 1);
      const cookie = await second.signIn(EMAIL.a);
      const stream = await openStream(`${second.url}/api/exports/pptx/stream?lessonId=${ID.lessonFailed}&cacheKey=readonly`, cookie);
      assert.ok(
        (await stream.ended).endsWith(
          'event: error\ndata: {"message":"The export failed: the renderer crashed on purpose","code":"export_failed"}\n\n',
        ),
      );
      const check = new Database(db, { readonly: true });
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(check.prepare('SELECT status, error FROM export_jobs WHERE id = ?').get(job!.id), {
        status: 'failed',
        error: 'The export failed: the renderer crashed on purpose',
      });
      check.close();
    } finally {
      await second.stop();
    }
  });
});

describe('the shared poll failing', SQLITE_ONLY, () => {
  // Another connection renames a table the poll's query reads: SQLite re-prepares
  // the statement and fails with "no such table", a real error from the real query.
  const away = (db: Database.Database) => db.exec('ALTER TABLE export_jobs RENAME TO export_jobs_away');
  const back = (db: Database.Database) => db.exec('ALTER TABLE export_jobs_away RENAME TO export_jobs');

  it('once: the streams stay open and get the next result, and the process stays up', async () => {
    const path = dbFile('poll-once');
    // A minute between ticks: each check here is one a new stream triggers (subscribing checks at once), so exactly one fails.
    const child = await startChild(path, { POS_SSE_POLL_MS: '60000' });
    const other = new Database(path);
    other.pragma('busy_timeout = 5000');
    try {
      const cookie = await child.signIn(EMAIL.a);
      const stream = (key: string, lessonId: string = ID.lessonA) =>
        openStream(`${child.url}/api/exports/pptx/stream?lessonId=${lessonId}&cacheKey=${key}`, cookie);
      // Follows the fixture's pending job, which "another process" completes below.
      const pollChecks = async () => ((await (await fetch(`${child.url}/healthz`)).json()) as { pollChecks: number }).pollChecks;
      const following = await stream('elsewhere', ID.lessonA2);
      // Its first check (run just after `: connected` is sent) must be done before the table goes.
      await eventually(async () => (await pollChecks()) === 1, 3000, 'the first check');

      away(other);
      const poke = await stream('poke');
      await child.waitForLog(/export poll: the query failed \(2 export\(s\) followed\): no such table: export_jobs/);
      assert.equal(await pollChecks(), 2, 'exactly one check ran while the table was away');
      back(other);
      await assertServing(child);

      other
        .prepare("UPDATE export_jobs SET status = 'completed', cost_cents = 7, model = 'other-process' WHERE id = ?")
        .run(ID.jobPendingElsewhere);
      const next = await stream('poke-again');
      const text = await following.ended;
      assert.ok(
        text.endsWith(
          `event: completed\ndata: {"url":"/api/exports/pptx/files/${ID.jobPendingElsewhere}.pptx","costCents":7,"model":"other-process"}\n\n`,
        ),
        text,
      );
      assert.doesNotMatch(following.text, /event: error/);
      assert.doesNotMatch(poke.text, /event:/, 'the stream open during the failure is still waiting');
      await child.waitForLog(/export poll: recovered after 1 failed check/);
      assert.equal(child.stderr().trim().split('\n').length, 2, child.stderr());
      assert.doesNotMatch(child.stderr(), SERVER_ERRORS);
      poke.close();
      next.close();
    } finally {
      other.close();
      await child.stop();
    }
  });

  it('for good: the streams get an `error` event, new ones too, the log says so once, and the process stays up', async () => {
    const path = dbFile('poll-down');
    const child = await startChild(path, { POS_SSE_POLL_MS: '50' });
    const other = new Database(path);
    other.pragma('busy_timeout = 5000');
    try {
      const cookie = await child.signIn(EMAIL.a);
      const stream = (key: string) => openStream(`${child.url}/api/exports/pptx/stream?lessonId=${ID.lessonA}&cacheKey=${key}`, cookie);
      const streams = [await stream('one'), await stream('two')];
      await Promise.all(streams.map((s) => s.waitFor(': connected')));

      away(other);
      const unavailable =
        'event: error\ndata: {"message":"The server cannot read its database right now, so it cannot follow this export. Try again later.","code":"storage_unavailable"}\n\n';
      for (const s of streams) assert.ok((await s.ended).endsWith(unavailable), s.text);
      await assertServing(child);
      // Still failing: a new stream is told at once instead of waiting out its timeout.
      assert.ok((await (await stream('three')).ended).endsWith(unavailable));

      const lines = () => child.stderr().trim().split('\n');
      assert.equal(lines().length, 2, child.stderr());
      assert.match(
        lines()[0]!,
        /^export poll: the query failed \(2 export\(s\) followed\): no such table: export_jobs; the streams keep waiting$/,
      );
      assert.match(
        lines()[1]!,
        /^export poll: failed 3 times in a row \(no such table: export_jobs\); ended 2 stream\(s\) with an error event$/,
      );

      back(other);
      const after = await stream('four');
      await child.waitForLog(/export poll: recovered after 4 failed check\(s\)/);
      await after.waitFor(':hb');
      assert.doesNotMatch(after.text, /event:/, 'the poll works again: the stream waits for its export');
      after.close();
      assert.doesNotMatch(child.stderr(), SERVER_ERRORS);
      await assertServing(child);
    } finally {
      other.close();
      await child.stop();
    }
  });
});

// `npm run serve` installs it (main.ts); the tests above run without it.
describe('the process-level guard', SQLITE_ONLY, () => {
  it('logs an unhandled rejection and keeps running; logs an uncaught exception and exits 1', async () => {
    const script = `
      const { guardProcess } = await import('./server/server.ts');
      guardProcess();
      Promise.reject(new Error('a lost task'));
      setTimeout(() => {
        console.log('still running');
        setImmediate(() => { throw new Error('a broken callback'); });
      }, 50);
      setTimeout(() => console.log('ran on after the exception'), 500);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1, stderr);
    assert.equal(stdout, 'still running\n', 'ran on after the rejection, not after the exception');
    assert.match(stderr, /^unhandled rejection \(a bug: the server keeps serving\): Error: a lost task$/m);
    assert.match(stderr, /^uncaught exception \(uncaughtException\); exiting, as the process state is unknown: Error: a broken callback$/m);
  });
});
