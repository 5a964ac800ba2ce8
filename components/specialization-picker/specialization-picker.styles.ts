import { css } from 'lit';

/** A specialization option: the title over a description clamped to two lines (fixed row height). */
export const specializationPickerStyles = css`
  .option {
    block-size: 4.75em;
  }
  .description {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
  }
`;
