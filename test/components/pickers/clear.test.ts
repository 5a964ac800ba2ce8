/** Clearing a single picker (issue 15, problem 5): emptying the text and committing, the clear button, typing over the label. */
import { expect, fixture, html } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../../components/training-picker/training-picker.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { inputOf, isOpen, optionTitles, trainingsTitled } from './helpers.js';

const data = trainingsTitled(['Security & Compliance', 'Data Governance', 'Acme Cloud Fundamentals']);

async function chosen(attrs: { required?: boolean } = {}) {
  const form = await fixture<HTMLFormElement>(
    html`<form>
      <pos-training-picker name="training" label="Training" .data=${data} value="t0" ?required=${attrs.required}></pos-training-picker>
    </form>`,
  );
  const el = form.querySelector<PosTrainingPicker>('pos-training-picker')!;
  await el.updateComplete;
  const events: string[] = [];
  el.addEventListener('input', () => events.push('input'));
  el.addEventListener('change', () => events.push('change'));
  expect(inputOf(el).value).to.equal('Security & Compliance');
  return { form, el, events };
}

const clearButton = (el: PosTrainingPicker) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="clear-button"]');

async function emptyTheText(el: PosTrainingPicker) {
  inputOf(el).focus();
  inputOf(el).select();
  await sendKeys({ press: 'Backspace' });
  await el.updateComplete;
  expect(inputOf(el).value).to.equal('');
}

describe('clearing a single picker', () => {
  afterEach(() => resetMouse());

  for (const key of ['Tab', 'Enter'] as const) {
    it(`emptying the text and pressing ${key} chooses nothing: value '', no FormData entry, input and change once`, async () => {
      const { form, el, events } = await chosen();
      await emptyTheText(el);
      await sendKeys({ press: key });
      await el.updateComplete;
      expect(el.value).to.equal('');
      expect(new FormData(form).has('training')).to.equal(false);
      expect(events).to.deep.equal(['input', 'change']);
      expect(inputOf(el).value).to.equal('');
      expect(isOpen(el)).to.equal(false);
    });
  }

  it('emptying the text and leaving with the mouse clears too; Escape instead brings the label back', async () => {
    const { el, events } = await chosen();
    await emptyTheText(el);
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.value).to.equal('t0');
    expect(inputOf(el).value).to.equal('Security & Compliance');
    await emptyTheText(el);
    await sendMouse({ type: 'click', position: [1, 1] });
    await el.updateComplete;
    expect(el.value).to.equal('');
    expect(events).to.deep.equal(['input', 'change']);
  });

  it('has a clear button named “Clear selection” while a value is set; a click clears, once', async () => {
    const { form, el, events } = await chosen();
    const button = clearButton(el)!;
    expect(button.getAttribute('aria-label')).to.equal('Clear selection');
    const r = button.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)] });
    await el.updateComplete;
    expect(el.value).to.equal('');
    expect(new FormData(form).has('training')).to.equal(false);
    expect(events).to.deep.equal(['input', 'change']);
    expect(clearButton(el)).to.equal(null);
    expect(el.shadowRoot!.activeElement === inputOf(el), 'focus stays in the input').to.equal(true);
  });

  it('shows no clear button when required, disabled, or in multiple mode', async () => {
    const { el } = await chosen({ required: true });
    expect(clearButton(el)).to.equal(null);
    el.required = false;
    el.disabled = true;
    await el.updateComplete;
    expect(clearButton(el)).to.equal(null);
    el.disabled = false;
    el.multiple = true;
    await el.updateComplete;
    expect(clearButton(el)).to.equal(null);
  });

  it('typing after a selection starts a new filter instead of appending to the label', async () => {
    const { el } = await chosen();
    inputOf(el).focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ type: 'data' });
    await el.updateComplete;
    expect(inputOf(el).value).to.equal('data');
    expect(optionTitles(el)).to.deep.equal(['Data Governance']);
    await sendKeys({ press: 'Escape' });
  });
});
