/**
 * Every text a picker shows or announces, overridable for localisation
 * through the `strings` property (merged over the element's defaults).
 * `{name}` placeholders are filled in at render time.
 */
export interface PickerStrings {
  /** The input's placeholder while nothing is selected. */
  placeholder: string;
  /** Announced while the list loads and the popup is open (each element names its records: "Loading trainings…"). */
  loading: string;
  /** The list is empty (the server has no records). */
  empty: string;
  /** Announced while filtering: how many options match (`{count}`, more than one). */
  results: string;
  /** Announced while filtering: exactly one option matches. */
  oneResult: string;
  /** Shown and announced: nothing matches the filter; `{query}` is the filter text. */
  noMatches: string;
  /** Heading of the error state; the server's reason follows it. */
  loadError: string;
  /** Heading of the error state on a 401: the session is missing or expired (Retry stays: the host may sign in again). */
  signedOut: string;
  /** Heading of the error state on a 403: the user's role has no access (no Retry). */
  forbidden: string;
  /** Heading of the error state on a 402: a quota is spent (no Retry). */
  quotaExceeded: string;
  /** The error state's button. */
  retry: string;
  /** The accessible name of a chip's remove button; `{label}` is the chip's text. */
  removeItem: string;
  /** Announced when a chip is removed (Backspace or its button); `{label}` is its text. */
  removed: string;
  /** A multiple picker's combobox description: how many values are selected (`{count}`). */
  selectedCount: string;
  /** The accessible name of a single picker's clear button. */
  clear: string;
  /** The validation message of a `required` picker left empty. */
  required: string;
  /** A training's duration; `{minutes}` is the number. Unset: hours and minutes in the locale's words (`Intl`). */
  minutes?: string;
}

export const DEFAULT_STRINGS: PickerStrings = {
  placeholder: 'Search…',
  loading: 'Loading…',
  empty: 'Nothing to choose from yet.',
  results: '{count} results',
  oneResult: '1 result',
  noMatches: 'No matches for “{query}”.',
  loadError: 'The list could not be loaded.',
  signedOut: 'You are signed out.',
  forbidden: 'You do not have access to this list.',
  quotaExceeded: 'Your plan’s allowance is used up.',
  retry: 'Retry',
  removeItem: 'Remove {label}',
  removed: 'Removed {label}',
  selectedCount: '{count} selected',
  clear: 'Clear selection',
  required: 'Please choose an option.',
};

/** `template` with each `{key}` replaced by `values[key]`; unknown keys stay as written. */
export function formatString(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}
