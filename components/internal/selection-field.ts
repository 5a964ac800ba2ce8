import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { FormControlController } from './form-control.js';
import { sameList } from './record-filter.js';

/** Splits the `value` (and `tags`) attribute of a multiple picker: comma-separated, spaces around items ignored. */
export const parseList = (text: string | null | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * A picker's value and its form association: the selection (one value, or
 * several in `multiple` mode), the `value` attribute as the default that
 * `form.reset()` restores, user changes that fire `input` + `change` like a
 * native select, and the ElementInternals side (FormData, validity, disabled
 * fieldsets, restored state). The picker on top draws and edits it.
 */
export abstract class SelectionField extends LitElement {
  static formAssociated = true;

  protected readonly internals: ElementInternals = this.attachInternals();
  readonly #formControl = new FormControlController(this, this.internals);

  /** The selection, in order (single mode: at most one). */
  @state() protected values: string[] = [];
  /** Set once the value was set by code or the user: the `value` attribute no longer drives it. */
  #dirty = false;
  /** Disabled by an ancestor `<fieldset disabled>` (or the attribute), as the browser reports it. */
  @state() protected formDisabled = false;

  /** The name under which the value is submitted with a form. */
  @property({ reflect: true }) name = '';
  /** Select several values (chips); `value` is then a string array. */
  @property({ type: Boolean, reflect: true }) multiple = false;
  /** An empty picker is invalid and blocks form submission. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** Disables the picker (a disabled `<fieldset>` around it does too). */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /**
   * The initial value, from the `value` attribute (what `form.reset()` restores).
   * Multiple mode: comma-separated (`value="a, b"`).
   */
  @property({ attribute: 'value' }) defaultValue = '';

  /** The selection: a string (`''` for none), or a string array in `multiple` mode. */
  get value(): string | string[] {
    return this.multiple ? [...this.values] : (this.values[0] ?? '');
  }
  set value(value: string | string[] | null | undefined) {
    this.#dirty = true;
    this.#setValues(Array.isArray(value) ? value.map(String) : value ? [String(value)] : []);
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
  /** The message shown when `required` and empty. */
  abstract get requiredMessage(): string;
  /** Where the browser anchors its validation bubble. */
  abstract get validationAnchor(): HTMLElement | null;

  protected get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }
  /** The text of the outside `<label for>`s (`internals.labels`): the field's name when it has no label of its own. */
  protected get outsideLabel(): string {
    const labels = this.internals.labels as NodeListOf<HTMLLabelElement> | undefined;
    return Array.from(labels ?? [], (l) => l.textContent?.trim() ?? '')
      .filter(Boolean)
      .join(' ');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('defaultValue') || changed.has('multiple')) && !this.#dirty) this.values = this.#parseDefault();
    if (changed.has('multiple') && !this.multiple && this.values.length > 1) this.values = this.values.slice(0, 1);
  }

  formResetCallback(): void {
    this.#dirty = false;
    this.values = this.#parseDefault();
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
  protected userSet(values: string[]): void {
    const before = this.values;
    this.#dirty = true;
    this.#setValues(values);
    if (sameList(before, this.values)) return;
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
}
