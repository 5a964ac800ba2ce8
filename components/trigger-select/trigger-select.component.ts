import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { LoadTask } from '../internal/load-task.js';
import { live } from '../internal/live.js';
import { PosPicker, type PosErrorDetail } from '../internal/picker.js';
import { formatString, type PickerStrings } from '../internal/picker-strings.js';
import { loadRecords } from '../internal/record-loader.js';
import { highlight } from '../internal/text-match.js';
import {
  TRIGGER_DAYS,
  TRIGGER_PARAMETERS,
  TRIGGER_TITLES,
  TRIGGER_TYPES,
  TriggerGroup,
  type PartnerStage,
  type TriggerType,
  type TriggerValue,
} from '../internal/trigger-types.js';
import type { ParameterFields } from './trigger-parameters.js';
import { triggerSelectStyles } from './trigger-select.styles.js';

/** A trigger as the select shows it: the API's `{ type, description }`, with its group when known. */
export type TriggerOption = TriggerType & { group?: TriggerGroup };

/** The select's texts: the pickers' ones, the trigger titles and the parameter fields'. */
export interface TriggerSelectStrings extends PickerStrings {
  /** Option titles by trigger type, over the built-in names (`{ manual: 'Run by hand' }`). */
  titles: Partial<Record<string, string>>;
  /** Option descriptions by trigger type, over the built-in (English) ones and those of `data`. */
  descriptions: Partial<Record<string, string>>;
  /** Group headings (`groupLabels` overrides them). */
  groups: Partial<Record<TriggerGroup, string>>;
  /** The label of `partner_inactive`'s day count. */
  days: string;
  /** The label of `contract_renewal_approaching`'s day count. */
  daysBefore: string;
  /** The labels of `partner_stage_changed`'s stage filters. */
  fromStage: string;
  toStage: string;
  /** The stage filters' "no filter" choice (and the free-text fields' placeholder). */
  anyStage: string;
  /** A day count's validation message; `{min}` and `{max}` are the range. */
  daysInvalid: string;
}

const GROUP_ORDER = Object.keys(TriggerGroup) as TriggerGroup[];
const KNOWN_GROUP = new Map<string, TriggerGroup>(TRIGGER_TYPES.map((t) => [t.type, t.group]));
const groupOf = (t: TriggerOption): TriggerGroup => t.group ?? KNOWN_GROUP.get(t.type) ?? 'other';
/** Own keys only: a type named like an Object.prototype member takes no parameters. */
const takesParameters = (type: unknown): type is keyof typeof TRIGGER_PARAMETERS =>
  typeof type === 'string' && Object.hasOwn(TRIGGER_PARAMETERS, type);

/**
 * The name the builder shows: PartnerOS's for the contract's types
 * (`partner_inactive` → `Partner Inactive (X Days)`), else the type in title
 * case (`deal_escalated` → `Deal Escalated`).
 */
export const triggerTitle = (type: string): string =>
  (Object.hasOwn(TRIGGER_TITLES, type) && TRIGGER_TITLES[type as keyof typeof TRIGGER_TITLES]) ||
  type.replace(/_/g, ' ').replace(/(^|\s)\S/g, (c) => c.toUpperCase());

/**
 * @summary Chooses a workflow trigger and its parameters; ships the 18 types, so it needs no network.
 *
 * For `partner_inactive` and `contract_renewal_approaching` a day count
 * field, for `partner_stage_changed` two stage filters appear below the
 * combobox (their code loads on first need). `trigger` is the whole value.
 *
 * @fires input - After every user change of the type or of a parameter (each keystroke in a field).
 * @fires change - After every user change of the type, and when a parameter edit is committed (as a native field's `change`).
 * @fires pos-error - The parameter fields' code could not be loaded: `detail` is `{ code: 'module_load_error', message }`.
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
 * @csspart retry - The error's Retry button.
 * @csspart group - A group of trigger types (`role="group"`).
 * @csspart group-label - A group's visible heading.
 * @csspart parameters - The parameter fields of the chosen trigger, below the combobox.
 * @csspart parameter - One parameter: its label, field and message.
 * @csspart parameter-label - A parameter's visible label.
 * @csspart parameter-input - A parameter's field (`<input type="number">`, a stage `<select>`, or a text `<input>`).
 * @csspart parameter-error - A parameter's validation message.
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

  /** Group headings overriding the defaults (keys: lifecycle, deals, applications, finance, manual, other). */
  @property({ attribute: false }) groupLabels: Partial<Record<TriggerGroup, string>> = {};
  /**
   * The organisation's partner stages for the stage filters, in its order (names, or `{ id, name }`).
   * Unset, the element asks `GET {base-url}/workflow-pickers/partner-stages` once a stage trigger is
   * chosen; with neither, the filters are free text.
   */
  @property({ attribute: false }) stages: readonly (string | PartnerStage)[] | undefined = undefined;
  /** Texts overriding the defaults, for localisation (trigger titles under `titles`). */
  declare strings: Partial<TriggerSelectStrings>;

  /** The parameter fields, once their module has loaded (most triggers take none, so most pages never load it). */
  #fields?: ParameterFields;
  #fieldsLoading?: Promise<void>;
  /** The last trigger set by code, for the fields to start from when they load later. */
  #early: TriggerValue | null | undefined;
  /** The built-in records, a new array when `strings` change (the filter caches search text per array). */
  #records: readonly TriggerOption[] = TRIGGER_TYPES;

  /**
   * The chosen trigger with its parameters, the documented defaults filled in
   * (`{ type: 'partner_inactive', days: 30 }`); a day count the user left
   * empty or unreadable is `NaN` (the element is then invalid). `null` when
   * none is chosen, and in `multiple` mode. Setting it sets the type and
   * every parameter (those left out take their defaults); `value` stays the type.
   */
  get trigger(): TriggerValue | null {
    if (this.#fields) return this.#fields.value();
    const type = this.value;
    if (!type || typeof type !== 'string') return null;
    // Until the fields' module has loaded (`updateComplete` waits for it): the defaults under what code set.
    const early = this.#early?.type === type && this.#early;
    return (takesParameters(type) ? { ...TRIGGER_PARAMETERS[type], ...early, type } : { type }) as TriggerValue;
  }
  set trigger(trigger: TriggerValue | null | undefined) {
    this.#early = trigger;
    this.#fields?.set(trigger);
    this.value = trigger?.type;
  }

  /** Resolves once the parameter fields' code, when needed, has loaded and rendered too. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    return this.#fieldsLoading ? (await this.#fieldsLoading, super.getUpdateComplete()) : done;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('strings')) this.#records = [...TRIGGER_TYPES];
    super.willUpdate(changed);
    if (takesParameters(this.value)) this.#fieldsLoading ??= this.#loadFields();
  }

  override formResetCallback(): void {
    super.formResetCallback();
    this.#early = undefined;
    this.#fields?.set(undefined);
  }

  /** The fields save the whole trigger as JSON; other states are the base class's. */
  override formStateRestoreCallback(state: unknown): void {
    try {
      const trigger = JSON.parse(state as string) as TriggerValue;
      if (typeof trigger?.type === 'string') return void (this.trigger = trigger);
    } catch {
      // Not JSON: the base class decides.
    }
    super.formStateRestoreCallback(state);
  }

  override setCustomValidity(message: string): void {
    super.setCustomValidity(message);
    // The base class has just set validity and form value from the type alone.
    this.#fields?.sync();
  }

  protected override builtInRecords(): readonly TriggerOption[] {
    return this.#records;
  }

  /** Grouped in the order of `TriggerGroup`, keeping the contract's order inside a group. */
  protected override arrange(records: TriggerOption[]): readonly TriggerOption[] {
    return GROUP_ORDER.flatMap((group) => records.filter((r) => groupOf(r) === group));
  }

  /** Eighteen options need no windowing: all rendered, grouped under headings, indices as in `arrange`. */
  protected override renderOptionList(records: readonly TriggerOption[]) {
    let index = 0;
    const labels = { ...this.#text.groups, ...this.groupLabels };
    return GROUP_ORDER.map((group) => {
      const members = records.filter((r) => groupOf(r) === group);
      if (!members.length) return nothing;
      return html`<div part="group" class="group" role="group" aria-labelledby="group-${group}">
        <div part="group-label" class="group-label" id="group-${group}" role="presentation">${labels[group] ?? TriggerGroup[group]}</div>
        ${members.map((record) => this.renderOption(record, index++))}
      </div>`;
    });
  }

  protected recordId(t: TriggerOption): string {
    return t.type;
  }
  get #text(): Partial<TriggerSelectStrings> {
    return this.text;
  }
  protected recordLabel(t: TriggerOption): string {
    return this.#text.titles?.[t.type] ?? triggerTitle(t.type);
  }
  #description(t: TriggerOption): string | undefined {
    return this.#text.descriptions?.[t.type] ?? t.description;
  }
  protected recordSearchText(t: TriggerOption): string {
    return `${this.recordLabel(t)}\n${t.type}\n${this.#description(t) ?? ''}`;
  }
  protected renderRecord(t: TriggerOption, query: string) {
    const { locale } = this.l10n;
    const description = this.#description(t);
    return html`<span class="title">${highlight(this.recordLabel(t), query, locale)}</span
      ><span class="type">${highlight(t.type, query, locale)}</span
      >${description ? html`<span class="description">${highlight(description, query, locale)}</span>` : nothing}`;
  }

  protected override render(): TemplateResult {
    return html`${super.render()}${this.#fields?.render() ?? nothing}`;
  }

  /**
   * The fields' module gets Lit and the kit's helpers from here rather than
   * importing them: a chunk that imported them would make the bundler split
   * them out of pos-widgets.js, or load pos-widgets.js a second time when the
   * page included it under another URL (`pos-widgets.js?v=2`).
   */
  #loadFields(): Promise<void> {
    return import('./trigger-parameters.js').then(
      ({ ParameterFields }) => {
        this.#fields = new ParameterFields(
          this,
          {
            html,
            nothing,
            live,
            LoadTask,
            loadRecords,
            formatString,
            defaults: TRIGGER_PARAMETERS,
            days: TRIGGER_DAYS,
            internals: this.internals,
            // A click took focus into a field: the list closes, as when focus leaves the element.
            closeList: () => this.combobox.reset(),
            strings: () => this.#text,
          },
          this.#early,
        );
        this.requestUpdate();
      },
      (error: Error) => {
        // Reported once; the element goes on without the fields (the defaults stand).
        const detail: PosErrorDetail = { code: 'module_load_error', message: error.message };
        this.dispatchEvent(new CustomEvent('pos-error', { detail, bubbles: true, composed: true }));
      },
    );
  }
}
