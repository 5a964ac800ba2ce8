/**
 * The behaviour every picker shares, run against each element (Shoelace's
 * shared form-control suite is the model): rendering the server's records in
 * order, keyboard and mouse selection, filtering, multiple with chips, events
 * on user changes only, forms (FormData, required, reset, disabled), loading
 * failures with Retry, the empty state and the `data` property.
 */
import { expect, fixture, html, oneEvent, unsafeStatic, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { PosErrorDetail } from '../../../components/internal/picker.js';
import { API, TEST_USERS, signIn, startApi, stopApi } from '../../support/api.js';
import {
  type AnyPicker,
  activeOption,
  chipLabels,
  chipsOf,
  clearCache,
  inputOf,
  isOpen,
  loaded,
  openWithKeyboard,
  optionTitles,
  optionsOf,
  press,
  requestsTo,
  type,
} from './helpers.js';

export interface PickerSuiteConfig {
  tag: string;
  /** The records the element should show, in order: values and the text of each option's title. */
  expected(): Promise<{ values: string[]; titles: string[] }>;
  /** The endpoint it loads, or undefined for a built-in list (no network tests then). */
  endpoint?: string;
  /** Records for the `data` property, and the titles they render. */
  data: { records: unknown[]; values: string[]; titles: string[]; firstShown?: number };
  /** The empty-list text (network pickers). */
  emptyText?: RegExp;
}

/** Counts `input` and `change` events on an element. */
function countEvents(el: HTMLElement) {
  const counts = { input: 0, change: 0 };
  el.addEventListener('input', () => counts.input++);
  el.addEventListener('change', () => counts.change++);
  return counts;
}

/** Centre of an element in viewport coordinates, for real mouse clicks. */
function centre(node: Element): [number, number] {
  const r = node.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
}

export function runPickerSuite(config: PickerSuiteConfig) {
  const tag = unsafeStatic(config.tag);
  const base = config.endpoint ? API : '/nowhere';
  let expected: { values: string[]; titles: string[] };

  const make = (attrs = '') => fixture<AnyPicker>(html`<${tag} base-url=${base} label="Pick" ${unsafeStatic(attrs)}></${tag}>`);
  const ready = async (el: AnyPicker) => {
    await loaded(el);
    expect(el.loadState).to.equal('complete');
    return el;
  };

  describe(`<${config.tag}> (shared picker behaviour)`, () => {
    before(async () => {
      clearCache();
      await signIn(TEST_USERS.acme);
      expected = await config.expected();
      expect(expected.values.length, 'the fixture has records').to.be.greaterThan(3);
    });
    beforeEach(() => clearCache());
    afterEach(() => resetMouse());

    it('renders the records in order as options of a listbox, in the same shadow root as the combobox', async () => {
      const el = await ready(await make());
      const input = inputOf(el);
      expect(input.getAttribute('role')).to.equal('combobox');
      expect(input.getAttribute('aria-expanded')).to.equal('false');
      await openWithKeyboard(el);
      expect(input.getAttribute('aria-expanded')).to.equal('true');
      const listbox = el.shadowRoot!.getElementById(input.getAttribute('aria-controls')!)!;
      expect(listbox.getAttribute('role')).to.equal('listbox');
      expect(optionTitles(el)).to.deep.equal(expected.titles.slice(0, optionTitles(el).length));
      expect(optionsOf(el).every((o) => listbox.contains(o))).to.equal(true);
      // Only a window may be rendered: each option tells its place in the whole list.
      optionsOf(el).forEach((o, i) => {
        expect(o.getAttribute('aria-setsize')).to.equal(String(expected.values.length));
        expect(o.getAttribute('aria-posinset')).to.equal(String(i + 1));
      });
      // Windowed lists (all but the grouped trigger select) have rows of one height that hold their content.
      if (optionsOf(el)[0]!.parentElement!.classList.contains('spacer')) {
        expect(new Set(optionsOf(el).map((o) => o.getBoundingClientRect().height)).size).to.equal(1);
        for (const o of optionsOf(el)) expect(o.scrollHeight, o.textContent!).to.be.at.most(o.clientHeight);
      }
      // The whole list, in order, through the records the element holds.
      expect(el.records!.map((_r, i) => i)).to.have.length(expected.values.length);
    });

    it('selects with the keyboard: ArrowDown opens on the first option, moves, Enter selects and closes', async () => {
      const el = await ready(await make());
      const events = countEvents(el);
      await openWithKeyboard(el);
      expect(activeOption(el)?.textContent).to.contain(expected.titles[0]);
      await press(el, 'ArrowDown');
      await press(el, 'ArrowDown');
      await press(el, 'ArrowUp');
      expect(activeOption(el)?.textContent).to.contain(expected.titles[1]);
      expect(el.shadowRoot!.activeElement, 'focus stays in the input').to.equal(inputOf(el));
      await press(el, 'Enter');
      expect(el.value).to.equal(expected.values[1]);
      expect(isOpen(el)).to.equal(false);
      expect(events).to.deep.equal({ input: 1, change: 1 });
      // Reopening puts the active option on the selection, marked aria-selected.
      await press(el, 'ArrowDown');
      await waitUntil(() => activeOption(el));
      expect(activeOption(el)!.getAttribute('aria-selected')).to.equal('true');
      // An editable combobox leaves Home and End to the text (APG): the caret moves, the active option stays.
      await type(el, expected.titles[0]![0]!);
      const active = activeOption(el)!.id;
      await press(el, 'Home');
      expect([inputOf(el).selectionStart, activeOption(el)!.id]).to.deep.equal([0, active]);
      await press(el, 'End');
      expect([inputOf(el).selectionStart, activeOption(el)!.id]).to.deep.equal([1, active]);
      await press(el, 'Escape');
      await press(el, 'Escape');
      expect(isOpen(el)).to.equal(false);
      expect(el.value, 'Escape keeps the value').to.equal(expected.values[1]);
    });

    it('selects with the mouse: a click opens, a click on an option selects', async () => {
      const el = await ready(await make());
      const events = countEvents(el);
      await sendMouse({ type: 'click', position: centre(inputOf(el)) });
      await waitUntil(() => isOpen(el) && optionsOf(el).length > 2, 'a click opens the list');
      await sendMouse({ type: 'click', position: centre(optionsOf(el)[2]!) });
      await el.updateComplete;
      expect(el.value).to.equal(expected.values[2]);
      expect(events).to.deep.equal({ input: 1, change: 1 });
      expect(isOpen(el)).to.equal(false);
      expect(el.shadowRoot!.activeElement).to.equal(inputOf(el));
    });

    it('filters case-insensitively as the user types, highlights the match, Escape closes then clears', async () => {
      const el = await ready(await make());
      const title = expected.titles[3]!;
      const needle = title.slice(1, 5);
      await openWithKeyboard(el);
      inputOf(el).focus();
      await type(el, needle.toUpperCase());
      await waitUntil(() => optionsOf(el).length > 0 && optionsOf(el).length < expected.titles.length, 'the list narrows');
      const texts = optionsOf(el).map((o) => o.textContent!.toLowerCase());
      expect(texts.every((t) => t.includes(needle.toLowerCase()))).to.equal(true);
      expect(optionTitles(el)).to.include(title);
      const marks = [...el.shadowRoot!.querySelectorAll('mark')].map((m) => m.textContent!.toLowerCase());
      expect(marks.length).to.be.greaterThan(0);
      expect(marks.every((m) => m === needle.toLowerCase())).to.equal(true);
      // The first match is active: Enter takes it.
      expect(activeOption(el)).to.equal(optionsOf(el)[0]);
      await press(el, 'Escape');
      expect(isOpen(el)).to.equal(false);
      expect(inputOf(el).value).to.equal(needle.toUpperCase());
      await press(el, 'Escape');
      expect(inputOf(el).value).to.equal('');
      await press(el, 'ArrowDown');
      await waitUntil(() => optionsOf(el).length > 3, 'the whole list is back');
      expect(el.value, 'filtering alone changes nothing').to.equal('');
      await type(el, 'zzzz-no-such-thing');
      await waitUntil(() => el.shadowRoot!.querySelector('[part~="empty"]'));
      expect(el.shadowRoot!.querySelector('[part~="empty"]')!.textContent).to.contain('zzzz-no-such-thing');
    });

    it('in multiple mode, selects several as chips; Backspace and the chip button remove them', async () => {
      const el = await ready(await make('multiple'));
      const events = countEvents(el);
      await openWithKeyboard(el);
      expect(el.shadowRoot!.querySelector('[role="listbox"]')!.getAttribute('aria-multiselectable')).to.equal('true');
      await press(el, 'Enter');
      await press(el, 'ArrowDown');
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(isOpen(el), 'stays open for more').to.equal(true);
      expect(el.value).to.deep.equal([expected.values[0], expected.values[2]]);
      expect(chipLabels(el)).to.deep.equal([expected.titles[0], expected.titles[2]]);
      expect(optionsOf(el).filter((o) => o.getAttribute('aria-selected') === 'true')).to.have.length(2);
      // Enter on a selected option deselects it.
      await press(el, 'Enter');
      expect(el.value).to.deep.equal([expected.values[0]]);
      await press(el, 'Enter');
      await press(el, 'Backspace');
      expect(el.value).to.deep.equal([expected.values[0]]);
      expect(chipsOf(el)).to.have.length(1);
      const remove = chipsOf(el)[0]!.querySelector('[part~="chip__remove"]')!;
      expect(remove.getAttribute('aria-label')).to.equal(`Remove ${expected.titles[0]}`);
      await sendMouse({ type: 'click', position: centre(remove) });
      await el.updateComplete;
      expect(el.value).to.deep.equal([]);
      expect(el.shadowRoot!.activeElement, 'focus stays in the input').to.equal(inputOf(el));
      expect(events).to.deep.equal({ input: 6, change: 6 });
      expect(el.selectedItems).to.deep.equal([]);
    });

    it('fires input and change on user changes only, never for programmatic values or a re-pick', async () => {
      const el = await ready(await make());
      const events = countEvents(el);
      el.value = expected.values[1]!;
      await el.updateComplete;
      expect(el.value).to.equal(expected.values[1]);
      expect(events).to.deep.equal({ input: 0, change: 0 });
      // Typing a filter is no value change either (the inner input's event does not escape).
      inputOf(el).focus();
      await type(el, 'a');
      expect(events).to.deep.equal({ input: 0, change: 0 });
      await press(el, 'Escape');
      await press(el, 'Escape');
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(events, 're-picking the selected option').to.deep.equal({ input: 0, change: 0 });
      await press(el, 'ArrowDown');
      await press(el, 'ArrowDown');
      const change = oneEvent(el, 'change');
      await press(el, 'Enter');
      const event = await change;
      expect(event.bubbles && event.composed).to.equal(true);
      expect(el.value).to.equal(expected.values[2]);
      expect(events).to.deep.equal({ input: 1, change: 1 });
      expect(el.selectedItems).to.have.length(1);
    });

    it('is form-associated: submits its value in FormData, one entry per value in multiple mode', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <${tag} base-url=${base} label="One" name="one" value=${expected.values[1]}></${tag}>
        <${tag} base-url=${base} label="Many" name="many" multiple value=${`${expected.values[0]}, ${expected.values[2]}`}></${tag}>
        <${tag} base-url=${base} label="Unnamed" value=${expected.values[0]}></${tag}>
      </form>`);
      const [one, many] = form.querySelectorAll<AnyPicker>(config.tag);
      await ready(one!);
      await ready(many!);
      expect(one!.form).to.equal(form);
      let data = new FormData(form);
      expect(data.getAll('one')).to.deep.equal([expected.values[1]]);
      expect(data.getAll('many')).to.deep.equal([expected.values[0], expected.values[2]]);
      expect([...data.keys()].sort()).to.deep.equal(['many', 'many', 'one']);
      expect(many!.selectedItems).to.have.length(2);
      many!.value = [];
      await many!.updateComplete;
      data = new FormData(form);
      expect(data.has('many')).to.equal(false);
    });

    it('required: invalid with a message while empty, valid once chosen', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><${tag} base-url=${base} label="Pick" name="p" required></${tag}></form>`);
      const el = form.querySelector<AnyPicker>(config.tag)!;
      await ready(el);
      expect(el.checkValidity()).to.equal(false);
      expect(el.validity.valueMissing).to.equal(true);
      expect(el.validationMessage).to.match(/^Please choose/);
      expect(form.checkValidity()).to.equal(false);
      expect(el.matches(':invalid')).to.equal(true);
      await openWithKeyboard(el);
      await press(el, 'Enter');
      expect(el.checkValidity()).to.equal(true);
      expect(form.checkValidity()).to.equal(true);
      el.setCustomValidity('Not this one.');
      expect(el.checkValidity()).to.equal(false);
      expect(el.validationMessage).to.equal('Not this one.');
      el.setCustomValidity('');
      expect(el.checkValidity()).to.equal(true);
      el.strings = { required: 'Bitte wählen.' };
      el.value = '';
      await el.updateComplete;
      expect(el.validationMessage).to.equal('Bitte wählen.');
    });

    it('form.reset() restores the value attribute (comma-separated in multiple mode) and fires nothing', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <${tag} base-url=${base} label="One" name="one" value=${expected.values[2]}></${tag}>
        <${tag} base-url=${base} label="Many" name="many" multiple value=${`${expected.values[0]},${expected.values[1]}`}></${tag}>
      </form>`);
      const [one, many] = form.querySelectorAll<AnyPicker>(config.tag);
      await ready(one!);
      await ready(many!);
      expect(one!.value).to.equal(expected.values[2]);
      expect(many!.value).to.deep.equal([expected.values[0], expected.values[1]]);
      expect(inputOf(one!).value, 'the input shows the label').to.equal(expected.titles[2]);
      const events = countEvents(one!);
      await openWithKeyboard(one!);
      await press(one!, 'PageUp');
      await press(one!, 'Enter');
      expect(one!.value).to.equal(expected.values[0]);
      many!.value = [expected.values[3]!];
      form.reset();
      await one!.updateComplete;
      await many!.updateComplete;
      expect(one!.value).to.equal(expected.values[2]);
      expect(inputOf(one!).value).to.equal(expected.titles[2]);
      expect(many!.value).to.deep.equal([expected.values[0], expected.values[1]]);
      expect(events).to.deep.equal({ input: 1, change: 1 });
    });

    it('disabled (attribute or a disabled fieldset): no opening, no submission', async () => {
      const form = await fixture<HTMLFormElement>(html`<form>
        <${tag} base-url=${base} label="Off" name="off" disabled value=${expected.values[0]}></${tag}>
        <fieldset><${tag} base-url=${base} label="In fieldset" name="fs" value=${expected.values[0]}></${tag}></fieldset>
      </form>`);
      const [off, inFieldset] = form.querySelectorAll<AnyPicker>(config.tag);
      await ready(off!);
      await ready(inFieldset!);
      expect(inputOf(off!).disabled).to.equal(true);
      expect(off!.matches(':disabled')).to.equal(true);
      await sendMouse({ type: 'click', position: centre(off!) });
      await off!.updateComplete;
      expect(isOpen(off!)).to.equal(false);
      expect(new FormData(form).getAll('fs')).to.deep.equal([expected.values[0]]);
      form.querySelector('fieldset')!.disabled = true;
      await waitUntil(() => inputOf(inFieldset!).disabled, 'the fieldset disables the picker');
      expect(inFieldset!.matches(':disabled')).to.equal(true);
      const data = new FormData(form);
      expect(data.has('off'), 'the disabled picker').to.equal(false);
      expect(data.has('fs'), 'the picker in the disabled fieldset').to.equal(false);
      form.querySelector('fieldset')!.disabled = false;
      await waitUntil(() => !inputOf(inFieldset!).disabled, 'enabled again');
      off!.disabled = false;
      await waitUntil(() => !inputOf(off!).disabled, 'enabled by removing the attribute');
    });

    it('takes records from the data property without any request', async () => {
      performance.clearResourceTimings();
      const el = await fixture<AnyPicker>(html`<${tag} base-url=${base} label="Pick" .data=${config.data.records}></${tag}>`);
      expect(el.loadState).to.equal('complete');
      await openWithKeyboard(el);
      expect(optionTitles(el)).to.deep.equal(config.data.titles);
      await press(el, 'Enter');
      expect(el.value).to.equal(config.data.values[0]);
      expect(el.selectedItems).to.deep.equal([config.data.records[config.data.firstShown ?? 0]]);
      if (config.endpoint) expect(requestsTo(config.endpoint)).to.equal(0);
    });

    it('is named by an outside <label for> when it has no label of its own', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div><label for="outside">Outside name</label><${tag} id="outside" base-url=${base}></${tag}></div>`,
      );
      const el = wrapper.querySelector<AnyPicker>(config.tag)!;
      await ready(el);
      await waitUntil(() => inputOf(el).getAttribute('aria-label') === 'Outside name', 'the input takes the outside label');
      expect(el.shadowRoot!.querySelector('label')).to.equal(null);
    });

    if (!config.endpoint) return;
    const endpoint = config.endpoint;

    describe('when loading fails', () => {
      after(() => signIn(TEST_USERS.acme));

      it('shows the reason with a Retry button and fires pos-error (400 no_active_organization); Retry reloads', async () => {
        await signIn(TEST_USERS.noOrganization);
        const errors: PosErrorDetail[] = [];
        const wrapper = await fixture<HTMLDivElement>(html`<div @pos-error=${(e: CustomEvent<PosErrorDetail>) => errors.push(e.detail)}>
          <${tag} base-url=${base} label="Pick"></${tag}>
        </div>`);
        const el = wrapper.querySelector<AnyPicker>(config.tag)!;
        await loaded(el);
        expect(el.loadState).to.equal('error');
        expect(errors).to.deep.equal([
          {
            status: 400,
            code: 'no_active_organization',
            message: 'Choose an organization first: this session has no active organization.',
          },
        ]);
        const error = el.shadowRoot!.querySelector('[part~="error"]')!;
        expect(error.getAttribute('role')).to.equal('alert');
        expect(error.textContent).to.contain('could not be loaded').and.to.contain('Choose an organization first');
        await signIn(TEST_USERS.acme);
        (error.querySelector('[part~="retry"]') as HTMLButtonElement).click();
        await waitUntil(() => el.loadState === 'complete', 'Retry loads the list');
        expect(el.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
        expect(el.records!.length).to.equal(expected.values.length);
      });

      it('reports a network failure when the server is down, and recovers on Retry once it is back', async () => {
        const el = await make();
        await loaded(el);
        clearCache();
        await stopApi();
        try {
          const failed = oneEvent(el, 'pos-error');
          el.refresh();
          const { detail } = (await failed) as CustomEvent<PosErrorDetail>;
          expect(detail.code).to.equal('network_error');
          expect(detail.status).to.equal(undefined);
          await el.updateComplete;
          expect(el.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain('Cannot reach the server');
        } finally {
          await startApi();
        }
        (el.shadowRoot!.querySelector('[part~="retry"]') as HTMLButtonElement).click();
        await waitUntil(() => el.loadState === 'complete', 'Retry loads the list');
      });
    });

    it('says so when the organisation has no records', async () => {
      await signIn(TEST_USERS.empty);
      try {
        const el = await make();
        await loaded(el);
        await openWithKeyboard(el);
        expect(optionsOf(el)).to.have.length(0);
        expect(el.shadowRoot!.querySelector('[part~="empty"]')!.textContent).to.match(config.emptyText!);
      } finally {
        await signIn(TEST_USERS.acme);
      }
    });

    it('shares one request between pickers of the same endpoint and base URL; refresh() reloads', async () => {
      performance.setResourceTimingBufferSize(10000);
      performance.clearResourceTimings();
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <${tag} base-url=${base} label="A"></${tag}><${tag} base-url=${base + '/'} label="B"></${tag}>
      </div>`);
      const [a, b] = wrapper.querySelectorAll<AnyPicker>(config.tag);
      await loaded(a!);
      await loaded(b!);
      expect(a!.records).to.equal(b!.records);
      const c = await fixture<AnyPicker>(html`<${tag} base-url=${base} label="C"></${tag}>`);
      await loaded(c);
      await waitUntil(() => requestsTo(endpoint) >= 1);
      expect(requestsTo(endpoint), 'one request for three pickers').to.equal(1);
      a!.refresh();
      await waitUntil(() => requestsTo(endpoint) === 2 && a!.loadState === 'complete', 'refresh() asks again');
      expect(a!.records!.length).to.equal(expected.values.length);
    });
  });
}

export { sendKeys };
