/** Helpers the trigger-select tests share: the parameter fields, keyboard steps and axe. */
import 'axe-core';
import { waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PosTriggerSelect } from '../../../components/trigger-select/trigger-select.component.js';
import { inputOf } from '../pickers/helpers.js';

declare const axe: typeof import('axe-core');

export { inputOf };

/** The parameter field named `name` (`days`, `daysBefore`, `fromStage`, `toStage`), or null. */
export const fieldOf = <T extends HTMLElement = HTMLInputElement>(el: PosTriggerSelect, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part~="parameter-input"]#${name}`);
export const fieldsOf = (el: PosTriggerSelect) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="parameter-input"]')];
/** The label text of each parameter field, as `<label for>` names it. */
export const fieldLabels = (el: PosTriggerSelect) =>
  fieldsOf(el).map((f) => el.shadowRoot!.querySelector(`label[for="${f.id}"]`)?.textContent?.trim());
/** What has focus, through the shadow root. */
export const focused = (el: PosTriggerSelect) => (document.activeElement === el ? el.shadowRoot!.activeElement : document.activeElement);

/** Types a filter over what the focused combobox shows (selected first) and takes the first match with Enter. */
export async function chooseByTyping(el: PosTriggerSelect, text: string) {
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'a' });
  await sendKeys({ up: 'Control' });
  await sendKeys({ type: text });
  await el.updateComplete;
  await sendKeys({ press: 'Enter' });
  await el.updateComplete;
}

/** Clears the focused text field with Backspace (the keyboard, no code). */
export async function clearField(el: PosTriggerSelect) {
  const field = focused(el) as HTMLInputElement;
  // A number field reports '' for text it cannot read: count its characters from the selection-free side.
  for (let i = 0; i < 6 && (field.value !== '' || field.validity.badInput); i++) await sendKeys({ press: 'Backspace' });
  await el.updateComplete;
}

/** Counts `input` and `change` events on an element. */
export function countEvents(el: HTMLElement) {
  const counts = { input: 0, change: 0 };
  el.addEventListener('input', () => counts.input++);
  el.addEventListener('change', () => counts.change++);
  return counts;
}

export async function audit(node: Element) {
  const { violations } = await axe.run(node);
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Waits until the fields of the chosen trigger are rendered (their module loads on first need). */
export const fieldsShown = (el: PosTriggerSelect, count: number) =>
  waitUntil(() => fieldsOf(el).length === count, `expected ${count} parameter fields`, { timeout: 5000 });
