/**
 * The parameters of the three triggers that take any: labelled native fields
 * below the combobox, the whole value in `trigger`, the form value under
 * documented names, native-like validity, reset and restore, and events on
 * user edits only.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/trigger-select/trigger-select.js';
import type { PosTriggerSelect } from '../../../components/trigger-select/trigger-select.component.js';
import type { TriggerValue } from '../../../components/internal/trigger-types.js';
import { openWithKeyboard } from '../pickers/helpers.js';
import {
  audit,
  chooseByTyping,
  clearField,
  countEvents,
  fieldLabels,
  fieldOf,
  fieldsOf,
  fieldsShown,
  focused,
  inputOf,
} from './helpers.js';

const entries = (form: HTMLFormElement) => [...new FormData(form)].map(([k, v]) => [k, String(v)]);

describe('<pos-trigger-select> parameters', () => {
  it('shows labelled fields only for the three triggers that take parameters', async () => {
    const el = await fixture<PosTriggerSelect>(
      html`<pos-trigger-select label="Trigger" .stages=${['Prospect', 'Active']}></pos-trigger-select>`,
    );
    for (const [type, labels] of [
      ['partner_inactive', ['Days without activity']],
      ['contract_renewal_approaching', ['Days before the renewal date']],
      ['partner_stage_changed', ['From stage', 'To stage']],
      ['deal_closed_won', []],
      ['manual', []],
    ] as const) {
      el.value = type;
      await el.updateComplete;
      expect(fieldLabels(el), type).to.deep.equal(labels);
      // The accessible name is the label: <label for> in the same shadow root.
      for (const field of fieldsOf(el))
        expect((field as HTMLInputElement).labels![0]!.textContent!.trim(), type).to.equal(labels[fieldsOf(el).indexOf(field)]);
    }
    expect(el.shadowRoot!.querySelector('[part~="parameters"]')).to.equal(null);
  });

  it('gives the documented defaults: 30 days, no stage filter', async () => {
    const el = await fixture<PosTriggerSelect>(html`<pos-trigger-select label="Trigger"></pos-trigger-select>`);
    expect(el.trigger).to.equal(null);
    el.value = 'partner_inactive';
    expect(el.trigger, 'before the fields have loaded').to.deep.equal({ type: 'partner_inactive', days: 30 });
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_inactive', days: 30 });
    expect(fieldOf(el, 'days')!.value).to.equal('30');
    el.value = 'contract_renewal_approaching';
    expect(el.trigger).to.deep.equal({ type: 'contract_renewal_approaching', daysBefore: 30 });
    el.value = 'partner_stage_changed';
    expect(el.trigger).to.deep.equal({ type: 'partner_stage_changed' });
    el.value = 'deal_registered';
    expect(el.trigger).to.deep.equal({ type: 'deal_registered' });
    el.multiple = true;
    el.value = ['partner_inactive'];
    expect(el.trigger, 'multiple mode has no parameters').to.equal(null);
  });

  it('takes a whole trigger set by code, with the defaults for what it leaves out, and fires nothing', async () => {
    const el = await fixture<PosTriggerSelect>(html`<pos-trigger-select label="Trigger"></pos-trigger-select>`);
    const events = countEvents(el);
    el.trigger = { type: 'partner_inactive', days: 45 };
    expect(el.trigger, 'at once, before the fields have loaded').to.deep.equal({ type: 'partner_inactive', days: 45 });
    expect(el.value).to.equal('partner_inactive');
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_inactive', days: 45 });
    expect(fieldOf(el, 'days')!.value).to.equal('45');
    el.trigger = { type: 'partner_stage_changed', toStage: 'Active' };
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_stage_changed', toStage: 'Active' });
    expect(fieldOf(el, 'toStage')!.value).to.equal('Active');
    el.trigger = { type: 'partner_inactive' } as TriggerValue;
    await el.updateComplete;
    expect(el.trigger, 'a whole value: days back to the default').to.deep.equal({ type: 'partner_inactive', days: 30 });
    el.trigger = null;
    await el.updateComplete;
    expect(el.trigger).to.equal(null);
    expect(el.value).to.equal('');
    expect(fieldsOf(el)).to.have.length(0);
    expect(events).to.deep.equal({ input: 0, change: 0 });
  });

  it('is complete from the keyboard: Tab into the field, type, Tab out, with input and change as a native field fires them', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><button>before</button><pos-trigger-select label="Trigger"></pos-trigger-select><button>after</button></div>`,
    );
    const el = wrapper.querySelector<PosTriggerSelect>('pos-trigger-select')!;
    const [before, after] = wrapper.querySelectorAll('button');
    const events = countEvents(el);
    before!.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(inputOf(el));
    await chooseByTyping(el, 'inactive');
    expect(el.value).to.equal('partner_inactive');
    expect(events).to.deep.equal({ input: 1, change: 1 });
    await fieldsShown(el, 1);
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(fieldOf(el, 'days'));
    await clearField(el);
    expect(el.trigger).to.deep.equal({ type: 'partner_inactive', days: NaN });
    const cleared = events.input;
    expect(cleared, 'an input for each Backspace').to.be.greaterThan(1);
    await sendKeys({ type: '45' });
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_inactive', days: 45 });
    // One `input` per digit; `change` waits for the field to commit.
    expect(events).to.deep.equal({ input: cleared + 2, change: 1 });
    const change = oneEvent(el, 'change');
    await sendKeys({ press: 'Tab' });
    const event = await change;
    expect(event.bubbles && event.composed, 'bubbles and composed, like the type change').to.equal(true);
    expect(document.activeElement).to.equal(after);
    expect(events).to.deep.equal({ input: cleared + 2, change: 2 });
    // The arrow keys step the number, as in any number field.
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(focused(el)).to.equal(fieldOf(el, 'days'));
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_inactive', days: 46 });
  });

  it('closes the list when a click takes focus into a field', async () => {
    const el = await fixture<PosTriggerSelect>(html`<pos-trigger-select label="Trigger" value="partner_inactive"></pos-trigger-select>`);
    await el.updateComplete;
    await openWithKeyboard(el);
    expect(el.open).to.equal(true);
    fieldOf(el, 'days')!.focus();
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });

  it('submits the type and the parameters under {name} and {name}.{parameter}', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <pos-trigger-select name="when" label="When" value="partner_inactive" .stages=${['Prospect', 'Active']}></pos-trigger-select>
        <pos-trigger-select label="Unnamed" value="partner_inactive"></pos-trigger-select>
      </form>`,
    );
    const el = form.querySelector<PosTriggerSelect>('pos-trigger-select')!;
    await el.updateComplete;
    expect(entries(form)).to.deep.equal([
      ['when', 'partner_inactive'],
      ['when.days', '30'],
    ]);
    el.trigger = { type: 'contract_renewal_approaching', daysBefore: 14 };
    await el.updateComplete;
    expect(entries(form)).to.deep.equal([
      ['when', 'contract_renewal_approaching'],
      ['when.daysBefore', '14'],
    ]);
    el.trigger = { type: 'partner_stage_changed', fromStage: 'Prospect', toStage: 'Active' };
    await el.updateComplete;
    expect(entries(form)).to.deep.equal([
      ['when', 'partner_stage_changed'],
      ['when.fromStage', 'Prospect'],
      ['when.toStage', 'Active'],
    ]);
    // "Any stage" leaves its entry out, as it leaves the key out of `trigger`.
    fieldOf<HTMLSelectElement>(el, 'fromStage')!.focus();
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_stage_changed', toStage: 'Active' });
    expect(entries(form)).to.deep.equal([
      ['when', 'partner_stage_changed'],
      ['when.toStage', 'Active'],
    ]);
    el.value = 'manual';
    await el.updateComplete;
    expect(entries(form)).to.deep.equal([['when', 'manual']]);
  });

  describe('validation', () => {
    const make = () =>
      fixture<HTMLFormElement>(
        html`<form @submit=${(e: Event) => e.preventDefault()}>
          <pos-trigger-select name="when" label="When" value="partner_inactive"></pos-trigger-select><button>Save</button>
        </form>`,
      );
    const parts = async (form: HTMLFormElement) => {
      const el = form.querySelector<PosTriggerSelect>('pos-trigger-select')!;
      await el.updateComplete;
      return { el, days: fieldOf(el, 'days')! };
    };
    /** Types into the days field from the keyboard, after clearing it. */
    const typeDays = async (el: PosTriggerSelect, text: string) => {
      fieldOf(el, 'days')!.focus();
      await clearField(el);
      if (text) await sendKeys({ type: text });
      await el.updateComplete;
    };
    const flags = (v: ValidityState) =>
      Object.fromEntries(
        ['valueMissing', 'badInput', 'rangeUnderflow', 'rangeOverflow', 'stepMismatch'].map((k) => [k, v[k as keyof ValidityState]]),
      );

    for (const [text, flag, days] of [
      ['0', 'rangeUnderflow', 0],
      ['366', 'rangeOverflow', 366],
      ['4.5', 'stepMismatch', 4.5],
      ['', 'valueMissing', NaN],
      ['1e', 'badInput', NaN],
    ] as const) {
      it(`"${text}" days: ${flag}, with a message, the same flags as the native field, and the form does not submit`, async () => {
        const form = await make();
        const { el, days: field } = await parts(form);
        await typeDays(el, text);
        expect(el.validity[flag]).to.equal(true);
        expect(flags(el.validity)).to.deep.equal(flags(field.validity));
        expect(el.checkValidity()).to.equal(false);
        expect(el.matches(':invalid')).to.equal(true);
        expect(el.validationMessage).to.equal('Enter a whole number of days from 1 to 365.');
        expect(Object.is((el.trigger as { days: number }).days, days)).to.equal(true);
        // Shown at the field, and tied to it for assistive technology.
        const error = el.shadowRoot!.getElementById(field.getAttribute('aria-describedby')!)!;
        expect(error.getAttribute('part')).to.equal('parameter-error');
        expect(error.textContent).to.equal('Enter a whole number of days from 1 to 365.');
        expect(field.getAttribute('aria-invalid')).to.equal('true');
        let submitted = 0;
        form.addEventListener('submit', () => submitted++);
        form.requestSubmit();
        expect(submitted).to.equal(0);
        // Fixed from the keyboard, it is valid and submits.
        await typeDays(el, '7');
        expect(el.checkValidity()).to.equal(true);
        expect(field.hasAttribute('aria-invalid')).to.equal(false);
        form.requestSubmit();
        expect(submitted).to.equal(1);
      });
    }

    it('reportValidity() points at the bad field', async () => {
      const form = await make();
      const { el, days } = await parts(form);
      el.trigger = { type: 'partner_inactive', days: 900 };
      await el.updateComplete;
      expect(el.validity.rangeOverflow).to.equal(true);
      document.body.focus();
      expect(form.reportValidity()).to.equal(false);
      expect(focused(el)).to.equal(days);
    });

    it('keeps required and setCustomValidity() first, and says their message', async () => {
      const form = await make();
      const { el } = await parts(form);
      el.trigger = { type: 'partner_inactive', days: 0 };
      await el.updateComplete;
      el.setCustomValidity('Not on weekends.');
      expect(el.validity.customError).to.equal(true);
      expect(el.validationMessage).to.equal('Not on weekends.');
      el.setCustomValidity('');
      expect(el.validity.rangeUnderflow, 'the parameter error is back').to.equal(true);
      expect(el.validationMessage).to.equal('Enter a whole number of days from 1 to 365.');
    });

    it('takes its message from strings', async () => {
      const form = await make();
      const { el } = await parts(form);
      el.strings = { daysInvalid: 'Zwischen {min} und {max} Tagen.', days: 'Tage ohne Aktivität' };
      el.trigger = { type: 'partner_inactive', days: 0 };
      await el.updateComplete;
      expect(el.validationMessage).to.equal('Zwischen 1 und 365 Tagen.');
      expect(fieldLabels(el)).to.deep.equal(['Tage ohne Aktivität']);
    });

    it('is not validated while disabled, and disables its fields', async () => {
      const form = await make();
      const { el, days } = await parts(form);
      el.trigger = { type: 'partner_inactive', days: 0 };
      el.disabled = true;
      await el.updateComplete;
      expect(days.disabled).to.equal(true);
      expect(form.checkValidity()).to.equal(true);
    });
  });

  it('form.reset() restores the value attribute with the default parameters, and fires nothing', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form><pos-trigger-select name="when" label="When" value="partner_inactive"></pos-trigger-select></form>`,
    );
    const el = form.querySelector<PosTriggerSelect>('pos-trigger-select')!;
    await el.updateComplete;
    fieldOf(el, 'days')!.focus();
    await clearField(el);
    await sendKeys({ type: '1e' });
    await el.updateComplete;
    expect(el.validity.badInput).to.equal(true);
    const events = countEvents(el);
    form.reset();
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_inactive', days: 30 });
    expect(fieldOf(el, 'days')!.value).to.equal('30');
    expect(el.checkValidity()).to.equal(true);
    expect(entries(form)).to.deep.equal([
      ['when', 'partner_inactive'],
      ['when.days', '30'],
    ]);
    expect(events).to.deep.equal({ input: 0, change: 0 });
  });

  it('fires input and change for a stage chosen from the keyboard, and nothing for stages set by code', async () => {
    const el = await fixture<PosTriggerSelect>(
      html`<pos-trigger-select label="Trigger" .stages=${['Prospect', 'Active', 'Churned']}></pos-trigger-select>`,
    );
    el.trigger = { type: 'partner_stage_changed', fromStage: 'Prospect' };
    await el.updateComplete;
    const events = countEvents(el);
    const to = fieldOf<HTMLSelectElement>(el, 'toStage')!;
    to.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_stage_changed', fromStage: 'Prospect', toStage: 'Prospect' });
    expect(events).to.deep.equal({ input: 1, change: 1 });
    el.trigger = { type: 'partner_stage_changed', toStage: 'Churned' };
    await el.updateComplete;
    expect(to.value).to.equal('Churned');
    expect(fieldOf<HTMLSelectElement>(el, 'fromStage')!.value, 'back to any stage').to.equal('');
    expect(events).to.deep.equal({ input: 1, change: 1 });
  });

  describe('accessibility (axe-core)', () => {
    it('has no violations with the day field, in error, and disabled', async () => {
      const wrapper = await fixture<HTMLElement>(html`<main><pos-trigger-select label="Trigger"></pos-trigger-select></main>`);
      const el = wrapper.querySelector<PosTriggerSelect>('pos-trigger-select')!;
      inputOf(el).focus();
      await chooseByTyping(el, 'renewal');
      await fieldsShown(el, 1);
      expect(await audit(wrapper), 'with the field').to.deep.equal([]);
      fieldOf(el, 'daysBefore')!.focus();
      await clearField(el);
      await sendKeys({ type: '0' });
      await el.updateComplete;
      expect(el.validity.rangeUnderflow).to.equal(true);
      expect(await audit(wrapper), 'in error').to.deep.equal([]);
      el.disabled = true;
      await el.updateComplete;
      expect(await audit(wrapper), 'disabled').to.deep.equal([]);
    });
  });
});
