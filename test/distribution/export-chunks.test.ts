/**
 * dist/pos-widgets.js keeps two parts of `<pos-pptx-export-progress>` in
 * chunks beside itself: the server's answers (dist/export-stream-reader-<hash>.js,
 * asked for on dispatch and with the stream's first request) and the completed state's view
 * (dist/export-completed-<hash>.js, asked for when a run begins). On a page
 * that includes the bundle from another origin (a CDN) with a cache-busting
 * query, both come from the bundle's origin, once, and the bundle is not loaded
 * a second time; without them beside the bundle, the export ends in a
 * `module_load_error`, and nothing throws. Run `npm run build` first.
 */
import { expect, oneEvent } from '@open-wc/testing';
import type { ExportErrorEvent, PosPptxExportProgress } from '../../components/pptx-export-progress/pptx-export-progress.component.js';
import { API, lessonId, signIn } from '../support/api.js';

const MISBEHAVING = (window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__;
/** dist/ served by another server on another origin (test/support/misbehaving-server.mjs, `cdn`). */
const CDN = `${MISBEHAVING}/cdn`;

type HostWindow = Window & typeof globalThis & { errors: string[] };

describe('dist/pos-widgets.js from another origin: the export element chunks', () => {
  let frame: HTMLIFrameElement;
  before(() => signIn());
  afterEach(() => frame.remove());

  async function hostPage(bundle: string): Promise<HostWindow> {
    frame = document.createElement('iframe');
    document.body.append(frame);
    const loaded = oneEvent(frame, 'load');
    frame.srcdoc = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CDN host</title>
      <script>window.errors = []; addEventListener('error', (e) => errors.push(e.message)); addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));</script>
      <script type="module" src="${bundle}"></script></head><body></body></html>`;
    await loaded;
    const win = frame.contentWindow as HostWindow;
    await win.customElements.whenDefined('pos-pptx-export-progress');
    return win;
  }

  async function exporter(win: HostWindow, props: Partial<PosPptxExportProgress> = {}): Promise<PosPptxExportProgress> {
    const el = win.document.createElement('pos-pptx-export-progress') as PosPptxExportProgress;
    Object.assign(el, { baseUrl: API, lessonId: await lessonId('Test lesson 12'), cacheKey: `chunks-${Date.now()}`, ...props });
    win.document.body.append(el);
    await el.updateComplete;
    return el;
  }

  const requested = (win: HostWindow, part: string) =>
    win.performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((name) => name.includes(part));

  it('are loaded from beside the bundle only once an export runs, once each, and the export completes', async () => {
    const win = await hostPage(`${CDN}/pos-widgets.js?v=2`);
    const el = await exporter(win);
    expect(requested(win, 'export-'), 'nothing before a run').to.deep.equal([]);

    const completed = oneEvent(el, 'pos-export-completed');
    void el.dispatch();
    await completed;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="download"]')?.getAttribute('download')).to.match(/\.pptx$/);
    for (const chunk of ['export-stream-reader', 'export-completed']) {
      const urls = requested(win, chunk);
      expect(urls, chunk).to.have.length(1);
      expect(urls[0]).to.match(new RegExp(`^${CDN}/${chunk}-[\\w-]+\\.js$`));
    }
    expect(requested(win, 'pos-widgets.js'), 'the bundle once: the chunks import nothing').to.deep.equal([`${CDN}/pos-widgets.js?v=2`]);

    const status = el.shadowRoot!.querySelector('[part~="status"]')!;
    const said = [...status.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());

    // A second run: the chunks are not asked for again.
    const again = oneEvent(el, 'pos-export-completed');
    void el.dispatch();
    await again;
    await el.updateComplete;
    expect(requested(win, 'export-'), 'still one request per chunk').to.have.length(2);
    // The same words as the first run's, in a new node of the live region, so they are announced again
    // (the minifier once folded two alternating templates into one).
    expect(status.textContent!.trim()).to.equal(said!.textContent!.trim());
    expect(said!.isConnected, 'a new text node').to.equal(false);
    expect(win.errors).to.deep.equal([]);
  });

  for (const run of ['start', 'dispatch'] as const) {
    it(`without the reader beside the bundle (pos-widgets.js copied alone), ${run}(): error module_load_error, nothing thrown`, async () => {
      const win = await hostPage(`${MISBEHAVING}/cdn-bundle-only/pos-widgets.js`);
      const el = await exporter(win);
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      void el[run]();
      expect((await failed).detail.code).to.equal('module_load_error');
      await el.updateComplete;
      expect(el.state).to.equal('error');
      expect(el.shadowRoot!.querySelector('[part~="message"]')?.textContent).to.not.equal('');
      expect(win.errors).to.deep.equal([]);
    });
  }

  it('without the completed view beside the bundle: a host cache hit ends in error module_load_error, no link, nothing thrown', async () => {
    const win = await hostPage(`${MISBEHAVING}/cdn-bundle-only/pos-widgets.js`);
    const el = await exporter(win, {
      dispatcher: async () => ({ completed: { url: '/api/exports/pptx/files/host-cached.pptx', costCents: 1, model: 'host-model' } }),
    });
    const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
    void el.dispatch();
    expect((await failed).detail.code).to.equal('module_load_error');
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(el.url).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('a')).to.equal(null);
    expect(win.errors).to.deep.equal([]);
  });
});
