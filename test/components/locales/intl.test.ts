import { expect, waitUntil } from '@open-wc/testing';
import '../../../components/training-picker/training-picker.js';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import type { Training } from '../../../components/internal/records.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import type { PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.js';
import { formatElapsed, formatMinutes } from '../../../components/internal/format.js';
import '../../../components/locales/de.js';
import '../../../components/locales/fr.js';
import { API, LESSON_BEHAVIOUR, lessonId, signIn } from '../../support/api.js';
import { openWithKeyboard } from '../pickers/helpers.js';
import { inShadowRoot, settled } from './helpers.js';

const training = (id: string, durationMinutes: number): Training => ({
  id,
  title: `Training ${id}`,
  description: '',
  tags: [],
  specializationId: null,
  durationMinutes,
});
const durations = (el: HTMLElement) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('.duration')].map((d) => d.textContent!.trim());

describe('locales: Intl formats', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it('formats durations as hours and minutes in the locale’s words', () => {
    expect(formatMinutes(90, 'en')).to.equal('1 hr, 30 min');
    expect(formatMinutes(1440, 'en')).to.equal('24 hr');
    expect(formatMinutes(45, 'en')).to.equal('45 min');
    // Values a host's data may hold: never thrown, never empty.
    expect(formatMinutes(0, 'en')).to.equal('0 min');
    expect(formatMinutes(29.6, 'en')).to.equal('30 min');
    expect(formatMinutes(Number.NaN, 'en')).to.equal('NaN min');
    expect(formatMinutes(1e22, 'en')).to.match(/min$/);
    expect(formatMinutes(90, 'de')).to.equal('1 Std., 30 Min.');
    // French and Japanese put no-break spaces between number and unit.
    expect(formatMinutes(90, 'fr').replace(/\s/g, ' ')).to.equal('1 h et 30 min');
    expect(formatMinutes(90, 'ja').replace(/\s/g, ' ')).to.equal('1 時間 30 分');
  });

  it('formats the elapsed time as a clock in the locale’s digits', () => {
    expect(formatElapsed(7, 'en')).to.equal('0:07');
    expect(formatElapsed(3723, 'en')).to.equal('1:02:03');
    expect(formatElapsed(7, 'ar-EG')).to.equal('٠:٠٧');
    expect(formatElapsed(Number.NaN, 'en')).to.equal('0:00');
  });

  it('shows a training’s duration per the lang of its shadow host, and follows a change', async () => {
    const { host, el, remove } = inShadowRoot<PosTrainingPicker>('pos-training-picker', 'de', {
      data: [training('a', 90), training('b', 1440)],
    });
    cleanups.push(remove);
    await el.updateComplete;
    await openWithKeyboard(el);
    expect(durations(el)).to.deep.equal(['1 Std., 30 Min.', '24 Std.']);
    host.lang = 'en';
    await settled(el);
    expect(durations(el)).to.deep.equal(['1 hr, 30 min', '24 hr']);
  });

  it('keeps “45 min” in that order inside right-to-left text', async () => {
    const { host, el, remove } = inShadowRoot<PosTrainingPicker>('pos-training-picker', 'en', { data: [training('a', 45)] });
    host.dir = 'rtl';
    cleanups.push(remove);
    await el.updateComplete;
    await openWithKeyboard(el);
    const duration = el.shadowRoot!.querySelector<HTMLElement>('.duration')!;
    const text = [...duration.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes('45'))!;
    const rect = (from: number, to: number) => {
      const range = document.createRange();
      range.setStart(text, from);
      range.setEnd(text, to);
      return range.getBoundingClientRect();
    };
    const at = text.textContent!.indexOf('45');
    expect(text.textContent!.slice(at)).to.equal('45 min');
    // Drawn left to right: the number left of the unit (unisolated in RTL it would read "min 45").
    expect(rect(at, at + 2).left).to.be.lessThan(rect(at + 3, at + 6).left);
  });

  it('formats the export’s elapsed time and cost by the lang of its shadow host, and follows a change', async () => {
    await signIn();
    const hanging = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
    const { host, el, remove } = inShadowRoot<PosPptxExportProgress>('pos-pptx-export-progress', 'de', {
      baseUrl: API,
      lessonId: hanging,
      cacheKey: `locale-${crypto.randomUUID()}`,
      heartbeatMs: 300,
    });
    cleanups.push(remove);
    await el.updateComplete;
    const elapsed = () => el.shadowRoot!.querySelector('[part~="elapsed"]')?.textContent ?? '';
    el.start();
    await waitUntil(() => /^0:0[1-9] vergangen$/.test(elapsed()), `elapsed is “${elapsed()}” in state ${el.state}`, { timeout: 12_000 });
    host.lang = 'fr';
    await settled(el);
    expect(elapsed()).to.match(/^Temps écoulé : 0:\d\d$/);
    el.cancel();

    const done = await lessonId('Test lesson 1');
    Object.assign(el, { lessonId: done, cacheKey: `locale-${crypto.randomUUID()}` });
    host.lang = 'de';
    const completed = new Promise<CustomEvent<{ costCents: number }>>((resolve) =>
      el.addEventListener('pos-export-completed', (e) => resolve(e as CustomEvent), { once: true }),
    );
    await el.dispatch();
    const { costCents } = (await completed).detail;
    await el.updateComplete;
    const details = () => el.shadowRoot!.querySelector('[part~="details"]')!.textContent!;
    const money = (locale: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(costCents / 100);
    expect(money('de')).to.not.equal(money('en'));
    expect(details()).to.include(money('de')).and.include('Kosten');
    host.lang = 'en';
    await settled(el);
    expect(details()).to.include(money('en')).and.include('Cost');
  });
});
