import { css } from 'lit';

/** A specialization option: the title over a two-line description. */
export const specializationPickerStyles = css`
  .description {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
  }
`;
