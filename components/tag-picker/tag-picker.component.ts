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
 * @csspart combobox - The field; `input`, `chip`, `chip__remove`, `label` as in every picker.
 * @csspart popup - The popover; `listbox`, `option`, `option--active`, `option--selected`, `match`.
 * @csspart error - The error message; `retry`, `skeleton`, `empty`.
 */
export class PosTagPicker extends PosPicker<string> {
  static override styles = [...PosPicker.styles, tagPickerStyles];

  protected readonly source: RecordSource = { endpoint: 'workflow-pickers/training-tags', key: 'tags' };
  protected override readonly optionHeight = 36;
  protected override readonly ownStrings: Partial<PickerStrings> = {
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
    return html`<span class="title">${highlight(tag, query)}</span>`;
  }
}
