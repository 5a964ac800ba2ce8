import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/specialization-picker/specialization-picker.js';
import type { Specialization } from '../../../components/internal/records.js';
import { API, apiGet, signIn } from '../../support/api.js';
import { clearCache, loaded, openWithKeyboard, optionsOf } from './helpers.js';
import { runPickerSuite } from './picker-suite.js';

const specializations = async () =>
  (await apiGet<{ specializations: Specialization[] }>('/workflow-pickers/specializations')).specializations;

runPickerSuite({
  tag: 'pos-specialization-picker',
  endpoint: '/workflow-pickers/specializations',
  emptyText: /No published specializations yet/,
  async expected() {
    const list = await specializations();
    return { values: list.map((s) => s.id), titles: list.map((s) => s.title) };
  },
  data: {
    records: [
      { id: 's1', title: 'Zeta track', description: 'Last alphabetically, first as given.' },
      { id: 's2', title: 'Alpha track', description: 'Given second.' },
    ],
    values: ['s1', 's2'],
    titles: ['Zeta track', 'Alpha track'],
  },
});

describe('<pos-specialization-picker>', () => {
  before(async () => {
    clearCache();
    await signIn();
  });

  it('shows each specialization with its description, published ones only, sorted ignoring case', async () => {
    const el = await fixture(html`<pos-specialization-picker base-url=${API} label="Specialization"></pos-specialization-picker>`);
    await loaded(el as never);
    await openWithKeyboard(el as never);
    const first = optionsOf(el as never)[0]!;
    expect(first.querySelector('.title')!.textContent).to.equal('AI Solutions');
    expect(first.querySelector('.description')!.textContent).to.contain('model APIs');
    const titles = (el as unknown as { records: Specialization[] }).records.map((s) => s.title);
    expect(titles).to.not.include('Sustainability');
    expect(titles.indexOf('edge computing')).to.be.greaterThan(
      titles.indexOf('Disaster Recovery') === -1 ? titles.indexOf('DevOps Excellence') : -1,
    );
  });
});
