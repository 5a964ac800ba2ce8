import 'axe-core';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/specialization-picker/specialization-picker.js';
import '../../../components/tag-picker/tag-picker.js';
import '../../../components/training-picker/training-picker.js';
import '../../../components/trigger-select/trigger-select.js';
import { API, signIn } from '../../support/api.js';
import { sendKeys } from '@web/test-runner-commands';
import { type AnyPicker, clearCache, inputOf, loaded, openWithKeyboard, press, type } from './helpers.js';

declare const axe: typeof import('axe-core');

async function audit(node: Element) {
  const { violations } = await axe.run(node);
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const cases = [
  ['pos-specialization-picker', html`<pos-specialization-picker base-url=${API} label="Specialization"></pos-specialization-picker>`],
  ['pos-training-picker', html`<pos-training-picker base-url=${API} label="Trainings" multiple value="x"></pos-training-picker>`],
  ['pos-tag-picker', html`<label for="tags">Tags</label><pos-tag-picker id="tags" base-url=${API} multiple></pos-tag-picker>`],
  ['pos-trigger-select', html`<pos-trigger-select label="Trigger"></pos-trigger-select>`],
] as const;

describe('accessibility (axe-core in the page)', () => {
  before(async () => {
    clearCache();
    await signIn();
  });

  for (const [tag, template] of cases) {
    it(`<${tag}> has no violations closed, open, and with a selection`, async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<main><div>${template}</div></main>`);
      const el = wrapper.querySelector<AnyPicker>(tag)!;
      await loaded(el);
      expect(await audit(wrapper), 'closed').to.deep.equal([]);
      await openWithKeyboard(el);
      expect(await audit(wrapper), 'open').to.deep.equal([]);
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(await audit(wrapper), 'after a selection').to.deep.equal([]);
      await press(el, 'Escape');
    });
  }

  it('shows the error state accessibly', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<main><pos-tag-picker base-url="http://127.0.0.1:9/api" label="Tags"></pos-tag-picker></main>`,
    );
    const el = wrapper.querySelector<AnyPicker>('pos-tag-picker')!;
    await loaded(el);
    expect(el.loadState).to.equal('error');
    expect(await audit(wrapper)).to.deep.equal([]);
    // Opened in error: the error stays, no empty expanded listbox.
    inputOf(el).focus();
    await press(el, 'ArrowDown');
    expect(await audit(wrapper), 'opened in error').to.deep.equal([]);
  });

  it('has no violations with a clear button, cleared, while announcing, and with a described selection', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<main>
        <pos-specialization-picker base-url=${API} label="Specialization"></pos-specialization-picker>
        <pos-tag-picker base-url=${API} label="Tags" multiple></pos-tag-picker>
      </main>`,
    );
    const single = wrapper.querySelector<AnyPicker>('pos-specialization-picker')!;
    const multiple = wrapper.querySelector<AnyPicker>('pos-tag-picker')!;
    await loaded(single);
    await loaded(multiple);
    single.value = (single.records![0] as { id: string }).id;
    multiple.value = (multiple.records as string[]).slice(0, 2);
    await single.updateComplete;
    await multiple.updateComplete;
    expect(single.shadowRoot!.querySelector('[part~="clear-button"]')).not.to.equal(null);
    expect(await audit(wrapper), 'a clear button, a described selection').to.deep.equal([]);
    inputOf(single).focus();
    inputOf(single).select();
    await sendKeys({ press: 'Backspace' });
    await type(single, 'a');
    const region = single.shadowRoot!.querySelector('[role="status"]')!;
    await waitUntil(() => region.textContent, 'announcing the results');
    expect(await audit(wrapper), 'announcing').to.deep.equal([]);
    await press(single, 'Backspace');
    await press(single, 'Tab');
    expect(single.value).to.equal('');
    expect(await audit(wrapper), 'cleared').to.deep.equal([]);
  });
});
