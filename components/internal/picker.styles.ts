import { css } from 'lit';

/** The look every picker shares; element styles add only their option layout. */
export const pickerStyles = css`
  :host {
    display: inline-block;
    inline-size: 20rem;
    max-inline-size: 100%;
    vertical-align: top;
    --_field-min-height: var(--pos-picker-min-height, 2.5rem);
    --_popup-max-height: var(--pos-picker-popup-max-height, 20rem);
  }
  :host([disabled]) {
    cursor: not-allowed;
  }
  .form-control {
    display: grid;
    /* Not auto: a long chip or title would widen the column past the host. */
    grid-template-columns: minmax(0, 1fr);
    gap: 0.375rem;
  }
  label {
    font-weight: 600;
    font-size: 0.875em;
  }
  .field {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem;
    min-block-size: var(--_field-min-height);
    box-sizing: border-box;
    padding-block: 0.25rem;
    /* The end side clears the arrow, in either direction. */
    padding-inline: 0.5rem 2rem;
    position: relative;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: text;
    transition:
      border-color 120ms,
      box-shadow 120ms;
  }
  .field:focus-within {
    border-color: var(--_accent);
    outline: 2px solid transparent;
    box-shadow: var(--_focus-ring);
  }
  .field.disabled {
    opacity: 0.6;
    pointer-events: none;
  }
  .input {
    flex: 1 1 6rem;
    min-inline-size: 4rem;
    border: 0;
    outline: 0;
    background: transparent;
    color: inherit;
    font: inherit;
    padding: 0.25rem 0;
    text-overflow: ellipsis;
  }
  .input::placeholder {
    color: var(--_text-muted);
  }
  .expand-icon {
    position: absolute;
    inset-inline-end: 0.5rem;
    inline-size: 1.125rem;
    block-size: 1.125rem;
    color: var(--_text-muted);
    transition: transform 120ms;
  }
  .field.open .expand-icon {
    transform: rotate(180deg);
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.125rem;
    box-sizing: border-box;
    max-inline-size: 100%;
    padding-block: 0.125rem;
    padding-inline: 0.5rem 0.125rem;
    border-radius: 999px;
    background: var(--_chip-bg);
    color: var(--_chip-text);
    font-size: 0.875em;
    line-height: 1.4;
  }
  .chip-label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip-remove {
    display: inline-grid;
    place-items: center;
    inline-size: 1.25rem;
    block-size: 1.25rem;
    padding: 0;
    border: 0;
    border-radius: 999px;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .chip-remove:hover {
    background: color-mix(in srgb, currentColor 15%, transparent);
  }
  .chip-remove svg {
    inline-size: 0.875rem;
    block-size: 0.875rem;
  }
  .popup {
    /* A popover in the top layer: undo the UA centring; PopupPositioner sets left/top. */
    position: fixed;
    inset: auto;
    left: 0;
    top: 0;
    margin: 0;
    padding: 0.25rem;
    box-sizing: border-box;
    max-block-size: var(--_popup-max-height);
    overflow: hidden;
    flex-direction: column;
    background: var(--_surface-raised);
    color: var(--_text);
    border: 1px solid color-mix(in srgb, var(--_border) 60%, transparent);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    font-family: var(--_font);
    font-size: var(--_font-size);
  }
  .popup:popover-open {
    display: flex;
  }
  .listbox {
    flex: 0 1 auto;
    min-block-size: 0;
    overflow: auto;
    overscroll-behavior: contain;
    outline: none;
  }
  /* The windowed list: a spacer as tall as every row, rows placed on it by translateY (picker.ts). */
  .spacer {
    position: relative;
  }
  .spacer > .option {
    position: absolute;
    inset-block-start: 0;
    inset-inline-start: 0;
  }
  .option {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    inline-size: 100%;
    box-sizing: border-box;
    padding: 0.5rem;
    border-radius: calc(var(--_radius) - 2px);
    cursor: pointer;
    user-select: none;
    /* Windowed options have one fixed height (the element's block-size): text never grows them. */
    overflow: hidden;
  }
  .option.active {
    background: var(--_surface-hover);
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .check {
    flex: none;
    inline-size: 1rem;
    block-size: 1rem;
    margin-block-start: 0.125rem;
    color: var(--_accent);
    visibility: hidden;
  }
  .option.selected .check {
    visibility: visible;
  }
  .option-content {
    flex: 1;
    min-inline-size: 0;
  }
  /* One line, ellipsed: a title of one unbroken 500-character word neither widens the list nor grows the row. */
  .title {
    display: block;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 500;
  }
  .description {
    display: block;
    margin-block-start: 0.125rem;
    color: var(--_text-muted);
    font-size: 0.875em;
  }
  mark {
    background: var(--_highlight);
    color: inherit;
    border-radius: 2px;
  }
  .message {
    padding: 0.75rem 0.5rem;
    color: var(--_text-muted);
  }
  .error {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.5rem 0.625rem;
    border: 1px solid color-mix(in srgb, var(--_danger) 50%, transparent);
    border-radius: var(--_radius);
    color: var(--_danger);
    font-size: 0.875em;
  }
  .retry {
    flex: none;
    padding: 0.25rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .skeleton {
    display: grid;
    gap: 0.25rem;
    padding: 0.25rem;
  }
  .skeleton-row {
    display: grid;
    gap: 0.375rem;
    padding: 0.375rem 0.25rem;
  }
  .skeleton-row span {
    display: block;
    block-size: 0.75rem;
    border-radius: 4px;
    background: linear-gradient(
      90deg,
      var(--_surface-hover) 25%,
      color-mix(in srgb, var(--_surface-hover) 40%, transparent) 50%,
      var(--_surface-hover) 75%
    );
    background-size: 200% 100%;
    animation: pos-shimmer 1.2s linear infinite;
  }
  .skeleton-row span:last-child {
    inline-size: 60%;
  }
  @keyframes pos-shimmer {
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton-row span {
      animation: none;
    }
  }
  /* Forced colours drop backgrounds: the active option and the chips keep their look in system colours. */
  @media (forced-colors: active) {
    .option.active {
      background: Highlight;
      color: HighlightText;
    }
    .chip {
      border: 1px solid;
    }
  }
`;
