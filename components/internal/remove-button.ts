import { html, type TemplateResult } from 'lit';

/**
 * A button of the field that removes a selection: a chip's Remove, a single
 * picker's clear button. They are for the pointer: the keyboard has Backspace
 * and emptying the text, so they never take focus (`tabindex="-1"`, mousedown
 * prevented) and the caller's `remove` puts it back in the input.
 */
export const renderRemoveButton = (part: string, label: string, disabled: boolean, remove: () => void): TemplateResult =>
  html`<button
    part=${part}
    class="chip-remove"
    type="button"
    tabindex="-1"
    aria-label=${label}
    ?disabled=${disabled}
    @mousedown=${(e: Event) => e.preventDefault()}
    @click=${remove}
  >
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <path d="M4.5 4.5l7 7m0-7l-7 7" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
    </svg>
  </button>`;
