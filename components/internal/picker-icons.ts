import { html } from 'lit';

/*
 * The picker's icons: decorative (`aria-hidden`), drawn in `currentColor` so
 * they follow the field's text, forced colours included. One template each,
 * shared by every render and every picker.
 */

/** The field's open/close arrow. */
export const expandIcon = html`<svg part="expand-icon" class="expand-icon" viewBox="0 0 20 20" aria-hidden="true">
  <path d="M5.5 7.5 10 12l4.5-4.5" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" />
</svg>`;

/** A selected option's check mark. */
export const checkIcon = html`<svg class="check" viewBox="0 0 16 16" aria-hidden="true">
  <path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" />
</svg>`;
