import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EventSource, type ErrorEvent } from 'eventsource';
import { stableUuid } from '../../server/db/demo-data.js';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { eventually, sqlElsewhere, startTestServer } from './support.js';

// A client nobody here wrote: the `eventsource` npm package (4.x, the version
// that runs on Node 20), used as the README's "Following the stream" tells
// EventSource users to: close on `completed`, and on an `error` event that
// has data, unless its code is `server_restarting`.

const renderDeck = async (lesson: { title: string }) => {
  if (lesson.title === 'Failed lesson') throw new Error('slide 2 is too large');
  return { bytes: Buffer.from('PK'), slideCount: 1, costCents: 3, model: 'test-renderer' };
};

interface Followed {
  /** What ended the following: the final event's name and data, or the connection failing for good. */
  outcome: { event: string; data?: unknown; status?: number };
  /** Everything the EventSource reported, in order. */
  log: string[];
  /** Requests the EventSource made. */
  requests: number;
  readyState: number;
}

/** The README's snippet, in Node: the package sends no cookie of its own, so a `fetch` adds the session's. */
function follow(url: string, cookie: string): Promise<Followed> {
  let requests = 0;
  const source = new EventSource(url, {
    fetch: (input, init) => (requests++, fetch(input, { ...init, headers: { ...init?.headers, cookie } })),
  });
  return new Promise((resolve) => {
    const done = (outcome: Followed['outcome']) => resolve({ outcome, log, requests, readyState: source.readyState });
    const log: string[] = [];
    source.addEventListener('open', () => log.push('open'));
    source.addEventListener('completed', (event) => {
      source.close();
      log.push('completed');
      done({ event: 'completed', data: JSON.parse(event.data) });
    });
    source.addEventListener('error', (event: ErrorEvent | MessageEvent) => {
      // One event name for two things: only the server's `event: error` has data.
      if (!('data' in event) || typeof event.data !== 'string') {
        const { message, code } = event as ErrorEvent;
        log.push(`connection error${message ? ` (${message})` : ''}`);
        // CLOSED: EventSource gave up (a 4xx answer); otherwise it is reconnecting on its own.
        if (source.readyState === EventSource.CLOSED) done({ event: 'connection failed', status: code });
        return;
      }
      const data = JSON.parse(event.data) as { message: string; code: string };
      log.push(`error ${data.code}`);
      if (data.code === 'server_restarting') return; // not the end: EventSource reconnects, to the next instance
      source.close();
      done({ event: 'error', data });
    });
  });
}

const streamUrl = (base: string, lessonId: string, cacheKey?: string) =>
  `${base}/api/exports/pptx/stream?lessonId=${lessonId}${cacheKey ? `&cacheKey=${cacheKey}` : ''}`;

async function dispatch(base: string, cookie: string, lessonId: string, cacheKey: string) {
  const response = await fetch(`${base}/api/exports/pptx`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ lessonId, cacheKey }),
  });
  return ((await response.json()) as { job: { id: string } }).job;
}

describe('following the stream with the eventsource package', () => {
  it('ends on `completed`, on a coded `error` (export_failed, timed_out), and on a refused connection, with one request each', async () => {
    // The deadline leaves room for the real exports here to be fetched from the queue (PostgreSQL) and rendered; the hung one waits it out.
    const s = await startTestServer({ sseTimeoutMs: 30_000, exportDeadlineMs: 1500, demoControls: true }, { renderDeck });
    try {
      const cookie = await s.signIn(EMAIL.a);

      const done = await dispatch(s.url, cookie, ID.lessonA, 'es-done');
      const completed = await follow(streamUrl(s.url, ID.lessonA, 'es-done'), cookie);
      assert.deepEqual(completed.outcome, {
        event: 'completed',
        data: { url: `/api/exports/pptx/files/${done.id}.pptx`, costCents: 3, model: 'test-renderer' },
      });
      assert.deepEqual([completed.log, completed.requests, completed.readyState], [['open', 'completed'], 1, EventSource.CLOSED]);

      await dispatch(s.url, cookie, ID.lessonFailed, 'es-failed');
      const failed = await follow(streamUrl(s.url, ID.lessonFailed, 'es-failed'), cookie);
      assert.deepEqual(failed.outcome, {
        event: 'error',
        data: { message: 'The export failed: slide 2 is too large', code: 'export_failed' },
      });
      assert.deepEqual([failed.log, failed.requests], [['open', 'error export_failed'], 1]);

      // A job that never finishes: the server gives up on it at its deadline.
      await fetch(`${s.url}/api/demo/next-export`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: '{"behaviour":"hang"}',
      });
      await dispatch(s.url, cookie, ID.lessonA2, 'es-hung');
      const hung = await follow(streamUrl(s.url, ID.lessonA2, 'es-hung'), cookie);
      assert.equal((hung.outcome.data as { code: string }).code, 'timed_out');
      assert.deepEqual([hung.log, hung.requests], [['open', 'error timed_out'], 1]);

      // Another organisation's lesson: a JSON 404, which EventSource does not expose; it does not retry.
      const refused = await follow(streamUrl(s.url, ID.lessonB), cookie);
      assert.deepEqual(refused.outcome, { event: 'connection failed', status: 404 });
      assert.deepEqual([refused.log, refused.requests], [['connection error (Non-200 status code (404))'], 1]);

      await eventually(() => s.streams.open === 0, 3000, 'every stream closed on the server');
    } finally {
      await s.close();
    }
  });

  it('through a graceful restart: `server_restarting`, a clean end, its own reconnect to the next instance, then `completed`', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pos-eventsource-')), 'db.sqlite');
    const first = await startTestServer({ db: path, ssePollMs: 50 }, { renderDeck });
    const port = Number(new URL(first.url).port);
    const cookie = await first.signIn(EMAIL.a);
    // Work another process does (runs_here = 0): neither instance generates it; a second connection completes it.
    const job = stableUuid('es:job:elsewhere');
    await first.sql(
      `INSERT INTO export_jobs (id, organization_id, lesson_id, cache_key, status, created_at) VALUES (?, ?, ?, 'es-restart', 'pending', ?)`,
      job,
      ID.orgA,
      ID.lessonA,
      new Date().toISOString(),
    );

    const following = follow(streamUrl(first.url, ID.lessonA, 'es-restart'), cookie);
    await eventually(() => first.streams.open === 1, 3000, 'the stream open');
    await first.close();
    // The same port and database: the next instance. Sessions live in the database, so the cookie still works.
    const second = await startTestServer({ db: path, port, ssePollMs: 50 }, { renderDeck });
    try {
      await eventually(() => second.streams.open === 1, 10_000, 'EventSource reconnected on its own');
      await sqlElsewhere(
        second.location,
        "UPDATE export_jobs SET status = 'completed', cost_cents = 7, model = 'other-process', completed_at = ? WHERE id = ?",
        new Date().toISOString(),
        job,
      );
      const { outcome, log, requests } = await following;
      assert.deepEqual(outcome, {
        event: 'completed',
        data: { url: `/api/exports/pptx/files/${job}.pptx`, costCents: 7, model: 'other-process' },
      });
      // The connection error is EventSource announcing its reconnect after a stream that ended cleanly:
      // a body cut without its last chunk would show as `(terminated)`.
      assert.deepEqual(log, ['open', 'error server_restarting', 'connection error', 'open', 'completed']);
      assert.equal(requests, 2);
    } finally {
      await second.close();
    }
  });
});
