import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { DEFAULT_TIMEOUT_MS } from './api.js';
import { Announcer } from './announcer.js';
import { ComboboxController } from './combobox-controller.js';
import { ListWindow } from './list-window.js';
import { listMessage, renderListStatus, renderLoadError, type ListState } from './list-status.js';
import { live } from './live.js';
import { LocaleController } from './locale.js';
import { checkIcon, expandIcon } from './picker-icons.js';
import { PickerRecords, type RecordSource } from './picker-records.js';
import { DEFAULT_STRINGS, formatString, type PickerStrings } from './picker-strings.js';
import { pickerStyles } from './picker.styles.js';
import { PopupController } from './popup-position.js';
import { RecordFilter } from './record-filter.js';
import { renderRemoveButton } from './remove-button.js';
import { SelectionField } from './selection-field.js';
import { themeTokens } from './theme.js';

export { parseList } from './selection-field.js';
export type { PosErrorDetail, RecordSource } from './picker-records.js';

/**
 * The searchable, form-associated combobox every picker is. A subclass says
 * where the records come from and how to read and draw one; this class does
 * the rest: loading (shared, cached, abortable), filtering, the WAI-ARIA
 * combobox with a windowed listbox in a popover, chips, events and forms.
 *
 * @fires input - After every user change of the value (not after programmatic sets). Bubbles, composed.
 * @fires change - After every user change of the value, with `input`. Bubbles, composed.
 * @fires pos-error - Loading failed: `detail` is `{ status, code, message }`. Bubbles, composed.
 */
export abstract class PosPicker<T> extends SelectionField {
  static override shadowRootOptions: ShadowRootInit = { ...SelectionField.shadowRootOptions, delegatesFocus: true };
  static override styles = [themeTokens, pickerStyles];

  // --- What a subclass provides --------------------------------------------

  /** The endpoint to load, or null for a list that ships with the element. */
  protected abstract readonly source: RecordSource | null;
  /** The value an option stands for: an id, a tag, a trigger type. */
  protected abstract recordId(record: T): string;
  /** The text of a chip and of the input once selected. */
  protected abstract recordLabel(record: T): string;
  /** Everything the filter searches (title, description, tags). */
  protected abstract recordSearchText(record: T): string;
  /** An option's content; `query` is the filter to highlight. */
  protected abstract renderRecord(record: T, query: string): TemplateResult;
  /** The element's own default texts, over the generic ones. */
  protected readonly ownStrings: Partial<PickerStrings> = {};
  /** The records when there is no `data` and nothing to load. */
  protected builtInRecords(): readonly T[] | undefined {
    return undefined;
  }
  /** Extra narrowing (e.g. by tag); return the values it depends on from `filterArgs`. */
  protected acceptRecord(_record: T): boolean {
    return true;
  }
  protected filterArgs(): readonly unknown[] {
    return [];
  }
  /** The order options are shown in, after filtering (e.g. by group); stable by default. */
  protected arrange(records: T[]): readonly T[] {
    return records;
  }
  /**
   * An option's height in pixels before one is measured. Every option of an
   * element has the same height (its styles fix `.option`'s `block-size` and
   * clamp the text), which is what lets the list render only a window of rows.
   */
  protected readonly optionHeight: number = 56;
  /**
   * The options as shown; override to group (then every option is rendered).
   * The default renders a window of the rows in view (list-window.ts), the
   * active option always among them, so `aria-activedescendant` resolves.
   */
  protected renderOptionList(records: readonly T[]): unknown {
    return html`<div class="spacer">${this.#window.rows(records).map((index) => this.renderOption(records[index]!, index))}</div>`;
  }

  // --- Controllers ----------------------------------------------------------

  protected readonly combobox = new ComboboxController(this, {
    optionCount: () => this.#shown.length,
    selectedIndex: () => this.#shown.findIndex((r) => this.values.includes(this.recordId(r))),
    pick: (index) => this.#pick(this.#shown[index]!),
    removeLast: () => this.multiple && this.values.length && this.#removeValue(this.values.at(-1)!),
    closesOnPick: () => !this.multiple,
    // Emptying a single picker's text and committing it chooses nothing, as in an editable combobox.
    commit: (query) => query === '' && !this.multiple && this.userSet([]),
  });
  /** The nearest `lang`: texts from its pack, `Intl` formats, the filter's case folding. */
  protected readonly l10n = new LocaleController(this);
  readonly #filter = new RecordFilter<T>({
    id: (r) => this.recordId(r),
    searchText: (r) => this.recordSearchText(r),
    accept: (r) => this.acceptRecord(r),
    arrange: (r) => this.arrange(r),
  });
  // The window lays out its rows before the popup is placed around them: added first (the popup's controller, in the constructor).
  readonly #window = new ListWindow(
    this,
    () => this.combobox.activeIndex,
    () => this.optionHeight,
  );

  readonly #records = new PickerRecords<T>(this, {
    baseUrl: () => this.baseUrl,
    timeout: () => this.timeout,
    data: () => this.data,
    source: () => this.source,
    builtIn: () => this.builtInRecords(),
  });

  readonly #announcer = new Announcer(
    this,
    () => this.#byId('status'),
    () => (this.open ? listMessage(this.#listState(), this.text) : ''),
  );

  constructor() {
    super();
    // Shows, hides and places the popup; it needs nothing else from here.
    new PopupController(
      this,
      () => this.renderRoot.querySelector('[part~="combobox"]'),
      () => this.#byId('popup'),
    );
  }

  /** The shadow root's element with this id, as Lit's `@query('#…')` gives it. */
  // Own code, smaller than three @query fields (BENCHMARKS.md, "Picker internals").
  #byId<E extends HTMLElement = HTMLElement>(id: string): E | null {
    return this.renderRoot?.querySelector<E>(`#${id}`) ?? null;
  }
  get #input(): HTMLInputElement | null {
    return this.#byId('input');
  }

  // --- Private state --------------------------------------------------------

  /** The filtered list. */
  get #shown(): readonly T[] {
    return this.#filter.shown;
  }
  // --- Public properties ----------------------------------------------------

  /** The visible label; without it, name the picker with an outside `<label for>` or `aria-label`. */
  @property() label = '';
  /** The input's placeholder (defaults to `strings.placeholder`). */
  @property() placeholder = '';
  /** The API base URL; requests include credentials so the session cookie travels. */
  @property({ attribute: 'base-url' }) baseUrl = '/api';
  /** How long loading may take (ms) before it fails with a Retry; shared requests keep the first picker's. */
  @property({ type: Number }) timeout = DEFAULT_TIMEOUT_MS;
  /** Records handed in by the host: no request is made while set. */
  @property({ attribute: false }) data: T[] | undefined = undefined;
  /** Texts overriding the defaults, for localisation. */
  @property({ attribute: false }) strings: Partial<PickerStrings> = {};
  /** Whether the list popup is open (reflected for styling). */
  @property({ type: Boolean, reflect: true }) open = false;

  @property({ attribute: 'aria-label' }) private hostAriaLabel: string | null = null;

  // --- Getters ----------------------------------------------------------------

  /** The full records of the selection, in selection order (those loaded so far). */
  get selectedItems(): T[] {
    const byId = this.#filter.index(this.records ?? []);
    return this.values.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** The records the picker offers (before filtering), or undefined while loading. */
  get records(): readonly T[] | undefined {
    return this.#records.value;
  }

  /** `pending`, `complete`, `error` or `initial`: the loading state. */
  get loadState(): 'initial' | 'pending' | 'complete' | 'error' {
    return this.#records.state;
  }

  override get requiredMessage(): string {
    return this.text.required;
  }
  override get validationAnchor(): HTMLElement | null {
    return this.#input;
  }

  protected get text(): PickerStrings {
    return {
      ...DEFAULT_STRINGS,
      ...this.ownStrings,
      ...this.l10n.strings<PickerStrings>('picker', this.localName as 'picker'),
      ...this.strings,
    };
  }

  // --- Lifecycle ----------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.#updateShown();
    // A picker in error shows the error, not an empty expanded listbox.
    this.open = this.combobox.open && !this.isDisabled && this.loadState !== 'error';
    if (this.isDisabled && this.combobox.open) this.combobox.reset();
  }

  // --- Form callbacks (ElementInternals) -----------------------------------------

  override formResetCallback(): void {
    super.formResetCallback();
    this.combobox.reset();
  }

  // --- Public methods ---------------------------------------------------------------

  /** Reloads the records from the server (other pickers keep theirs until they reload). */
  refresh(): void {
    this.#records.refresh();
  }

  override focus(options?: FocusOptions): void {
    this.#input?.focus(options);
  }
  override blur(): void {
    this.#input?.blur();
  }

  // --- Internals ------------------------------------------------------------------

  #pick(record: T): void {
    const id = this.recordId(record);
    if (!this.multiple) this.userSet([id]);
    else this.userSet(this.values.includes(id) ? this.values.filter((v) => v !== id) : [...this.values, id]);
  }

  #updateShown(): void {
    const active = this.#shown[this.combobox.activeIndex];
    if (!this.#filter.update(this.records ?? [], this.combobox.query ?? '', this.l10n, this.filterArgs())) return;
    this.combobox.listChanged(active === undefined || this.combobox.query ? -1 : this.#shown.indexOf(active));
  }

  #listState(): ListState {
    return { load: this.loadState, total: this.records?.length ?? 0, shown: this.#shown.length, query: this.combobox.query ?? '' };
  }

  protected optionId(index: number): string {
    return `option-${index}`;
  }

  // --- Event handlers -----------------------------------------------------------

  #onInput(event: InputEvent): void {
    // The inner input's `input` is composed: keep filter typing from looking like a value change.
    event.stopPropagation();
    const input = event.target as HTMLInputElement;
    // Typing over a single picker's selected label starts a new filter rather than appending to the label.
    if (this.combobox.query === null && this.values.length && !this.multiple && event.inputType === 'insertText' && event.data)
      input.value = event.data;
    this.combobox.handleInput(input.value);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (this.isDisabled) return;
    this.combobox.handleKeydown(event);
  }

  #onFieldClick(event: MouseEvent): void {
    if (this.isDisabled) return;
    if ((event.target as HTMLElement).closest('[part~="chip__remove"]')) return;
    this.#input?.focus();
    this.combobox.toggle();
  }

  /**
   * The field's buttons (a chip's Remove) are for the pointer and never take focus from it
   * (`tabindex="-1"`, mousedown prevented), but `delegatesFocus` gives focus to the first
   * focusable node: an outside `<label for>` or `HTMLElement.prototype.focus` would land on
   * a Remove button, where Enter deletes a selection. The input takes it instead.
   */
  #onFocusIn(event: FocusEvent): void {
    if ((event.target as HTMLElement).closest('.field button')) this.#input?.focus();
  }

  #onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (next && (this.renderRoot.contains(next) || this.contains(next))) return;
    this.combobox.commit();
  }

  #onOptionClick(index: number): void {
    this.#input?.focus();
    this.combobox.pick(index);
  }

  #removeValue(id: string): void {
    const record = this.#filter.index(this.records ?? []).get(id);
    this.#announcer.say(formatString(this.text.removed, { label: record ? this.recordLabel(record) : id }));
    this.userSet(this.values.filter((v) => v !== id));
  }

  // --- Rendering ----------------------------------------------------------------

  protected override render(): TemplateResult {
    const name = this.label || this.outsideLabel || this.hostAriaLabel || undefined;
    return html`
      <div part="form-control" class="form-control" @focusin=${this.#onFocusIn} @focusout=${this.#onFocusOut}>
        ${this.label ? html`<label part="label" for="input">${this.label}</label>` : nothing}
        <div part="combobox" class="field ${this.open ? 'open' : ''} ${this.isDisabled ? 'disabled' : ''}" @click=${this.#onFieldClick}>
          ${this.multiple ? this.#renderChips() : nothing}${this.#renderInput(name)}${this.#renderClear()}${expandIcon}
        </div>
        ${this.loadState === 'error' ? renderLoadError(this.#records.error, this.text, () => this.refresh()) : nothing}
        <div id="status" class="visually-hidden" role="status"></div>
        ${
          this.multiple && this.values.length
            ? html`<span id="summary" hidden>${formatString(this.text.selectedCount, { count: this.values.length })}</span>`
            : nothing
        }
        <div id="popup" part="popup" class="popup" popover="manual" @mousedown=${(e: Event) => e.preventDefault()}>
          ${renderListStatus(this.#listState(), this.text)}
          <div
            id="listbox"
            part="listbox"
            role="listbox"
            class="listbox"
            aria-label=${name ?? nothing}
            aria-multiselectable=${this.multiple ? 'true' : nothing}
            @scroll=${this.#window}
          >
            ${this.open && this.#shown.length ? this.renderOptionList(this.#shown) : nothing}
          </div>
        </div>
      </div>
    `;
  }

  #renderInput(name: string | undefined): TemplateResult {
    const { activeIndex, query } = this.combobox;
    const selected = this.multiple ? undefined : this.selectedItems[0];
    const selectedLabel = this.multiple ? '' : selected ? this.recordLabel(selected) : (this.values[0] ?? '');
    return html`<input
      id="input"
      part="input"
      class="input"
      role="combobox"
      type="text"
      autocomplete="off"
      autocapitalize="off"
      spellcheck="false"
      aria-autocomplete="list"
      aria-haspopup="listbox"
      aria-controls="listbox"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-activedescendant=${this.open && activeIndex >= 0 ? this.optionId(activeIndex) : nothing}
      aria-label=${this.label ? nothing : (name ?? nothing)}
      aria-required=${this.required ? 'true' : 'false'}
      aria-describedby=${
        [this.loadState === 'error' && 'error', this.multiple && this.values.length && 'summary'].filter(Boolean).join(' ') || nothing
      }
      placeholder=${this.multiple && this.values.length ? '' : this.placeholder || this.text.placeholder}
      .value=${live(query ?? selectedLabel)}
      ?disabled=${this.isDisabled}
      @input=${this.#onInput}
      @keydown=${this.#onKeydown}
    />`;
  }

  /** A single picker's clear button, for the pointer (the keyboard empties the text). Not on a required one: none is invalid there. */
  #renderClear(): TemplateResult | typeof nothing {
    if (this.multiple || !this.values.length || this.isDisabled || this.required) return nothing;
    return this.#renderRemoveButton('clear-button', this.text.clear, () => this.userSet([]));
  }

  /** A chip's Remove or the clear button; focus goes back to the input, where the keyboard was. */
  #renderRemoveButton(part: string, label: string, remove: () => void): TemplateResult {
    return renderRemoveButton(part, label, this.isDisabled, () => {
      this.#input?.focus();
      remove();
    });
  }

  #renderChips(): TemplateResult {
    const byId = this.#filter.index(this.records ?? []);
    return html`${this.values.map((id) => {
      const record = byId.get(id);
      const label = record ? this.recordLabel(record) : id;
      return html`<span part="chip" class="chip"
        ><span class="chip-label">${label}</span
        >${this.#renderRemoveButton('chip__remove', formatString(this.text.removeItem, { label }), () => this.#removeValue(id))}</span
      >`;
    })}`;
  }

  /** One option: the check mark, then the subclass's content. */
  protected renderOption(record: T, index: number): TemplateResult {
    const selected = this.values.includes(this.recordId(record));
    const active = index === this.combobox.activeIndex;
    return html`<div
      id=${this.optionId(index)}
      role="option"
      part="option${active ? ' option--active' : ''}${selected ? ' option--selected' : ''}"
      class="option ${active ? 'active' : ''} ${selected ? 'selected' : ''}"
      aria-selected=${selected ? 'true' : 'false'}
      aria-setsize=${this.#shown.length}
      aria-posinset=${index + 1}
      @click=${() => this.#onOptionClick(index)}
      @mousemove=${() => active || this.combobox.moveTo(index)}
    >
      ${checkIcon}
      <div class="option-content">${this.renderRecord(record, this.combobox.query ?? '')}</div>
    </div>`;
  }
}
