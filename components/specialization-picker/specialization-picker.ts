import { define } from '../internal/define.js';
import { PosSpecializationPicker } from './specialization-picker.component.js';

export { PosSpecializationPicker };
define('pos-specialization-picker', PosSpecializationPicker);

declare global {
  interface HTMLElementTagNameMap {
    'pos-specialization-picker': PosSpecializationPicker;
  }
}
