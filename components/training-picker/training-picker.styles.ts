import { css } from 'lit';

/** A training option: title and duration on one line, the description, then its tags, each one line (fixed row height). */
export const trainingPickerStyles = css`
  .option {
    block-size: 5em;
  }
  .heading {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .duration {
    flex: none;
    color: var(--_text-muted);
    font-size: 0.8125em;
    font-variant-numeric: tabular-nums;
  }
  .description {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .tags {
    display: flex;
    overflow: hidden;
    gap: 0.25rem;
    margin-block-start: 0.25rem;
  }
  .tag {
    flex: none;
    white-space: nowrap;
    padding: 0 0.375rem;
    border-radius: 999px;
    background: var(--_chip-bg);
    color: var(--_chip-text);
    font-size: 0.75em;
    line-height: 1.5;
  }
`;
