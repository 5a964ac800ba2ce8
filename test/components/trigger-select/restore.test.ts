/**
 * The browser's own form state restore (going back to a page re-creates it
 * and hands each control its saved state): the trigger comes back whole, its
 * parameters with it. A real history traversal in an iframe (iframes are not
 * kept in the back/forward cache, so the page really loads again).
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { PosTriggerSelect } from '../../../components/trigger-select/trigger-select.component.js';

const PAGE = '/test/components/trigger-select/restore-host.html';

async function load(frame: HTMLIFrameElement, navigate: () => void) {
  const loaded = oneEvent(frame, 'load');
  navigate();
  await loaded;
  const win = frame.contentWindow as Window & typeof globalThis;
  await win.customElements.whenDefined('pos-trigger-select');
  const [when, plain] = win.document.querySelectorAll<PosTriggerSelect>('pos-trigger-select');
  await when!.updateComplete;
  // Out of the load event's task: a navigation before it ends replaces the history entry instead of adding one.
  await new Promise((resolve) => setTimeout(resolve));
  return { win, when: when!, plain: plain! };
}

describe('<pos-trigger-select> form state restore', () => {
  it('comes back with its parameters after the page is left and the user goes back', async () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    try {
      let page = await load(frame, () => (frame.src = PAGE));
      page.when.trigger = { type: 'partner_inactive', days: 45 };
      page.plain.value = 'deal_closed_won';
      await page.when.updateComplete;
      await page.plain.updateComplete;
      await load(frame, () => (page.win.location.href = `${PAGE}?elsewhere`));
      page = await load(frame, () => frame.contentWindow!.history.back());
      expect(page.win.location.search).to.equal('');
      await waitUntil(() => page.when.value !== '', 'the browser restores the state');
      await page.when.updateComplete;
      expect(page.when.trigger).to.deep.equal({ type: 'partner_inactive', days: 45 });
      expect(page.plain.trigger, 'a type without parameters, restored by the base picker').to.deep.equal({ type: 'deal_closed_won' });
      const form = page.win.document.querySelector('form')!;
      expect([...new page.win.FormData(form)].map(([k, v]) => [k, String(v)])).to.deep.equal([
        ['when', 'partner_inactive'],
        ['when.days', '45'],
        ['plain', 'deal_closed_won'],
      ]);
    } finally {
      frame.remove();
    }
  });
});
