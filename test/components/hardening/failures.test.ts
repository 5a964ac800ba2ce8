/**
 * Every failure a server or network can produce ends in the element's clear
 * error state with a Retry button (none on 402 and 403, where asking again
 * cannot help) and an error event, and nothing is thrown into the host page.
 * Against real servers: the reference server (stopped, signed out, no
 * organisation, the partner role, a spent allowance) and one that misbehaves
 * on purpose (test/support/misbehaving-server.mjs).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import '../../../components/training-picker/training-picker.js';
import type { PosPicker } from '../../../components/internal/picker.js';
import type { PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.component.js';
import { API, apiGet, lessonId, misbehavingApi, signIn, signOut, TEST_USERS, watchUncaught } from '../../support/api.js';
import { clearCache } from '../pickers/helpers.js';

// A port nothing listens on: the connection is refused.
const REFUSED = 'http://127.0.0.1:9/api';

describe('failures end in a clear error with Retry, never in the host page', () => {
  let watch: ReturnType<typeof watchUncaught>;
  beforeEach(() => {
    clearCache();
    watch = watchUncaught();
  });
  afterEach(async () => {
    // Let late rejections surface before judging.
    await new Promise((r) => setTimeout(r, 50));
    watch.stop();
    expect(watch.uncaught).to.deep.equal([]);
  });

  describe('<pos-training-picker>', () => {
    const cases: [string, () => Promise<string>, { code: string; status?: number; message: RegExp }][] = [
      ['connection refused', async () => REFUSED, { code: 'network_error', message: /Cannot reach the server/ }],
      ['401 (signed out)', async () => (await signOut(), API), { code: 'unauthorized', status: 401, message: /Sign in/ }],
      [
        '400 no_active_organization',
        async () => (await signIn(TEST_USERS.noOrganization), API),
        { code: 'no_active_organization', status: 400, message: /Choose an organization/ },
      ],
      ['500 with an HTML body', async () => misbehavingApi('html-500'), { code: 'http_error', status: 500, message: /500/ }],
      [
        'malformed JSON',
        async () => misbehavingApi('malformed-json'),
        { code: 'invalid_response', status: 200, message: /not valid JSON/ },
      ],
      ['a response that never ends', async () => misbehavingApi('never-ends'), { code: 'timeout', message: /did not answer in time/ }],
    ];
    for (const [what, base, expected] of cases) {
      it(what, async () => {
        const baseUrl = await base();
        const el = await fixture<PosPicker<unknown>>(
          html`<pos-training-picker label="Trainings" .timeout=${800} base-url=${baseUrl}></pos-training-picker>`,
        );
        const { detail } = await oneEvent(el, 'pos-error');
        expect(detail.code).to.equal(expected.code);
        expect(detail.status).to.equal(expected.status);
        expect(detail.message).to.match(expected.message);
        await el.updateComplete;
        const alert = el.shadowRoot!.querySelector('[role="alert"]');
        expect(alert?.textContent).to.match(expected.message);
        const retry = [...el.shadowRoot!.querySelectorAll('button')].find((b) => /retry/i.test(b.textContent ?? ''));
        expect(retry, 'a Retry button').to.exist;
        // Retry really asks again: another pos-error for the same failure.
        const again = oneEvent(el, 'pos-error');
        retry!.click();
        expect((await again).detail.code).to.equal(expected.code);
      });
    }
    after(() => signIn());
  });

  describe('<pos-training-picker> when asking again cannot help', () => {
    const cases: [string, string, { code: string; status: number; heading: RegExp; retry: boolean }][] = [
      [
        '403 (the role has no access)',
        misbehavingApi('json-403-forbidden'),
        { code: 'forbidden', status: 403, heading: /do not have access/, retry: false },
      ],
      [
        '402 (quota spent)',
        misbehavingApi('json-402-quota_exceeded'),
        { code: 'quota_exceeded', status: 402, heading: /allowance is used up/, retry: false },
      ],
      [
        '401 (signed out: the host may sign in again)',
        misbehavingApi('json-401-unauthorized'),
        { code: 'unauthorized', status: 401, heading: /signed out/, retry: true },
      ],
      ['404', misbehavingApi('json-404-not_found'), { code: 'not_found', status: 404, heading: /could not be loaded/, retry: true }],
      [
        '503',
        misbehavingApi('json-503-storage_unavailable'),
        { code: 'storage_unavailable', status: 503, heading: /could not be loaded/, retry: true },
      ],
    ];
    for (const [what, baseUrl, expected] of cases) {
      it(`${what}: says so, Retry ${expected.retry ? 'offered' : 'not offered'}, the event carries status and code`, async () => {
        const el = await fixture<PosPicker<unknown>>(
          html`<pos-training-picker label="Trainings" base-url=${baseUrl}></pos-training-picker>`,
        );
        const { detail } = await oneEvent(el, 'pos-error');
        expect(detail).to.deep.equal({
          status: expected.status,
          code: expected.code,
          message: `The server refused this (${expected.code}).`,
        });
        await el.updateComplete;
        const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
        expect(alert.textContent).to.match(expected.heading);
        expect(alert.textContent).to.include(detail.message);
        expect(!!el.shadowRoot!.querySelector('[part~="retry"]')).to.equal(expected.retry);
        await expect(el).to.be.accessible();
      });
    }
  });

  describe('<pos-pptx-export-progress>', () => {
    const lesson = '00000000-0000-4000-8000-000000000001';
    const cases: [string, string, 'dispatch' | 'start', RegExp][] = [
      ['connection refused (dispatch)', REFUSED, 'dispatch', /Cannot reach the server/],
      ['500 with an HTML body (dispatch)', misbehavingApi('html-500'), 'dispatch', /500/],
      ['malformed JSON (dispatch)', misbehavingApi('malformed-json'), 'dispatch', /not valid JSON/],
      ['an HTML page instead of a stream', misbehavingApi('html-stream'), 'start', /did not answer with an event stream/],
      ['a stream of garbage lines', misbehavingApi('garbage-stream'), 'start', /completion without a file/],
      ['a stream that never answers', misbehavingApi('hang'), 'start', /./],
    ];
    for (const [what, baseUrl, action, message] of cases) {
      it(what, async () => {
        const el = await fixture<PosPptxExportProgress>(
          html`<pos-pptx-export-progress
            base-url=${baseUrl}
            lesson-id=${lesson}
            heartbeat-ms="100"
            max-reconnects="1"
          ></pos-pptx-export-progress>`,
        );
        const failed = oneEvent(el, 'pos-export-error');
        if (action === 'dispatch') void el.dispatch();
        else el.start();
        const { detail } = await failed;
        expect(detail.message).to.match(message);
        await waitUntil(() => el.state === 'error');
        const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry"]');
        expect(retry, 'a Retry button').to.exist;
        expect(el.shadowRoot!.textContent).to.match(message);
      });
    }
  });

  describe('<pos-pptx-export-progress> when asking again cannot help', () => {
    const lesson = '00000000-0000-4000-8000-000000000001';
    const refused = (code: string) => `The server refused this (${code}).`;
    const cases: [
      string,
      `json-${number}-${string}`,
      { code: string; status: number; message: string; heading: RegExp; retry: boolean },
    ][] = [
      [
        '403 (the role may not export)',
        'json-403-forbidden',
        { code: 'forbidden', status: 403, message: refused('forbidden'), heading: /do not have access/, retry: false },
      ],
      [
        '402 (the allowance is spent)',
        'json-402-quota_exceeded',
        { code: 'quota_exceeded', status: 402, message: refused('quota_exceeded'), heading: /allowance is used up/, retry: false },
      ],
      [
        '401 (signed out: the host may sign in again)',
        'json-401-unauthorized',
        { code: 'unauthorized', status: 401, message: refused('unauthorized'), heading: /signed out/, retry: true },
      ],
      [
        '404',
        'json-404-not_found',
        { code: 'not_found', status: 404, message: refused('not_found'), heading: /did not finish/, retry: true },
      ],
    ];
    const run = async (baseUrl: string, action: 'dispatch' | 'start') => {
      const el = await fixture<PosPptxExportProgress>(
        html`<pos-pptx-export-progress base-url=${baseUrl} lesson-id=${lesson} max-reconnects="0"></pos-pptx-export-progress>`,
      );
      const failed = oneEvent(el, 'pos-export-error');
      if (action === 'dispatch') void el.dispatch();
      else el.start();
      const { detail } = await failed;
      await el.updateComplete;
      return { el, detail };
    };
    for (const action of ['dispatch', 'start'] as const) {
      for (const [what, behaviour, expected] of cases) {
        it(`${what}, on ${action}(): says so, Retry ${expected.retry ? 'offered' : 'not offered'}, the event carries status and code`, async () => {
          const { el, detail } = await run(misbehavingApi(behaviour), action);
          expect(detail).to.deep.equal({ message: expected.message, code: expected.code, status: expected.status });
          expect(el.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.match(expected.heading);
          expect(el.shadowRoot!.querySelector('[part~="message"]')!.textContent).to.equal(detail.message);
          // Announced with the same heading as shown.
          const announced = el.shadowRoot!.querySelector('[part~="status"]')!.textContent!;
          expect(announced).to.match(expected.heading).and.include(detail.message);
          expect(!!el.shadowRoot!.querySelector('[part~="retry"]')).to.equal(expected.retry);
          await expect(el).to.be.accessible();
        });
      }
    }
    it('503 on dispatch(): the export did not finish, Retry offered, the event carries status and code', async () => {
      const { el, detail } = await run(misbehavingApi('json-503-storage_unavailable'), 'dispatch');
      expect(detail).to.deep.equal({ message: refused('storage_unavailable'), code: 'storage_unavailable', status: 503 });
      expect(el.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.match(/did not finish/);
      expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.exist;
    });
    it('503 on start(): reconnecting gives up with connection_lost and the status, Retry offered', async () => {
      const { el, detail } = await run(misbehavingApi('json-503-storage_unavailable'), 'start');
      expect(detail.code).to.equal('connection_lost');
      expect(detail.status).to.equal(503);
      expect(el.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.match(/did not finish/);
      expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.exist;
    });
  });

  describe('<pos-pptx-export-progress> against the reference server: no access, allowance spent', () => {
    const post = (path: string) => fetch(`${API}${path}`, { method: 'POST', credentials: 'include' });
    after(() => signIn());

    it('403 for the partner role, on dispatch() and on start(): no access, no Retry, status and code in the event', async () => {
      await signIn();
      const lesson = await lessonId('Test lesson 1');
      await signIn(TEST_USERS.partner);
      const el = await fixture<PosPptxExportProgress>(
        html`<pos-pptx-export-progress base-url=${API} lesson-id=${lesson}></pos-pptx-export-progress>`,
      );
      for (const run of [() => void el.dispatch(), () => el.start()]) {
        const failed = oneEvent(el, 'pos-export-error');
        run();
        const { detail } = await failed;
        expect(detail).to.deep.include({ code: 'forbidden', status: 403 });
        expect(detail.message).to.match(/Your role \(partner\) does not permit this/);
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.equal('You do not have access to exports');
        expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.equal(null);
        await expect(el).to.be.accessible();
      }
    });

    it('402 when the organisation has spent its allowance: says so, no Retry, status and code in the event', async () => {
      // Globex: no other test exports there, so its spent allowance touches nobody.
      await signIn(TEST_USERS.globex);
      const lesson = (await apiGet<{ lessons: { id: string }[] }>('/enablement/lessons')).lessons[0]!.id;
      expect((await post('/demo/exhaust-quota')).status).to.equal(200);
      try {
        const el = await fixture<PosPptxExportProgress>(
          html`<pos-pptx-export-progress
            base-url=${API}
            lesson-id=${lesson}
            cache-key=${`quota-${crypto.randomUUID()}`}
          ></pos-pptx-export-progress>`,
        );
        const failed = oneEvent(el, 'pos-export-error');
        void el.dispatch();
        const { detail } = await failed;
        expect(detail).to.deep.include({ code: 'quota_exceeded', status: 402 });
        expect(detail.message).to.match(/export allowance for .+ is used up/);
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('[part~="title"]')!.textContent).to.equal('Your plan’s export allowance is used up');
        expect(el.shadowRoot!.querySelector('[part~="message"]')!.textContent).to.equal(detail.message);
        expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.equal(null);
        await expect(el).to.be.accessible();
      } finally {
        await post('/demo/reset-quota');
      }
    });
  });

  describe('hostile and unusual record text', () => {
    it('long, right-to-left, emoji and HTML titles render as text, inertly', async () => {
      const records = [
        { id: 'long', title: 'A'.repeat(500), description: 'x', tags: [], specializationId: null, durationMinutes: 5 },
        {
          id: 'rtl',
          title: 'تدريب الشركاء على المبيعات',
          description: 'עברית',
          tags: ['مبيعات'],
          specializationId: null,
          durationMinutes: 5,
        },
        { id: 'emoji', title: '🚀 Launch 👩🏽‍💻 training', description: '🎉', tags: ['🔥'], specializationId: null, durationMinutes: 5 },
        {
          id: 'html',
          title: '<script>window.__pwned=1</script><b>bold</b>',
          description: '<img src=x onerror="window.__pwned=2">',
          tags: ['<i>t</i>'],
          specializationId: null,
          durationMinutes: 5,
        },
      ];
      const el = await fixture<PosPicker<unknown>>(html`<pos-training-picker label="Trainings" .data=${records}></pos-training-picker>`);
      el.shadowRoot!.querySelector<HTMLInputElement>('#input')!.focus();
      el.shadowRoot!.querySelector<HTMLInputElement>('#input')!.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }),
      );
      await waitUntil(() => el.shadowRoot!.querySelectorAll('[role="option"]').length === 4);
      const text = el.shadowRoot!.textContent!;
      expect(text).to.include('تدريب الشركاء على المبيعات');
      expect(text).to.include('🚀 Launch 👩🏽‍💻 training');
      expect(text).to.include('<script>window.__pwned=1</script><b>bold</b>');
      expect(el.shadowRoot!.querySelector('script, b, img, i')).to.equal(null);
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
      // The long title is clipped by layout, not overflowing the popup.
      const option = el.shadowRoot!.querySelector<HTMLElement>('[role="option"]')!;
      expect(option.scrollWidth).to.be.at.most(option.closest<HTMLElement>('[part~="popup"]')!.clientWidth + 1);
    });
  });
});
