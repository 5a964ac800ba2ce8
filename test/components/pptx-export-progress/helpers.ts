/** Helpers the export element's tests share. */
import type { PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.component.js';

/** Every value the `state` attribute took from now on (attribute mutations, so none is missed). */
export function recordStates(el: PosPptxExportProgress): () => string[] {
  const old: (string | null)[] = [];
  const observer = new MutationObserver((records) => records.forEach((r) => old.push(r.oldValue)));
  observer.observe(el, { attributes: true, attributeFilter: ['state'], attributeOldValue: true });
  return () => {
    observer.takeRecords().forEach((r) => old.push(r.oldValue));
    return [...old, el.getAttribute('state')].filter((s): s is string => s !== null);
  };
}
