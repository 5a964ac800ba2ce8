import { define } from '../internal/define.js';
import { PosPptxExportProgress } from './pptx-export-progress.component.js';

export * from './pptx-export-progress.component.js';
export { DEFAULT_STRINGS as PPTX_EXPORT_PROGRESS_STRINGS, type PptxExportProgressStrings } from './pptx-export-progress.strings.js';

define('pos-pptx-export-progress', PosPptxExportProgress);

declare global {
  interface HTMLElementTagNameMap {
    'pos-pptx-export-progress': PosPptxExportProgress;
  }
  interface HTMLElementEventMap {
    'pos-export-completed': CustomEvent<import('./pptx-export-progress.component.js').ExportCompletedDetail>;
    'pos-export-error': CustomEvent<import('./pptx-export-progress.component.js').ExportErrorDetail>;
  }
}
