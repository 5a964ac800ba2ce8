import { define } from '../internal/define.js';
import { PosTrainingPicker } from './training-picker.component.js';

export { PosTrainingPicker };
define('pos-training-picker', PosTrainingPicker);

declare global {
  interface HTMLElementTagNameMap {
    'pos-training-picker': PosTrainingPicker;
  }
}
