import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/tag-picker/tag-picker.js';
import type { AnyPicker } from '../pickers/helpers.js';
import { audit, emulate, luminance } from './helpers.js';

/** The demo's theme (demo/theme.css) on this page: the pattern the README shows a host. */
async function withDemoTheme(): Promise<HTMLLinkElement> {
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/demo/theme.css' });
  const loaded = new Promise((resolve, reject) => {
    link.onload = resolve;
    link.onerror = reject;
  });
  document.head.append(link);
  await loaded;
  return link;
}

describe("the demo's theme switch sets the page's color-scheme and the elements follow", () => {
  const root = document.documentElement;
  let link: HTMLLinkElement;
  before(async () => {
    link = await withDemoTheme();
    root.dataset.accent = 'indigo';
  });
  after(async () => {
    link.remove();
    delete root.dataset.accent;
    delete root.dataset.theme;
    await emulate({});
  });

  for (const os of ['light', 'dark'] as const) {
    it(`under a ${os} OS`, async () => {
      await emulate({ 'prefers-color-scheme': os });
      const page = await fixture<HTMLElement>(
        html`<main style="background: Canvas; padding: 1rem"><pos-tag-picker label="Tags" .data=${['a', 'b']}></pos-tag-picker></main>`,
      );
      const field = page.querySelector<AnyPicker>('pos-tag-picker')!.shadowRoot!.querySelector('[part~="combobox"]')!;
      for (const theme of ['light', 'dark'] as const) {
        root.dataset.theme = theme;
        expect(getComputedStyle(root).colorScheme, 'the page').to.equal(theme);
        expect(luminance(getComputedStyle(field).backgroundColor) < 0.2 ? 'dark' : 'light', `the field, page ${theme}`).to.equal(theme);
        expect(await audit(page), `axe, page ${theme}`).to.deep.equal([]);
      }
      // The tokens are light-dark() pairs: a section of the light page that declares itself dark gets dark elements.
      root.dataset.theme = 'light';
      page.style.colorScheme = 'dark';
      expect(luminance(getComputedStyle(field).backgroundColor), 'a dark section of a light page').to.be.below(0.2);
      expect(await audit(page), 'axe, a dark section').to.deep.equal([]);
    });
  }
});
