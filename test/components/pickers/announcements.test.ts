/**
 * What a screen reader hears (issue 15, problem 6): one polite live region per
 * element from the first render, each message written once; a multiple
 * picker's combobox describes its selection; a load failure is not "invalid
 * entry", and opening a picker in error shows no empty expanded listbox.
 * Names and descriptions are read from Chromium's accessibility tree (CDP).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../../components/tag-picker/tag-picker.js';
import '../../../components/training-picker/training-picker.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { signIn } from '../../support/api.js';

const MISBEHAVING = (window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__;
import { type AnyPicker, clearCache, inputOf, isOpen, loaded, type, trainingsTitled } from './helpers.js';

interface AxNode {
  role?: string;
  name: string;
  description: string;
  expanded?: boolean;
}
const axTree = async () => (await executeServerCommand<AxNode[], undefined>('ax-tree'))!;
const combobox = async (name: string) => (await axTree()).find((n) => n.role === 'combobox' && n.name === name);

const data = trainingsTitled(['Acme Cloud Fundamentals', 'Security & Compliance', 'Data Governance', 'Data Mesh']);

/** The element's live regions, and every text written to the one it has. */
function watchRegion(el: AnyPicker) {
  const regions = [...el.shadowRoot!.querySelectorAll('[role="status"], [aria-live], [role="alert"]')];
  const said: string[] = [];
  const region = regions[0] as HTMLElement;
  new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
  return { regions, region, said };
}

describe('announcements', () => {
  before(async () => {
    clearCache();
    await signIn();
  });
  beforeEach(() => clearCache());

  it('has one polite live region from the first render; says "Loading trainings…" once while the open list loads', async () => {
    const el = document.createElement('pos-training-picker') as PosTrainingPicker;
    // A server that never answers: the list stays loading.
    el.baseUrl = `${MISBEHAVING}/hang/api`;
    el.label = 'Training';
    document.body.append(el);
    await el.updateComplete;
    const { regions, region, said } = watchRegion(el);
    expect(regions).to.have.length(1);
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.closest('[part~="popup"]'), 'outside the popup').to.equal(null);
    inputOf(el).focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => said.length > 0, 'loading announced');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(said).to.deep.equal(['Loading trainings…']);
    await sendKeys({ press: 'Escape' });
    el.remove();
  });

  it('says the number of results once per settled filter, and “No matches for …”', async () => {
    const el = await fixture<PosTrainingPicker>(html`<pos-training-picker label="Training" .data=${data}></pos-training-picker>`);
    const { said } = watchRegion(el);
    inputOf(el).focus();
    await type(el, 'data');
    await waitUntil(() => said.length === 1, 'one announcement');
    expect(said).to.deep.equal(['2 results']);
    await type(el, ' m');
    await waitUntil(() => said.length === 2, 'the next one');
    await type(el, 'x');
    await waitUntil(() => said.length === 3, 'no matches');
    expect(said).to.deep.equal(['2 results', '1 result', 'No matches for “data mx”.']);
    // Moving through the list says nothing new.
    await sendKeys({ press: 'ArrowDown' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(said).to.have.length(3);
    await sendKeys({ press: 'Escape' });
  });

  it('says “Removed …” when a chip goes (Backspace or its button); the combobox describes the selection', async () => {
    const el = await fixture<PosTrainingPicker>(
      html`<pos-training-picker label="Trainings" multiple .data=${data} .value=${['t0', 't1']}></pos-training-picker>`,
    );
    const { said } = watchRegion(el);
    expect((await combobox('Trainings'))?.description).to.equal('2 selected');
    inputOf(el).focus();
    await sendKeys({ press: 'Backspace' });
    await waitUntil(() => said.length === 1, 'removal announced');
    expect(said).to.deep.equal(['Removed Security & Compliance']);
    expect((await combobox('Trainings'))?.description).to.equal('1 selected');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="chip__remove"]')!.click();
    await waitUntil(() => said.length === 2, 'second removal announced');
    expect(said[1]).to.equal('Removed Acme Cloud Fundamentals');
    expect((await combobox('Trainings'))?.description).to.equal('');
  });

  it('a load failure is not aria-invalid; opening in error keeps the listbox collapsed and the error in the description', async () => {
    const el = await fixture<AnyPicker>(html`<pos-tag-picker base-url="http://127.0.0.1:9/api" label="Tags"></pos-tag-picker>`);
    await loaded(el);
    expect(el.loadState).to.equal('error');
    expect(inputOf(el).hasAttribute('aria-invalid')).to.equal(false);
    inputOf(el).focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(isOpen(el)).to.equal(false);
    const node = await combobox('Tags');
    expect(node?.expanded).to.equal(false);
    expect(node?.description).to.contain('The tags could not be loaded.');
  });
});
