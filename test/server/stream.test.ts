import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { openStorage } from '../../server/storage/open.js';
import { decodeChunked, eventually, onlyOn, openStream, startTestServer } from './support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

// Over real HTTP on 127.0.0.1: the stream is about what crosses the wire.
describe('GET /api/exports/pptx/stream', () => {
  let s: Server;
  let a: string;
  const health = async () =>
    (await (await fetch(`${s.url}/healthz`)).json()) as { openStreams: number; pollChecks: number; pollQueries: number };
  const streamUrl = (query: string) => `${s.url}/api/exports/pptx/stream?${query}`;
  const dispatch = async (lessonId: string, cacheKey?: string) => {
    const response = await fetch(`${s.url}/api/exports/pptx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: a },
      body: JSON.stringify({ lessonId, cacheKey }),
    });
    return ((await response.json()) as { job: { id: string } }).job;
  };

  before(async () => {
    s = await startTestServer({ ssePollMs: 60_000, sseHeartbeatMs: 100, sseTimeoutMs: 1500 });
    a = await s.signIn(EMAIL.a);
  });
  after(() => s.close());

  describe('answers bad input as JSON before any stream', () => {
    for (const [what, query, status, code] of [
      ['no lessonId', '', 400, 'invalid_request'],
      ['a lessonId that is not a UUID', 'lessonId=abc', 400, 'invalid_request'],
      ['a cacheKey over 200 characters', `lessonId=${ID.lessonA}&cacheKey=${'x'.repeat(201)}`, 400, 'invalid_request'],
      ['another organization’s lesson', `lessonId=${ID.lessonB}`, 404, 'not_found'],
    ] as const) {
      it(`${what}: ${status} ${code}`, async () => {
        const response = await fetch(streamUrl(query), { headers: { cookie: a } });
        assert.equal(response.status, status);
        assert.equal(response.headers.get('content-type'), 'application/json');
        assert.equal(((await response.json()) as { code: string }).code, code);
      });
    }

    it('no session: 401; no active organization: 400', async () => {
      assert.equal((await fetch(streamUrl(`lessonId=${ID.lessonA}`))).status, 401);
      const none = await s.signIn(EMAIL.noOrg);
      const response = await fetch(streamUrl(`lessonId=${ID.lessonA}`), { headers: { cookie: none } });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { code: string }).code, 'no_active_organization');
    });

    it('accepts a cacheKey of exactly 200 characters', async () => {
      const stream = await openStream(streamUrl(`lessonId=${ID.lessonA}&cacheKey=${'x'.repeat(200)}`), a);
      assert.equal(stream.response.status, 200);
      stream.close();
    });
  });

  it('sends the SSE headers and `: connected` at once', async () => {
    const stream = await openStream(streamUrl(`lessonId=${ID.lessonA}&cacheKey=never`), a);
    assert.equal(stream.response.headers.get('content-type'), 'text/event-stream');
    assert.equal(stream.response.headers.get('cache-control'), 'no-cache');
    assert.equal(stream.response.headers.get('x-accel-buffering'), 'no');
    // The secure headers of every other response (the README promises them on all).
    assert.equal(stream.response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(stream.response.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.equal(stream.response.headers.get('referrer-policy'), 'no-referrer');
    assert.ok((await stream.waitFor(': connected\n\n', 500)).startsWith(': connected\n\n'));
    stream.close();
  });

  it('carries the CORS headers for an allowed origin, so a cross-origin element can read it', async () => {
    const cors = await startTestServer({ corsOrigins: ['http://builder.example'] });
    try {
      const cookie = await cors.signIn(EMAIL.a);
      const response = await fetch(`${cors.url}/api/exports/pptx/stream?lessonId=${ID.lessonA}&cacheKey=cors`, {
        headers: { cookie, origin: 'http://builder.example' },
      });
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://builder.example');
      assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
      await response.body!.cancel();
    } finally {
      await cors.close();
    }
  });

  it('sends `:hb` every heartbeat period', async () => {
    const stream = await openStream(streamUrl(`lessonId=${ID.lessonA}&cacheKey=heartbeat`), a);
    const text = await stream.waitFor((t) => t.split(':hb\n\n').length - 1 >= 3, 1000);
    assert.equal(text.startsWith(': connected\n\n:hb\n\n:hb\n\n:hb\n\n'), true, text);
    stream.close();
  });

  it('sends `completed` with url, costCents and model as soon as a job of this process finishes, then ends', async () => {
    // Poll period is 60 s here: only the in-process notification can explain a prompt event.
    const stream = await openStream(streamUrl(`lessonId=${ID.lessonA}&cacheKey=live`), a);
    await stream.waitFor(': connected');
    const job = await dispatch(ID.lessonA, 'live');
    const text = await stream.ended;
    // Lesson A (two sections): title, agenda, two section slides, summary = 5 slides; 2 + 5 cents.
    const expected = `event: completed\ndata: ${JSON.stringify({ url: `/api/exports/pptx/files/${job.id}.pptx`, costCents: 7, model: 'pptxgenjs-reference-renderer' })}\n\n`;
    assert.ok(text.endsWith(expected), text);
  });

  it('completes at once for an export that had already completed', async () => {
    const stream = await openStream(streamUrl(`lessonId=${ID.lessonDone}&cacheKey=v1`), a);
    const text = await stream.ended;
    assert.ok(
      text.includes(`event: completed\ndata: {"url":"/api/exports/pptx/files/${ID.jobDone}.pptx","costCents":42,"model":"fixture-model"}`),
      text,
    );
  });

  // The last event goes on the socket as one hand-made chunk, Node's end after
  // it (event-stream.ts): the wire must stay valid HTTP for every client.
  describe('on the wire, the last event and the end', () => {
    const completedEvent = `event: completed\ndata: {"url":"/api/exports/pptx/files/${ID.jobDone}.pptx","costCents":42,"model":"fixture-model"}\n\n`;
    /** A raw connection that has sent the stream request in HTTP/`version`; `received` is all it got. */
    const streamOver = (version: string) => {
      const connection = { socket: connect(Number(new URL(s.url).port), '127.0.0.1'), received: '' };
      connection.socket.setEncoding('latin1');
      connection.socket.on('data', (chunk: string) => (connection.received += chunk));
      connection.socket.write(
        `GET /api/exports/pptx/stream?lessonId=${ID.lessonDone}&cacheKey=v1 HTTP/${version}\r\nHost: x\r\nCookie: ${a}\r\n\r\n`,
      );
      return connection;
    };

    it('HTTP/1.1: chunks that parse, a last-chunk marker once, and the connection still usable', async () => {
      const connection = streamOver('1.1');
      await eventually(() => connection.received.includes('\r\n0\r\n\r\n'), 3000);
      const head = connection.received.slice(0, connection.received.indexOf('\r\n\r\n'));
      assert.match(head, /transfer-encoding: chunked/i);
      assert.equal(decodeChunked(connection.received.slice(head.length + 4)), `: connected\n\n${completedEvent}`);
      // The next request on the same connection is answered normally.
      connection.received = '';
      connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await eventually(() => connection.received.includes('"ok":true'), 3000);
      assert.match(connection.received, /^HTTP\/1.1 200 /);
      connection.socket.destroy();
    });

    it('HTTP/1.0 (no chunked encoding): the plain event, then the connection closes', async () => {
      const connection = streamOver('1.0');
      await new Promise((resolve) => connection.socket.on('close', resolve));
      const { received } = connection;
      assert.doesNotMatch(received, /transfer-encoding/i);
      assert.equal(received.slice(received.indexOf('\r\n\r\n') + 4), `: connected\n\n${completedEvent}`);
    });
  });

  it('sends `error` with the job’s message and code export_failed for a failed export, then ends', async () => {
    const text = await (await openStream(streamUrl(`lessonId=${ID.lessonFailed}`), a)).ended;
    assert.ok(text.endsWith('event: error\ndata: {"message":"The renderer ran out of memory.","code":"export_failed"}\n\n'), text);
  });

  it('with a cacheKey, waits for a job with that key only', async () => {
    const stream = await openStream(streamUrl(`lessonId=${ID.lessonA2}&cacheKey=mine`), a);
    await stream.waitFor(': connected');
    await dispatch(ID.lessonA2, 'theirs');
    await s.exports.idle();
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(!stream.text.includes('event:'), 'a job with another cache key must not complete the stream');
    const mine = await dispatch(ID.lessonA2, 'mine');
    assert.ok((await stream.ended).includes(mine.id));
  });

  it('without a cacheKey, takes only a fresh export: one created after the lesson’s last update', async () => {
    // lessonDone has completed jobs, all older than... jobDone is fresh (created after updatedAt), jobStale is not.
    const text = await (await openStream(streamUrl(`lessonId=${ID.lessonDone}`), a)).ended;
    assert.ok(text.includes(ID.jobDone), text);
    // Make the lesson newer than every job: nothing fresh remains, so the stream waits.
    await s.sql('UPDATE lessons SET updated_at = ? WHERE id = ?', new Date().toISOString(), ID.lessonDone);
    const waiting = await openStream(streamUrl(`lessonId=${ID.lessonDone}`), a);
    await waiting.waitFor(':hb');
    assert.ok(!waiting.text.includes('event:'));
    const job = await dispatch(ID.lessonDone);
    assert.ok((await waiting.ended).includes(job.id));
  });

  it('notices a job completed by another process through the poll', async () => {
    const polled = await startTestServer({ ssePollMs: 50 });
    const cookie = await polled.signIn(EMAIL.a);
    try {
      const stream = await openStream(`${polled.url}/api/exports/pptx/stream?lessonId=${ID.lessonA2}&cacheKey=elsewhere`, cookie);
      await stream.waitFor(': connected');
      // Another process finishes the pending fixture job: a plain UPDATE, no in-process notification.
      await polled.sql(
        "UPDATE export_jobs SET status = 'completed', cost_cents = 9, model = 'other-process' WHERE id = ?",
        ID.jobPendingElsewhere,
      );
      assert.ok((await stream.ended).includes('"costCents":9,"model":"other-process"'));
    } finally {
      await polled.close();
    }
  });

  it(
    'hears a completion on another instance at once, by NOTIFY, with the next poll a minute away',
    { skip: onlyOn('postgres', 'on SQLite another process’s completion reaches a stream only through the poll (above)') },
    async () => {
      const { storage: elsewhere } = await openStorage(s.location);
      try {
        const stream = await openStream(streamUrl(`lessonId=${ID.lessonA2}&cacheKey=elsewhere`), a);
        await stream.waitFor(': connected');
        await eventually(async () => (await health()).pollChecks > 0, 3000, 'the check the new stream makes at once');
        const completed = await elsewhere.exports.complete(ID.jobPendingElsewhere, {
          costCents: 9,
          model: 'other-instance',
          completedAt: new Date().toISOString(),
          fileName: 'Elsewhere.pptx',
          bytes: Buffer.from('PK'),
        });
        assert.equal(completed, true);
        assert.ok((await stream.waitFor('event: completed')).includes('"costCents":9,"model":"other-instance"'));
      } finally {
        await elsewhere.close();
      }
    },
  );

  it('times out with an `error` that says so (code timed_out), then ends', async () => {
    const text = await (await openStream(streamUrl(`lessonId=${ID.lessonA}&cacheKey=timeout`), a)).ended;
    assert.ok(text.endsWith('event: error\ndata: {"message":"The export timed out: no result after 1.5 s.","code":"timed_out"}\n\n'), text);
  });

  it('releases a stream the moment its client goes away', async () => {
    const streams = await Promise.all([1, 2, 3].map((i) => openStream(streamUrl(`lessonId=${ID.lessonA}&cacheKey=gone${i}`), a)));
    await Promise.all(streams.map((x) => x.waitFor(': connected')));
    assert.equal((await health()).openStreams, 3);
    for (const x of streams) x.close();
    await eventually(async () => (await health()).openStreams === 0, 2000, 'openStreams back to 0');
    assert.equal(s.watcher.watchedKeys, 0);
  });

  it('runs one query per tick for all open streams together', async () => {
    let statements = 0;
    const polled = await startTestServer({ ssePollMs: 40 }, { onStatement: () => statements++ });
    const cookie = await polled.signIn(EMAIL.a);
    try {
      const lessons = [ID.lessonA, ID.lessonA2, ID.lessonDone];
      const streams = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          openStream(`${polled.url}/api/exports/pptx/stream?lessonId=${lessons[i % 3]}&cacheKey=tick${i % 7}`, cookie),
        ),
      );
      await Promise.all(streams.map((x) => x.waitFor(': connected')));
      const checksBefore = polled.watcher.stats.checks;
      const statementsBefore = statements;
      await new Promise((r) => setTimeout(r, 420));
      const ticks = polled.watcher.stats.checks - checksBefore;
      assert.ok(ticks >= 5 && ticks <= 12, `expected about 10 ticks in 420 ms at 40 ms, got ${ticks}`);
      // Counted by SQLite itself: every statement the whole server ran in the window.
      assert.equal(statements - statementsBefore, ticks, 'exactly one SQL statement per tick for 30 streams');
      // 30 streams over 21 distinct (lesson, key) pairs, still one query a tick.
      assert.equal(polled.watcher.watchedKeys, 21);
      for (const x of streams) x.close();
    } finally {
      await polled.close();
    }
  });
});
