import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stableUuid } from '../../server/db/demo-data.js';
import type { FixtureInput } from '../../server/db/fixture.js';
import { EMAIL, ID, serverFixture } from '../fixtures/server-fixture.js';
import { decodeChunked, eventually, onlyOn, openStream, sqlElsewhere, startTestServer } from './support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const deck = { bytes: Buffer.from('PK'), slideCount: 1, costCents: 3, model: 'test-renderer' };
const renderDeck = async () => deck;

const post = async (s: Server, cookie: string, path: string, body: unknown) => {
  const response = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { job: { id: string; status: string } } };
};
const dispatch = (s: Server, cookie: string, lessonId: string, cacheKey?: string) =>
  post(s, cookie, '/api/exports/pptx', cacheKey === undefined ? { lessonId } : { lessonId, cacheKey });
const streamUrl = (s: Server, lessonId: string, cacheKey?: string) =>
  `${s.url}/api/exports/pptx/stream?lessonId=${lessonId}${cacheKey === undefined ? '' : `&cacheKey=${encodeURIComponent(cacheKey)}`}`;

/** The `event: …` blocks of a stream's text, parsed. */
const eventsOf = (text: string) =>
  [...text.matchAll(/^event: (\w+)\ndata: (.*)\n\n/gm)].map(([, event, data]) => ({ event: event!, data: JSON.parse(data!) }));

// Lessons of org A with jobs written by "other clients" beside each other.
const L = {
  hitAny: stableUuid('sem:lesson:hit-any'),
  newestFailed: stableUuid('sem:lesson:newest-failed'),
  keyed: stableUuid('sem:lesson:keyed'),
};
const J = {
  keylessFailed: stableUuid('sem:job:keyless-failed'),
  theirsCompleted: stableUuid('sem:job:theirs-completed'),
  keylessCompleted: stableUuid('sem:job:keyless-completed'),
  theirsFailed: stableUuid('sem:job:theirs-failed'),
  mineStale: stableUuid('sem:job:mine-stale'),
  otherFresh: stableUuid('sem:job:other-fresh'),
  newestOtherFailed: stableUuid('sem:job:newest-other-failed'),
};
const UPDATED = '2026-04-01T00:00:00.000Z';
const day = (d: number) => `2026-04-${String(d).padStart(2, '0')}T00:00:00.000Z`;

function semanticsFixture(): FixtureInput {
  const f = serverFixture();
  const lesson = (id: string, title: string) => ({
    id,
    organizationId: ID.orgA,
    title,
    updatedAt: UPDATED,
    sections: [{ heading: 'One', body: 'First' }],
  });
  f.lessons!.push(lesson(L.hitAny, 'Hit any'), lesson(L.newestFailed, 'Newest failed'), lesson(L.keyed, 'Keyed'));
  const job = (id: string, lessonId: string, cacheKey: string | null, status: 'completed' | 'failed', createdAt: string) => ({
    id,
    organizationId: ID.orgA,
    lessonId,
    cacheKey,
    status,
    createdAt,
    ...(status === 'failed' ? { error: 'The renderer ran out of memory.' } : { costCents: 9, model: 'fixture-model' }),
  });
  f.exports!.push(
    // A keyless client's export failed; another client's keyed one completed after it.
    job(J.keylessFailed, L.hitAny, null, 'failed', day(2)),
    job(J.theirsCompleted, L.hitAny, 'theirs', 'completed', day(3)),
    // A keyless client's export completed; another client's keyed one failed after it.
    job(J.keylessCompleted, L.newestFailed, null, 'completed', day(2)),
    job(J.theirsFailed, L.newestFailed, 'theirs', 'failed', day(3)),
    // Key `mine` only before the lesson's last update (stale); `other` fresh; the newest job has a third key and failed.
    job(J.mineStale, L.keyed, 'mine', 'completed', '2026-03-15T00:00:00.000Z'),
    job(J.otherFresh, L.keyed, 'other', 'completed', day(2)),
    job(J.newestOtherFailed, L.keyed, 'third', 'failed', day(5)),
  );
  return f;
}

describe('which export a request means: one rule for the dispatch and the stream', () => {
  let s: Server;
  let a: string;
  before(async () => {
    // A minute between ticks: a stream hears at its first check (at once) or from this process.
    s = await startTestServer(
      { ssePollMs: 60_000, sseHeartbeatMs: 100, sseTimeoutMs: 10_000 },
      { fixture: semanticsFixture(), renderDeck },
    );
    a = await s.signIn(EMAIL.a);
  });
  after(() => s.close());

  /**
   * What a stream says at once: its first check runs as it opens, before the
   * first heartbeat, so an event before `:hb` is what the rule picked then.
   */
  async function atOnce(lessonId: string, cacheKey?: string) {
    const stream = await openStream(streamUrl(s, lessonId, cacheKey), a);
    await Promise.race([stream.ended, stream.waitFor(':hb')]);
    stream.close();
    const [first] = eventsOf(stream.text.split(':hb\n\n')[0]!);
    return first;
  }

  /** The dispatch answers a hit exactly when the stream announces `completed` at once, and for the same job. */
  async function assertAgree(lessonId: string, cacheKey?: string) {
    const said = await atOnce(lessonId, cacheKey);
    const answered = await dispatch(s, a, lessonId, cacheKey);
    const hit = answered.status === 200;
    assert.equal(hit, said?.event === 'completed', `dispatch ${answered.status}, stream said ${JSON.stringify(said)}`);
    if (hit) assert.equal(said!.data.url, `/api/exports/pptx/files/${answered.body.job.id}.pptx`);
    await s.exports.idle();
    return { said, answered };
  }

  it('without a cacheKey: the newest fresh job of the lesson, whoever dispatched it and with whatever key', async () => {
    // The newest is another client's keyed export, completed: a keyless stream completes with it, a keyless dispatch is a hit on it.
    const hit = await assertAgree(L.hitAny);
    assert.equal(hit.answered.status, 200);
    assert.equal(hit.answered.body.job.id, J.theirsCompleted);

    // The newest is another client's keyed export, failed: a keyless stream announces that failure at once,
    // and a keyless dispatch is no hit (an older keyless completed export is not the one the request means).
    const miss = await assertAgree(L.newestFailed);
    assert.deepEqual(miss.said, { event: 'error', data: { message: 'The renderer ran out of memory.', code: 'export_failed' } });
    assert.equal(miss.answered.status, 202);
    // The new job is now the lesson's newest: both halves take it.
    const text = await (await openStream(streamUrl(s, L.newestFailed), a)).ended;
    assert.equal(eventsOf(text)[0]!.data.url, `/api/exports/pptx/files/${miss.answered.body.job.id}.pptx`);
    assert.equal((await dispatch(s, a, L.newestFailed)).body.job.id, miss.answered.body.job.id);
  });

  it('with a cacheKey: the newest fresh job with that key, whatever other keys the lesson’s jobs have', async () => {
    // `mine` exists only from before the lesson's last update: the stream does not take the stale export, it
    // waits, and hears the job the dispatch then creates.
    const waiting = await openStream(streamUrl(s, L.keyed, 'mine'), a);
    await waiting.waitFor(':hb');
    const created = await dispatch(s, a, L.keyed, 'mine');
    assert.equal(created.status, 202);
    const [event] = eventsOf(await waiting.ended);
    assert.equal(event!.event, 'completed');
    assert.equal(event!.data.url, `/api/exports/pptx/files/${created.body.job.id}.pptx`);
    assert.notEqual(created.body.job.id, J.mineStale);

    // `other` is fresh and completed, though the lesson's newest job (another key) failed: a hit, and `completed` at once.
    const other = await assertAgree(L.keyed, 'other');
    assert.equal(other.answered.body.job.id, J.otherFresh);
    // A key nobody used: no hit, and the stream waits.
    const unused = await assertAgree(L.keyed, 'unused');
    assert.equal(unused.said, undefined);
    assert.equal(unused.answered.status, 202);
  });
});

describe('jobs end at their deadline (POS_EXPORT_DEADLINE_MS)', () => {
  // Where a real export must begin (or end) within the deadline: on PostgreSQL a
  // pg-boss worker fetches it first, and 300 ms is too close on a loaded machine.
  const ROOMY = { ms: 1500, said: '1.5 s' };
  const timedOut = (ms: string) => ({
    event: 'error',
    data: {
      message: `The export timed out: it did not finish within its deadline of ${ms}, so the server gave up on it.`,
      code: 'timed_out',
    },
  });

  it('a job nobody finishes is marked failed (timed_out); its streams hear, later ones at once, and a dispatch starts afresh', async () => {
    const s = await startTestServer({ exportDeadlineMs: ROOMY.ms, sseTimeoutMs: 30_000, demoControls: true }, { renderDeck });
    try {
      const a = await s.signIn(EMAIL.a);
      await post(s, a, '/api/demo/next-export', { behaviour: 'hang' });
      const stream = await openStream(streamUrl(s, ID.lessonA, 'hung'), a);
      const { body } = await dispatch(s, a, ID.lessonA, 'hung');
      assert.deepEqual(eventsOf(await stream.ended), [timedOut(ROOMY.said)]);
      const row = (await s.sql('SELECT status, error, error_code, completed_at FROM export_jobs WHERE id = ?', body.job.id))[0] as Record<
        string,
        string
      >;
      assert.deepEqual([row.status, row.error_code, row.error], ['failed', 'timed_out', timedOut(ROOMY.said).data.message]);
      assert.ok(row.completed_at, 'the job has an end');

      // A later stream (a reconnect) is told at once instead of waiting again.
      assert.deepEqual(eventsOf(await (await openStream(streamUrl(s, ID.lessonA, 'hung'), a)).ended), [timedOut(ROOMY.said)]);
      // A later dispatch is a new job, which completes.
      const again = await dispatch(s, a, ID.lessonA, 'hung');
      assert.equal(again.status, 202);
      assert.notEqual(again.body.job.id, body.job.id);
      assert.equal(eventsOf(await (await openStream(streamUrl(s, ID.lessonA, 'hung'), a)).ended)[0]!.event, 'completed');
    } finally {
      await s.close();
    }
  });

  it('a job still generating at its deadline fails, its slot goes to the next export, and the deck it makes afterwards is discarded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let renders = 0;
    // One slot: a renderer that never returns would stall every later export if it kept it.
    const s = await startTestServer(
      { exportDeadlineMs: ROOMY.ms, sseTimeoutMs: 30_000, exportConcurrency: 1 },
      { renderDeck: async () => (renders++ === 0 ? (await gate, deck) : deck) },
    );
    const logged: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      const a = await s.signIn(EMAIL.a);
      const stream = await openStream(streamUrl(s, ID.lessonA, 'slow'), a);
      const { body } = await dispatch(s, a, ID.lessonA, 'slow');
      assert.deepEqual(eventsOf(await stream.ended), [timedOut(ROOMY.said)]);

      const next = await openStream(streamUrl(s, ID.lessonA, 'next'), a);
      await dispatch(s, a, ID.lessonA, 'next');
      assert.equal(eventsOf(await next.ended)[0]!.event, 'completed', 'the hung render no longer holds the only slot');

      release();
      await s.exports.idle();
      assert.deepEqual((await s.sql('SELECT status, error_code FROM export_jobs WHERE id = ?', body.job.id))[0], {
        status: 'failed',
        error_code: 'timed_out',
      });
      assert.equal(await s.sqlValue('SELECT COUNT(*) FROM export_files WHERE job_id = ?', body.job.id), 0);
      assert.equal((await fetch(`${s.url}/api/exports/pptx/files/${body.job.id}.pptx`, { headers: { cookie: a } })).status, 404);
      assert.deepEqual(logged, [
        `export ${body.job.id} (lesson ${ID.lessonA}): the renderer did not return within the deadline; its slot is released`,
      ]);
    } finally {
      console.error = originalError;
      await s.close();
    }
  });

  it('counts from this server’s start for older jobs: another process’s pending job fails a deadline after the start', async () => {
    // The fixture's pending job of "another process" was created months ago.
    const patient = await startTestServer({ sseTimeoutMs: 30_000 }, { renderDeck });
    try {
      assert.equal(
        await patient.sqlValue('SELECT status FROM export_jobs WHERE id = ?', ID.jobPendingElsewhere),
        'pending',
        'not failed at the start',
      );
    } finally {
      await patient.close();
    }
    const s = await startTestServer({ exportDeadlineMs: 300, sseTimeoutMs: 30_000 }, { renderDeck });
    try {
      const a = await s.signIn(EMAIL.a);
      assert.deepEqual(eventsOf(await (await openStream(streamUrl(s, ID.lessonA2, 'elsewhere'), a)).ended), [timedOut('300 ms')]);
      assert.equal(await s.sqlValue('SELECT error_code FROM export_jobs WHERE id = ?', ID.jobPendingElsewhere), 'timed_out');
    } finally {
      await s.close();
    }
  });

  it(
    'counts from this server’s start for older jobs: an interrupted one of ours resumes',
    { skip: onlyOn('sqlite', 'SQLite resumes its own interrupted jobs at the next start; on PostgreSQL pg-boss re-runs them') },
    async () => {
      // One of ours, interrupted an hour ago (a kill): the time the server was down does not count.
      const path = join(mkdtempSync(join(tmpdir(), 'pos-deadline-')), 'db.sqlite');
      await (await startTestServer({ db: path }, { renderDeck })).close();
      const interrupted = stableUuid('sem:job:interrupted');
      await sqlElsewhere(
        path,
        `INSERT INTO export_jobs (id, organization_id, lesson_id, cache_key, status, created_at, runs_here) VALUES (?, ?, ?, 'resumed', 'pending', ?, 1)`,
        interrupted,
        ID.orgA,
        ID.lessonA,
        new Date(Date.now() - 3_600_000).toISOString(),
      );
      const resumed = await startTestServer({ db: path, exportDeadlineMs: 1_800_000 }, { renderDeck });
      try {
        assert.equal(resumed.resumed, 1);
        await resumed.exports.idle();
        assert.equal(await resumed.sqlValue('SELECT status FROM export_jobs WHERE id = ?', interrupted), 'completed');
      } finally {
        await resumed.close();
      }
    },
  );
});

describe('every stream ends its chunked body', () => {
  /** A raw HTTP/1.1 stream request; resolves with the body once its last chunk arrived or the connection closed. */
  function rawStream(s: Server, cookie: string, path: string) {
    const socket = connect(Number(new URL(s.url).port), '127.0.0.1');
    let received = '';
    let closed = false;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => (closed = true));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n\r\n`);
    return {
      connected: () => eventually(() => received.includes(': connected'), 3000, ': connected'),
      async body() {
        await eventually(() => closed || received.includes('\r\n0\r\n\r\n'), 10_000, 'the last chunk or the close');
        socket.destroy();
        const head = received.slice(0, received.indexOf('\r\n\r\n'));
        assert.match(head, /transfer-encoding: chunked/i);
        return decodeChunked(received.slice(head.length + 4));
      },
    };
  }

  /** Reads a stream with fetch to its end: a body cut short rejects (undici's `TypeError: terminated`). */
  async function fetchToEnd(url: string, cookie: string) {
    const response = await fetch(url, { headers: { cookie } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    return text;
  }

  it('on completion, on error (export_failed) and on the stream’s timeout (timed_out), with the code on the wire', async () => {
    const s = await startTestServer({ sseHeartbeatMs: 60_000, sseTimeoutMs: 300 }, { renderDeck });
    try {
      const a = await s.signIn(EMAIL.a);
      const cases = [
        [
          `/api/exports/pptx/stream?lessonId=${ID.lessonDone}&cacheKey=v1`,
          `event: completed\ndata: {"url":"/api/exports/pptx/files/${ID.jobDone}.pptx","costCents":42,"model":"fixture-model"}\n\n`,
        ],
        [
          `/api/exports/pptx/stream?lessonId=${ID.lessonFailed}`,
          'event: error\ndata: {"message":"The renderer ran out of memory.","code":"export_failed"}\n\n',
        ],
        [
          `/api/exports/pptx/stream?lessonId=${ID.lessonA}&cacheKey=never`,
          'event: error\ndata: {"message":"The export timed out: no result after 300 ms.","code":"timed_out"}\n\n',
        ],
      ] as const;
      for (const [path, last] of cases) {
        assert.equal(await rawStream(s, a, path).body(), `: connected\n\n${last}`, path);
        assert.equal(await fetchToEnd(`${s.url}${path}`, a), `: connected\n\n${last}`, path);
      }
    } finally {
      await s.close();
    }
  });

  it('on a graceful shutdown: `server_restarting`, then the last chunk, before the connection closes', async () => {
    const restarting =
      'event: error\ndata: {"message":"The server is restarting; the export goes on. Reconnect in a moment.","code":"server_restarting"}\n\n';
    const s = await startTestServer({ sseHeartbeatMs: 60_000, sseTimeoutMs: 30_000 }, { renderDeck });
    const a = await s.signIn(EMAIL.a);
    const path = `/api/exports/pptx/stream?lessonId=${ID.lessonA}&cacheKey=restart`;
    const raw = rawStream(s, a, path);
    await raw.connected();
    // Caught here, so a cut body is reported by the assertion below, not as an unhandled rejection.
    const viaFetch = fetchToEnd(`${s.url}${path}`, a).catch((error: Error) => `fetch failed: ${error}`);
    await eventually(() => s.streams.open === 2, 3000, 'both streams open');
    await s.close();
    assert.equal(await raw.body(), `: connected\n\n${restarting}`);
    assert.equal(await viaFetch, `: connected\n\n${restarting}`);
  });
});
