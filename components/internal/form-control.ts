import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a form-associated picker exposes to the controller. */
export interface FormControlHost extends ReactiveControllerHost, HTMLElement {
  name: string;
  required: boolean;
  /** The submitted values: one FormData entry each, like `<select multiple>`. */
  readonly formValues: readonly string[];
  /** The message shown when `required` and empty. */
  readonly requiredMessage: string;
  /** Where the browser anchors its validation bubble (the inner input). */
  readonly validationAnchor: HTMLElement | null;
}

/**
 * Form association through ElementInternals, kept in step with the host after
 * every update: the FormData entries, the saved state the browser restores
 * (back/forward, autofill) and validity (`required`, `setCustomValidity`).
 * The host element forwards its form callbacks (reset, disabled, restore).
 */
export class FormControlController implements ReactiveController {
  #customMessage = '';

  readonly #host: FormControlHost;

  constructor(
    host: FormControlHost,
    readonly internals: ElementInternals,
  ) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdated(): void {
    this.#sync();
  }

  setCustomValidity(message: string): void {
    this.#customMessage = message;
    this.#sync();
  }

  /** The state the browser hands back to `formStateRestoreCallback`. */
  static encodeState(values: readonly string[]): string {
    return JSON.stringify(values);
  }

  static decodeState(state: unknown): string[] | undefined {
    if (typeof state !== 'string') return undefined;
    try {
      const values: unknown = JSON.parse(state);
      return Array.isArray(values) ? values.map(String) : undefined;
    } catch {
      return undefined;
    }
  }

  #sync(): void {
    const host = this.#host;
    const { internals } = this;
    const values = host.formValues;
    let submitted: FormData | null = null;
    if (host.name && values.length) {
      submitted = new FormData();
      for (const value of values) submitted.append(host.name, value);
    }
    internals.setFormValue(submitted, FormControlController.encodeState(values));

    const anchor = host.validationAnchor ?? undefined;
    if (this.#customMessage) internals.setValidity({ customError: true }, this.#customMessage, anchor);
    else if (host.required && !values.length) internals.setValidity({ valueMissing: true }, host.requiredMessage, anchor);
    else internals.setValidity({});
  }
}
