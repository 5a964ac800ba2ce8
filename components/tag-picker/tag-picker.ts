import { define } from '../internal/define.js';
import { PosTagPicker } from './tag-picker.component.js';

export { PosTagPicker };
define('pos-tag-picker', PosTagPicker);

declare global {
  interface HTMLElementTagNameMap {
    'pos-tag-picker': PosTagPicker;
  }
}
