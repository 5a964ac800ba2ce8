import { define } from '../internal/define.js';
import { PosTriggerSelect, triggerTitle } from './trigger-select.component.js';

export { PosTriggerSelect, triggerTitle };
export type { TriggerOption, TriggerSelectStrings } from './trigger-select.component.js';
export type { PartnerStage, PlainTriggerType, TriggerParameter, TriggerTypeName, TriggerValue } from '../internal/trigger-types.js';
define('pos-trigger-select', PosTriggerSelect);

declare global {
  interface HTMLElementTagNameMap {
    'pos-trigger-select': PosTriggerSelect;
  }
}
