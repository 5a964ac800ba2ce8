import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import type {
  ExportCompletedEvent,
  ExportErrorEvent,
  PosPptxExportProgress,
} from '../../../components/pptx-export-progress/pptx-export-progress.js';
import {
  API,
  LESSON_BEHAVIOUR,
  apiHealth,
  lessonId,
  misbehavingApi,
  signIn,
  startApi,
  stopApi,
  stopApiGracefully,
} from '../../support/api.js';
import { recordStates } from './helpers.js';

const PPTX_TYPE = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const WAIT = { timeout: 12_000, interval: 25 };

/** A cache key no other test (or earlier run against the same database) has used. */
const freshKey = (label: string) => `${label}-${crypto.randomUUID()}`;

/** Dispatches an export from the test itself, as a host that dispatches on its own would. */
async function dispatchExport(lesson: string, cacheKey?: string) {
  const response = await fetch(`${API}/exports/pptx`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(cacheKey ? { lessonId: lesson, cacheKey } : { lessonId: lesson }),
  });
  expect(response.status, 'dispatch status').to.be.oneOf([200, 202]);
  return (await response.json()) as { job: { id: string; status: string } };
}

/** Counts the announcements: each one replaces the live region's content once. */
function recordAnnouncements(el: PosPptxExportProgress): () => string[] {
  const region = part(el, 'status');
  const texts: string[] = [];
  const observer = new MutationObserver((records) => {
    for (const r of records) for (const node of r.addedNodes) if (node.textContent?.trim()) texts.push(node.textContent.trim());
  });
  observer.observe(region, { childList: true, subtree: true });
  return () => {
    observer.takeRecords().forEach((r) => r.addedNodes.forEach((n) => n.textContent?.trim() && texts.push(n.textContent.trim())));
    return texts;
  };
}

const part = (el: PosPptxExportProgress, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const untilState = (el: PosPptxExportProgress, state: string) =>
  waitUntil(() => el.state === state && el.getAttribute('state') === state, `state never became ${state} (is ${el.state})`, WAIT);
const untilOpenStreams = (n: number) => {
  let last = -1;
  return waitUntil(async () => (last = (await apiHealth()).openStreams) === n, `the server kept ${last} streams open, expected ${n}`, WAIT);
};

async function progress(attrs: { lesson?: string; cacheKey?: string; heartbeatMs?: number; maxReconnects?: number; title?: string } = {}) {
  const el = await fixture<PosPptxExportProgress>(
    html`<pos-pptx-export-progress
      base-url=${API}
      lesson-id=${attrs.lesson ?? ''}
      cache-key=${attrs.cacheKey ?? ''}
      lesson-title=${attrs.title ?? ''}
      heartbeat-ms=${attrs.heartbeatMs ?? 300}
      max-reconnects=${attrs.maxReconnects ?? 5}
    ></pos-pptx-export-progress>`,
  );
  return el;
}

async function expectAccessible(el: PosPptxExportProgress) {
  await el.updateComplete;
  await expect(el).to.be.accessible();
}

describe('<pos-pptx-export-progress>', function () {
  this.timeout(30_000);

  before(async () => {
    await signIn();
  });

  describe('dispatch()', () => {
    it('POSTs the export, follows it to completed and links a file that really is a .pptx', async () => {
      const id = await lessonId('Test lesson 1');
      const el = await progress({ lesson: id, cacheKey: freshKey('dispatch'), title: 'Test lesson 1' });
      const states = recordStates(el);
      const announcements = recordAnnouncements(el);
      const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;

      await el.dispatch();
      const event = await completed;
      const { detail } = event;
      expect(event.bubbles && event.composed, 'bubbles and composed').to.equal(true);
      await untilState(el, 'completed');

      expect(states()).to.deep.equal(['idle', 'dispatching', 'connecting', 'waiting', 'completed']);
      // The event: exactly { url, costCents, model }, url absolute on the API's origin.
      expect(Object.keys(detail).sort()).to.deep.equal(['costCents', 'model', 'url']);
      expect(detail.url).to.match(new RegExp(`^${new URL(API).origin}/api/exports/pptx/files/[0-9a-f-]{36}\\.pptx$`));
      expect(detail.costCents).to.be.a('number').and.greaterThan(0);
      expect(detail.model).to.be.a('string').and.not.empty;

      const link = part(el, 'download') as HTMLAnchorElement;
      expect(link.href).to.equal(detail.url);
      expect(link.getAttribute('download')).to.equal('Test-lesson-1.pptx');
      const details = part(el, 'details').textContent!;
      const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' }).format(detail.costCents / 100);
      expect(money).to.match(/^\$\d+\.\d\d$/);
      expect(details).to.include(money).and.include(detail.model);

      // Locale-aware: the same cost in German.
      el.locale = 'de-DE';
      await el.updateComplete;
      expect(part(el, 'details').textContent).to.include(
        new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' }).format(detail.costCents / 100),
      );

      const file = await fetch(link.href, { credentials: 'include' });
      expect(file.status).to.equal(200);
      expect(file.headers.get('content-type')).to.equal(PPTX_TYPE);
      const bytes = new Uint8Array(await file.arrayBuffer());
      expect(String.fromCharCode(bytes[0]!, bytes[1]!)).to.equal('PK');

      expect(announcements()).to.deep.equal(['The PowerPoint export has started.', 'Your presentation is ready.']);
      await untilOpenStreams(0);
    });

    it('completes at once, without a stream, when the export is cached', async () => {
      const id = await lessonId('Test lesson 2');
      const cacheKey = freshKey('cached');
      const first = await progress({ lesson: id, cacheKey });
      await first.dispatch();
      await untilState(first, 'completed');

      const el = await progress({ lesson: id, cacheKey });
      const states = recordStates(el);
      const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;
      await el.dispatch();
      expect((await completed).detail.url).to.equal(first.url);
      expect(states()).to.deep.equal(['idle', 'dispatching', 'completed']);
    });

    it('shows the 404 sentence for a lesson of another organisation', async () => {
      const el = await progress({ lesson: crypto.randomUUID() });
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      await el.dispatch();
      expect((await failed).detail).to.deep.equal({
        message: 'No such lesson in the active organization.',
        code: 'not_found',
        status: 404,
      });
      expect(part(el, 'message').textContent).to.equal('No such lesson in the active organization.');
    });
  });

  describe('start()', () => {
    it('follows an export that already completed to completed, with the same file', async () => {
      const id = await lessonId('Test lesson 3');
      const cacheKey = freshKey('done');
      const done = await progress({ lesson: id, cacheKey });
      await done.dispatch();
      await untilState(done, 'completed');

      const el = await progress({ lesson: id, cacheKey });
      const states = recordStates(el);
      const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;
      el.start();
      expect((await completed).detail.url).to.equal(done.url);
      expect(states()).to.not.include('dispatching');
      expect(states().at(-1)).to.equal('completed');
    });

    it('only completes for the matching cache key', async () => {
      const id = await lessonId('Test lesson 4');
      const [keyA, keyB] = [freshKey('a'), freshKey('b')];
      const a = await progress({ lesson: id, cacheKey: keyA });
      const b = await progress({ lesson: id, cacheKey: keyB });
      a.start();
      b.start();
      await untilState(a, 'waiting');
      await untilState(b, 'waiting');

      const jobA = await dispatchExport(id, keyA);
      await untilState(a, 'completed');
      expect(a.url).to.include(jobA.job.id);
      // A's job is done and announced to A; B still waits for its own key.
      expect(b.state).to.equal('waiting');

      const jobB = await dispatchExport(id, keyB);
      await untilState(b, 'completed');
      expect(b.url).to.include(jobB.job.id).and.not.include(jobA.job.id);
    });

    it('shows the stream pre-check 4xx sentence (not found, invalid id) and does not reconnect', async () => {
      const el = await progress({ lesson: crypto.randomUUID() });
      const states = recordStates(el);
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      el.start();
      expect((await failed).detail).to.deep.equal({
        message: 'No such lesson in the active organization.',
        code: 'not_found',
        status: 404,
      });
      await untilState(el, 'error');
      expect(part(el, 'message').textContent).to.equal('No such lesson in the active organization.');
      expect(states()).to.not.include('reconnecting');

      el.lessonId = 'not-a-uuid';
      await el.updateComplete;
      const invalid = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      el.start();
      const { detail } = await invalid;
      expect(detail.code).to.equal('invalid_request');
      expect(detail.message).to.match(/lessonId/);
      expect(part(el, 'message').textContent).to.equal(detail.message);
    });
  });

  describe('when the export fails', () => {
    it('shows the failure, fires pos-export-error and Retry dispatches again', async () => {
      const id = await lessonId(`${LESSON_BEHAVIOUR.fail}Failing lesson`);
      const el = await progress({ lesson: id, cacheKey: freshKey('fail') });
      el.strings = { retry: 'Try again' };
      const announcements = recordAnnouncements(el);
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      await el.dispatch();
      const event = await failed;
      const { detail } = event;
      await untilState(el, 'error');

      expect(event.bubbles && event.composed, 'bubbles and composed').to.equal(true);
      expect(detail).to.deep.equal({ message: 'The export failed: the renderer crashed on purpose', code: 'export_failed' });
      expect(part(el, 'message').textContent).to.equal(detail.message);
      expect(announcements()).to.deep.equal(['The PowerPoint export has started.', `The export did not finish. ${detail.message}`]);

      const retry = part(el, 'retry') as HTMLButtonElement;
      expect(retry.textContent!.trim()).to.equal('Try again');
      const states = recordStates(el);
      const again = oneEvent(el, 'pos-export-error');
      retry.click();
      await again;
      await untilState(el, 'error');
      expect(states()).to.include('dispatching');
      await untilOpenStreams(0);
    });

    it('shows the timeout (code timed_out), and Retry after start() follows again without dispatching', async () => {
      const id = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      const el = await progress({ lesson: id, cacheKey: freshKey('timeout') });
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      el.start();
      expect((await failed).detail).to.deep.equal({ message: 'The export timed out: no result after 3 s.', code: 'timed_out' });
      await untilState(el, 'error');

      const states = recordStates(el);
      part(el, 'retry').click();
      await untilState(el, 'waiting');
      expect(states()).to.not.include('dispatching');
      el.cancel();
      await untilState(el, 'idle');
      await untilOpenStreams(0);
    });
  });

  describe('when the connection drops', () => {
    it('shows reconnecting while the server is down, then completes after it is back', async () => {
      const id = await lessonId(`${LESSON_BEHAVIOUR.slow}Slow lesson`);
      const cacheKey = freshKey('restart');
      const el = await progress({ lesson: id, cacheKey });
      const states = recordStates(el);
      const announcements = recordAnnouncements(el);
      const completed = oneEvent(el, 'pos-export-completed') as Promise<ExportCompletedEvent>;
      try {
        await el.dispatch();
        await untilState(el, 'waiting');
        await stopApi(); // like a crash, 1.5 s before the slow export would finish
        await untilState(el, 'reconnecting');
        expect(part(el, 'label').textContent).to.match(/Reconnecting \(attempt \d of 5\)/);
        await expectAccessible(el);
      } finally {
        await startApi();
      }
      // The restarted server resumes the interrupted job; nobody dispatches again.
      const { detail } = await completed;
      expect(detail.url).to.match(/\/api\/exports\/pptx\/files\/[0-9a-f-]{36}\.pptx$/);
      expect(states()).to.include.members(['waiting', 'reconnecting', 'completed']);
      expect(states().filter((s) => s === 'dispatching')).to.have.length(1);
      // Reconnecting is not chatter: one announcement for the start, one for the end.
      expect(announcements()).to.deep.equal(['The PowerPoint export has started.', 'Your presentation is ready.']);
    });

    it('follows again after a graceful server restart (an error coded server_restarting), unlike a plain error', async () => {
      // A slow export, then SIGTERM: the server tells open streams `server_restarting`,
      // lets the export finish, exits; started again, it serves the completed job.
      const id = await lessonId(`${LESSON_BEHAVIOUR.slow}Slow lesson`);
      const cacheKey = freshKey('restarting');
      const el = await progress({ lesson: id, cacheKey });
      const states = recordStates(el);
      const errors: unknown[] = [];
      el.addEventListener('pos-export-error', (e) => errors.push(e.detail));
      const completed = oneEvent(el, 'pos-export-completed');
      await el.dispatch();
      await untilState(el, 'waiting');
      try {
        await stopApiGracefully();
        await untilState(el, 'reconnecting');
      } finally {
        await startApi();
      }
      await completed;
      expect(states().slice(0, 5)).to.deep.equal(['idle', 'dispatching', 'connecting', 'waiting', 'reconnecting']);
      expect(states()).not.to.include('error');
      expect(states().at(-1)).to.equal('completed');
      expect(errors).to.deep.equal([]);
    });

    it('reconnects when nothing arrives for three heartbeat periods, and gives up after max-reconnects', async () => {
      const id = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      // The server beats every 300 ms; claiming 50 ms makes every 150 ms of quiet look dead.
      const el = await progress({ lesson: id, cacheKey: freshKey('watchdog'), heartbeatMs: 50, maxReconnects: 2 });
      const states = recordStates(el);
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      el.start();
      const { detail } = await failed;
      expect(detail.code).to.equal('connection_lost');
      expect(detail.message).to.match(/2 attempts to reconnect failed/);
      expect(states().filter((s) => s === 'reconnecting').length).to.be.greaterThan(0);
      expect(states().filter((s) => s === 'waiting').length, states().join()).to.equal(3); // the first connection and two reconnections
      await untilOpenStreams(0);
    });

    it('Retry after a lost connection follows the dispatched export again instead of dispatching a duplicate', async () => {
      const id = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      const el = await progress({ lesson: id, cacheKey: freshKey('lost'), heartbeatMs: 50, maxReconnects: 1 });
      const lost = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      await el.dispatch();
      expect((await lost).detail.code).to.equal('connection_lost');
      await untilState(el, 'error');

      const states = recordStates(el);
      const again = oneEvent(el, 'pos-export-error');
      part(el, 'retry').click();
      await again;
      expect(states()).to.include('connecting').and.not.include('dispatching');
      await untilOpenStreams(0);
    });

    it('gives up with a clear error when the server cannot be reached at all', async () => {
      // A port nothing listens on: every attempt fails at once.
      const el = await progress({ lesson: crypto.randomUUID(), maxReconnects: 1 });
      el.baseUrl = 'http://127.0.0.1:9/api';
      await el.updateComplete;
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      el.start();
      await untilState(el, 'reconnecting');
      await expectAccessible(el);
      expect((await failed).detail.code).to.equal('connection_lost');
      expect(part(el, 'message').textContent).to.match(/connection to the server was lost/);
    });
  });

  describe('the stream is closed', () => {
    it('when the element leaves the DOM mid-wait, and reopened when it comes back', async () => {
      await untilOpenStreams(0);
      const id = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      const el = await progress({ lesson: id, cacheKey: freshKey('removed') });
      el.start();
      await untilState(el, 'waiting');
      await untilOpenStreams(1);

      const parent = el.parentElement!;
      el.remove();
      await untilOpenStreams(0);

      parent.append(el);
      await untilState(el, 'waiting');
      await untilOpenStreams(1);
      el.remove();
      await untilOpenStreams(0);
    });

    it('when lesson-id changes, and the new lesson is followed', async () => {
      await untilOpenStreams(0);
      const hang = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      const next = await lessonId('Test lesson 5');
      const cacheKey = freshKey('change');
      const el = await progress({ lesson: hang, cacheKey });
      el.start();
      await untilState(el, 'waiting');

      el.lessonId = next;
      await el.updateComplete;
      await untilState(el, 'waiting');
      await untilOpenStreams(1); // the old stream closed, the new one open
      const { job } = await dispatchExport(next, cacheKey);
      await untilState(el, 'completed');
      expect(el.url).to.include(job.id);
      await untilOpenStreams(0);
    });

    it('on cancel(), back to idle', async () => {
      await untilOpenStreams(0);
      const id = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      const el = await progress({ lesson: id, cacheKey: freshKey('cancel') });
      el.start();
      await untilState(el, 'waiting');
      await untilOpenStreams(1);
      part(el, 'cancel').click();
      await untilState(el, 'idle');
      await untilOpenStreams(0);
    });
  });

  describe('while waiting', () => {
    it('pulses the liveness dot on heartbeats and counts the elapsed time without announcing it', async () => {
      const id = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      const el = await progress({ lesson: id, cacheKey: freshKey('alive'), title: 'Hanging lesson' });
      const announcements = recordAnnouncements(el);
      el.start();
      await untilState(el, 'waiting');

      const dot = () => part(el, 'liveness');
      const beats = new Set<string>();
      await waitUntil(
        () => {
          if (dot().hasAttribute('data-alive')) beats.add(dot().dataset.beat!);
          return beats.size === 2;
        },
        'the dot did not pulse on two heartbeats',
        WAIT,
      );
      await waitUntil(() => part(el, 'elapsed').textContent === '0:01 elapsed', 'elapsed did not reach 0:01', WAIT);

      const bar = part(el, 'progress');
      expect(bar.getAttribute('role')).to.equal('progressbar');
      expect(bar.getAttribute('aria-label')).to.equal('Exporting “Hanging lesson” to PowerPoint');
      expect(bar.hasAttribute('aria-valuenow')).to.equal(false);
      expect(announcements()).to.deep.equal(['The PowerPoint export has started.']);
      el.cancel();
    });

    it('autostart follows as soon as it is connected with a lesson id', async () => {
      const id = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
      const el = await fixture<PosPptxExportProgress>(
        html`<pos-pptx-export-progress autostart base-url=${API} lesson-id=${id} cache-key=${freshKey('auto')}></pos-pptx-export-progress>`,
      );
      await untilState(el, 'waiting');
      el.cancel();
      await untilState(el, 'idle');
      await el.updateComplete;
      expect(el.state, 'autostart must not undo cancel()').to.equal('idle');
    });
  });

  describe('accessibility (axe-core)', () => {
    it('has no violations in idle, waiting, completed and error', async () => {
      // The slow lesson: its 1.5 s render leaves time to audit the waiting state.
      const el = await progress({ lesson: await lessonId(`${LESSON_BEHAVIOUR.slow}Slow lesson`), cacheKey: freshKey('axe') });
      await expectAccessible(el);
      const completed = oneEvent(el, 'pos-export-completed');
      const run = el.dispatch();
      await untilState(el, 'waiting');
      await expectAccessible(el);
      await run;
      await completed;
      await expectAccessible(el);

      el.lessonId = crypto.randomUUID();
      await el.updateComplete;
      const failed = oneEvent(el, 'pos-export-error');
      el.start();
      await failed;
      await untilState(el, 'error');
      await expectAccessible(el);
    });

    it('has no violations in dark mode (completed and error)', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      try {
        const id = await lessonId('Test lesson 7');
        const cacheKey = freshKey('dark');
        const el = await progress({ lesson: id, cacheKey });
        // Dark follows the host's color-scheme, not the OS (test/components/visual/color-scheme.test.ts).
        el.style.colorScheme = 'dark';
        expect(getComputedStyle(el).backgroundColor).to.equal('rgb(17, 24, 39)'); // the dark surface
        await el.dispatch();
        await untilState(el, 'completed');
        await expectAccessible(el);
        el.lessonId = crypto.randomUUID();
        await el.updateComplete;
        el.start();
        await untilState(el, 'error');
        await expectAccessible(el);
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });

    it('has no violations while dispatching and connecting (against a server that never answers)', async () => {
      const el = await progress({ lesson: crypto.randomUUID() });
      el.baseUrl = misbehavingApi('hang');
      void el.dispatch();
      await untilState(el, 'dispatching');
      await expectAccessible(el);
      el.cancel();
      el.start();
      await untilState(el, 'connecting');
      await expectAccessible(el);
      el.cancel();
    });
  });
});

describe('<pos-pptx-export-progress> when the host sets the target and dispatches at once', () => {
  before(() => signIn());

  it('sends one POST: a cache key set in the same task as dispatch() is not a new target', async () => {
    const id = await lessonId('Test lesson 11');
    const el = await fixture<PosPptxExportProgress>(
      html`<pos-pptx-export-progress base-url=${API} lesson-id=${id}></pos-pptx-export-progress>`,
    );
    const posts = () => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/exports/pptx')).length;
    const before = posts();
    const states: string[] = [];
    el.addEventListener('pos-export-state-change', (e) => states.push((e as CustomEvent<{ state: string }>).detail.state));
    el.cacheKey = `same-task-${crypto.randomUUID()}`;
    const completed = oneEvent(el, 'pos-export-completed');
    void el.dispatch();
    await completed;
    // Resource entries are added when a response ends: wait until the POST's is in.
    await waitUntil(() => posts() > before);
    expect(posts() - before).to.equal(1);
    expect(states[0]).to.equal('dispatching');
    expect(states.at(-1)).to.equal('completed');
  });
});
