/**
 * The whole kit: importing this module registers every element.
 * `<script type="module" src=".../pos-widgets.js">` is all a host page needs.
 */
export { PosApiError } from './internal/api.js';
export {
  TRIGGER_DAYS,
  TRIGGER_PARAMETERS,
  TRIGGER_TYPES,
  TriggerGroup,
  type GroupedTriggerType,
  type PartnerStage,
  type PlainTriggerType,
  type TriggerParameter,
  type TriggerType,
  type TriggerTypeName,
  type TriggerValue,
} from './internal/trigger-types.js';
export { PosPicker, type PosErrorDetail } from './internal/picker.js';
export { DEFAULT_STRINGS, type PickerStrings } from './internal/picker-strings.js';
export { registerLocale } from './internal/locale-registry.js';
export type { LocalePack } from './internal/locale-pack.js';
export { refreshShared as refreshPickerData } from './internal/record-loader.js';
export type { Specialization, Training } from './internal/records.js';
// Elements (each line registers one):
export * from './specialization-picker/specialization-picker.js';
export * from './training-picker/training-picker.js';
export * from './tag-picker/tag-picker.js';
export * from './trigger-select/trigger-select.js';
export * from './pptx-export-progress/pptx-export-progress.js';
