/**
 * dist/locales/*.js beside dist/pos-widgets.js on a page with no build step
 * (test/distribution/host-locale.html, lang="de"): a pack is a plain module
 * that needs no second copy of Lit. Run `npm run build` first.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';

type HostWindow = Window & typeof globalThis;

async function openHostPage(page: string): Promise<HostWindow> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const loaded = oneEvent(frame, 'load');
  frame.src = page;
  await loaded;
  const win = frame.contentWindow as HostWindow;
  await win.customElements.whenDefined('pos-tag-picker');
  return win;
}

const placeholder = (el: Element) => el.shadowRoot?.querySelector('input')?.placeholder;

/** The relative imports of a built module, followed through every file they load. */
async function importsOf(path: string, seen = new Set<string>()): Promise<string[]> {
  const code = await (await fetch(path)).text();
  const specifiers = [...code.matchAll(/(?:import|from)\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]!);
  for (const specifier of specifiers) {
    const url = new URL(specifier, new URL(path, location.href)).pathname;
    if (!seen.has(url)) (seen.add(url), await importsOf(url, seen));
  }
  return [...seen];
}

describe('dist/locales/*.js with the script-tag bundle', () => {
  let win: HostWindow;
  before(async () => {
    win = await openHostPage('/test/distribution/host-locale.html');
  });

  it('gives the bundle’s elements the texts of the page’s language', async () => {
    const el = Object.assign(win.document.createElement('pos-tag-picker'), { data: [] });
    win.document.body.append(el);
    await waitUntil(() => placeholder(el) === 'Tags suchen…', `placeholder is “${placeholder(el)}”`);
  });

  it('takes a pack loaded later by a script tag, and a change of lang', async () => {
    const el = Object.assign(win.document.createElement('pos-tag-picker'), { data: [] });
    win.document.body.append(el);
    const script = Object.assign(win.document.createElement('script'), { type: 'module', src: '/dist/locales/fr.js' });
    const loaded = oneEvent(script, 'load');
    win.document.head.append(script);
    await loaded;
    win.document.documentElement.lang = 'fr-CA';
    await waitUntil(() => placeholder(el) === 'Rechercher des étiquettes…', `placeholder is “${placeholder(el)}”`);
  });

  it('loads no Lit and no element code: each pack imports only the registry', async () => {
    for (const lang of ['de', 'fr', 'es', 'ja', 'ar']) {
      const files = await importsOf(`/dist/locales/${lang}.js`);
      expect(files, lang).to.have.length(1);
      expect(files[0], lang).to.match(/^\/dist\/locales\/locale-registry-[\w-]+\.js$/);
    }
  });
});
