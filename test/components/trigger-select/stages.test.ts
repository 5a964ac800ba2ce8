/**
 * `partner_stage_changed`'s stage filters: the host's list, the reference
 * server's (`GET /api/workflow-pickers/partner-stages`, its own route), or
 * free text when there is neither; requested only once a stage trigger is chosen.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/trigger-select/trigger-select.js';
import type { PosTriggerSelect } from '../../../components/trigger-select/trigger-select.component.js';
import { API, TEST_USERS, apiGet, signIn } from '../../support/api.js';
import { clearCache, requestsTo } from '../pickers/helpers.js';
import { audit, chooseByTyping, countEvents, fieldOf, fieldsShown, focused, inputOf } from './helpers.js';

const ROUTE = '/workflow-pickers/partner-stages';
const MISBEHAVING = (window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__;
/** A server that answers 404 to every path, as one without the route does. */
const NOT_FOUND = `${MISBEHAVING}/no-such-server/api`;

const select = (el: PosTriggerSelect, name: string) => fieldOf<HTMLSelectElement>(el, name);
const optionTexts = (field: HTMLSelectElement) => [...field.options].map((o) => o.textContent!.trim());

describe('<pos-trigger-select> stage filters', () => {
  before(async () => {
    clearCache();
    await signIn(TEST_USERS.acme);
  });
  beforeEach(() => {
    clearCache();
    performance.clearResourceTimings();
  });

  it('offers the stages handed in (names or { id, name }) in native selects after "Any stage", and stores the name', async () => {
    const el = await fixture<PosTriggerSelect>(
      html`<pos-trigger-select
        base-url=${API}
        label="Trigger"
        value="partner_stage_changed"
        .stages=${[
          { id: 'a', name: 'Prospect' },
          { id: 'b', name: 'Active' },
        ]}
      ></pos-trigger-select>`,
    );
    await el.updateComplete;
    expect(optionTexts(select(el, 'fromStage')!)).to.deep.equal(['Any stage', 'Prospect', 'Active']);
    expect(optionTexts(select(el, 'toStage')!)).to.deep.equal(['Any stage', 'Prospect', 'Active']);
    expect(select(el, 'fromStage')!.value).to.equal('');
    el.stages = ['Lead', 'Customer'];
    el.trigger = { type: 'partner_stage_changed', fromStage: 'Lead' };
    await el.updateComplete;
    expect(optionTexts(select(el, 'fromStage')!)).to.deep.equal(['Any stage', 'Lead', 'Customer']);
    expect(select(el, 'fromStage')!.value).to.equal('Lead');
    // A stored stage the list lacks stays shown and chosen.
    el.trigger = { type: 'partner_stage_changed', toStage: 'Dormant' };
    await el.updateComplete;
    expect(optionTexts(select(el, 'toStage')!)).to.deep.equal(['Any stage', 'Lead', 'Customer', 'Dormant']);
    expect(select(el, 'toStage')!.value).to.equal('Dormant');
    expect(requestsTo(ROUTE), "the host's list: no request").to.equal(0);
  });

  it("loads the organisation's stages from the reference server once a stage trigger is chosen, in its order", async () => {
    const { partnerStages } = await apiGet<{ partnerStages: { id: string; name: string }[] }>(ROUTE);
    expect(partnerStages?.length, 'the browser fixture has partner stages').to.be.greaterThan(0);
    performance.clearResourceTimings();
    const el = await fixture<PosTriggerSelect>(html`<pos-trigger-select base-url=${API} label="Trigger"></pos-trigger-select>`);
    inputOf(el).focus();
    await chooseByTyping(el, 'closed won');
    await chooseByTyping(el, 'inactive');
    await el.updateComplete;
    expect(requestsTo(ROUTE), 'other triggers ask nothing').to.equal(0);
    await chooseByTyping(el, 'stage changed');
    expect(el.value).to.equal('partner_stage_changed');
    await waitUntil(() => select(el, 'toStage') && !select(el, 'toStage')!.disabled, 'the stages arrive');
    const names = partnerStages.map((s) => s.name);
    expect(optionTexts(select(el, 'fromStage')!)).to.deep.equal(['Any stage', ...names]);
    expect(optionTexts(select(el, 'toStage')!)).to.deep.equal(['Any stage', ...names]);
    // From the keyboard: Tab to "To stage", choose the second stage.
    const events = countEvents(el);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(select(el, 'toStage'));
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_stage_changed', toStage: names[1] });
    expect(events).to.deep.equal({ input: 2, change: 2 });
    expect(requestsTo(ROUTE)).to.equal(1);
  });

  it('falls back to free-text filters when the server has no such route (404), with no error shown or fired', async () => {
    const errors: Event[] = [];
    const el = await fixture<PosTriggerSelect>(
      html`<pos-trigger-select
        base-url=${NOT_FOUND}
        label="Trigger"
        value="partner_stage_changed"
        @pos-error=${(e: Event) => errors.push(e)}
      ></pos-trigger-select>`,
    );
    await waitUntil(() => fieldOf(el, 'fromStage')?.localName === 'input', 'free-text fields');
    const from = fieldOf(el, 'fromStage')!;
    expect(from.type).to.equal('text');
    expect(from.placeholder).to.equal('Any stage');
    expect(el.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
    from.focus();
    await sendKeys({ type: 'Onboarding' });
    await el.updateComplete;
    expect(el.trigger).to.deep.equal({ type: 'partner_stage_changed', fromStage: 'Onboarding' });
    expect(errors).to.have.length(0);
  });

  it('shows disabled, busy selects while the stages load', async () => {
    const el = await fixture<PosTriggerSelect>(
      html`<pos-trigger-select base-url=${`${MISBEHAVING}/hang/api`} label="Trigger" value="partner_stage_changed"></pos-trigger-select>`,
    );
    await fieldsShown(el, 2);
    const from = select(el, 'fromStage')!;
    expect(from.localName).to.equal('select');
    expect(from.disabled).to.equal(true);
    expect(from.getAttribute('aria-busy')).to.equal('true');
    // A value set meanwhile is shown, and kept.
    el.trigger = { type: 'partner_stage_changed', fromStage: 'Prospect' };
    await el.updateComplete;
    expect(select(el, 'fromStage')!.value).to.equal('Prospect');
    el.remove();
  });

  it('has no axe violations with the stage selects and with the free-text fields', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<main>
        <pos-trigger-select label="With stages" value="partner_stage_changed" .stages=${['Prospect', 'Active']}></pos-trigger-select>
        <pos-trigger-select label="Free text" value="partner_stage_changed" base-url=${NOT_FOUND}></pos-trigger-select>
      </main>`,
    );
    const [withStages, freeText] = wrapper.querySelectorAll<PosTriggerSelect>('pos-trigger-select');
    await withStages!.updateComplete;
    await waitUntil(() => fieldOf(freeText!, 'toStage')?.localName === 'input', 'free-text fields');
    expect(await audit(wrapper)).to.deep.equal([]);
  });
});
