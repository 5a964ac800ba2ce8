import { html } from 'lit';
import { PosPicker, type RecordSource } from '../internal/picker.js';
import type { PickerStrings } from '../internal/picker-strings.js';
import type { Specialization } from '../internal/records.js';
import { highlight } from '../internal/text-match.js';
import { specializationPickerStyles } from './specialization-picker.styles.js';

/**
 * @summary Chooses one (or, with `multiple`, several) of the organisation's published specializations.
 *
 * @fires input - After every user change of the value.
 * @fires change - After every user change of the value.
 * @fires pos-error - Loading failed: `detail` is `{ status, code, message }`.
 *
 * @csspart label - The visible label.
 * @csspart combobox - The field around the chips and the input.
 * @csspart input - The text input (role=combobox).
 * @csspart chip - A selected value in multiple mode; `chip__remove` its button.
 * @csspart popup - The popover holding the list; `listbox`, `option`, `option--active`, `option--selected`, `match` inside.
 * @csspart error - The error message; `retry` its button. `skeleton` and `empty` are the loading and empty states.
 */
export class PosSpecializationPicker extends PosPicker<Specialization> {
  static override styles = [...PosPicker.styles, specializationPickerStyles];

  protected readonly source: RecordSource = { endpoint: 'workflow-pickers/specializations', key: 'specializations' };
  protected override readonly optionHeight = 64;
  protected override readonly ownStrings: Partial<PickerStrings> = {
    placeholder: 'Search specializations…',
    empty: 'No published specializations yet.',
    loadError: 'The specializations could not be loaded.',
    required: 'Please choose a specialization.',
  };

  protected recordId(s: Specialization): string {
    return s.id;
  }
  protected recordLabel(s: Specialization): string {
    return s.title;
  }
  protected recordSearchText(s: Specialization): string {
    return `${s.title}\n${s.description ?? ''}`;
  }
  protected renderRecord(s: Specialization, query: string) {
    return html`<span class="title">${highlight(s.title, query)}</span>${s.description
        ? html`<span class="description">${highlight(s.description, query)}</span>`
        : ''}`;
  }
}
