import type { PptxExportProgressStrings } from '../pptx-export-progress/pptx-export-progress.strings.js';
import type { TriggerSelectStrings } from '../trigger-select/trigger-select.component.js';
import type { PickerStrings } from './picker-strings.js';

/**
 * One language's texts for every element (what `components/locales/*.ts`
 * hold). Every key is optional: a text a pack leaves out stays English. An
 * element's texts are, from weakest to strongest: English, the pack's
 * `picker` texts (pickers only), the pack's texts under the element's tag
 * name, then the element's own `strings` property.
 */
export interface LocalePack {
  /** The BCP 47 language tag the pack is for (`de`, `pt-BR`); it also serves that language's regions. */
  lang: string;
  /** Texts every picker shares. */
  picker?: Partial<PickerStrings>;
  'pos-specialization-picker'?: Partial<PickerStrings>;
  'pos-training-picker'?: Partial<PickerStrings>;
  'pos-tag-picker'?: Partial<PickerStrings>;
  /** With the trigger titles, descriptions and group headings. */
  'pos-trigger-select'?: Partial<TriggerSelectStrings>;
  'pos-pptx-export-progress'?: Partial<PptxExportProgressStrings>;
}
