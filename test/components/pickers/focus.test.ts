/** Focus from outside the element (issue 15, problem 2): always the combobox input, never a chip's Remove button. */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../../components/training-picker/training-picker.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { chipLabels, inputOf, trainingsTitled } from './helpers.js';

const data = trainingsTitled(['Acme Cloud Fundamentals', 'Security & Compliance']);

/** What has focus in the picker's shadow root: `input`, or the part of another element. */
const focused = (el: PosTrainingPicker) => {
  const active = el.shadowRoot!.activeElement;
  return active === inputOf(el) ? 'input' : (active?.getAttribute('part') ?? String(active));
};

async function pickerWithChips() {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div>
      <label for="trainings">Trainings</label>
      <pos-training-picker id="trainings" multiple .data=${data} .value=${['t0', 't1']}></pos-training-picker>
    </div>`,
  );
  const el = wrapper.querySelector<PosTrainingPicker>('pos-training-picker')!;
  await el.updateComplete;
  expect(chipLabels(el)).to.have.length(2);
  return { wrapper, el };
}

describe('focus from outside a picker', () => {
  afterEach(() => (document.activeElement as HTMLElement | null)?.blur());

  it('a click on an outside <label for> focuses the input; Enter then removes no chip', async () => {
    const { wrapper, el } = await pickerWithChips();
    const r = wrapper.querySelector('label')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)] });
    expect(focused(el)).to.equal('input');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.value).to.deep.equal(['t0', 't1']);
  });

  it('HTMLElement.prototype.focus.call(host) and host.focus() focus the input', async () => {
    const { el } = await pickerWithChips();
    HTMLElement.prototype.focus.call(el);
    expect(focused(el)).to.equal('input');
    inputOf(el).blur();
    el.focus();
    expect(focused(el)).to.equal('input');
  });
});
