/**
 * `dispatcher`: the host starts the export its own way (PartnerOS documents no
 * dispatch route), the element shows it starting and follows what it started.
 * Real Chromium, the real reference server; the host dispatchers below call it
 * themselves, as a host backend would.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import { PosApiError } from '../../../components/internal/api.js';
import type {
  ExportCompletedEvent,
  ExportDispatchRequest,
  ExportErrorEvent,
  PosPptxExportProgress,
} from '../../../components/pptx-export-progress/pptx-export-progress.js';
import { API, lessonId, signIn } from '../../support/api.js';
import { recordStates } from './helpers.js';

const WAIT = { timeout: 12_000, interval: 25 };
const freshKey = (label: string) => `${label}-${crypto.randomUUID()}`;
const HOST_MESSAGE = 'Our backend could not start the export.';

/** A host backend's dispatch: the reference server's POST, with the host's own cache key. */
async function hostDispatch(lesson: string, cacheKey: string, signal?: AbortSignal) {
  const response = await fetch(`${API}/exports/pptx`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lessonId: lesson, cacheKey }),
    signal,
  });
  if (!response.ok) throw new Error(HOST_MESSAGE);
  return ((await response.json()) as { job: { id: string } }).job;
}

const part = (el: PosPptxExportProgress, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const untilState = (el: PosPptxExportProgress, state: string) =>
  waitUntil(() => el.state === state && el.getAttribute('state') === state, `state never became ${state} (is ${el.state})`, WAIT);
/** Resource entries of finished requests to `path` under the API (a stream's appears when it ends). */
const requestsTo = (path: string) =>
  performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === new URL(`${API}${path}`).pathname);

async function progress(lesson: string, cacheKey = '', heartbeatMs = 300) {
  return fixture<PosPptxExportProgress>(
    html`<pos-pptx-export-progress
      base-url=${API}
      lesson-id=${lesson}
      cache-key=${cacheKey}
      heartbeat-ms=${heartbeatMs}
    ></pos-pptx-export-progress>`,
  );
}

describe('<pos-pptx-export-progress> with a host dispatcher', function () {
  this.timeout(30_000);
  before(() => signIn());

  it('calls the dispatcher instead of its POST, then follows the cache key it returned to completed', async () => {
    const id = await lessonId('Test lesson 6');
    const elementKey = freshKey('element');
    const hostKey = freshKey('host');
    const el = await progress(id, elementKey);
    const requests: ExportDispatchRequest[] = [];
    let jobId = '';
    el.dispatcher = async (request) => {
      requests.push(request);
      jobId = (await hostDispatch(request.lessonId, hostKey, request.signal)).id;
      return { cacheKey: hostKey };
    };
    const postsBefore = requestsTo('/exports/pptx').length;
    const states = recordStates(el);
    const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;

    await el.dispatch();
    const { detail } = await completed;

    expect(requests).to.have.length(1);
    expect(requests[0]!.lessonId).to.equal(id);
    expect(requests[0]!.cacheKey).to.equal(elementKey);
    expect(requests[0]!.signal).to.be.instanceOf(AbortSignal);
    expect(requests[0]!.signal.aborted).to.equal(false);
    expect(detail.url).to.equal(`${new URL(API).origin}/api/exports/pptx/files/${jobId}.pptx`);
    expect(part(el, 'download')!.getAttribute('href')).to.equal(detail.url);
    expect(states()[1]).to.equal('dispatching');
    expect(states()).to.include('connecting');
    expect(states().at(-1)).to.equal('completed');
    // The only POST was the host's; the stream followed the host's key, not the element's.
    await waitUntil(() => requestsTo('/exports/pptx/stream').some((e) => e.name.includes(hostKey)), 'no stream with the host key', WAIT);
    expect(requestsTo('/exports/pptx').length - postsBefore).to.equal(1);
    expect(requestsTo('/exports/pptx/stream').some((e) => e.name.includes(elementKey))).to.equal(false);
  });

  it('passes a null cache key without one, and follows its own when the dispatcher returns nothing', async () => {
    const id = await lessonId('Test lesson 8');
    const el = await progress(id);
    const seen: (string | null)[] = [];
    el.dispatcher = async ({ lessonId, cacheKey }) => {
      seen.push(cacheKey);
      // No key: a new job of the lesson, which a stream without a key accepts.
      await hostDispatch(lessonId, '');
    };
    const completed = oneEvent(el, 'pos-export-completed');
    await el.dispatch();
    await completed;
    expect(seen).to.deep.equal([null]);
  });

  describe('that fails', () => {
    it("ends in the error state with the host's message; Retry calls the dispatcher again", async () => {
      const id = await lessonId('Test lesson 9');
      const el = await progress(id);
      let calls = 0;
      el.dispatcher = async () => {
        calls++;
        throw new Error(HOST_MESSAGE);
      };
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      void el.dispatch();
      expect((await failed).detail).to.deep.equal({ message: HOST_MESSAGE, code: 'dispatch_failed' });
      await untilState(el, 'error');
      expect(part(el, 'title')!.textContent).to.equal('The export did not finish');
      expect(part(el, 'message')!.textContent).to.equal(HOST_MESSAGE);
      expect(part(el, 'status')!.textContent!.trim()).to.equal(`The export did not finish. ${HOST_MESSAGE}`);
      await expect(el).to.be.accessible();

      const again = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      part(el, 'retry')!.click();
      expect((await again).detail.message).to.equal(HOST_MESSAGE);
      expect(calls).to.equal(2);
    });

    it('keeps the code and status of what it threw (a PosApiError 402: no Retry)', async () => {
      const el = await progress(await lessonId('Test lesson 9'));
      el.dispatcher = async () => {
        throw new PosApiError('This month’s exports are used up.', 'quota_exceeded', 402);
      };
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      void el.dispatch();
      expect((await failed).detail).to.deep.equal({ message: 'This month’s exports are used up.', code: 'quota_exceeded', status: 402 });
      await untilState(el, 'error');
      expect(part(el, 'title')!.textContent).to.match(/allowance is used up/);
      expect(part(el, 'retry')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('never lets a thrown non-Error reach the page', async () => {
      const el = await progress(await lessonId('Test lesson 9'));
      el.dispatcher = () => {
        throw undefined; // synchronously, and nothing to read a message from
      };
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      void el.dispatch();
      expect((await failed).detail).to.deep.equal({ message: 'The export could not be started.', code: 'dispatch_failed' });
    });
  });

  describe('that is slow', () => {
    it('shows that the export is starting, and Cancel aborts its signal', async () => {
      const el = await progress(await lessonId('Test lesson 10'));
      let signal: AbortSignal | undefined;
      el.dispatcher = (request) =>
        new Promise((_, reject) => {
          signal = request.signal;
          // Like fetch: rejects with the abort's reason when aborted.
          request.signal.addEventListener('abort', () => reject(request.signal.reason));
        });
      const events: string[] = [];
      el.addEventListener('pos-export-error', () => events.push('error'));
      el.addEventListener('pos-export-completed', () => events.push('completed'));

      void el.dispatch();
      await untilState(el, 'dispatching');
      expect(part(el, 'label')!.textContent).to.equal('Starting the export…');
      expect(part(el, 'progress')!.getAttribute('role')).to.equal('progressbar');
      expect(part(el, 'status')!.textContent!.trim()).to.equal('The PowerPoint export has started.');
      await expect(el).to.be.accessible();

      const aborted = new Promise((resolve) => signal!.addEventListener('abort', resolve));
      part(el, 'cancel')!.click();
      await aborted;
      expect(signal!.aborted).to.equal(true);
      await untilState(el, 'idle');
      await el.updateComplete;
      // The rejection that followed the abort is a cancelled run's: no event, no error state.
      expect(events).to.deep.equal([]);
      expect(part(el, 'export')).to.exist;
    });
  });

  describe('that reports the export completed (the host had it cached)', () => {
    it('completes at once, without a stream', async () => {
      const el = await progress(await lessonId('Test lesson 12'));
      el.dispatcher = async () => ({ completed: { url: '/api/exports/pptx/files/host-cached.pptx', costCents: 42, model: 'host-model' } });
      const states = recordStates(el);
      const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;
      void el.dispatch();
      expect((await completed).detail).to.deep.equal({
        url: `${new URL(API).origin}/api/exports/pptx/files/host-cached.pptx`,
        costCents: 42,
        model: 'host-model',
      });
      expect(states()).to.deep.equal(['idle', 'dispatching', 'completed']);
      expect(part(el, 'details')!.textContent).to.include('$0.42').and.include('host-model');
    });

    for (const [what, url] of [
      ['a javascript: url', 'javascript:alert(document.domain)'],
      ['a data: url', 'data:text/html,<script>alert(1)</script>'],
      ['a url that is not a string', 42 as unknown as string],
    ] as const) {
      it(`refuses ${what}: unsafe_url, no link`, async () => {
        const el = await progress(await lessonId('Test lesson 12'));
        el.dispatcher = async () => ({ completed: { url, costCents: 1, model: 'host-model' } });
        const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
        void el.dispatch();
        expect((await failed).detail.code).to.equal('unsafe_url');
        await untilState(el, 'error');
        expect(el.url).to.equal(undefined);
        expect(el.shadowRoot!.querySelector('a')).to.equal(null);
        await expect(el).to.be.accessible();
      });
    }
  });

  it('Retry after a lost connection follows the key the dispatcher returned, without calling it again', async () => {
    const id = await lessonId('Test lesson 10');
    const hostKey = freshKey('host-lost');
    // The server beats every 300 ms; claiming 50 ms makes its quiet look dead, so the connection is "lost".
    const el = await progress(id, freshKey('element-lost'), 50);
    el.maxReconnects = 0;
    await el.updateComplete;
    let calls = 0;
    el.dispatcher = async () => {
      calls++;
      return { cacheKey: hostKey }; // the host's job is not there yet: nothing completes
    };
    const lost = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
    await el.dispatch();
    expect((await lost).detail.code).to.equal('connection_lost');

    el.heartbeatMs = 300;
    await el.updateComplete;
    part(el, 'retry')!.click();
    await untilState(el, 'waiting');
    const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;
    const job = await hostDispatch(id, hostKey);
    expect((await completed).detail.url).to.include(job.id);
    expect(calls).to.equal(1);
  });

  it('start() follows without calling the dispatcher; dispatch() then calls it', async () => {
    const id = await lessonId('Test lesson 5');
    const cacheKey = freshKey('start');
    const el = await progress(id, cacheKey);
    let calls = 0;
    el.dispatcher = async () => {
      calls++;
      return { completed: { url: '/api/exports/pptx/files/host-cached.pptx', costCents: 1, model: 'host-model' } };
    };
    const states = recordStates(el);
    el.start();
    await untilState(el, 'waiting');
    const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;
    const job = await hostDispatch(id, cacheKey);
    expect((await completed).detail.url).to.include(job.id);
    expect(calls).to.equal(0);
    expect(states()).to.not.include('dispatching');

    // The same element, dispatching: now the host's dispatcher starts the export (a cached one).
    const again = oneEvent(el, 'pos-export-completed');
    await el.dispatch();
    await again;
    expect(calls).to.equal(1);
  });
});
