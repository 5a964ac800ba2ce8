/** Helpers the picker tests share: reaching into the shadow root and waiting on conditions. */
import { waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PosPicker } from '../../../components/internal/picker.js';
import type { Training } from '../../../components/internal/records.js';
import { refreshShared } from '../../../components/internal/record-loader.js';

export type AnyPicker = PosPicker<any>;

export const inputOf = (el: AnyPicker) => el.shadowRoot!.querySelector<HTMLInputElement>('#input')!;
export const listboxOf = (el: AnyPicker) => el.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
export const popupOf = (el: AnyPicker) => el.shadowRoot!.querySelector<HTMLElement>('[part~="popup"]')!;
export const optionsOf = (el: AnyPicker) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
export const chipsOf = (el: AnyPicker) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="chip"]')];
export const chipLabels = (el: AnyPicker) => chipsOf(el).map((c) => c.querySelector('.chip-label')!.textContent!.trim());
/** The options' main text (their `.title`), in DOM order. */
export const optionTitles = (el: AnyPicker) => optionsOf(el).map((o) => o.querySelector('.title')!.textContent!.trim());
export const activeOption = (el: AnyPicker) => {
  const id = inputOf(el).getAttribute('aria-activedescendant');
  return id ? el.shadowRoot!.getElementById(id) : null;
};
export const isOpen = (el: AnyPicker) => popupOf(el).matches(':popover-open');

/** Every picker test starts with an empty request cache (tests sign in as different users). */
export const clearCache = () => refreshShared();

export async function loaded(el: AnyPicker) {
  await waitUntil(() => el.loadState === 'complete' || el.loadState === 'error', 'the picker never finished loading', { timeout: 5000 });
  await el.updateComplete;
}

/** Focuses the input and opens the list with ArrowDown, waiting until options are rendered. */
export async function openWithKeyboard(el: AnyPicker) {
  inputOf(el).focus();
  await sendKeys({ press: 'ArrowDown' });
  await waitUntil(() => isOpen(el), 'the popup did not open');
  await waitUntil(() => optionsOf(el).length > 0 || el.shadowRoot!.querySelector('[part~="empty"]'), 'no options rendered');
}

export async function press(el: AnyPicker, key: string) {
  await sendKeys({ press: key });
  await el.updateComplete;
}

export async function type(el: AnyPicker, text: string) {
  await sendKeys({ type: text });
  await el.updateComplete;
}

/** Resource entries (requests the page made) for an API path, counted across the test. */
export const requestsTo = (path: string) => performance.getEntriesByType('resource').filter((e) => e.name.includes(path)).length;

/** Published trainings with these titles and nothing else to match on (ids t0, t1, …). */
export const trainingsTitled = (titles: string[]): Training[] =>
  titles.map((title, i) => ({ id: `t${i}`, title, description: '', tags: [], specializationId: null, durationMinutes: 30 }));
