/**
 * The trigger types as PartnerOS's workflow builder shows them: its display
 * names and its two groups (the guide's), our names for the rest, the API's
 * order inside each group, a filter over names and types, and the overrides.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/trigger-select/trigger-select.js';
import { triggerTitle, type PosTriggerSelect } from '../../../components/trigger-select/trigger-select.component.js';
import { inputOf, openWithKeyboard, optionTitles, optionsOf, press, type } from '../pickers/helpers.js';

/** shared/spec/partneros-docs-notes.md: the guide's groups and names; the last three groups and four names are ours. */
const GROUPS: [string, [string, string][]][] = [
  [
    'Partner lifecycle triggers',
    [
      // The API's order (partneros-workflows-api.txt), not the guide's.
      ['partner_created', 'Partner Created'],
      ['partner_stage_changed', 'Partner Stage Changed'],
      ['partner_agreement_signed', 'Partner Agreement Signed'],
      ['partner_certification_completed', 'Partner Certification Completed'],
      ['partner_tier_changed', 'Partner Tier Changed'],
      ['contract_renewal_approaching', 'Contract Renewal Approaching'],
      ['partner_inactive', 'Partner Inactive (X Days)'],
      ['partner_payment_made', 'Partner Payment Made'],
      ['contact_added_to_partner', 'Contact Added to Partner'],
    ],
  ],
  [
    'Deal triggers',
    [
      ['deal_registered', 'Deal Registered'],
      ['deal_registration_approved', 'Deal Registration Approved'],
      ['deal_registration_declined', 'Deal Registration Declined'],
      ['deal_closed_won', 'Deal Closed Won'],
      ['deal_closed_lost', 'Deal Closed Lost'],
    ],
  ],
  [
    'Portal and application triggers',
    [
      ['partner_joined_platform', 'Partner Joined Platform'],
      ['application_submitted', 'Application Submitted'],
    ],
  ],
  ['Finance triggers', [['mdf_request_submitted', 'MDF Request Submitted']]],
  ['Manual triggers', [['manual', 'Manual']]],
];

/** The listbox as groups: each group's heading and its options' [type, title]. */
function shownGroups(el: PosTriggerSelect) {
  return [...el.shadowRoot!.querySelectorAll('[role="group"]')].map((group) => [
    el.shadowRoot!.getElementById(group.getAttribute('aria-labelledby')!)!.textContent!.trim(),
    [...group.querySelectorAll('[role="option"]')].map((o) => [
      o.querySelector('.type')!.textContent!.trim(),
      o.querySelector('.title')!.textContent!.trim(),
    ]),
  ]);
}

const make = () => fixture<PosTriggerSelect>(html`<pos-trigger-select label="Trigger"></pos-trigger-select>`);

describe('<pos-trigger-select> names and groups', () => {
  it("shows PartnerOS's names under its groups, in the API's order inside each group", async () => {
    const el = await make();
    await openWithKeyboard(el);
    expect(shownGroups(el)).to.deep.equal(GROUPS);
  });

  it('shows the chosen name in the combobox, and triggerTitle() gives the same names', async () => {
    const el = await make();
    el.value = 'partner_inactive';
    await el.updateComplete;
    expect(inputOf(el).value).to.equal('Partner Inactive (X Days)');
    for (const [, members] of GROUPS) for (const [t, title] of members) expect(triggerTitle(t)).to.equal(title);
    // Types outside the contract: their words in title case.
    expect(triggerTitle('deal_escalated')).to.equal('Deal Escalated');
    expect(triggerTitle('constructor')).to.equal('Constructor');
  });

  it('filters by the name and by the type', async () => {
    const el = await make();
    await openWithKeyboard(el);
    // Only in names: "(X Days)", "added to" (the type says added_to), "MDF" in capitals is any case.
    await type(el, '(x days');
    expect(optionTitles(el)).to.deep.equal(['Partner Inactive (X Days)']);
    await press(el, 'Escape');
    await press(el, 'Escape');
    await type(el, 'added to');
    expect(optionTitles(el)).to.deep.equal(['Contact Added to Partner']);
    await press(el, 'Escape');
    await press(el, 'Escape');
    // Only in types.
    await type(el, 'deal_closed');
    expect(optionTitles(el)).to.deep.equal(['Deal Closed Won', 'Deal Closed Lost']);
    await press(el, 'Escape');
    await press(el, 'Escape');
    await type(el, 'added_to');
    expect(optionTitles(el)).to.deep.equal(['Contact Added to Partner']);
    await press(el, 'Enter');
    expect(el.value).to.equal('contact_added_to_partner');
  });

  it('takes other group headings from groupLabels and other names from strings.titles, also in the filter', async () => {
    const el = await make();
    await openWithKeyboard(el);
    await type(el, 'run by');
    expect(optionsOf(el), 'nothing is named so yet').to.have.length(0);
    await press(el, 'Escape');
    await press(el, 'Escape');
    el.groupLabels = { lifecycle: 'Lifecycle', manual: 'By hand' };
    el.strings = { titles: { manual: 'Run by hand', deal_closed_won: 'Won' } };
    await el.updateComplete;
    await press(el, 'ArrowDown');
    const groups = shownGroups(el);
    expect(groups.map(([label]) => label)).to.deep.equal([
      'Lifecycle',
      'Deal triggers',
      'Portal and application triggers',
      'Finance triggers',
      'By hand',
    ]);
    expect(groups[1]![1]).to.deep.include(['deal_closed_won', 'Won']);
    await type(el, 'run by');
    expect(optionTitles(el)).to.deep.equal(['Run by hand']);
    await press(el, 'Enter');
    expect(el.value).to.equal('manual');
    expect(inputOf(el).value).to.equal('Run by hand');
  });

  it('puts types outside the contract (from data) under "Other triggers", after the others', async () => {
    const el = await fixture<PosTriggerSelect>(
      html`<pos-trigger-select
        label="Trigger"
        .data=${[
          { type: 'deal_escalated', description: 'Not in the contract.' },
          { type: 'manual', description: 'On demand.' },
          { type: 'deal_registered', description: 'A deal.' },
        ]}
      ></pos-trigger-select>`,
    );
    await openWithKeyboard(el);
    expect(shownGroups(el)).to.deep.equal([
      ['Deal triggers', [['deal_registered', 'Deal Registered']]],
      ['Manual triggers', [['manual', 'Manual']]],
      ['Other triggers', [['deal_escalated', 'Deal Escalated']]],
    ]);
  });
});
