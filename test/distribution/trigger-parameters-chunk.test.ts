/**
 * dist/pos-widgets.js keeps `<pos-trigger-select>`'s parameter fields in a
 * chunk beside itself (dist/trigger-parameters-<hash>.js), loaded the first
 * time a trigger with parameters is chosen. On a page that includes the
 * bundle from another origin (a CDN), with a query string as cache busters
 * add: the chunk comes from the bundle's origin, once, and the bundle is not
 * loaded a second time. Run `npm run build` first.
 */
import { expect, oneEvent } from '@open-wc/testing';
import type { PosTriggerSelect } from '../../components/trigger-select/trigger-select.component.js';

const MISBEHAVING = (window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__;
/** dist/ served by another server on another origin (test/support/misbehaving-server.mjs, `cdn`). */
const CDN = `${MISBEHAVING}/cdn`;

describe('dist/pos-widgets.js from another origin: the trigger parameters chunk', () => {
  let frame: HTMLIFrameElement;
  afterEach(() => frame.remove());

  it('is loaded from beside the bundle only when a trigger with parameters is chosen, and works', async () => {
    frame = document.createElement('iframe');
    document.body.append(frame);
    const loaded = oneEvent(frame, 'load');
    frame.srcdoc = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CDN host</title>
      <script>window.errors = []; addEventListener('error', (e) => errors.push(e.message)); addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));</script>
      <script type="module" src="${CDN}/pos-widgets.js?v=2"></script></head><body><form></form></body></html>`;
    await loaded;
    const win = frame.contentWindow as Window & typeof globalThis & { errors: string[] };
    await win.customElements.whenDefined('pos-trigger-select');
    const requested = (part: string) =>
      win.performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((name) => name.includes(part));

    const el = win.document.createElement('pos-trigger-select') as PosTriggerSelect;
    el.name = 'when';
    el.label = 'When';
    win.document.querySelector('form')!.append(el);
    el.value = 'deal_closed_won';
    await el.updateComplete;
    expect(requested('trigger-parameters'), 'no chunk for a trigger without parameters').to.deep.equal([]);

    el.value = 'partner_inactive';
    await el.updateComplete;
    const days = el.shadowRoot!.querySelector<HTMLInputElement>('#days');
    expect(days?.type).to.equal('number');
    const chunks = requested('trigger-parameters');
    expect(chunks).to.have.length(1);
    expect(chunks[0]).to.match(new RegExp(`^${CDN}/trigger-parameters-[\\w-]+\\.js$`));
    expect(requested('pos-widgets.js'), 'the bundle once: the chunk imports nothing').to.deep.equal([`${CDN}/pos-widgets.js?v=2`]);

    el.trigger = { type: 'contract_renewal_approaching', daysBefore: 60 };
    await el.updateComplete;
    expect([...new win.FormData(win.document.querySelector('form')!)].map(([k, v]) => [k, String(v)])).to.deep.equal([
      ['when', 'contract_renewal_approaching'],
      ['when.daysBefore', '60'],
    ]);
    expect(requested('trigger-parameters'), 'still one chunk request').to.have.length(1);
    expect(win.errors).to.deep.equal([]);
  });

  it('without its chunk beside it (pos-widgets.js copied alone): pos-error, no fields, the defaults stand, nothing thrown', async () => {
    frame = document.createElement('iframe');
    document.body.append(frame);
    const loaded = oneEvent(frame, 'load');
    frame.srcdoc = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bundle only</title>
      <script>window.errors = []; addEventListener('error', (e) => errors.push(e.message)); addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));</script>
      <script type="module" src="${MISBEHAVING}/cdn-bundle-only/pos-widgets.js"></script></head><body></body></html>`;
    await loaded;
    const win = frame.contentWindow as Window & typeof globalThis & { errors: string[] };
    await win.customElements.whenDefined('pos-trigger-select');
    const el = win.document.createElement('pos-trigger-select') as PosTriggerSelect;
    el.label = 'When';
    win.document.body.append(el);
    const failed = oneEvent(el, 'pos-error');
    el.value = 'partner_inactive';
    const { detail } = (await failed) as CustomEvent<{ code: string; message: string }>;
    expect(detail.code).to.equal('module_load_error');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="parameters"]')).to.equal(null);
    expect(el.trigger).to.deep.equal({ type: 'partner_inactive', days: 30 });
    expect(win.errors).to.deep.equal([]);
  });
});
