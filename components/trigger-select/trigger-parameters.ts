/**
 * The parameters of `<pos-trigger-select>`: a day count for `partner_inactive`
 * and `contract_renewal_approaching`, two stage filters for
 * `partner_stage_changed`, with their state, validity and form value. The
 * element loads this module with `import()` the first time such a trigger is
 * chosen, so the script-tag bundle does not carry it (BENCHMARKS.md).
 *
 * Type imports only: Lit and the kit's helpers come in the `FieldKit` the
 * element hands over (see its #loadFields), so this chunk imports nothing.
 */
import type { html, nothing, ReactiveController, TemplateResult } from 'lit';
import type { LoadTask } from '../internal/load-task.js';
import type { live } from '../internal/live.js';
import type { formatString } from '../internal/picker-strings.js';
import type { loadRecords } from '../internal/record-loader.js';
import type { PartnerStage, TRIGGER_DAYS, TRIGGER_PARAMETERS, TriggerParameter, TriggerValue } from '../internal/trigger-types.js';
import type { PosTriggerSelect, TriggerSelectStrings } from './trigger-select.component.js';

/** What the element hands the fields: Lit, the kit's helpers, the parameters' data, and its own internals. */
export interface FieldKit {
  html: typeof html;
  nothing: typeof nothing;
  live: typeof live;
  LoadTask: typeof LoadTask;
  loadRecords: typeof loadRecords;
  formatString: typeof formatString;
  defaults: typeof TRIGGER_PARAMETERS;
  days: typeof TRIGGER_DAYS;
  internals: ElementInternals;
  /** Closes the combobox's list. */
  closeList(): void;
  /** The element's texts: English, its locale pack's, its `strings`. */
  strings(): Partial<TriggerSelectStrings>;
}

type ParameterStrings = Pick<TriggerSelectStrings, 'days' | 'daysBefore' | 'fromStage' | 'toStage' | 'anyStage' | 'daysInvalid'>;

const STRINGS: ParameterStrings = {
  days: 'Days without activity',
  daysBefore: 'Days before the renewal date',
  fromStage: 'From stage',
  toStage: 'To stage',
  anyStage: 'Any stage',
  daysInvalid: 'Enter a whole number of days from {min} to {max}.',
};

/** The fields of each trigger that takes parameters, in the order they are shown. */
const FIELDS: Readonly<Record<string, readonly TriggerParameter[]>> = {
  partner_stage_changed: ['fromStage', 'toStage'],
  partner_inactive: ['days'],
  contract_renewal_approaching: ['daysBefore'],
};

/** The reference server's own route (PartnerOS documents none): `[{ id, name }]` in the organisation's order. */
export const STAGES_ENDPOINT = 'workflow-pickers/partner-stages';

const isStage = (name: TriggerParameter) => name === 'fromStage' || name === 'toStage';

/** The stage names of a list of names or `{ id, name }`; `null` (free text) when there are none. */
function stageNames(list: readonly unknown[]): string[] | null {
  const names = list
    .map((s) => (typeof s === 'string' ? s : (s as PartnerStage | null)?.name))
    .filter((n): n is string => typeof n === 'string' && n !== '');
  return names.length ? names : null;
}

/**
 * A day count's validity as its native field (`required`, `min`, `max`,
 * `step="1"`) has it, from the field's text: known while rendering, before
 * the field exists, and for values set by code.
 */
export function dayValidity(text: string, badInput: boolean, range: typeof TRIGGER_DAYS): ValidityStateFlags | undefined {
  const days = Number(text);
  // A field with bad input has the value '', so a required one is also missing its value.
  if (badInput || Number.isNaN(days)) return { badInput: true, valueMissing: true };
  if (text === '') return { valueMissing: true };
  const flags = { rangeUnderflow: days < range.min, rangeOverflow: days > range.max, stepMismatch: !Number.isInteger(days) };
  return Object.values(flags).includes(true) ? flags : undefined;
}

/** Named so the build minifies it as it does Lit's `css` (String.raw: the text as written). */
const css = String.raw;
const STYLES = css`
  .parameters {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
    gap: 0.75rem;
    margin-block-start: 0.75rem;
  }
  .parameter {
    display: grid;
    gap: 0.375rem;
    align-content: start;
  }
  .parameter-input {
    box-sizing: border-box;
    inline-size: 100%;
    min-block-size: var(--_field-min-height);
    padding: 0.25rem 0.5rem;
    background: var(--_surface);
    color: inherit;
    font: inherit;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .parameter-input:focus-visible {
    border-color: var(--_accent);
  }
  .parameter-input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .parameter-input:disabled {
    opacity: 0.6;
  }
  .parameter-error {
    color: var(--_danger);
    font-size: 0.8125em;
  }
`;
let sheet: CSSStyleSheet | undefined;
/** One sheet for every element, adopted like the elements' own styles: a strict style-src CSP needs no 'unsafe-inline'. */
function adoptStyles(root: ShadowRoot): void {
  if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(STYLES);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** The parameters of one element: its state, its fields and the stage list it loads (a controller of the element). */
export class ParameterFields implements ReactiveController {
  readonly #host: PosTriggerSelect;
  readonly #kit: FieldKit;
  /** The parameters as edited, by name (a day count as its field's text); unset ones take the defaults. */
  #texts: Partial<Record<TriggerParameter, string>> = {};
  /** Day counts whose field holds text that is no number (the native field's `badInput`). */
  readonly #badInput = new Set<TriggerParameter>();
  /** Set once a stage trigger was chosen, and kept: switching back and forth asks once. */
  #wantsStages = false;
  /** The stage names from the server; `null` when it has none or the request failed (free text then). */
  readonly #stages: LoadTask<readonly [string | null, boolean], string[] | null>;

  constructor(host: PosTriggerSelect, kit: FieldKit, initial: TriggerValue | null | undefined) {
    this.#host = host;
    this.#kit = kit;
    this.set(initial);
    adoptStyles(host.renderRoot as ShadowRoot);
    this.#stages = new kit.LoadTask(host, {
      args: () => [host.stages ? null : host.baseUrl, (this.#wantsStages ||= host.value === 'partner_stage_changed')] as const,
      // Stages are optional to a trigger: no route (404) or any failure means free text, not an error state.
      task: ([baseUrl, wanted], signal) =>
        baseUrl && wanted
          ? kit.loadRecords<unknown>(baseUrl, STAGES_ENDPOINT, 'partnerStages', signal, host.timeout).then(stageNames, () => null)
          : null,
    });
    host.addController(this);
  }

  /** The chosen type and the names of its parameters (none for a type that takes none). */
  #parameters(): [string, TriggerParameter[]] {
    const type = this.#host.value;
    return typeof type === 'string' && Object.hasOwn(FIELDS, type) ? [type, [...FIELDS[type]!]] : [String(type), []];
  }

  #text(type: string, name: TriggerParameter): string {
    return this.#texts[name] ?? String((this.#kit.defaults as Record<string, Record<string, number>>)[type]![name] ?? '');
  }

  /** The element's `trigger`. */
  value(): TriggerValue | null {
    const type = this.#host.value;
    if (!type || typeof type !== 'string') return null;
    const trigger: Record<string, string | number> = { type };
    for (const name of this.#parameters()[1]) {
      const text = this.#text(type, name);
      if (!isStage(name)) trigger[name] = text ? Number(text) : NaN;
      else if (text) trigger[name] = text;
    }
    return trigger as TriggerValue;
  }

  /** Takes the parameters of a trigger set by code (the element sets the type); `undefined` restores the defaults. */
  set(trigger: TriggerValue | null | undefined): void {
    this.#texts = {};
    this.#badInput.clear();
    for (const [name, value] of Object.entries(trigger ?? {}))
      if (name !== 'type' && (typeof value === 'number' || typeof value === 'string'))
        this.#texts[name as TriggerParameter] = String(value);
    this.#host.requestUpdate();
  }

  hostUpdated(): void {
    this.sync();
  }

  /**
   * After the element has submitted the type: with parameters, the FormData
   * gets `{name}` (the type) and `{name}.{parameter}` for each of the type's
   * parameters (a stage filter only when set), the saved state the whole
   * trigger as JSON, and validity the first bad day count, anchored to its
   * field so `reportValidity()` points there. `required` and
   * `setCustomValidity()` keep precedence.
   */
  sync(): void {
    const { internals } = this.#kit;
    const trigger = this.value();
    const [type, names] = this.#parameters();
    if (!trigger || !names.length) return;
    const { name } = this.#host;
    const data = new FormData();
    for (const [key, value] of Object.entries(trigger))
      data.append(key === 'type' ? name : `${name}.${key}`, Number.isNaN(value) ? '' : String(value));
    internals.setFormValue(name ? data : null, JSON.stringify(trigger));
    if (!internals.validity.valid) return;
    for (const field of names) {
      const flags = isStage(field) ? undefined : dayValidity(this.#text(type, field), this.#badInput.has(field), this.#kit.days);
      if (flags)
        return internals.setValidity(
          flags,
          this.#invalidMessage(),
          this.#host.renderRoot.querySelector<HTMLElement>(`#${field}`) ?? undefined,
        );
    }
  }

  /**
   * `disabled` itself, which is reflected only after this render, or a
   * disabled fieldset around the element (`:disabled`, reported in its own update).
   */
  #disabled(): boolean {
    return this.#host.disabled || this.#host.matches(':disabled');
  }

  #strings(): ParameterStrings {
    return { ...STRINGS, ...this.#kit.strings() };
  }

  #invalidMessage(): string {
    return this.#kit.formatString(this.#strings().daysInvalid, this.#kit.days);
  }

  render(): TemplateResult | symbol {
    const { html, nothing } = this.#kit;
    const [type, names] = this.#parameters();
    if (!names.length) return nothing;
    return html`<div part="parameters" class="parameters" @focusin=${() => this.#kit.closeList()}>
      ${names.map((name) => (isStage(name) ? this.#renderStage(type, name) : this.#renderDays(type, name)))}
    </div>`;
  }

  /** A user edit: the native `input` as the user types, `change` when the field commits. */
  #onEdit(event: Event, name: TriggerParameter): void {
    // The native `input` is composed and would reach the page as the element's own: the element fires its own.
    event.stopPropagation();
    const field = event.target as HTMLInputElement | HTMLSelectElement;
    this.#texts[name] = field.value;
    if (field.validity.badInput) this.#badInput.add(name);
    else this.#badInput.delete(name);
    // The form value follows in the update, as for the type.
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new Event(event.type, { bubbles: true, composed: true }));
  }

  #renderDays(type: string, name: TriggerParameter): TemplateResult {
    const { html, nothing, live, days } = this.#kit;
    const strings = this.#strings();
    const text = this.#text(type, name);
    const invalid = !!dayValidity(text, this.#badInput.has(name), days);
    // A field with bad input shows its text but has the value '': live('') then leaves that text alone.
    return html`<div part="parameter" class="parameter">
      <label part="parameter-label" for=${name}>${strings[name]}</label>
      <input
        part="parameter-input"
        class="parameter-input"
        id=${name}
        type="number"
        inputmode="numeric"
        min=${days.min}
        max=${days.max}
        step="1"
        required
        .value=${live(text)}
        ?disabled=${this.#disabled()}
        aria-invalid=${invalid ? 'true' : nothing}
        aria-describedby=${invalid ? `${name}-error` : nothing}
        @input=${(e: Event) => this.#onEdit(e, name)}
        @change=${(e: Event) => this.#onEdit(e, name)}
      />
      ${invalid ? html`<div part="parameter-error" class="parameter-error" id="${name}-error">${this.#invalidMessage()}</div>` : nothing}
    </div>`;
  }

  /**
   * A native select of the organisation's stages (after "Any stage"), a
   * disabled one while they load, or a text field when there is no list.
   */
  #renderStage(type: string, name: TriggerParameter): TemplateResult {
    const { html, nothing, live } = this.#kit;
    const strings = this.#strings();
    const text = this.#text(type, name);
    const given = this.#host.stages;
    // Not asked yet or loading: no names (a disabled select); then the names, or null (free text) without any.
    const list = given ? stageNames(given) : this.#stages.status < 2 ? [] : this.#stages.value;
    const pending = !given && list?.length === 0;
    const disabled = this.#disabled();
    const onEdit = (e: Event) => this.#onEdit(e, name);
    // A stored stage the list does not have stays shown and chosen rather than silently becoming "any".
    const options = list && text && !list.includes(text) ? [...list, text] : list;
    const field = options
      ? html`<select
          part="parameter-input"
          class="parameter-input"
          id=${name}
          ?disabled=${disabled || pending}
          aria-busy=${pending ? 'true' : nothing}
          @input=${onEdit}
          @change=${onEdit}
        >
          <option value="" .selected=${live(!text)}>${strings.anyStage}</option>
          ${options.map((stage) => html`<option value=${stage} .selected=${live(stage === text)}>${stage}</option>`)}
        </select>`
      : html`<input
          part="parameter-input"
          class="parameter-input"
          id=${name}
          type="text"
          autocomplete="off"
          placeholder=${strings.anyStage}
          .value=${live(text)}
          ?disabled=${disabled}
          @input=${onEdit}
          @change=${onEdit}
        />`;
    return html`<div part="parameter" class="parameter">
      <label part="parameter-label" for=${name}>${strings[name]}</label>
      ${field}
    </div>`;
  }
}
