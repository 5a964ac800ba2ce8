/**
 * The whole kit: importing this module registers every element.
 * `<script type="module" src=".../pos-widgets.js">` is all a host page needs.
 */
export { PosApiError } from './internal/api.js';
export { TRIGGER_TYPES, TriggerGroup, type TriggerType, type GroupedTriggerType } from './internal/trigger-types.js';
// Elements (each line registers one):
export * from './pptx-export-progress/pptx-export-progress.js';
