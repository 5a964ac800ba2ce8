/**
 * A client nobody here wrote: Chromium's own EventSource, on the test page's
 * origin against the API's (CORS with credentials: `withCredentials: true`),
 * used as the README's "Following the stream" tells EventSource users to:
 * close on `completed`, and on an `error` event that has data unless its code
 * is `server_restarting`. Otherwise EventSource reconnects when the server
 * ends the stream, and is told the same outcome again, every few seconds.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { API, LESSON_BEHAVIOUR, apiHealth, lessonId, signIn } from '../../support/api.js';

interface Followed {
  outcome: { event: string; data?: unknown };
  /** Everything the EventSource reported, in order. */
  log: string[];
  readyState: number;
}

/** The README's snippet. */
function follow(url: string): Promise<Followed> {
  const source = new EventSource(url, { withCredentials: true });
  const log: string[] = [];
  return new Promise((resolve) => {
    const done = (outcome: Followed['outcome']) => resolve({ outcome, log, readyState: source.readyState });
    source.addEventListener('open', () => log.push('open'));
    source.addEventListener('completed', (event) => {
      source.close();
      log.push('completed');
      done({ event: 'completed', data: JSON.parse(event.data) });
    });
    source.addEventListener('error', (event) => {
      // One event name for two things: only the server's `event: error` has data.
      const data = (event as MessageEvent).data;
      if (typeof data !== 'string') {
        log.push('connection error');
        // CLOSED: EventSource gave up (a 4xx answer, whose JSON it does not expose); otherwise it reconnects on its own.
        if (source.readyState === EventSource.CLOSED) done({ event: 'connection failed' });
        return;
      }
      const parsed = JSON.parse(data) as { message: string; code: string };
      log.push(`error ${parsed.code}`);
      if (parsed.code === 'server_restarting') return; // not the end: EventSource reconnects, to the next instance
      source.close();
      done({ event: 'error', data: parsed });
    });
  });
}

const freshKey = (label: string) => `${label}-${crypto.randomUUID()}`;
const streamUrl = (lesson: string, cacheKey: string) => `${API}/exports/pptx/stream?${new URLSearchParams({ lessonId: lesson, cacheKey })}`;

async function dispatch(lesson: string, cacheKey: string) {
  const response = await fetch(`${API}/exports/pptx`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lessonId: lesson, cacheKey }),
  });
  expect(response.status, 'dispatch status').to.be.oneOf([200, 202]);
  return ((await response.json()) as { job: { id: string } }).job;
}

describe('the export stream with the browser’s own EventSource', function () {
  this.timeout(30_000);

  before(async () => {
    await signIn();
  });

  it('ends on `completed`, on a coded `error` (export_failed, timed_out), and on a refused connection', async () => {
    const done = await lessonId('Test lesson 7');
    const doneKey = freshKey('native-done');
    const job = await dispatch(done, doneKey);
    const completed = await follow(streamUrl(done, doneKey));
    expect(completed.outcome.event).to.equal('completed');
    expect((completed.outcome.data as { url: string }).url).to.equal(`/api/exports/pptx/files/${job.id}.pptx`);
    expect(completed.log).to.deep.equal(['open', 'completed']);
    expect(completed.readyState).to.equal(EventSource.CLOSED);

    const failing = await lessonId(`${LESSON_BEHAVIOUR.fail}Failing lesson`);
    const failKey = freshKey('native-fail');
    await dispatch(failing, failKey);
    const failed = await follow(streamUrl(failing, failKey));
    expect(failed.outcome).to.deep.equal({
      event: 'error',
      data: { message: 'The export failed: the renderer crashed on purpose', code: 'export_failed' },
    });
    expect(failed.log).to.deep.equal(['open', 'error export_failed']);

    // The test server's stream gives up after 3 s; the export itself never finishes.
    const hanging = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
    const hangKey = freshKey('native-hang');
    await dispatch(hanging, hangKey);
    const timedOut = await follow(streamUrl(hanging, hangKey));
    expect(timedOut.outcome).to.deep.equal({
      event: 'error',
      data: { message: 'The export timed out: no result after 3 s.', code: 'timed_out' },
    });

    // An unknown lesson: a JSON 404 the browser does not expose; EventSource fails the connection and does not retry.
    const refused = await follow(streamUrl('99999999-0000-4000-8000-000000000000', 'x'));
    expect(refused.outcome).to.deep.equal({ event: 'connection failed' });
    expect(refused.log).to.deep.equal(['connection error']);
    expect(refused.readyState).to.equal(EventSource.CLOSED);

    let open = -1;
    await waitUntil(async () => (open = (await apiHealth()).openStreams) === 0, `the server kept ${open} streams open`, { timeout: 5000 });
  });
});
