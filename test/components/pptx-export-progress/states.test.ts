/**
 * The export element's state machine as a host sees it: `pos-export-state-change`
 * fires after the render it describes, the liveness dot waits for a heartbeat
 * (not the `: connected` greeting), the polite live region exists from the
 * first render and announces each change once (a queued start included).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import type { ExportErrorEvent, PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.js';
import { API, lessonId, misbehavingApi, signIn } from '../../support/api.js';
import { WAIT, exportsOn, freshKey, inState, part, post, untilOpenStreams } from './stream-helpers.js';

/** What the element shows, in a word per state. */
function shown(el: PosPptxExportProgress): string {
  if (part(el, 'export')) return 'idle';
  if (part(el, 'download')) return 'completed';
  if (part(el, 'retry') || part(el, 'message')) return 'error';
  return part(el, 'label')!.textContent!;
}

/** Every text the live region announced (each announcement replaces its content once). */
function recordAnnouncements(el: PosPptxExportProgress): () => string[] {
  const region = part(el, 'status')!;
  const texts: string[] = [];
  const take = (records: MutationRecord[]) =>
    records.forEach((r) => r.addedNodes.forEach((n) => n.textContent?.trim() && texts.push(n.textContent.trim())));
  const observer = new MutationObserver(take);
  observer.observe(region, { childList: true, subtree: true, characterData: true });
  return () => (take(observer.takeRecords()), texts);
}

describe('<pos-pptx-export-progress> states', function () {
  this.timeout(30_000);
  before(() => signIn());

  it('fires pos-export-state-change after the render: a listener finds the new state on screen', async () => {
    const lesson = await lessonId('Test lesson 5');
    const el = await fixture<PosPptxExportProgress>(
      html`<pos-pptx-export-progress
        base-url=${API}
        lesson-id=${lesson}
        cache-key=${freshKey('rendered')}
        heartbeat-ms="300"
      ></pos-pptx-export-progress>`,
    );
    const seen: [string, string, string | null][] = [];
    el.addEventListener('pos-export-state-change', (e) => {
      seen.push([(e as CustomEvent<{ state: string }>).detail.state, shown(el), el.getAttribute('state')]);
    });
    await el.dispatch();
    await waitUntil(() => seen.at(-1)?.[0] === 'completed', `states: ${JSON.stringify(seen)}`, WAIT);
    el.cancel();
    await waitUntil(() => seen.at(-1)?.[0] === 'idle', `states: ${JSON.stringify(seen)}`, WAIT);
    expect(seen).to.deep.equal([
      ['dispatching', 'Starting the export…', 'dispatching'],
      ['connecting', 'Connecting to the server…', 'connecting'],
      ['waiting', 'Generating the presentation…', 'waiting'],
      ['completed', 'completed', 'completed'],
      ['idle', 'idle', 'idle'],
    ]);
  });

  it('the liveness dot stays off on `: connected` without a heartbeat', async () => {
    const el = await fixture<PosPptxExportProgress>(
      html`<pos-pptx-export-progress
        base-url=${misbehavingApi('connected-only')}
        lesson-id="00000000-0000-4000-8000-000000000001"
        heartbeat-ms="500"
        max-reconnects="0"
      ></pos-pptx-export-progress>`,
    );
    let alive = false;
    const observer = new MutationObserver(() => (alive ||= !!el.shadowRoot!.querySelector('[part~="liveness"][data-alive]')));
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true });
    const failed = oneEvent(el, 'pos-export-error') as Promise<ExportErrorEvent>;
    el.start();
    await waitUntil(() => el.state === 'waiting', `state ${el.state}`, WAIT);
    // The watchdog (3 heartbeat periods without a byte) ends it: the greeting was all it got.
    expect((await failed).detail.code).to.equal('connection_lost');
    observer.disconnect();
    expect(alive, 'the dot turned live without a heartbeat').to.equal(false);
  });

  it('has one polite live region from the first render; a queued start is announced once, with the start', async () => {
    await untilOpenStreams(0);
    const lesson = await lessonId('Test lesson 6');
    const { els, keys } = await exportsOn(API, lesson, 2);
    for (const el of els) {
      const region = part(el, 'status')!;
      expect(region.getAttribute('role'), 'the region exists before anything happens').to.equal('status');
      expect(el.shadowRoot!.querySelectorAll('[role="status"], [aria-live]')).to.have.length(1);
      el.streamLimit = 1;
    }
    await Promise.all(els.map((el) => el.updateComplete));
    const announced = els.map(recordAnnouncements);
    els.forEach((el) => el.start());
    await waitUntil(() => inState(els, 'waiting').length === 1 && inState(els, 'queued').length === 1, `${els.map((e) => e.state)}`, WAIT);
    await Promise.all(keys.map((key) => post(API, '/exports/pptx', { lessonId: lesson, cacheKey: key })));
    await waitUntil(() => inState(els, 'completed').length === 2, `${els.map((e) => e.state)}`, WAIT);
    await Promise.all(els.map((el) => el.updateComplete));
    expect(announced[0]!()).to.deep.equal(['The PowerPoint export has started.', 'Your presentation is ready.']);
    expect(announced[1]!()).to.deep.equal(['The PowerPoint export has started. Waiting to connect…', 'Your presentation is ready.']);
  });
});
