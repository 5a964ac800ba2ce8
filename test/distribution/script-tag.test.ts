/**
 * dist/pos-widgets.js as a host page without a build step uses it: a page with
 * only the script tag (test/distribution/host.html, in an iframe), on another
 * origin than the API. Run `npm run build` first.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { PosPicker } from '../../components/internal/picker.js';
import type { PosPptxExportProgress } from '../../components/pptx-export-progress/pptx-export-progress.component.js';
import { API, lessonId, signIn } from '../support/api.js';

type AnyPicker = PosPicker<any>;
type Kit = Record<string, unknown>;
type HostWindow = Window & typeof globalThis & { errors?: string[]; kits?: { first: Kit; second: Kit; npm: Kit } };

const TAGS = ['pos-specialization-picker', 'pos-training-picker', 'pos-tag-picker', 'pos-trigger-select', 'pos-pptx-export-progress'];

/** Opens `page` in an iframe and waits until the five elements are defined in it. */
async function openHostPage(page: string): Promise<HostWindow> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 600px';
  document.body.append(frame);
  const loaded = oneEvent(frame, 'load');
  frame.src = page;
  await loaded;
  const win = frame.contentWindow as HostWindow;
  await Promise.all(TAGS.map((tag) => win.customElements.whenDefined(tag)));
  return win;
}

/** Creates `<tag>` in the host page, as the host's own markup or script would. */
function place<T extends HTMLElement>(win: HostWindow, tag: string, props: Record<string, unknown> = {}): T {
  const el = win.document.createElement(tag) as T;
  Object.assign(el, props);
  win.document.body.append(el);
  return el;
}

async function loaded(el: AnyPicker) {
  await waitUntil(() => el.loadState === 'complete' || el.loadState === 'error', `${el.localName} never finished loading`, {
    timeout: 5000,
  });
  expect(el.loadState, `${el.localName} load state`).to.equal('complete');
}

/** Opens the picker with a click on its field, clicks the first option, and returns the `change` event it fired. */
async function pickFirst(el: AnyPicker): Promise<Event> {
  await el.updateComplete;
  el.shadowRoot!.querySelector<HTMLElement>('[part~="combobox"]')!.click();
  await waitUntil(() => el.open && el.shadowRoot!.querySelector('[role="option"]'), `${el.localName} did not open with options`);
  const change = oneEvent(el, 'change');
  el.shadowRoot!.querySelector<HTMLElement>('[role="option"]')!.click();
  return change;
}

describe('dist/pos-widgets.js on a host page with only the script tag', () => {
  let win: HostWindow;

  before(async () => {
    await signIn();
    win = await openHostPage('/test/distribution/host.html');
  });

  it('is served from another origin than the API', () => {
    expect(new URL(API).origin).not.to.equal(win.location.origin);
    // The page's one script (the test server adds its web-socket script to every page).
    const external = [...win.document.querySelectorAll('script')]
      .filter((s) => s.src)
      .map((s) => new URL(s.src).pathname)
      .filter((p) => !p.startsWith('/__web-dev-server'));
    expect(external).to.deep.equal(['/dist/pos-widgets.js']);
  });

  it('registers the five elements', () => {
    for (const tag of TAGS) expect(win.customElements.get(tag), tag).to.be.a('function');
  });

  for (const [tag, description] of [
    ['pos-specialization-picker', 'specializations'],
    ['pos-training-picker', 'trainings'],
    ['pos-tag-picker', 'tags'],
  ] as const) {
    it(`<${tag}> loads the ${description} with the session cookie, opens, and a pick fires change`, async () => {
      const el = place<AnyPicker>(win, tag, { baseUrl: API, label: description });
      await loaded(el);
      expect(el.records!.length).to.be.greaterThan(0);
      const change = await pickFirst(el);
      expect(change.bubbles && change.composed).to.equal(true);
      expect(el.value).to.be.a('string').and.not.equal('');
    });
  }

  it('<pos-trigger-select> (no request) opens, and a pick fires change', async () => {
    const el = place<AnyPicker>(win, 'pos-trigger-select', { label: 'When' });
    await pickFirst(el);
    expect(el.value).to.equal('partner_created');
  });

  it("styles each element with the theme's defaults, and a host's --pos-* property wins", async () => {
    // The bundle adopts its own sheets (build/lit-css-tag.ts) with short private property names (build/minify-templates.ts).
    const border = 'rgb(156, 163, 175)'; // --pos-border's light default, #9ca3af
    const picker = place<AnyPicker>(win, 'pos-tag-picker', { baseUrl: API, label: 'Tags' });
    const trigger = place<AnyPicker>(win, 'pos-trigger-select', { label: 'When', value: 'partner_inactive' });
    const exporter = place<HTMLElement>(win, 'pos-pptx-export-progress');
    await loaded(picker);
    const field = picker.shadowRoot!.querySelector('[part~="combobox"]')!;
    await waitUntil(() => trigger.shadowRoot!.querySelector('[part~="parameter-input"]'), 'no parameter field');
    const parameter = trigger.shadowRoot!.querySelector('[part~="parameter-input"]')!;
    const style = (el: Element) => win.getComputedStyle(el);
    expect(style(field).borderTopColor, 'picker field').to.equal(border);
    for (const el of [field, parameter, exporter]) expect(style(el).borderTopLeftRadius, el.localName).to.equal('8px');
    expect(style(parameter).borderTopColor, 'trigger parameter field (the chunk)').to.equal(border);
    expect(style(exporter).borderTopColor, 'export element').to.equal(border);
    expect(style(exporter).paddingTop, 'export element padding').to.equal('12px');
    // (The radius: the field's border colour is transitioned.)
    for (const el of [picker, trigger, exporter]) el.style.setProperty('--pos-radius', '3px');
    for (const el of [field, parameter, exporter]) expect(style(el).borderTopLeftRadius, el.localName).to.equal('3px');
    for (const el of [picker, trigger, exporter]) el.remove();
  });

  it('<pos-pptx-export-progress> dispatches an export with the cookie and follows it to the download', async () => {
    const el = place<PosPptxExportProgress>(win, 'pos-pptx-export-progress', {
      baseUrl: API,
      lessonId: await lessonId('Test lesson 12'),
      cacheKey: `script-tag-${Date.now()}`, // a fresh export, never a cache hit of another test
    });
    const completed = oneEvent(el, 'pos-export-completed');
    void el.dispatch();
    const { detail } = (await completed) as CustomEvent<{ url: string; costCents: number }>;
    expect(new URL(detail.url).origin).to.equal(new URL(API).origin);
    expect(detail.costCents).to.be.greaterThan(0);
    expect(el.state).to.equal('completed');
  });
});

describe('registering twice', () => {
  it('the script tag twice, a second copy of the bundle and the npm build on one page: nothing throws, the first definition wins', async () => {
    const win = await openHostPage('/test/distribution/host-twice.html');
    await waitUntil(() => win.kits, 'the three copies never finished loading');
    const { first, second, npm } = win.kits!;
    expect(win.errors).to.deep.equal([]);
    // Three copies, three classes; the registry keeps the first.
    expect(second.PosTagPicker).to.be.a('function').and.not.equal(first.PosTagPicker);
    expect(npm.PosTagPicker).to.be.a('function').and.not.equal(first.PosTagPicker);
    for (const tag of TAGS) {
      const name = `Pos${tag
        .slice(4)
        .replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
        .replace(/^\w/, (c) => c.toUpperCase())}`;
      expect(win.customElements.get(tag), tag).to.equal(first[name]);
    }
    // And the elements still work.
    const el = place<AnyPicker>(win, 'pos-trigger-select');
    await pickFirst(el);
    expect(el.value).to.equal('partner_created');
  });
});

describe('dist/elements/<name>.js', () => {
  it('registers only its own element', async () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const win = frame.contentWindow as HostWindow;
    const script = win.document.createElement('script');
    script.type = 'module';
    script.textContent = `import '/dist/elements/tag-picker.js'; window.dispatchEvent(new Event('element-loaded'));`;
    const ready = oneEvent(win, 'element-loaded');
    win.document.head.append(script);
    await ready;
    expect(win.customElements.get('pos-tag-picker')).to.be.a('function');
    for (const tag of TAGS.filter((t) => t !== 'pos-tag-picker')) expect(win.customElements.get(tag), tag).to.equal(undefined);
  });
});
