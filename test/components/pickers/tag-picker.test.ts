import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/tag-picker/tag-picker.js';
import type { PosTagPicker } from '../../../components/tag-picker/tag-picker.js';
import { API, apiGet, signIn } from '../../support/api.js';
import { chipLabels, clearCache, inputOf, loaded, openWithKeyboard, optionTitles, press, type } from './helpers.js';
import { runPickerSuite } from './picker-suite.js';

const tags = async () => (await apiGet<{ tags: string[] }>('/workflow-pickers/training-tags')).tags;

runPickerSuite({
  tag: 'pos-tag-picker',
  endpoint: '/workflow-pickers/training-tags',
  emptyText: /No tags yet/,
  async expected() {
    const list = await tags();
    return { values: list, titles: list };
  },
  data: { records: ['zebra', 'aardvark', 'mole'], values: ['zebra', 'aardvark', 'mole'], titles: ['zebra', 'aardvark', 'mole'] },
});

describe('<pos-tag-picker>', () => {
  before(async () => {
    clearCache();
    await signIn();
  });

  it('offers the deduplicated, trimmed tags and builds a tag list by typing and Enter', async () => {
    const el = await fixture<PosTagPicker>(html`<pos-tag-picker base-url=${API} label="Tags" multiple></pos-tag-picker>`);
    await loaded(el);
    expect(el.records).to.include('product').and.not.include('  product  ');
    expect(el.records).to.not.include('draft-only');
    inputOf(el).focus();
    await type(el, 'SEC');
    await waitUntil(() => optionTitles(el).length === 1, `only security matches: ${optionTitles(el)}`);
    expect(optionTitles(el)).to.deep.equal(['security']);
    await press(el, 'Enter');
    await type(el, 'tech');
    await waitUntil(() => optionTitles(el).join() === 'technical');
    await press(el, 'Enter');
    expect(el.value).to.deep.equal(['security', 'technical']);
    expect(chipLabels(el)).to.deep.equal(['security', 'technical']);
    await openWithKeyboard(el);
  });
});
