/**
 * Only web URLs become the download link. A `completed` url comes from the
 * server (or a proxy, or a compromised API); `javascript:` or `data:` in the
 * link's href would run script in the host page on the user's click. Each
 * url below is really sent by a server (test/support/misbehaving-server.mjs,
 * `completed-url`), both as a stream's `completed` event and as a dispatch
 * answered from the cache.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import { ExportStreamController } from '../../../components/internal/export-stream-controller.js';
import type { PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.js';
import { watchUncaught } from '../../support/api.js';

const MISBEHAVING = (window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__;
/** The base URL of an API whose exports complete with `url`. */
const completingWith = (url: string) => `${MISBEHAVING}/completed-url/${encodeURIComponent(url)}/api`;
const LESSON = '00000000-0000-4000-8000-000000000001';
const MESSAGE = /sent a download link that is not http or https\./;

const HOSTILE: [string, string][] = [
  ['javascript:', 'javascript:alert(document.domain)'],
  ['JAVASCRIPT: (upper case)', 'JAVASCRIPT:alert(1)'],
  ['javascript: behind spaces, a tab and a newline, split by a tab and a newline', ' \t\n java\tscr\nipt:alert(1)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['blob:', `blob:${location.origin}/00000000-0000-4000-8000-000000000000`],
  ['vbscript:', 'vbscript:msgbox(1)'],
  ['a malformed url', 'http://[::1'],
];

async function exportElement(baseUrl: string) {
  const el = await fixture<PosPptxExportProgress>(
    html`<pos-pptx-export-progress base-url=${baseUrl} lesson-id=${LESSON} max-reconnects="0"></pos-pptx-export-progress>`,
  );
  const completions: unknown[] = [];
  el.addEventListener('pos-export-completed', (e) => completions.push((e as CustomEvent).detail));
  // Whichever outcome comes first, so a wrong one fails at once, naming what it was.
  const outcome = new Promise<CustomEvent>((resolve) => {
    for (const type of ['pos-export-completed', 'pos-export-error'])
      el.addEventListener(type, (e) => resolve(e as CustomEvent), { once: true });
  });
  return { el, completions, outcome };
}

/** Every URL-valued attribute in the shadow root: none may be a hostile url's. */
const urlAttributes = (el: PosPptxExportProgress) =>
  [...el.shadowRoot!.querySelectorAll('*')].flatMap((node) =>
    ['href', 'src', 'action', 'formaction', 'xlink:href'].map((name) => node.getAttribute(name)).filter((v) => v !== null),
  );

describe('<pos-pptx-export-progress> follows only web URLs', () => {
  let watch: ReturnType<typeof watchUncaught>;
  beforeEach(() => (watch = watchUncaught()));
  afterEach(async () => {
    // Let late rejections surface before judging.
    await new Promise((r) => setTimeout(r, 50));
    watch.stop();
    expect(watch.uncaught).to.deep.equal([]);
  });

  for (const how of ['start', 'dispatch'] as const) {
    describe(how === 'start' ? 'a `completed` event on the stream' : 'a dispatch answered from the cache', () => {
      for (const [what, url] of HOSTILE) {
        it(`refuses ${what}: error state, unsafe_url, no link`, async () => {
          const { el, completions, outcome } = await exportElement(completingWith(url));
          if (how === 'start') el.start();
          else void el.dispatch();
          const { type, detail } = await outcome;
          expect(type, `the outcome, detail ${JSON.stringify(detail)}`).to.equal('pos-export-error');
          expect(detail.code).to.equal('unsafe_url');
          expect(detail.message).to.match(MESSAGE);
          await waitUntil(() => el.getAttribute('state') === 'error', `state is ${el.state}`);
          await el.updateComplete;
          expect(el.state).to.equal('error');
          expect(el.url).to.equal(undefined);
          expect(completions, 'no pos-export-completed').to.deep.equal([]);
          expect(el.shadowRoot!.querySelector('[part~="message"]')!.textContent).to.match(MESSAGE);
          expect(el.shadowRoot!.querySelector('a'), 'no link at all').to.equal(null);
          expect(urlAttributes(el)).to.deep.equal([]);
          expect(el.shadowRoot!.querySelector('[part~="retry"]'), 'a Retry button').to.exist;
        });
      }

      const safe: [string, string, string][] = [
        [
          'a path on the API origin (/api/…)',
          '/api/exports/pptx/files/deck.pptx',
          new URL('/api/exports/pptx/files/deck.pptx', MISBEHAVING).href,
        ],
        ['an absolute https url', 'https://files.example.com/exports/deck.pptx', 'https://files.example.com/exports/deck.pptx'],
      ];
      for (const [what, url, resolved] of safe) {
        it(`still links ${what}`, async () => {
          const { el, outcome } = await exportElement(completingWith(url));
          if (how === 'start') el.start();
          else void el.dispatch();
          const { type, detail } = await outcome;
          expect(type, `the outcome, detail ${JSON.stringify(detail)}`).to.equal('pos-export-completed');
          expect(detail.url).to.equal(resolved);
          await waitUntil(() => el.getAttribute('state') === 'completed', `state is ${el.state}`);
          await el.updateComplete;
          expect(el.url).to.equal(resolved);
          const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part~="download"]');
          expect(link?.href).to.equal(resolved);
          expect(link?.getAttribute('download')).to.equal('deck.pptx');
        });
      }
    });
  }
});

describe('ExportStreamController refuses a non-web `completed` url itself', () => {
  // A bare host, no element: any consumer of the controller is kept safe, not only ours.
  const host = (): ReactiveControllerHost => ({
    addController: () => {},
    removeController: () => {},
    requestUpdate: () => {},
    updateComplete: Promise.resolve(true),
  });

  for (const [what, url] of HOSTILE) {
    it(`ends in error with unsafe_url for ${what}`, async () => {
      const outcomes: unknown[] = [];
      const controller = new ExportStreamController(host(), {
        onCompleted: (result) => outcomes.push(['completed', result.url]),
        onError: (failure) => outcomes.push(['error', failure.code]),
      });
      controller.maxReconnects = 0;
      controller.hostConnected();
      controller.follow(`${completingWith(url)}/exports/pptx/stream?lessonId=${LESSON}`);
      await waitUntil(() => !controller.active, `status is ${controller.status}`);
      expect(outcomes).to.deep.equal([['error', 'unsafe_url']]);
      expect(controller.status).to.equal('error');
      expect(controller.result).to.equal(undefined);
      expect(controller.failure?.message).to.match(MESSAGE);
      controller.hostDisconnected();
    });
  }
});
