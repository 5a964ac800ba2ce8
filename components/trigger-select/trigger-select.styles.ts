import { css } from 'lit';

/** Trigger options under visible group headings; the trigger type in a monospace line. */
export const triggerSelectStyles = css`
  .group + .group {
    margin-block-start: 0.25rem;
    border-block-start: 1px solid color-mix(in srgb, var(--_border) 40%, transparent);
    padding-block-start: 0.25rem;
  }
  .group-label {
    padding: 0.375rem 0.5rem 0.25rem;
    color: var(--_text-muted);
    font-size: 0.75em;
    font-weight: 600;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }
  .type {
    display: block;
    color: var(--_text-muted);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.75em;
  }
`;
