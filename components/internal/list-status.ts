import { html, nothing, type TemplateResult } from 'lit';
import { canRetry, errorHeading } from './api.js';
import { formatString, type PickerStrings } from './picker-strings.js';
import type { LoadState } from './picker-records.js';

/** A picker's list as its popup and its live region describe it. */
export interface ListState {
  load: LoadState;
  /** The records offered, before filtering. */
  total: number;
  /** The records that match the filter. */
  shown: number;
  /** The filter text; `''` while not filtering. */
  query: string;
}

const isLoading = (load: LoadState) => load === 'pending' || load === 'initial';

/** What the live region says about the open list: loading, the number of matches while filtering, no matches. */
export function listMessage({ load, total, shown: count, query }: ListState, text: PickerStrings): string {
  if (isLoading(load)) return text.loading;
  if (!total) return text.empty;
  if (!query) return '';
  return formatString(count === 1 ? text.oneResult : count ? text.results : text.noMatches, { count, query });
}

/** What the popup shows above the options: a skeleton while loading, else a line when there is nothing to list. */
export function renderListStatus({ load, total, shown, query }: ListState, text: PickerStrings): TemplateResult | typeof nothing {
  if (isLoading(load))
    return html`<div part="skeleton" class="skeleton">
      ${[0, 1, 2].map(() => html`<div class="skeleton-row"><span></span><span></span></div>`)}
    </div>`;
  // The error shows under the field instead (renderLoadError), with the popup closed.
  const message = load === 'error' ? '' : !total ? text.empty : shown ? '' : formatString(text.noMatches, { query });
  return message ? html`<div part="empty" class="message">${message}</div>` : nothing;
}

/** The load failure under the field: a heading by status, the server's reason, and a Retry where asking again can help. */
export function renderLoadError(error: (Error & { status?: number }) | undefined, text: PickerStrings, retry: () => void): TemplateResult {
  return html`<div id="error" part="error" class="error" role="alert">
    <span class="error-text"><strong>${errorHeading(error?.status, text, text.loadError)}</strong> ${error?.message ?? ''}</span>
    ${canRetry(error ?? {}) ? html`<button part="retry" class="retry" type="button" @click=${retry}>${text.retry}</button>` : nothing}
  </div>`;
}
