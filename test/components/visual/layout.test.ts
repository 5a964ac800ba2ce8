import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { Training } from '../../../components/internal/records.js';
import '../../../components/specialization-picker/specialization-picker.js';
import '../../../components/training-picker/training-picker.js';
import { API, signIn } from '../../support/api.js';
import { type AnyPicker, chipsOf, clearCache, inputOf, loaded, openWithKeyboard, popupOf, press, type } from '../pickers/helpers.js';
import { audit } from './helpers.js';

const LONG = `${'Partner enablement '.repeat(10)}and more`.slice(0, 200);
const longTraining = (n: number): Training => ({
  id: `long-${n}`,
  title: `${n} ${LONG}`.slice(0, 200),
  description: 'A training with a very long title.',
  tags: ['long'],
  specializationId: null,
  durationMinutes: 60,
});

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const rect = (node: Element) => node.getBoundingClientRect();
const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const pageScrollsSideways = () => document.documentElement.scrollWidth > document.documentElement.clientWidth;

/** The field stays inside the host, the page does not scroll sideways, nothing runs under the arrow, the popup stays on screen. */
async function expectContained(el: AnyPicker, what: string) {
  const host = rect(el);
  const field = rect(part(el, 'combobox'));
  const icon = rect(part(el, 'expand-icon'));
  expect(host.width, `${what}: host width`).to.be.at.most(288);
  expect(field.width, `${what}: field width`).to.be.at.most(host.width + 0.5);
  expect(pageScrollsSideways(), `${what}: the page scrolls sideways`).to.equal(false);
  expect(overlaps(rect(inputOf(el)), icon), `${what}: the input runs under the arrow`).to.equal(false);
  for (const chip of chipsOf(el)) {
    expect(rect(chip).right, `${what}: chip inside the field`).to.be.at.most(field.right + 0.5);
    expect(rect(chip).left, `${what}: chip inside the field`).to.be.at.least(field.left - 0.5);
    const remove = rect(chip.querySelector('[part~="chip__remove"]')!);
    expect(overlaps(remove, icon), `${what}: a chip's × on the arrow`).to.equal(false);
  }
  await openWithKeyboard(el);
  const popup = rect(popupOf(el));
  expect(popup.left, `${what}: popup left`).to.be.at.least(0);
  expect(popup.right, `${what}: popup right`).to.be.at.most(document.documentElement.clientWidth);
  expect(pageScrollsSideways(), `${what}: the page scrolls sideways with the popup open`).to.equal(false);
  expect(await audit(el.parentElement!), `${what}: axe, open`).to.deep.equal([]);
  await press(el, 'Escape');
}

/** Selects the options whose titles are the longest (keyboard: type to filter, then Enter). */
async function selectLongest(el: AnyPicker, count: number) {
  const titles = (el.records as { title: string }[]).map((r) => r.title).sort((a, b) => b.length - a.length);
  for (const title of titles.slice(0, count)) {
    inputOf(el).focus();
    await type(el, title);
    await press(el, 'ArrowDown');
    await press(el, 'Enter');
    await press(el, 'Escape');
  }
  inputOf(el).blur();
  await el.updateComplete;
  return titles.slice(0, count);
}

for (const dir of ['ltr', 'rtl'] as const) {
  for (const textSize of ['100%', '200%']) {
    describe(`layout at 320 px, ${dir}, text ${textSize}`, function () {
      this.timeout(40_000);
      before(async () => {
        clearCache();
        await signIn();
        await setViewport({ width: 320, height: 640 });
        document.documentElement.dir = dir;
        document.documentElement.style.fontSize = textSize;
      });
      after(async () => {
        document.documentElement.dir = '';
        document.documentElement.style.fontSize = '';
        await setViewport({ width: 800, height: 600 });
      });

      it('a multiple picker with the demo data and with 200-character titles: chips ellipsed and wrapped inside the field', async () => {
        const wrapper = await fixture<HTMLElement>(
          html`<div style="inline-size: 288px">
            <pos-training-picker base-url=${API} label="Trainings" multiple></pos-training-picker>
          </div>`,
        );
        const el = wrapper.querySelector<AnyPicker>('pos-training-picker')!;
        await loaded(el);
        await selectLongest(el, 2);
        expect(chipsOf(el)).to.have.length(2);
        // The text side of a chip has the room, the × side is tight: mirrored in RTL.
        const padding = getComputedStyle(chipsOf(el)[0]!);
        expect(parseFloat(padding.paddingInlineStart), 'chip padding at the text').to.be.greaterThan(parseFloat(padding.paddingInlineEnd));
        await expectContained(el, 'demo data');

        el.data = [longTraining(1), longTraining(2), ...(el.records as Training[])];
        el.value = ['long-1', 'long-2', ...(el.value as string[])];
        await el.updateComplete;
        const chips = chipsOf(el);
        expect(chips).to.have.length(4);
        // Chips wrap: one per line here, each ellipsed, the full title still its text and in its button's name.
        expect(rect(chips[1]!).top, 'chips wrap').to.be.greaterThan(rect(chips[0]!).top);
        const label = chips[0]!.querySelector<HTMLElement>('.chip-label')!;
        expect(label.scrollWidth, 'the chip text is cut').to.be.greaterThan(label.clientWidth);
        expect(getComputedStyle(label).textOverflow).to.equal('ellipsis');
        expect(label.textContent!.trim()).to.equal(longTraining(1).title);
        expect(chips[0]!.querySelector('[part~="chip__remove"]')!.getAttribute('aria-label')).to.include(longTraining(1).title);
        await expectContained(el, '200-character titles');
      });

      it('a single picker with a 200-character title: the field keeps the host width and the title is ellipsed', async () => {
        const long = { id: 'long', title: `Single ${LONG}`.slice(0, 200), description: 'Long.' };
        const wrapper = await fixture<HTMLElement>(
          html`<div style="inline-size: 288px">
            <pos-specialization-picker label="Specialization" .data=${[long]} value="long"></pos-specialization-picker>
          </div>`,
        );
        const el = wrapper.querySelector<AnyPicker>('pos-specialization-picker')!;
        await loaded(el);
        const input = inputOf(el);
        expect(input.value, 'the full title stays the value').to.equal(long.title);
        await expectContained(el, 'single');
        expect(getComputedStyle(input).textOverflow).to.equal('ellipsis');
      });
    });
  }
}
