import { css } from 'lit';

/** A tag option: one short line. */
export const tagPickerStyles = css`
  .option {
    padding-block: 0.375rem;
  }
`;
