/**
 * A stream whose line (or event) never ends must not grow the page's memory
 * without bound: past SSE_MAX_LENGTH the element gives up on that stream as
 * garbage, for good (reconnecting would only read the same garbage again).
 * Against test/support/misbehaving-server.mjs, which sends 2 MiB without a
 * line break (or without a blank line) and then holds the stream open.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import type { ExportErrorEvent, PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.js';

const MISBEHAVING = (window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__;
const hits = async (behaviour: string) =>
  (await executeServerCommand<Record<string, number>, undefined>('misbehaving-hits'))[behaviour] ?? 0;

describe('<pos-pptx-export-progress> on a stream that never ends a line or an event', () => {
  for (const behaviour of ['endless-line', 'endless-event']) {
    it(`${behaviour}: error state with invalid_response, and no reconnection`, async () => {
      const before = await hits(behaviour);
      // A watchdog of 3 s and one reconnection allowed: a stream merely read forever
      // would end as connection_lost after a reconnection, not as invalid_response.
      const el = await fixture<PosPptxExportProgress>(
        html`<pos-pptx-export-progress
          base-url=${`${MISBEHAVING}/${behaviour}/api`}
          lesson-id="00000000-0000-4000-8000-000000000001"
          heartbeat-ms="1000"
          max-reconnects="1"
        ></pos-pptx-export-progress>`,
      );
      const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
      el.start();
      const { detail } = await failed;
      expect(detail.code).to.equal('invalid_response');
      expect(detail.message).to.match(/event stream line or event over 1048576 characters/);
      await waitUntil(() => el.getAttribute('state') === 'error', `state is ${el.state}`);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="message"]')!.textContent).to.match(/over 1048576 characters/);
      expect(el.shadowRoot!.querySelector('[part~="retry"]'), 'a Retry button').to.exist;
      expect(await hits(behaviour), 'requests to the stream').to.equal(before + 1);
    });
  }
});
