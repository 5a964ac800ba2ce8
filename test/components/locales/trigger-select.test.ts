import { expect, waitUntil } from '@open-wc/testing';
import '../../../components/trigger-select/trigger-select.js';
import type { PosTriggerSelect } from '../../../components/trigger-select/trigger-select.js';
import de from '../../../components/locales/de.js';
import { openWithKeyboard, optionTitles, optionsOf } from '../pickers/helpers.js';
import { inShadowRoot, settled } from './helpers.js';

const texts = de['pos-trigger-select'];

describe('locales: <pos-trigger-select>', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it('shows the pack’s trigger titles, descriptions and group headings, searchable in that language', async () => {
    const { host, el, remove } = inShadowRoot<PosTriggerSelect>('pos-trigger-select', 'de');
    cleanups.push(remove);
    await el.updateComplete;
    await openWithKeyboard(el);
    expect(optionTitles(el)[0]).to.equal('Partner angelegt');
    expect(optionsOf(el)[0]!.querySelector('.description')!.textContent).to.equal(texts.descriptions.partner_created);
    expect(el.shadowRoot!.querySelector('[part~="group-label"]')!.textContent).to.equal(texts.groups.lifecycle);

    const input = el.shadowRoot!.querySelector('input')!;
    input.value = 'gewonnen';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await settled(el);
    expect(optionTitles(el)).to.deep.equal(['Deal gewonnen']);

    // Back to English: titles and search text follow.
    host.lang = 'en';
    await settled(el);
    expect(optionTitles(el)).to.deep.equal([]);
  });

  it('labels the parameter fields from the pack, the host’s `strings` and `groupLabels` still first', async () => {
    const { el, remove } = inShadowRoot<PosTriggerSelect>('pos-trigger-select', 'de', {
      groupLabels: { lifecycle: 'Lebenszyklus' },
      strings: { titles: { partner_created: 'Neuer Partner' } },
    });
    cleanups.push(remove);
    el.trigger = { type: 'partner_inactive', days: 30 };
    await el.updateComplete;
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="parameter-label"]'), 'no parameter field');
    expect(el.shadowRoot!.querySelector('[part~="parameter-label"]')!.textContent).to.equal(texts.days);
    await openWithKeyboard(el);
    expect(optionTitles(el)[0]).to.equal('Neuer Partner');
    expect(el.shadowRoot!.querySelector('[part~="group-label"]')!.textContent).to.equal('Lebenszyklus');
  });
});
