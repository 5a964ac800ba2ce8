import { css } from 'lit';

/** A tag option: one short line (fixed row height). */
export const tagPickerStyles = css`
  .option {
    padding-block: 0.375rem;
    block-size: 2.125em;
  }
`;
