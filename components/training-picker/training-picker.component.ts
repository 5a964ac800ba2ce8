import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
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
 * @csspart combobox - The field; `input`, `chip`, `chip__remove`, `label` as in every picker.
 * @csspart popup - The popover; `listbox`, `option`, `option--active`, `option--selected`, `match`.
 * @csspart option-tag - A tag shown inside a training option.
 * @csspart error - The error message; `retry`, `skeleton`, `empty`.
 */
export class PosTrainingPicker extends PosPicker<Training> {
  static override styles = [...PosPicker.styles, trainingPickerStyles];

  protected readonly source: RecordSource = { endpoint: 'workflow-pickers/trainings', key: 'trainings' };
  protected override readonly optionHeight = 84;
  protected override readonly ownStrings: Partial<PickerStrings> = {
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
        ><span class="title">${highlight(t.title, query)}</span>${t.durationMinutes != null
          ? html`<span class="duration">${formatString(this.text.minutes, { minutes: t.durationMinutes })}</span>`
          : nothing}</span
      >${t.description ? html`<span class="description">${highlight(t.description, query)}</span>` : nothing}${tags.length
        ? html`<span class="tags">${tags.map((tag) => html`<span part="option-tag" class="tag">${highlight(tag, query)}</span>`)}</span>`
        : nothing}`;
  }
}
