import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { PosPicker } from '../internal/picker.js';
import type { PickerStrings } from '../internal/picker-strings.js';
import { highlight } from '../internal/text-match.js';
import { TRIGGER_TYPES, TriggerGroup, type TriggerType } from '../internal/trigger-types.js';
import { triggerSelectStyles } from './trigger-select.styles.js';

/** A trigger as the select shows it: the API's `{ type, description }`, with its group when known. */
export type TriggerOption = TriggerType & { group?: TriggerGroup };

const GROUP_ORDER = Object.keys(TriggerGroup) as TriggerGroup[];
const KNOWN_GROUP = new Map(TRIGGER_TYPES.map((t) => [t.type, t.group] as const));
const groupOf = (t: TriggerOption): TriggerGroup => t.group ?? KNOWN_GROUP.get(t.type) ?? 'scheduled';

/** `deal_closed_won` → `Deal closed won`. */
export const triggerTitle = (type: string) => {
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * @summary Chooses a workflow trigger type; ships the 18 types, so it needs no network.
 *
 * @fires input - After every user change of the value.
 * @fires change - After every user change of the value.
 *
 * @csspart combobox - The field; `input`, `chip`, `chip__remove`, `label` as in every picker.
 * @csspart popup - The popover; `listbox`, `option`, `option--active`, `option--selected`, `match`.
 * @csspart group - A group of options (role=group); `group-label` its visible heading.
 */
export class PosTriggerSelect extends PosPicker<TriggerOption> {
  static override styles = [...PosPicker.styles, triggerSelectStyles];

  protected readonly source = null;
  protected override readonly virtualized = false;
  protected override readonly ownStrings: Partial<PickerStrings> = {
    placeholder: 'Choose a trigger…',
    empty: 'No trigger types.',
    required: 'Please choose a trigger.',
  };

  /** Group headings overriding the defaults (keys: lifecycle, deals, applications, training, finance, scheduled). */
  @property({ attribute: false }) groupLabels: Partial<Record<TriggerGroup, string>> = {};

  protected override builtInRecords(): readonly TriggerOption[] {
    return TRIGGER_TYPES;
  }

  /** Grouped in the order of `TriggerGroup`, keeping the contract's order inside a group. */
  protected override arrange(records: TriggerOption[]): readonly TriggerOption[] {
    return GROUP_ORDER.flatMap((group) => records.filter((r) => groupOf(r) === group));
  }

  /** Eighteen options need no virtualizing: grouped under headings, indices as in `arrange`. */
  protected override renderOptionList(records: readonly TriggerOption[]) {
    let index = 0;
    return GROUP_ORDER.map((group) => {
      const members = records.filter((r) => groupOf(r) === group);
      if (!members.length) return nothing;
      return html`<div part="group" class="group" role="group" aria-labelledby="group-${group}">
        <div part="group-label" class="group-label" id="group-${group}" role="presentation">${this.groupLabels[group] ?? TriggerGroup[group]}</div>
        ${members.map((record) => this.renderOption(record, index++))}
      </div>`;
    });
  }

  protected recordId(t: TriggerOption): string {
    return t.type;
  }
  protected recordLabel(t: TriggerOption): string {
    return triggerTitle(t.type);
  }
  protected recordSearchText(t: TriggerOption): string {
    return `${triggerTitle(t.type)}\n${t.type}\n${t.description ?? ''}`;
  }
  protected renderRecord(t: TriggerOption, query: string) {
    return html`<span class="title">${highlight(triggerTitle(t.type), query)}</span
      ><span class="type">${highlight(t.type, query)}</span
      >${t.description ? html`<span class="description">${highlight(t.description, query)}</span>` : nothing}`;
  }
}
