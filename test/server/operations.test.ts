import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { stableUuid } from '../../server/db/demo-data.js';
import { EMAIL, ID, PASSWORD } from '../fixtures/server-fixture.js';
import { assertDeckDownloads, createTestApp, onlyOn, openStream, sqlElsewhere, sqliteOf, startTestServer } from './support.js';

describe('sign-in rate limiting', () => {
  it('answers 429 with Retry-After after too many failures for an account, before checking the password', async () => {
    const t = await createTestApp({ signInMaxFailures: 3 });
    const attempt = (password: string) => t.post('/api/auth/sign-in/email', { email: EMAIL.a, password });
    for (let i = 0; i < 3; i++) assert.equal((await attempt('wrong password')).status, 401);
    const blocked = await attempt(PASSWORD);
    assert.equal(blocked.status, 429, 'even the right password waits');
    assert.equal(((await blocked.json()) as { code: string }).code, 'too_many_requests');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(retryAfter > 800 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    // Another account is not affected by A's failures.
    assert.equal((await t.post('/api/auth/sign-in/email', { email: EMAIL.b, password: PASSWORD })).status, 200);
    t.close();
  });

  it('forgets an account’s failures after a successful sign-in', async () => {
    const t = await createTestApp({ signInMaxFailures: 3 });
    const attempt = (password: string) => t.post('/api/auth/sign-in/email', { email: EMAIL.a, password });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) assert.equal((await attempt('wrong password')).status, 401);
      assert.equal((await attempt(PASSWORD)).status, 200);
    }
    t.close();
  });
});

describe('sign-in rate limiting across instances', () => {
  it('counts failures on one instance against a sign-in on another over the same database', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'pos-limits-')), 'db.sqlite');
    const a = await startTestServer({ db, signInMaxFailures: 2 });
    const b = await startTestServer({ db, signInMaxFailures: 2 });
    try {
      const attempt = (url: string, password: string) =>
        fetch(`${url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: EMAIL.a, password }),
        }).then((r) => r.status);
      assert.equal(await attempt(a.url, 'wrong password'), 401);
      assert.equal(await attempt(b.url, 'wrong password'), 401);
      assert.equal(await attempt(a.url, PASSWORD), 429, 'A counts the failure B saw');
      assert.equal(await attempt(b.url, PASSWORD), 429);
    } finally {
      await b.close(0);
      await a.close(0);
    }
  });

  it('a failed sign-in leaves the data version alone: the session and answer caches stay full', async () => {
    const t = await createTestApp();
    const cookie = await t.signIn(EMAIL.a);
    assert.equal((await t.get('/api/workflow-pickers/trainings', cookie)).status, 200);
    const version = await t.storage.changes.version();
    const held = t.answers.size;
    assert.ok(held > 0);
    assert.equal((await t.post('/api/auth/sign-in/email', { email: EMAIL.a, password: 'wrong password' })).status, 401);
    assert.equal(await t.storage.changes.version(), version, 'the limiter wrote its count elsewhere');
    const before = t.answers.stats.served;
    assert.equal((await t.get('/api/workflow-pickers/trainings', cookie)).status, 200);
    assert.equal(t.answers.stats.served, before + 1, 'still answered from the cache');
    await t.close();
  });
});

describe('storage faults', { skip: onlyOn('sqlite', 'made with SQLite pragmas (query_only, max_page_count)') }, () => {
  it('a read-only database answers writes with 503 storage_unavailable and keeps serving reads', async () => {
    const t = await createTestApp();
    const cookie = await t.signIn(EMAIL.a);
    sqliteOf(t.storage).pragma('query_only = ON');
    const originalError = console.error;
    console.error = () => {};
    try {
      const write = await t.post('/api/exports/pptx', { lessonId: ID.lessonA }, cookie);
      assert.equal(write.status, 503);
      assert.deepEqual(await write.json(), {
        error: 'The server cannot use its database right now (read-only or full disk). Try again later.',
        code: 'storage_unavailable',
      });
      assert.equal((await t.get('/api/workflow-pickers/trainings', cookie)).status, 200);
    } finally {
      console.error = originalError;
      await t.close();
    }
  });

  it('a read-only database still serves reads to a session whose use is due to be recorded', async () => {
    let clock = Date.now();
    const t = await createTestApp({}, { now: () => clock });
    const cookie = await t.signIn(EMAIL.a);
    sqliteOf(t.storage).pragma('query_only = ON');
    clock += 5 * 60_000; // past the once-a-minute refresh: this read would write the new expiry
    try {
      assert.equal((await t.get('/api/workflow-pickers/trainings', cookie)).status, 200);
      assert.equal((await t.get('/api/auth/session', cookie)).status, 200);
    } finally {
      await t.close();
    }
  });

  it('a full disk fails the export with a clear message instead of crashing', async () => {
    const t = await createTestApp();
    const cookie = await t.signIn(EMAIL.a);
    // No page may be added: the deck's blob cannot be stored, as on a full disk.
    sqliteOf(t.storage).pragma(`max_page_count = ${sqliteOf(t.storage).pragma('page_count', { simple: true })}`);
    const response = await t.post('/api/exports/pptx', { lessonId: ID.lessonA, cacheKey: 'full' }, cookie);
    if (response.status === 202) {
      const { job } = (await response.json()) as { job: { id: string } };
      await t.exports.idle();
      const row = (await t.sql('SELECT status, error FROM export_jobs WHERE id = ?', job.id))[0] as { status: string; error: string };
      assert.equal(row.status, 'failed');
      assert.match(row.error, /database or disk is full/);
    } else {
      assert.equal(response.status, 503);
    }
    await t.close();
  });
});

describe('graceful shutdown', () => {
  it('ends open streams with `server_restarting`, lets running exports finish, then closes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pos-shutdown-')), 'db.sqlite');
    let renderingBegan!: () => void;
    const rendering = new Promise<void>((resolve) => (renderingBegan = resolve));
    const s = await startTestServer(
      { db: path },
      {
        renderDeck: async (lesson) => {
          renderingBegan();
          await new Promise((r) => setTimeout(r, 300));
          const { renderLessonDeck } = await import('../../server/exports/deck.js');
          return renderLessonDeck(lesson);
        },
      },
    );
    const cookie = await s.signIn(EMAIL.a);
    const stream = await openStream(`${s.url}/api/exports/pptx/stream?lessonId=${ID.lessonA}&cacheKey=waiting`, cookie);
    await stream.waitFor(': connected');
    const dispatched = await fetch(`${s.url}/api/exports/pptx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ lessonId: ID.lessonA2, cacheKey: 'running' }),
    });
    const { job } = (await dispatched.json()) as { job: { id: string } };
    // Running, not just queued: on PostgreSQL the 202 comes once the job is in
    // pg-boss, and a worker may fetch it only later. A job still queued at the
    // close stays pending for another instance, which is right, but not this case.
    await rendering;
    await s.close();
    const text = await stream.ended;
    assert.ok(
      text.endsWith(
        'event: error\ndata: {"message":"The server is restarting; the export goes on. Reconnect in a moment.","code":"server_restarting"}\n\n',
      ),
      text,
    );
    assert.equal(s.storage.isOpen, false);
    await assert.rejects(fetch(`${s.url}/healthz`), 'no longer accepting connections');
    assert.deepEqual(
      await sqlElsewhere(s.location, 'SELECT status FROM export_jobs WHERE id = ?', job.id),
      [{ status: 'completed' }],
      'the export that was running finished before the database closed',
    );
  });
});

describe('kill -9 during an export', () => {
  const start = (dir: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/test-api-server.ts'], {
      env: { ...process.env, PORT: '0', POS_DB: join(dir, 'db.sqlite'), POS_SSE_POLL_MS: '100' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise<{ child: ChildProcess; url: string; out: () => string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        const match = /listening on (\S+)/.exec(out);
        if (match) resolve({ child, url: match[1]!, out: () => out });
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
  };

  it(
    'leaves a sound database, keeps completed exports and their files, and resumes the interrupted one',
    {
      skip: onlyOn(
        'sqlite',
        'a SQLite file and its resume at the next start; on PostgreSQL pg-boss re-runs the job (export-queue-postgres.test.ts)',
      ),
    },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pos-kill-'));
      const first = await start(dir);
      const signIn = await fetch(`${first.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@acme.example', password: 'partneros-demo' }),
      });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const post = (url: string, lessonId: string, cacheKey: string) =>
        fetch(`${url}/api/exports/pptx`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ lessonId, cacheKey }),
        }).then((r) => r.json() as Promise<{ job: { id: string; status: string } }>);

      const done = await post(first.url, stableUuid('lesson:test:Test lesson 1'), 'before-kill');
      // Wait for the first export to be stored (its stream says so), not for a guessed time.
      const firstDone = await openStream(
        `${first.url}/api/exports/pptx/stream?lessonId=${stableUuid('lesson:test:Test lesson 1')}&cacheKey=before-kill`,
        cookie,
      );
      assert.match(await firstDone.ended, /event: completed/);
      const slow = await post(first.url, stableUuid('lesson:test:[slow] Slow lesson'), 'interrupted');
      assert.equal(slow.job.status, 'pending');
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));

      const db = new Database(join(dir, 'db.sqlite'));
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      db.close();

      const second = await start(dir);
      try {
        assert.match(second.out(), /listening on/);
        await assertDeckDownloads(second.url, done.job.id, cookie, 'a completed export and its file survive the crash');
        // The interrupted export resumes and completes: a client following it sees `completed`.
        const stream = await openStream(
          `${second.url}/api/exports/pptx/stream?lessonId=${stableUuid('lesson:test:[slow] Slow lesson')}&cacheKey=interrupted`,
          cookie,
        );
        assert.ok((await stream.ended).includes(`event: completed\ndata: {"url":"/api/exports/pptx/files/${slow.job.id}.pptx"`));
      } finally {
        second.child.kill('SIGTERM');
        await new Promise((r) => second.child.once('exit', r));
      }
    },
  );
});
