/**
 * A picker given `data` right after it upgrades (issue 15, problem 10): the
 * host's usual order is to let the element upgrade, then hand it its records
 * (`whenDefined().then(...)`, a framework's property set after mount). The
 * element must not ask the server for a list the host supplies.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { optionTitles, openWithKeyboard } from './helpers.js';

const MISBEHAVING = (window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__;
const hits = async () => ((await executeServerCommand<Record<string, number>, undefined>('misbehaving-hits')) ?? {})['html-500'] ?? 0;

describe('data set right after the element upgrades', () => {
  it('makes no request and fires no pos-error', async () => {
    const before = await hits();
    const host = document.body.appendChild(document.createElement('div'));
    // In the page before its definition, as with server-rendered HTML and a deferred script.
    host.innerHTML = `<pos-training-picker-late base-url="${MISBEHAVING}/html-500/api" label="Training"></pos-training-picker-late>`;
    const el = host.firstElementChild as PosTrainingPicker;
    const errors: Event[] = [];
    el.addEventListener('pos-error', (e) => errors.push(e));
    customElements.define('pos-training-picker-late', class extends PosTrainingPicker {});
    await customElements.whenDefined('pos-training-picker-late');
    el.data = [{ id: 'h1', title: 'From the host', description: '', tags: [], specializationId: null, durationMinutes: 5 }];
    await el.updateComplete;
    // Long enough for a request that was started to reach the server and fail.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await hits(), 'requests to the server').to.equal(before);
    expect(errors).to.have.length(0);
    expect(el.loadState).to.equal('complete');
    await openWithKeyboard(el);
    expect(optionTitles(el)).to.deep.equal(['From the host']);
    host.remove();
  });
});
