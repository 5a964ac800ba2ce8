import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/training-picker/training-picker.js';
import { formatMinutes } from '../../../components/internal/format.js';
import type { Training } from '../../../components/internal/records.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { API, apiGet, signIn } from '../../support/api.js';
import {
  activeOption,
  clearCache,
  inputOf,
  isOpen,
  listboxOf,
  loaded,
  openWithKeyboard,
  optionTitles,
  optionsOf,
  popupOf,
  press,
  type,
} from './helpers.js';
import { runPickerSuite } from './picker-suite.js';

const trainings = async () => (await apiGet<{ trainings: Training[] }>('/workflow-pickers/trainings')).trainings;
const training = (i: number, extra: Partial<Training> = {}): Training => ({
  id: `t${i}`,
  title: `Training ${String(i).padStart(5, '0')}`,
  description: `Generated module number ${i}.`,
  tags: [i % 2 ? 'odd' : 'even'],
  specializationId: null,
  durationMinutes: 10 + (i % 50),
  ...extra,
});

runPickerSuite({
  tag: 'pos-training-picker',
  endpoint: '/workflow-pickers/trainings',
  emptyText: /No published trainings yet/,
  async expected() {
    const list = await trainings();
    return { values: list.map((t) => t.id), titles: list.map((t) => t.title) };
  },
  data: { records: [training(2), training(1)], values: ['t2', 't1'], titles: ['Training 00002', 'Training 00001'] },
});

describe('<pos-training-picker>', () => {
  let all: Training[];
  before(async () => {
    clearCache();
    await signIn();
    all = await trainings();
  });
  beforeEach(() => clearCache());

  it('shows title, duration and tag chips in each option', async () => {
    const el = await fixture<PosTrainingPicker>(html`<pos-training-picker base-url=${API} label="Training"></pos-training-picker>`);
    await loaded(el);
    await openWithKeyboard(el);
    const first = optionsOf(el)[0]!;
    expect(first.querySelector('.title')!.textContent).to.equal(all[0]!.title);
    // The page is lang="en": hours and minutes as Intl writes them there (test/components/locales/ covers other languages).
    const minutes = all[0]!.durationMinutes!;
    expect(first.querySelector('.duration')!.textContent).to.equal(minutes < 60 ? `${minutes} min` : formatMinutes(minutes, 'en'));
    expect([...first.querySelectorAll('[part~="option-tag"]')].map((t) => t.textContent)).to.deep.equal(all[0]!.tags);
  });

  it('narrows to trainings carrying any of `tags`, and to one `specialization-id`', async () => {
    const el = await fixture<PosTrainingPicker>(
      html`<pos-training-picker base-url=${API} label="Training" tags="ai, healthcare"></pos-training-picker>`,
    );
    await loaded(el);
    expect(el.tags).to.deep.equal(['ai', 'healthcare']);
    await openWithKeyboard(el);
    const withTags = all.filter((t) => t.tags.includes('ai') || t.tags.includes('healthcare')).map((t) => t.title);
    expect(optionTitles(el)).to.deep.equal(withTags);
    const spec = all.find((t) => t.specializationId)!.specializationId!;
    el.tags = [];
    el.specializationId = spec;
    await el.updateComplete;
    await waitUntil(() => optionTitles(el).length === all.filter((t) => t.specializationId === spec).length);
    expect(optionTitles(el)).to.deep.equal(all.filter((t) => t.specializationId === spec).map((t) => t.title));
  });

  it('shows a hostile title as text and runs nothing', async () => {
    const el = await fixture<PosTrainingPicker>(
      html`<pos-training-picker base-url=${API} label="Training" multiple></pos-training-picker>`,
    );
    await loaded(el);
    await openWithKeyboard(el);
    const hostile = optionsOf(el).find((o) => o.textContent!.includes('<img'))!;
    expect(hostile.querySelector('.title')!.textContent).to.equal('<img src=x onerror="window.__xss=1">');
    expect(hostile.querySelector('.description')!.textContent).to.equal('<script>window.__xss=2</script>');
    expect(el.shadowRoot!.querySelector('img, script, b')).to.equal(null);
    hostile.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="chip"]')!.textContent).to.contain('<img src=x');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('keeps at most ~100 option nodes for 10,000 records, and the active option rendered', async () => {
    const data = Array.from({ length: 10_000 }, (_, i) => training(i));
    const el = await fixture<PosTrainingPicker>(html`<pos-training-picker label="Training" .data=${data}></pos-training-picker>`);
    await openWithKeyboard(el);
    expect(optionsOf(el).length).to.be.within(1, 100);
    await press(el, 'Escape');
    // Opening on a selection far down the list makes it the active option.
    el.value = 't9999';
    await openWithKeyboard(el);
    await waitUntil(() => activeOption(el)?.textContent?.includes('Training 09999'), 'the last option is rendered and active');
    expect(optionsOf(el).length).to.be.within(1, 100);
    await press(el, 'PageUp');
    await waitUntil(() => activeOption(el)?.textContent?.includes('Training 09989'), 'PageUp moves ten up');
    await press(el, 'Enter');
    expect(el.value).to.equal('t9989');
    inputOf(el).focus();
    await press(el, 'ArrowDown');
    await waitUntil(() => activeOption(el)?.getAttribute('aria-selected') === 'true', 'reopening shows the selection');
    await press(el, 'Escape');
  });

  it('renders fixed-height rows: long text and many tags stay inside their option', async () => {
    const long = 'word '.repeat(200);
    const data = [
      training(0),
      training(1, { title: long, description: long, tags: Array.from({ length: 30 }, (_, i) => `tag-${i}`) }),
      training(2, { description: null as unknown as string, tags: [] }),
    ];
    const el = await fixture<PosTrainingPicker>(html`<pos-training-picker label="Training" .data=${data}></pos-training-picker>`);
    await openWithKeyboard(el);
    await waitUntil(() => optionsOf(el).length === 3);
    const heights = optionsOf(el).map((o) => o.getBoundingClientRect().height);
    expect(new Set(heights).size, `heights ${heights}`).to.equal(1);
    for (const option of optionsOf(el)) expect(option.scrollHeight).to.be.at.most(option.clientHeight);
    // Rows follow one another without overlapping.
    const [a, b] = optionsOf(el).map((o) => o.getBoundingClientRect());
    expect(b!.top - a!.top).to.be.closeTo(heights[0]!, 1);
  });

  it('renders the rows scrolled into view at 10,000 records, keeping the active one', async () => {
    const data = Array.from({ length: 10_000 }, (_, i) => training(i));
    const el = await fixture<PosTrainingPicker>(html`<pos-training-picker label="Training" .data=${data}></pos-training-picker>`);
    await openWithKeyboard(el);
    const listbox = listboxOf(el);
    expect(listbox.scrollHeight, 'the spacer is as tall as every row').to.be.greaterThan(10_000 * 40);
    // Once the first open has measured the rows and settled.
    await el.updateComplete;
    await new Promise(requestAnimationFrame);
    listbox.scrollTop = listbox.scrollHeight / 2;
    await waitUntil(() => optionTitles(el).includes('Training 05000'), 'the middle rows are rendered');
    const box = listbox.getBoundingClientRect();
    const middle = el.shadowRoot!.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)!.closest('[role="option"]')!;
    expect(middle.getAttribute('aria-posinset')).to.match(/^50\d\d$/);
    expect(optionsOf(el).length).to.be.within(1, 100);
    // The active option (the first) stays rendered, so aria-activedescendant resolves.
    expect(activeOption(el)?.textContent).to.contain('Training 00000');
    await press(el, 'ArrowDown');
    await waitUntil(() => activeOption(el)?.textContent?.includes('Training 00001'), 'the keyboard moves on from the active option');
    await waitUntil(() => listbox.scrollTop < 200, 'and scrolls it back into view');
    await press(el, 'Escape');
  });

  it('opens above its field when there is no room below', async () => {
    const box = await fixture<HTMLDivElement>(
      html`<div style="position: fixed; bottom: 1rem; left: 1rem; width: 20rem">
        <pos-training-picker label="Training" .data=${Array.from({ length: 50 }, (_, i) => training(i))}></pos-training-picker>
      </div>`,
    );
    const el = box.querySelector<PosTrainingPicker>('pos-training-picker')!;
    await openWithKeyboard(el);
    const field = el.shadowRoot!.querySelector('[part~="combobox"]')!.getBoundingClientRect();
    const popup = popupOf(el).getBoundingClientRect();
    expect(popup.bottom).to.be.at.most(field.top);
    expect(popup.height).to.be.within(120, 320);
    expect(popup.width).to.be.closeTo(field.width, 1);
    await press(el, 'Escape');
  });

  it('grows to --pos-picker-popup-max-height, rendering enough rows to fill it', async () => {
    const el = await fixture<PosTrainingPicker>(
      html`<pos-training-picker
        style="--pos-picker-popup-max-height: 460px"
        label="Training"
        .data=${Array.from({ length: 200 }, (_, i) => training(i))}
      ></pos-training-picker>`,
    );
    await openWithKeyboard(el);
    await el.updateComplete;
    await new Promise(requestAnimationFrame);
    const popup = popupOf(el).getBoundingClientRect();
    expect(popup.height).to.be.closeTo(460, 2);
    // The rendered rows reach the bottom of the taller list (no empty band under them).
    const lastRow = optionsOf(el)
      .map((o) => o.getBoundingClientRect().bottom)
      .reduce((a, b) => Math.max(a, b), 0);
    expect(lastRow).to.be.at.least(popup.bottom - 4);
    await press(el, 'Escape');
  });

  it('measures its content again when the list outgrows the height it was given (a filter removed low on the page)', async () => {
    // Room below for a short list, not for the whole one: that goes above.
    const box = await fixture<HTMLDivElement>(
      html`<div style="position: fixed; bottom: 12rem; left: 1rem; width: 20rem">
        <pos-training-picker label="Training" .data=${Array.from({ length: 50 }, (_, i) => training(i))}></pos-training-picker>
      </div>`,
    );
    const el = box.querySelector<PosTrainingPicker>('pos-training-picker')!;
    const settled = async () => (await el.updateComplete, await new Promise(requestAnimationFrame));
    await openWithKeyboard(el);
    await type(el, 'Training 00007');
    await settled();
    const field0 = el.shadowRoot!.querySelector('[part~="combobox"]')!.getBoundingClientRect();
    expect(popupOf(el).getBoundingClientRect().top, 'one row fits below').to.be.at.least(field0.bottom);
    for (let i = 0; i < 'Training 00007'.length; i++) await press(el, 'Backspace');
    await settled();
    const field = el.shadowRoot!.querySelector('[part~="combobox"]')!.getBoundingClientRect();
    const popup = popupOf(el).getBoundingClientRect();
    expect(optionsOf(el).length).to.be.greaterThan(5);
    expect(popup.height, 'the whole list asks for the full height again').to.be.closeTo(320, 2);
    expect(popup.bottom, 'above the field, not over it').to.be.at.most(field.top);
    await press(el, 'Escape');
  });

  it('follows a popup height limit changed between openings, even for a short list', async () => {
    const el = await fixture<PosTrainingPicker>(
      html`<pos-training-picker label="Training" .data=${Array.from({ length: 3 }, (_, i) => training(i))}></pos-training-picker>`,
    );
    const settled = async () => (await el.updateComplete, await new Promise(requestAnimationFrame));
    await openWithKeyboard(el);
    await settled();
    expect(popupOf(el).getBoundingClientRect().height).to.be.greaterThan(100);
    await press(el, 'Escape');
    el.style.setProperty('--pos-picker-popup-max-height', '60px');
    await openWithKeyboard(el);
    await settled();
    expect(popupOf(el).getBoundingClientRect().height).to.be.closeTo(60, 2);
    await press(el, 'Escape');
  });

  it('keeps its popup under the field when a scroller inside a host app’s shadow DOM scrolls', async () => {
    // A workflow builder's drawer: its scrolling body is in its own shadow root,
    // whose scroll events never reach the window.
    const drawer = await fixture<HTMLDivElement>(html`<div></div>`);
    const body = drawer.attachShadow({ mode: 'open' }).appendChild(document.createElement('div'));
    body.style.cssText = 'height: 300px; width: 22rem; overflow: auto';
    body.innerHTML = '<div style="height: 100px"></div><div id="slot"></div><div style="height: 1000px"></div>';
    const el = document.createElement('pos-training-picker') as PosTrainingPicker;
    el.label = 'Training';
    el.data = Array.from({ length: 20 }, (_, i) => training(i));
    body.querySelector('#slot')!.append(el);
    await el.updateComplete;
    await openWithKeyboard(el);
    const gap = () =>
      popupOf(el).getBoundingClientRect().top - el.shadowRoot!.querySelector('[part~="combobox"]')!.getBoundingClientRect().bottom;
    const before = gap();
    expect(before).to.be.within(0, 10);
    body.scrollTop = 60;
    await waitUntil(() => Math.abs(gap() - before) < 1, `the popup follows the field (gap ${gap()} px, was ${before})`);
    await press(el, 'Escape');
  });

  it('shows its popup in the top layer, not clipped by an overflow: hidden ancestor', async () => {
    const box = await fixture<HTMLDivElement>(
      html`<div style="overflow: hidden; height: 3.5rem; width: 22rem; position: relative">
        <pos-training-picker base-url=${API} label="Training"></pos-training-picker>
      </div>`,
    );
    const el = box.querySelector<PosTrainingPicker>('pos-training-picker')!;
    await loaded(el);
    await openWithKeyboard(el);
    await waitUntil(() => popupOf(el).getBoundingClientRect().top > inputOf(el).getBoundingClientRect().top, 'the popup is placed');
    expect(isOpen(el)).to.equal(true);
    const popup = popupOf(el).getBoundingClientRect();
    const boxRect = box.getBoundingClientRect();
    expect(popup.bottom).to.be.greaterThan(boxRect.bottom + 50);
    // What is painted below the clipping box is the popup.
    const x = popup.left + popup.width / 2;
    const y = Math.min(popup.bottom - 10, boxRect.bottom + 40);
    expect(popupOf(el).contains(el.shadowRoot!.elementFromPoint(x, y))).to.equal(true);
  });

  it('tolerates a bare array from the server', async () => {
    const { unwrapRecords } = await import('../../../components/internal/record-loader.js');
    expect(unwrapRecords([{ id: 'a' }], 'trainings')).to.deep.equal([{ id: 'a' }]);
    expect(unwrapRecords({ trainings: [{ id: 'b' }] }, 'trainings')).to.deep.equal([{ id: 'b' }]);
    expect(() => unwrapRecords({ nope: 1 }, 'trainings')).to.throw(/no "trainings" list/);
  });
});
