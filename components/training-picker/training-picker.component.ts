import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { formatMinutes } from '../internal/format.js';
import { PosPicker, parseList, type RecordSource } from '../internal/picker.js';
import { formatString, type PickerStrings } from '../internal/picker-strings.js';
import type { Training } from '../internal/records.js';
import { highlight } from '../internal/text-match.js';
import { trainingPickerStyles } from './training-picker.styles.js';

const listConverter = {
  fromAttribute: (value: string | null) => parseList(value),
  toAttribute: (value: string[]) => value.join(','),
};

/**
 * @summary Chooses published training modules; `tags` and `specialization-id` narrow the list.
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
 * @csspart option-tag - A tag shown inside a training option.
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
export class PosTrainingPicker extends PosPicker<Training> {
  static override styles = [...PosPicker.styles, trainingPickerStyles];

  protected readonly source: RecordSource = { endpoint: 'workflow-pickers/trainings', key: 'trainings' };
  protected override readonly optionHeight = 75;
  protected override readonly ownStrings: Partial<PickerStrings> = {
    loading: 'Loading trainings…',
    placeholder: 'Search trainings…',
    empty: 'No published trainings yet.',
    loadError: 'The trainings could not be loaded.',
    required: 'Please choose a training.',
  };

  /** Only trainings carrying at least one of these tags (attribute: comma-separated). Empty: no narrowing. */
  @property({ converter: listConverter }) tags: string[] = [];
  /** Only trainings of this specialization. Empty: no narrowing. */
  @property({ attribute: 'specialization-id' }) specializationId = '';

  protected override acceptRecord(t: Training): boolean {
    if (this.specializationId && t.specializationId !== this.specializationId) return false;
    if (this.tags.length && !t.tags?.some((tag) => this.tags.includes(tag))) return false;
    return true;
  }
  protected override filterArgs(): readonly unknown[] {
    return [this.tags, this.specializationId];
  }

  protected recordId(t: Training): string {
    return t.id;
  }
  protected recordLabel(t: Training): string {
    return t.title;
  }
  protected recordSearchText(t: Training): string {
    return `${t.title}\n${t.description ?? ''}\n${(t.tags ?? []).join('\n')}`;
  }
  protected renderRecord(t: Training, query: string) {
    const tags = (t.tags ?? []).filter((tag) => tag.trim());
    return html`<span class="heading"
        ><span class="title">${highlight(t.title, query, this.l10n.locale)}</span>${
          t.durationMinutes != null
            ? html`<bdi class="duration"
                >${
                  this.text.minutes
                    ? formatString(this.text.minutes, { minutes: t.durationMinutes })
                    : formatMinutes(t.durationMinutes, this.l10n.locale)
                }</bdi
              >`
            : nothing
        }</span
      >${t.description ? html`<span class="description">${highlight(t.description, query, this.l10n.locale)}</span>` : nothing}${
        tags.length
          ? html`<span class="tags"
              >${tags.map((tag) => html`<span part="option-tag" class="tag">${highlight(tag, query, this.l10n.locale)}</span>`)}</span
            >`
          : nothing
      }`;
  }
}
