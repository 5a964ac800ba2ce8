import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/trigger-select/trigger-select.js';
import { TRIGGER_TYPES, TriggerGroup } from '../../../components/internal/trigger-types.js';
import { triggerTitle, type PosTriggerSelect } from '../../../components/trigger-select/trigger-select.component.js';
import { openWithKeyboard, optionsOf, press, requestsTo } from './helpers.js';
import { runPickerSuite } from './picker-suite.js';

/** The order the select shows: by group, the contract's order inside each. */
const grouped = (Object.keys(TriggerGroup) as (keyof typeof TriggerGroup)[]).flatMap((g) => TRIGGER_TYPES.filter((t) => t.group === g));

runPickerSuite({
  tag: 'pos-trigger-select',
  async expected() {
    return { values: grouped.map((t) => t.type), titles: grouped.map((t) => triggerTitle(t.type)) };
  },
  data: {
    records: [
      { type: 'manual', description: 'On demand.' },
      { type: 'deal_registered', description: 'A deal.' },
    ],
    // Grouped: deals before manual.
    values: ['deal_registered', 'manual'],
    titles: ['Deal Registered', 'Manual'],
    firstShown: 1,
  },
});

describe('<pos-trigger-select>', () => {
  it('offers all 18 trigger types under visible group headings, with no request', async () => {
    performance.clearResourceTimings();
    const el = await fixture<PosTriggerSelect>(html`<pos-trigger-select label="Trigger" name="trigger"></pos-trigger-select>`);
    await openWithKeyboard(el);
    expect(optionsOf(el)).to.have.length(18);
    const groups = [...el.shadowRoot!.querySelectorAll('[role="group"]')];
    // Every group but "Other triggers", which holds only types from outside the contract.
    expect(groups.map((g) => el.shadowRoot!.getElementById(g.getAttribute('aria-labelledby')!)!.textContent)).to.deep.equal(
      Object.values(TriggerGroup).filter((label) => label !== TriggerGroup.other),
    );
    expect(groups[0]!.querySelectorAll('[role="option"]')).to.have.length(TRIGGER_TYPES.filter((t) => t.group === 'lifecycle').length);
    expect(optionsOf(el)[0]!.textContent).to.contain('partner_created').and.contain('Fires when a new partner record is created.');
    await press(el, 'PageDown');
    await press(el, 'PageDown');
    await press(el, 'Enter');
    expect(el.value).to.equal('manual');
    expect(requestsTo('/workflow-pickers')).to.equal(0);
  });
});
