import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { live } from '../../../components/internal/live.js';

describe('live (property bindings, in place of lit/directives/live.js)', () => {
  it('sets the property again when the element’s own value drifted from the bound one', () => {
    const root = document.createElement('div');
    const draw = (value: string, selected: boolean) =>
      render(
        html`<input .value=${live(value)} /><select>
            <option>a</option>
            <option .selected=${live(selected)}>b</option>
          </select>`,
        root,
      );
    draw('one', true);
    const input = root.querySelector('input')!;
    const option = root.querySelectorAll('option')[1]!;
    expect(input.value).to.equal('one');
    expect(option.selected).to.equal(true);
    // The user edits; the next render binds the same values as before.
    input.value = 'typed';
    root.querySelector('select')!.selectedIndex = 0;
    draw('one', true);
    expect(input.value).to.equal('one');
    expect(option.selected).to.equal(true);
    // A value equal to the element's own is not set again (no caret jump while typing).
    input.value = 'two';
    input.setSelectionRange(1, 1);
    draw('two', true);
    expect(input.selectionStart).to.equal(1);
  });
});
