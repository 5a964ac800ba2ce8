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
 * @csspart form-control - The wrapper of the label, the field and the error.
 * @csspart label - The visible label (only with `label`).
 * @csspart combobox - The field holding the chips, the input and the arrow.
 * @csspart input - The text input (`role="combobox"`).
 * @csspart expand-icon - The arrow.
 * @csspart chip - A selected value in multiple mode.
 * @csspart chip__remove - A chip's remove button.
 * @csspart popup - The popover (in the top layer) holding the list.
 * @csspart listbox - The list (`role="listbox"`).
 * @csspart option - An option (`role="option"`).
 * @csspart option--active - The active option (the one `aria-activedescendant` names).
 * @csspart option--selected - The selected options.
 * @csspart match - The highlighted part of a text matching the filter.
 * @csspart skeleton - The loading state.
 * @csspart empty - The empty or no-match message.
 * @csspart error - The error message (`role="alert"`).
 * @csspart retry - The error's Retry button.
 * @csspart group - A group of trigger types (`role="group"`).
 * @csspart group-label - A group's visible heading.
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
export class PosTriggerSelect extends PosPicker<TriggerOption> {
  static override styles = [...PosPicker.styles, triggerSelectStyles];

  protected readonly source = null;
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

  /** Eighteen options need no windowing: all rendered, grouped under headings, indices as in `arrange`. */
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
