import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import '../../../components/tag-picker/tag-picker.js';
import '../../../components/training-picker/training-picker.js';
import '../../../components/specialization-picker/specialization-picker.js';
import '../../../components/trigger-select/trigger-select.js';
import { API, lessonId, signIn } from '../../support/api.js';
import { type AnyPicker, clearCache, loaded, openWithKeyboard, press } from '../pickers/helpers.js';
import { type MediaFeatures, audit, emulate, luminance } from './helpers.js';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const isDark = (color: string) => luminance(color) < 0.2;

/** A picker with a selection and an export element in a host page section styled `style`. */
async function hostPage(style: string, dir: 'ltr' | 'rtl' = 'ltr'): Promise<{ page: HTMLElement; picker: AnyPicker }> {
  const page = await fixture<HTMLElement>(
    html`<main dir=${dir} style=${`padding: 1rem; background: Canvas; color: CanvasText; ${style}`}>
      <h1>Host</h1>
      <pos-training-picker base-url=${API} label="Trainings" multiple></pos-training-picker>
      <pos-tag-picker base-url=${API} label="Tags"></pos-tag-picker>
      <pos-specialization-picker base-url=${API} label="Specialization"></pos-specialization-picker>
      <pos-trigger-select label="Trigger" value="partner_inactive"></pos-trigger-select>
      <pos-pptx-export-progress base-url=${API} lesson-id=${await lessonId('Test lesson 4')}></pos-pptx-export-progress>
    </main>`,
  );
  const picker = page.querySelector<AnyPicker>('pos-training-picker')!;
  await loaded(picker);
  await loaded(page.querySelector<AnyPicker>('pos-tag-picker')!);
  await loaded(page.querySelector<AnyPicker>('pos-specialization-picker')!);
  await waitUntil(
    () => page.querySelector('pos-trigger-select')!.shadowRoot!.querySelector('[part~="parameter-input"]'),
    'no parameter field',
  );
  await openWithKeyboard(picker);
  await press(picker, 'ArrowDown');
  await press(picker, 'Enter');
  return { page, picker };
}

/** axe finds nothing closed and open. */
async function expectClean(page: HTMLElement, picker: AnyPicker, what: string) {
  await press(picker, 'Escape');
  expect(await audit(page), `${what}, closed`).to.deep.equal([]);
  await openWithKeyboard(picker);
  expect(await audit(page), `${what}, open`).to.deep.equal([]);
  await press(picker, 'Escape');
}

/** Whether the picker's label, field and popup, and the export element, are in dark colours. */
function scheme(picker: AnyPicker, page: HTMLElement) {
  const exporter = page.querySelector('pos-pptx-export-progress')!;
  const colors = {
    label: isDark(getComputedStyle(part(picker, 'label')).color),
    field: isDark(getComputedStyle(part(picker, 'combobox')).backgroundColor),
    popup: isDark(getComputedStyle(part(picker, 'popup')).backgroundColor),
    chip: isDark(getComputedStyle(part(picker, 'chip')).backgroundColor),
    exporter: isDark(getComputedStyle(exporter).backgroundColor),
  };
  const values = Object.values(colors);
  // The label is text: dark text on a light element, light text on a dark one.
  return values.every((v, i) => (i === 0 ? v : !v))
    ? 'light'
    : values.every((v, i) => (i === 0 ? !v : v))
      ? 'dark'
      : JSON.stringify(colors);
}

const cases: [string, MediaFeatures, string, 'light' | 'dark', ('ltr' | 'rtl')?][] = [
  ['a dark OS under a light-only host (no color-scheme)', { 'prefers-color-scheme': 'dark' }, '', 'light'],
  ['a dark OS under a host that declares color-scheme: light', { 'prefers-color-scheme': 'dark' }, 'color-scheme: light', 'light'],
  [
    'a dark OS under a host that supports both (color-scheme: light dark)',
    { 'prefers-color-scheme': 'dark' },
    'color-scheme: light dark',
    'dark',
  ],
  ['a light OS under a host that supports both', { 'prefers-color-scheme': 'light' }, 'color-scheme: light dark', 'light'],
  ['a light OS under a dark host (color-scheme: dark)', { 'prefers-color-scheme': 'light' }, 'color-scheme: dark', 'dark'],
  ['a dark OS under a dark host, right to left', { 'prefers-color-scheme': 'dark' }, 'color-scheme: dark', 'dark', 'rtl'],
  ['a light page, right to left', {}, '', 'light', 'rtl'],
  ['forced colours under a dark host', { 'forced-colors': 'active', 'prefers-color-scheme': 'dark' }, 'color-scheme: dark', 'dark'],
  ['forced colours under a light host', { 'forced-colors': 'active' }, '', 'light'],
];

describe('dark mode follows the host page, not the OS', function () {
  this.timeout(40_000);
  before(async () => {
    clearCache();
    await signIn();
  });
  afterEach(() => emulate({}));

  for (const [what, features, style, expected, dir] of cases) {
    it(`${what}: ${expected}, and axe finds nothing`, async () => {
      await emulate(features);
      const { page, picker } = await hostPage(style, dir);
      // Forced colours repaint everything in system colours: only axe applies there.
      if (!features['forced-colors']) expect(scheme(picker, page)).to.equal(expected);
      await expectClean(page, picker, what);
    });
  }

  it('an element opts in on its own with color-scheme (a dark widget on a light page)', async () => {
    await emulate({ 'prefers-color-scheme': 'light' });
    const { page, picker } = await hostPage('');
    page.querySelectorAll<HTMLElement>('pos-training-picker, pos-pptx-export-progress').forEach((el) => {
      el.style.colorScheme = 'dark';
    });
    // The label sits on the host's background: a dark element there needs a dark surround.
    picker.style.background = '#111827';
    expect(scheme(picker, page)).to.equal('dark');
    expect(isDark(getComputedStyle(part(page.querySelector<AnyPicker>('pos-tag-picker')!, 'combobox')).backgroundColor)).to.equal(false);
    await expectClean(page, picker, 'opted in');
  });

  it('follows a change of the host page’s color-scheme at once', async () => {
    await emulate({ 'prefers-color-scheme': 'dark' });
    const { page, picker } = await hostPage('color-scheme: light');
    expect(scheme(picker, page)).to.equal('light');
    page.style.colorScheme = 'light dark';
    expect(scheme(picker, page)).to.equal('dark');
    page.style.colorScheme = 'light';
    expect(scheme(picker, page)).to.equal('light');
  });

  it('a public --pos-* property the host sets wins in both schemes', async () => {
    const { page, picker } = await hostPage('color-scheme: dark; --pos-surface: rgb(1, 2, 3)');
    expect(getComputedStyle(part(picker, 'combobox')).backgroundColor).to.equal('rgb(1, 2, 3)');
    page.style.colorScheme = 'light';
    expect(getComputedStyle(part(picker, 'combobox')).backgroundColor).to.equal('rgb(1, 2, 3)');
  });
});
