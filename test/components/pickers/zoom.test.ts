/** CSS `zoom` around a picker (issue 15, problem 7): the popup stays under its field, its size and rows true. */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/training-picker/training-picker.js';
import type { Training } from '../../../components/internal/records.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { openWithKeyboard, optionsOf, popupOf, press } from './helpers.js';

const data: Training[] = Array.from({ length: 40 }, (_, i) => ({
  id: `t${i}`,
  title: `Training ${i}`,
  description: 'A module.',
  tags: [],
  specializationId: null,
  durationMinutes: 30,
}));

describe('a picker under CSS zoom', () => {
  for (const zoom of [2, 0.5]) {
    it(`zoom: ${zoom} on an ancestor: the popup opens under the field, as wide, inside the viewport, rows one after another`, async () => {
      const box = await fixture<HTMLDivElement>(
        html`<div style="zoom: ${zoom}; width: 16rem; margin: 8px">
          <pos-training-picker label="Training" .data=${data}></pos-training-picker>
        </div>`,
      );
      const el = box.querySelector<PosTrainingPicker>('pos-training-picker')!;
      await openWithKeyboard(el);
      await el.updateComplete;
      const field = el.shadowRoot!.querySelector('[part~="combobox"]')!.getBoundingClientRect();
      const popup = popupOf(el).getBoundingClientRect();
      expect(popup.top - field.bottom, 'gap under the field').to.be.within(0, 10 * zoom);
      expect(popup.left).to.be.closeTo(field.left, 1);
      expect(popup.width).to.be.closeTo(field.width, 1);
      expect(popup.bottom).to.be.at.most(innerHeight);
      expect(popup.right).to.be.at.most(innerWidth);
      const [a, b] = optionsOf(el).map((o) => o.getBoundingClientRect());
      expect(b!.top - a!.bottom, 'the second row follows the first').to.be.closeTo(0, 1);
      await press(el, 'Escape');
    });
  }
});
