import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import type { PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.js';
import '../../../components/training-picker/training-picker.js';
import '../../../components/trigger-select/trigger-select.js';
import { API, LESSON_BEHAVIOUR, lessonId, signIn } from '../../support/api.js';
import { type AnyPicker, activeOption, chipsOf, clearCache, inputOf, loaded, openWithKeyboard, press } from '../pickers/helpers.js';
import { audit, emulate, outlineOf, systemColor } from './helpers.js';

const WAIT = { timeout: 12_000, interval: 25 };
const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const untilState = (el: PosPptxExportProgress, state: string) =>
  waitUntil(() => el.getAttribute('state') === state, `never reached ${state}`, WAIT);

/** Focuses a node after a key press, so it matches :focus-visible as a keyboard user's focus does. */
async function keyboardFocus(node: HTMLElement) {
  await sendKeys({ press: 'Shift' });
  node.focus();
  expect(node.matches(':focus-visible'), 'focus-visible').to.equal(true);
}

/** The node shows no outline unfocused and a visible one focused (under forced colours, where box-shadow is dropped). */
async function expectFocusOutline(node: HTMLElement, ring: HTMLElement = node, what = node.getAttribute('part') ?? node.className) {
  node.blur();
  expect(outlineOf(ring).visible, `${what} unfocused`).to.equal(false);
  await keyboardFocus(node);
  const outline = outlineOf(ring);
  expect(outline.visible, `${what} focused: ${JSON.stringify(outline)}`).to.equal(true);
  expect(getComputedStyle(ring).boxShadow, `${what}: forced colours drop the box-shadow ring`).to.equal('none');
}

describe('forced colours (Windows High Contrast)', function () {
  this.timeout(40_000);

  before(async () => {
    clearCache();
    await signIn();
    await emulate({ 'forced-colors': 'active' });
    expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
  });
  after(() => emulate({}));

  it('a picker shows focus on its field (also when focus is sent to a chip Remove button), and the active option in Highlight', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<main><pos-training-picker base-url=${API} label="Trainings" multiple></pos-training-picker></main>`,
    );
    const el = wrapper.querySelector<AnyPicker>('pos-training-picker')!;
    await loaded(el);
    const field = part(el, 'combobox');
    await expectFocusOutline(inputOf(el), field, 'the field');

    await openWithKeyboard(el);
    await press(el, 'ArrowDown');
    const active = activeOption(el)!;
    expect(getComputedStyle(active).backgroundColor, 'active option background').to.equal(systemColor('Highlight'));
    expect(getComputedStyle(active.querySelector('.title')!).color, 'active option text').to.equal(systemColor('HighlightText'));
    await press(el, 'Enter');
    await press(el, 'ArrowDown');
    await press(el, 'Enter');
    await press(el, 'Escape');
    expect(await audit(wrapper), 'axe, forced colours, with a selection').to.deep.equal([]);

    const chips = chipsOf(el);
    expect(chips).to.have.length(2);
    for (const chip of chips) {
      const s = getComputedStyle(chip);
      expect(s.borderStyle !== 'none' && parseFloat(s.borderWidth) >= 1, 'a chip keeps an outline of its own').to.equal(true);
      // Remove buttons are for the pointer: focus arriving there goes on to the input, whose field shows it.
      await keyboardFocus(inputOf(el));
      chip.querySelector<HTMLElement>('[part~="chip__remove"]')!.focus();
      expect(el.shadowRoot!.activeElement, 'focus passed on to the input').to.equal(inputOf(el));
      expect(outlineOf(field).visible, 'the field shows focus').to.equal(true);
    }
  });

  it("<pos-trigger-select>'s parameter field shows focus", async () => {
    const el = await fixture<AnyPicker>(html`<pos-trigger-select label="Trigger" value="partner_inactive"></pos-trigger-select>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="parameter-input"]'), 'no parameter field', WAIT);
    await expectFocusOutline(inputOf(el), part(el, 'combobox'), 'the field');
    await expectFocusOutline(part(el, 'parameter-input'));
  });

  it('every button and link of <pos-pptx-export-progress> shows focus, in every state', async () => {
    const hanging = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
    const el = await fixture<PosPptxExportProgress>(
      html`<pos-pptx-export-progress base-url=${API} lesson-id=${hanging} cache-key=${crypto.randomUUID()}></pos-pptx-export-progress>`,
    );
    await expectFocusOutline(part(el, 'export'));
    el.start();
    await untilState(el, 'waiting');
    await el.updateComplete;
    await expectFocusOutline(part(el, 'cancel'));
    expect(await audit(el), 'axe, running').to.deep.equal([]);
    // The test server's stream gives up on a hanging export after 3 s.
    await untilState(el, 'error');
    await el.updateComplete;
    await expectFocusOutline(part(el, 'retry'));
    expect(await audit(el), 'axe, error').to.deep.equal([]);

    el.lessonId = await lessonId('Test lesson 3');
    el.cacheKey = crypto.randomUUID();
    await el.updateComplete;
    await el.dispatch();
    await untilState(el, 'completed');
    await el.updateComplete;
    await expectFocusOutline(part(el, 'download'));
    expect(await audit(el), 'axe, completed').to.deep.equal([]);
  });
});
