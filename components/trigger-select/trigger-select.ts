import { define } from '../internal/define.js';
import { PosTriggerSelect, triggerTitle } from './trigger-select.component.js';

export { PosTriggerSelect, triggerTitle };
define('pos-trigger-select', PosTriggerSelect);

declare global {
  interface HTMLElementTagNameMap {
    'pos-trigger-select': PosTriggerSelect;
  }
}
