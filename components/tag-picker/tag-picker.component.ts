import { html } from 'lit';
import { PosPicker, type RecordSource } from '../internal/picker.js';
import type { PickerStrings } from '../internal/picker-strings.js';
import { highlight } from '../internal/text-match.js';
import { tagPickerStyles } from './tag-picker.styles.js';

/**
 * @summary Chooses training tags (usually `multiple`); the value is the tag itself.
 *
 * @fires input - After every user change of the value.
 * @fires change - After every user change of the value.
 * @fires pos-error - Loading failed: `detail` is `{ status, code, message }`.
 *
 * @csspart form-control - The wrapper of the label, the field and the error.
 * @csspart label - The visible label (only with `label`).
 * @csspart combobox - The field holding the chips, the input and the arrow.
 * @csspart input - The text input (`role="combobox"`).
 * @csspart expand-icon - The arrow.
 * @csspart chip - A selected value in multiple mode.
 * @csspart chip__remove - A chip's remove button.
 * @csspart clear-button - A single picker's clear button (while a value is set, not when required or disabled).
 * @csspart popup - The popover (in the top layer) holding the list.
 * @csspart listbox - The list (`role="listbox"`).
 * @csspart option - An option (`role="option"`).
 * @csspart option--active - The active option (the one `aria-activedescendant` names).
 * @csspart option--selected - The selected options.
 * @csspart match - The highlighted part of a text matching the filter.
 * @csspart skeleton - The loading state.
 * @csspart empty - The empty or no-match message.
 * @csspart error - The error message (`role="alert"`).
 * @csspart retry - The error's Retry button (absent on 402 and 403, where asking again cannot help).
 *
 * @cssprop --pos-accent - Focus ring, active option outline, check mark (light `#4f46e5`).
 * @cssprop --pos-on-accent - Text on the accent colour (`#ffffff`).
 * @cssprop --pos-surface - The field background (`#ffffff`).
 * @cssprop --pos-surface-raised - The popup background (`#ffffff`).
 * @cssprop --pos-surface-hover - The active option, skeleton bars (`#f3f4f6`).
 * @cssprop --pos-text - Text (`#111827`).
 * @cssprop --pos-text-muted - Descriptions, durations, placeholder, group headings (`#4b5563`).
 * @cssprop --pos-border - Field and popup borders (`#9ca3af`).
 * @cssprop --pos-danger - The error state (`#b91c1c`).
 * @cssprop --pos-chip-background - Chips and tag chips (`#eef2ff`).
 * @cssprop --pos-chip-text - Chip text (`#3730a3`).
 * @cssprop --pos-highlight - The matched text (`#fde68a`).
 * @cssprop --pos-radius - Corner radius (`8px`).
 * @cssprop --pos-font-family - Font (`system-ui, …`).
 * @cssprop --pos-font-size - Font size (`0.9375rem`).
 * @cssprop --pos-focus-ring - Focus ring, a box-shadow (3px accent at 40 %).
 * @cssprop --pos-shadow - The popup's shadow.
 * @cssprop --pos-picker-min-height - The field's minimum height (`2.5rem`).
 * @cssprop --pos-picker-popup-max-height - The popup's maximum height (`20rem`; it also shrinks to the viewport).
 */
export class PosTagPicker extends PosPicker<string> {
  static override styles = [...PosPicker.styles, tagPickerStyles];

  protected readonly source: RecordSource = { endpoint: 'workflow-pickers/training-tags', key: 'tags' };
  protected override readonly optionHeight = 32;
  protected override readonly ownStrings: Partial<PickerStrings> = {
    loading: 'Loading tags…',
    placeholder: 'Search tags…',
    empty: 'No tags yet.',
    loadError: 'The tags could not be loaded.',
    required: 'Please choose a tag.',
  };

  protected recordId(tag: string): string {
    return tag;
  }
  protected recordLabel(tag: string): string {
    return tag;
  }
  protected recordSearchText(tag: string): string {
    return tag;
  }
  protected renderRecord(tag: string, query: string) {
    return html`<span class="title">${highlight(tag, query, this.l10n.locale)}</span>`;
  }
}
