import { define } from '../internal/define.js';
import { PosTriggerSelect } from './trigger-select.component.js';

export { PosTriggerSelect };
define('pos-trigger-select', PosTriggerSelect);

declare global {
  interface HTMLElementTagNameMap {
    'pos-trigger-select': PosTriggerSelect;
  }
}
