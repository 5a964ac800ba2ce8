import type { html as litHtml, TemplateResult } from 'lit';
import { deckFileName } from '../internal/deck-file-name.js';
import type { ExportResult } from '../internal/export-stream-controller.js';
import type { PptxExportProgressStrings } from './pptx-export-progress.strings.js';

/*
 * The completed state's view, in a chunk of its own: an export completes
 * seconds after it began (the element asks for this chunk when a run begins,
 * and waits for it before it shows `completed`), and pages that never
 * complete one do not load it. It gets Lit's `html` from the element and
 * imports nothing else the bundle holds.
 */

/** What the completed state shows. */
export interface CompletedView {
  result: ExportResult;
  /** The download URL, absolute and http: or https: (`webUrl`). */
  url: string;
  lessonTitle: string;
  /** The cost's locale (undefined: the browser's) and ISO 4217 currency. */
  locale: string | undefined;
  currency: string;
}

/** The title's name, else the file's own (the url is a web URL: `webUrl`); `download` is only a suggestion. */
function fileName(url: string, lessonTitle: string): string {
  try {
    return lessonTitle ? deckFileName(lessonTitle) : decodeURIComponent(new URL(url).pathname.split('/').pop()!) || 'lesson.pptx';
  } catch {
    return 'lesson.pptx';
  }
}

function formatCost(cents: number, locale: string | undefined, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: currency || 'USD' }).format(cents / 100);
  } catch {
    // An invalid locale or currency from the host must not break rendering.
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(cents / 100);
  }
}

export function renderCompleted(html: typeof litHtml, t: PptxExportProgressStrings, view: CompletedView): TemplateResult {
  const name = fileName(view.url, view.lessonTitle);
  return html`
    <p part="title">${t.completed}</p>
    <dl part="details">
      <dt>${t.cost}</dt>
      <dd>${formatCost(view.result.costCents, view.locale, view.currency)}</dd>
      <dt>${t.model}</dt>
      <dd>${view.result.model}</dd>
    </dl>
    <div part="actions">
      <a part="download" href=${view.url} download=${name}>${t.download(name)}</a>
    </div>
  `;
}
