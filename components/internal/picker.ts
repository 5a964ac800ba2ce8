import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DEFAULT_TIMEOUT_MS, PosApiError, apiUrl, canRetry } from './api.js';
import { ComboboxController } from './combobox-controller.js';
import { FormControlController } from './form-control.js';
import { live } from './live.js';
import { LocaleController } from './locale.js';
import { LoadTask, initialState } from './load-task.js';
import { DEFAULT_STRINGS, formatString, type PickerStrings } from './picker-strings.js';
import { pickerStyles } from './picker.styles.js';
import { PopupPositioner } from './popup-position.js';
import { loadRecords, refreshShared } from './record-loader.js';
import { fold, normalizeQuery } from './text-match.js';
import { themeTokens } from './theme.js';

/** Where a picker's records come from: `GET {base-url}/{endpoint}`, the list under `key`. */
export interface RecordSource {
  endpoint: string;
  key: string;
}

/** The detail of the `pos-error` event. */
export interface PosErrorDetail {
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** `unauthorized`, `no_active_organization`, `network_error`, `invalid_response`, `http_error`, … */
  code: string;
  /** A readable sentence. */
  message: string;
}

/** Splits the `value` (and `tags`) attribute of a multiple picker: comma-separated, spaces around items ignored. */
export const parseList = (text: string | null | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The tallest the list can be (the popup's limit, see popup-position.ts): how many rows a window must cover. */
const MAX_LIST_HEIGHT = 320;
/** Rows rendered beyond the visible ones on each side, so a fast scroll or a keyboard move shows no gap. */
const OVERSCAN = 5;

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

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
export abstract class PosPicker<T> extends LitElement {
  static formAssociated = true;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };
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
   * The default renders a window (hand-written: @lit-labs/virtualizer was
   * 7.2 KB brotli of the 25 KB budget, and fixed-height rows need far less):
   * a spacer as tall as all rows keeps the scrollbar true, and only the rows
   * in view plus OVERSCAN on each side are rendered, each placed at
   * `index × height` with `translateY` (in `updated`, through the CSSOM).
   * The active option is always rendered too, even when scrolled away, so
   * `aria-activedescendant` resolves. 10,000 records cost ~20 option nodes.
   */
  protected renderOptionList(records: readonly T[]): unknown {
    this.#windowRows = this.#rowsToRender(records.length);
    return html`<div class="spacer">${this.#windowRows.map((index) => this.renderOption(records[index]!, index))}</div>`;
  }

  // --- Controllers ----------------------------------------------------------

  protected readonly internals: ElementInternals = this.attachInternals();
  readonly #formControl = new FormControlController(this, this.internals);
  protected readonly combobox = new ComboboxController(this, {
    optionCount: () => this.#shown.length,
    selectedIndex: () => this.#shown.findIndex((r) => this.values.includes(this.recordId(r))),
    pick: (index) => this.#pick(this.#shown[index]!),
    removeLast: () => this.multiple && this.values.length && this.#userSet(this.values.slice(0, -1)),
    closesOnPick: () => !this.multiple,
  });
  readonly #positioner = new PopupPositioner();
  /** The nearest `lang`: texts from its pack, `Intl` formats, the filter's case folding. */
  protected readonly l10n = new LocaleController(this);

  readonly #loader = new LoadTask(this, {
    args: () => [this.baseUrl, this.data, this.source, this.revision] as const,
    task: ([baseUrl, data, source], signal) =>
      data || !source ? initialState : loadRecords<T>(baseUrl, source.endpoint, source.key, signal, this.timeout),
    onError: (error) => this.#reportError(error),
  });

  /** The shadow root's element with this id, as Lit's `@query('#…')` gives it. */
  // Own code: with three @query fields instead, dist/pos-widgets.js is 0.12 KB brotli larger (19.63 vs 19.51 KB).
  #byId<E extends HTMLElement = HTMLElement>(id: string): E | null {
    return this.renderRoot?.querySelector<E>(`#${id}`) ?? null;
  }
  get #input(): HTMLInputElement | null {
    return this.#byId('input');
  }

  // --- Private state --------------------------------------------------------

  /** The selection, in order (single mode: at most one). */
  @state() private values: string[] = [];
  /** Set once the value was set by code or the user: the `value` attribute no longer drives it. */
  #dirty = false;
  /** Disabled by an ancestor `<fieldset disabled>` (or the attribute), as the browser reports it. */
  @state() private formDisabled = false;
  /** Bumped by `refresh()` so the loading task runs again. */
  @state() private revision = 0;
  /** The accessible name from an outside `<label for>`, read from `internals.labels`. */
  @state() private outsideLabel = '';
  /** The filtered list, memoised on its inputs. */
  #shown: readonly T[] = [];
  #shownKey: readonly unknown[] = [];
  /** The folded search text of each record, per records array, with the `l10n.version` it was made for. */
  #searchCache = new WeakMap<readonly T[], string[] & { version?: number }>();
  /** Records by id, per records array: renders look selections up without a scan of 10,000 records. */
  #indexCache = new WeakMap<readonly T[], Map<string, T>>();
  /**
   * The height of one option as measured in the open list (0: not yet, `optionHeight` stands in).
   * Not reactive: `layoutRows` uses it at once, and the next scroll renders the window with it.
   */
  #measuredOptionHeight = 0;
  /** The first row scrolled into view in the listbox (its `scrollTop` in rows). */
  @state() private scrollRow = 0;
  /** The indices of the rows rendered last, in DOM order (for `layoutRows`). */
  #windowRows: number[] = [];
  /** The active option and list last scrolled into view: reveal again only when one changes. */
  #revealedIndex = -1;
  #revealedList: readonly T[] = [];
  /** Tracks the listbox's scrolling (passive: it never cancels the scroll). */
  readonly #listScroll = {
    handleEvent: () => {
      const row = Math.floor((this.#byId('listbox')?.scrollTop ?? 0) / this.#rowHeight);
      if (row !== this.scrollRow) this.scrollRow = row;
    },
    passive: true,
  };

  // --- Public properties ----------------------------------------------------

  /** The visible label; without it, name the picker with an outside `<label for>` or `aria-label`. */
  @property() label = '';
  /** The name under which the value is submitted with a form. */
  @property({ reflect: true }) name = '';
  /** The input's placeholder (defaults to `strings.placeholder`). */
  @property() placeholder = '';
  /** Select several values (chips); `value` is then a string array. */
  @property({ type: Boolean, reflect: true }) multiple = false;
  /** An empty picker is invalid and blocks form submission. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** Disables the picker (a disabled `<fieldset>` around it does too). */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** The API base URL; requests include credentials so the session cookie travels. */
  @property({ attribute: 'base-url' }) baseUrl = '/api';
  /** How long loading may take (ms) before it fails with a Retry; shared requests keep the first picker's. */
  @property({ type: Number }) timeout = DEFAULT_TIMEOUT_MS;
  /** Records handed in by the host: no request is made while set. */
  @property({ attribute: false }) data: T[] | undefined = undefined;
  /** Texts overriding the defaults, for localisation. */
  @property({ attribute: false }) strings: Partial<PickerStrings> = {};
  /**
   * The initial value, from the `value` attribute (what `form.reset()` restores).
   * Multiple mode: comma-separated (`value="a, b"`).
   */
  @property({ attribute: 'value' }) defaultValue = '';
  /** Whether the list popup is open (reflected for styling). */
  @property({ type: Boolean, reflect: true }) open = false;

  @property({ attribute: 'aria-label' }) private hostAriaLabel: string | null = null;

  // --- Getters ----------------------------------------------------------------

  /** The selection: a string (`''` for none), or a string array in `multiple` mode. */
  get value(): string | string[] {
    return this.multiple ? [...this.values] : (this.values[0] ?? '');
  }
  set value(value: string | string[] | null | undefined) {
    this.#dirty = true;
    this.#setValues(Array.isArray(value) ? value.map(String) : value ? [String(value)] : []);
  }

  /** The full records of the selection, in selection order (those loaded so far). */
  get selectedItems(): T[] {
    const byId = this.#recordIndex();
    return this.values.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** The records the picker offers (before filtering), or undefined while loading. */
  get records(): readonly T[] | undefined {
    return this.data ?? this.builtInRecords() ?? this.#loader.value;
  }

  /** `pending`, `complete`, `error` or `initial`: the loading state. */
  get loadState(): 'initial' | 'pending' | 'complete' | 'error' {
    if (this.data || !this.source) return 'complete';
    return (['initial', 'pending', 'complete', 'error'] as const)[this.#loader.status];
  }

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }
  get validity(): ValidityState {
    return this.internals.validity;
  }
  get validationMessage(): string {
    return this.internals.validationMessage;
  }
  get willValidate(): boolean {
    return this.internals.willValidate;
  }
  /** The form values (one per selected value), for the form controller. */
  get formValues(): readonly string[] {
    return this.values;
  }
  get requiredMessage(): string {
    return this.text.required;
  }
  get validationAnchor(): HTMLElement | null {
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

  get #isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  // --- Lifecycle ----------------------------------------------------------------

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#positioner.detach();
    this.combobox.reset();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('defaultValue') || changed.has('multiple')) && !this.#dirty) this.values = this.#parseDefault();
    if (changed.has('multiple') && !this.multiple && this.values.length > 1) this.values = this.values.slice(0, 1);
    this.#updateShown();
    this.open = this.combobox.open && !this.#isDisabled;
    // A closed list empties its listbox, which scrolls back to the top.
    if (!this.open) this.scrollRow = 0;
    if (this.#isDisabled && this.combobox.open) this.combobox.reset();
    if (!this.label) this.outsideLabel = this.#readOutsideLabel();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open')) this.#syncPopup();
    // Rows are laid out (and measured) in the shown popup, which is then placed
    // for the list's height (the content or the field's height may have changed).
    this.#layoutRows();
    if (this.open) this.#positioner.update();
    const active = this.combobox.activeIndex;
    if (!this.open) this.#revealedIndex = -1;
    else if (active >= 0 && (active !== this.#revealedIndex || this.#shown !== this.#revealedList)) {
      this.#revealedIndex = active;
      this.#revealedList = this.#shown;
      this.#revealActive();
    }
  }

  /**
   * Sizes the spacer and places the windowed rows through the CSSOM, not a
   * style attribute (Lit's styleMap writes one on first render), so host pages
   * with a strict Content-Security-Policy (`style-src 'self'`) need no
   * 'unsafe-inline'. The first rendered option gives the row height.
   */
  #layoutRows(): void {
    const spacer = this.renderRoot.querySelector<HTMLElement>('.spacer');
    const options = spacer?.children as HTMLCollectionOf<HTMLElement> | undefined;
    if (!spacer || !options?.length) return;
    // Measured once per element, in the shown popup.
    if (!this.#measuredOptionHeight) this.#measuredOptionHeight = options[0]!.getBoundingClientRect().height;
    const height = this.#rowHeight;
    spacer.style.height = `${this.#shown.length * height}px`;
    this.#windowRows.forEach((index, i) => options[i] && (options[i].style.transform = `translateY(${index * height}px)`));
  }

  // --- Form callbacks (ElementInternals) -----------------------------------------

  formResetCallback(): void {
    this.#dirty = false;
    this.values = this.#parseDefault();
    this.combobox.reset();
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    // Called while Lit reflects `disabled` (after this update's template was
    // made), so the change would be lost: render again once this update is done.
    void this.updateComplete.then(() => this.requestUpdate());
  }

  formStateRestoreCallback(state: unknown): void {
    const values = FormControlController.decodeState(state);
    if (values) {
      this.#dirty = true;
      this.#setValues(values);
    }
  }

  // --- Public methods ---------------------------------------------------------------

  /** Reloads the records from the server (other pickers keep theirs until they reload). */
  refresh(): void {
    if (this.source) refreshShared(apiUrl(this.baseUrl, this.source.endpoint));
    this.revision++;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }
  reportValidity(): boolean {
    return this.internals.reportValidity();
  }
  /** A custom validation message; `''` makes the picker valid again. */
  setCustomValidity(message: string): void {
    this.#formControl.setCustomValidity(message);
  }

  override focus(options?: FocusOptions): void {
    this.#input?.focus(options);
  }
  override blur(): void {
    this.#input?.blur();
  }

  // --- Internals ------------------------------------------------------------------

  #parseDefault(): string[] {
    const text = this.defaultValue.trim();
    if (this.multiple) return parseList(text);
    return text ? [text] : [];
  }

  #setValues(values: string[]): void {
    const next = this.multiple ? [...new Set(values)] : values.slice(0, 1);
    if (!sameList(next, this.values)) this.values = next;
  }

  /** A change made by the user: update and fire `input` + `change` like a native select. */
  #userSet(values: string[]): void {
    const before = this.values;
    this.#dirty = true;
    this.#setValues(values);
    if (sameList(before, this.values)) return;
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  #pick(record: T): void {
    const id = this.recordId(record);
    if (!this.multiple) this.#userSet([id]);
    else this.#userSet(this.values.includes(id) ? this.values.filter((v) => v !== id) : [...this.values, id]);
  }

  #recordIndex(): Map<string, T> {
    const records = this.records ?? [];
    let index = this.#indexCache.get(records);
    if (!index) {
      index = new Map(records.map((r) => [this.recordId(r), r] as const));
      this.#indexCache.set(records, index);
    }
    return index;
  }

  #updateShown(): void {
    const records = this.records ?? [];
    const { locale, version } = this.l10n;
    const query = normalizeQuery(this.combobox.query ?? '', locale);
    const key = [records, query, version, ...this.filterArgs()];
    if (sameList(key, this.#shownKey)) return;
    this.#shownKey = key;
    const active = this.#shown[this.combobox.activeIndex];
    let search = this.#searchCache.get(records);
    if (search?.version !== version) {
      search = Object.assign(
        records.map((r) => fold(this.recordSearchText(r), locale)),
        { version },
      );
      this.#searchCache.set(records, search);
    }
    this.#shown = this.arrange(records.filter((r, i) => (!query || search[i]!.includes(query)) && this.acceptRecord(r)));
    this.combobox.listChanged(active === undefined || this.combobox.query ? -1 : this.#shown.indexOf(active));
  }

  #reportError(error: unknown): void {
    if ((error as Error)?.name === 'AbortError') return;
    const e = error instanceof PosApiError ? error : new PosApiError(String((error as Error)?.message ?? error), 'unknown_error');
    const detail: PosErrorDetail = { status: e.status, code: e.code, message: e.message };
    this.dispatchEvent(new CustomEvent<PosErrorDetail>('pos-error', { detail, bubbles: true, composed: true }));
  }

  #readOutsideLabel(): string {
    const labels = this.internals.labels as NodeListOf<HTMLLabelElement> | undefined;
    return Array.from(labels ?? [], (l) => l.textContent?.trim() ?? '')
      .filter(Boolean)
      .join(' ');
  }

  #syncPopup(): void {
    const popup = this.#byId('popup');
    const anchor = this.renderRoot.querySelector<HTMLElement>('[part~="combobox"]');
    if (!popup || !anchor) return;
    if (this.open && this.isConnected) {
      if (!popup.matches(':popover-open')) popup.showPopover();
      // How tall the list may grow (`--pos-picker-popup-max-height`): the window renders that many rows.
      this.#listHeightLimit = parseFloat(getComputedStyle(popup).maxHeight) || MAX_LIST_HEIGHT;
      this.#positioner.attach(anchor, popup);
    } else {
      this.#positioner.detach();
      if (popup.matches(':popover-open')) popup.hidePopover();
    }
  }

  /** The popup's maximum height in pixels, read from the stylesheet when it opens. */
  #listHeightLimit = MAX_LIST_HEIGHT;

  get #rowHeight(): number {
    return this.#measuredOptionHeight || this.optionHeight;
  }

  /**
   * The rows to render: those the listbox can show from `scrollRow` on (at its
   * tallest), OVERSCAN more on each side, and the active option wherever it is.
   */
  #rowsToRender(count: number): number[] {
    const visible = Math.ceil(this.#listHeightLimit / this.#rowHeight);
    // After a filter the listbox scrolls back into range; the window does not wait for it.
    const first = Math.min(this.scrollRow, Math.max(0, count - visible));
    const start = Math.max(0, first - OVERSCAN);
    const end = Math.min(count, first + visible + OVERSCAN);
    const rows = Array.from({ length: end - start }, (_, i) => start + i);
    const active = this.combobox.activeIndex;
    if (active >= 0 && active < count && (active < start || active >= end)) active < start ? rows.unshift(active) : rows.push(active);
    return rows;
  }

  /**
   * Scrolls the listbox (never the page, as `scrollIntoView` may) just enough
   * to show the active option, which is always rendered; the scroll event then
   * moves the window there.
   */
  #revealActive(): void {
    const listbox = this.#byId('listbox');
    const option = this.#byId(this.optionId(this.combobox.activeIndex));
    if (!listbox || !option) return;
    const o = option.getBoundingClientRect();
    const l = listbox.getBoundingClientRect();
    if (o.top < l.top) listbox.scrollTop += o.top - l.top;
    else if (o.bottom > l.bottom) listbox.scrollTop += o.bottom - l.bottom;
  }

  protected optionId(index: number): string {
    return `option-${index}`;
  }

  // --- Event handlers -----------------------------------------------------------

  #onInput(event: InputEvent): void {
    // The inner input's `input` is composed: keep filter typing from looking like a value change.
    event.stopPropagation();
    this.combobox.handleInput((event.target as HTMLInputElement).value);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (this.#isDisabled) return;
    this.combobox.handleKeydown(event);
  }

  #onFieldClick(event: MouseEvent): void {
    if (this.#isDisabled) return;
    if ((event.target as HTMLElement).closest('[part~="chip__remove"]')) return;
    this.#input?.focus();
    this.combobox.toggle();
  }

  #onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (next && (this.renderRoot.contains(next) || this.contains(next))) return;
    this.combobox.reset();
  }

  #onOptionClick(index: number): void {
    this.#input?.focus();
    this.combobox.pick(index);
  }

  #removeValue(id: string): void {
    this.#input?.focus();
    this.#userSet(this.values.filter((v) => v !== id));
  }

  // --- Rendering ----------------------------------------------------------------

  protected override render(): TemplateResult {
    const name = this.label || this.outsideLabel || this.hostAriaLabel || undefined;
    return html`
      <div part="form-control" class="form-control" @focusout=${this.#onFocusOut}>
        ${this.label ? html`<label part="label" for="input">${this.label}</label>` : nothing}
        <div part="combobox" class="field ${this.open ? 'open' : ''} ${this.#isDisabled ? 'disabled' : ''}" @click=${this.#onFieldClick}>
          ${this.multiple ? this.#renderChips() : nothing}${this.#renderInput(name)}
          <svg part="expand-icon" class="expand-icon" viewBox="0 0 20 20" aria-hidden="true">
            <path
              d="M5.5 7.5 10 12l4.5-4.5"
              fill="none"
              stroke="currentColor"
              stroke-width="1.75"
              stroke-linecap="round"
              stroke-linejoin="round"
            />
          </svg>
        </div>
        ${this.#renderError()}
        <div id="popup" part="popup" class="popup" popover="manual" @mousedown=${(e: Event) => e.preventDefault()}>
          ${this.#renderStatus()}
          <div
            id="listbox"
            part="listbox"
            role="listbox"
            class="listbox"
            aria-label=${name ?? nothing}
            aria-multiselectable=${this.multiple ? 'true' : nothing}
            @scroll=${this.#listScroll}
          >
            ${this.open && this.#shown.length ? this.renderOptionList(this.#shown) : nothing}
          </div>
        </div>
      </div>
    `;
  }

  #renderInput(name: string | undefined): TemplateResult {
    const { open, activeIndex, query } = this.combobox;
    const selected = this.multiple ? undefined : this.selectedItems[0];
    const selectedLabel = this.multiple ? '' : selected ? this.recordLabel(selected) : (this.values[0] ?? '');
    const busy = this.loadState === 'pending';
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
      aria-expanded=${open ? 'true' : 'false'}
      aria-activedescendant=${open && activeIndex >= 0 ? this.optionId(activeIndex) : nothing}
      aria-label=${this.label ? nothing : (name ?? nothing)}
      aria-required=${this.required ? 'true' : 'false'}
      aria-invalid=${this.loadState === 'error' ? 'true' : nothing}
      aria-describedby=${this.loadState === 'error' ? 'error' : nothing}
      aria-busy=${busy ? 'true' : nothing}
      placeholder=${this.multiple && this.values.length ? '' : this.placeholder || this.text.placeholder}
      .value=${live(query ?? selectedLabel)}
      ?disabled=${this.#isDisabled}
      @input=${this.#onInput}
      @keydown=${this.#onKeydown}
    />`;
  }

  #renderChips(): TemplateResult {
    const byId = this.#recordIndex();
    return html`${this.values.map((id) => {
      const record = byId.get(id);
      const label = record ? this.recordLabel(record) : id;
      return html`<span part="chip" class="chip"
        ><span class="chip-label">${label}</span
        ><button
          part="chip__remove"
          class="chip-remove"
          type="button"
          tabindex="-1"
          aria-label=${formatString(this.text.removeItem, { label })}
          ?disabled=${this.#isDisabled}
          @mousedown=${(e: Event) => e.preventDefault()}
          @click=${() => this.#removeValue(id)}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <path d="M4.5 4.5l7 7m0-7l-7 7" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
          </svg></button
      ></span>`;
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
      <svg class="check" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
      <div class="option-content">${this.renderRecord(record, this.combobox.query ?? '')}</div>
    </div>`;
  }

  #renderStatus(): TemplateResult | typeof nothing {
    const state = this.loadState;
    if (state === 'pending' || state === 'initial')
      return html`<div part="skeleton" class="skeleton" role="status" aria-label=${this.text.loading}>
        ${[0, 1, 2].map(() => html`<div class="skeleton-row"><span></span><span></span></div>`)}
      </div>`;
    if (state === 'error') return nothing;
    if (!this.records?.length) return html`<div part="empty" class="message" role="status">${this.text.empty}</div>`;
    if (!this.#shown.length)
      return html`<div part="empty" class="message" role="status">
        ${formatString(this.text.noMatches, { query: this.combobox.query ?? '' })}
      </div>`;
    return nothing;
  }

  #renderError(): TemplateResult | typeof nothing {
    if (this.loadState !== 'error') return nothing;
    const error = this.#loader.error as (Error & { status?: number }) | undefined;
    const status = error?.status;
    const heading =
      status === 401
        ? this.text.signedOut
        : status === 403
          ? this.text.forbidden
          : status === 402
            ? this.text.quotaExceeded
            : this.text.loadError;
    return html`<div id="error" part="error" class="error" role="alert">
      <span class="error-text"><strong>${heading}</strong> ${error?.message ?? ''}</span>
      ${canRetry(error ?? {}) ? html`<button part="retry" class="retry" type="button" @click=${() => this.refresh()}>${this.text.retry}</button>` : nothing}
    </div>`;
  }
}
