/**
 * The partner role against the real reference server: PartnerOS's partner
 * users "cannot access internal management endpoints" (403). Every picker
 * that loads says the user has no access, offers no Retry (asking again gets
 * the same answer) and reports status and code; the trigger select, which
 * ships its list, keeps working.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../components/specialization-picker/specialization-picker.js';
import '../../../components/tag-picker/tag-picker.js';
import '../../../components/training-picker/training-picker.js';
import '../../../components/trigger-select/trigger-select.js';
import type { PosPicker } from '../../../components/internal/picker.js';
import { API, TEST_USERS, signIn } from '../../support/api.js';
import { clearCache } from '../pickers/helpers.js';

describe('signed in with the partner role', () => {
  before(() => signIn(TEST_USERS.partner));
  beforeEach(() => clearCache());
  after(() => signIn());

  for (const tag of ['pos-specialization-picker', 'pos-tag-picker', 'pos-training-picker'] as const) {
    it(`<${tag}> says there is no access, without Retry, and the event carries 403 forbidden`, async () => {
      const el = document.createElement(tag) as PosPicker<unknown>;
      el.setAttribute('label', 'List');
      el.setAttribute('base-url', API);
      const failed = oneEvent(el, 'pos-error');
      await fixture<PosPicker<unknown>>(html`<div>${el}</div>`);
      const { detail } = await failed;
      expect(detail.status).to.equal(403);
      expect(detail.code).to.equal('forbidden');
      expect(detail.message).to.match(/partner/);
      await el.updateComplete;
      const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
      expect(alert.textContent).to.match(/do not have access/);
      expect(alert.textContent).to.include(detail.message);
      expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('<pos-trigger-select> needs no request and still lists the triggers', async () => {
    const el = await fixture<PosPicker<unknown>>(html`<pos-trigger-select label="When" base-url=${API}></pos-trigger-select>`);
    expect(el.loadState).to.equal('complete');
    expect(el.records?.length).to.equal(18);
  });
});
