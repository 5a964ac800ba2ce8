import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import type { PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.js';
import { API, LESSON_BEHAVIOUR, lessonId, signIn } from '../../support/api.js';
import { audit, emulate } from './helpers.js';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;

/** An export element following an export that never finishes, in a page section of direction `dir`. */
async function running(dir: 'ltr' | 'rtl') {
  const hanging = await lessonId(`${LESSON_BEHAVIOUR.hang}Hanging lesson`);
  const page = await fixture<HTMLElement>(
    html`<div dir=${dir} style="inline-size: 300px">
      <pos-pptx-export-progress base-url=${API} lesson-id=${hanging} cache-key=${crypto.randomUUID()}></pos-pptx-export-progress>
    </div>`,
  );
  const el = page.querySelector<PosPptxExportProgress>('pos-pptx-export-progress')!;
  el.start();
  await waitUntil(() => el.getAttribute('state') === 'waiting', 'never waiting', { timeout: 12_000 });
  await el.updateComplete;
  return el;
}

/** Where the moving segment is at a fraction of its cycle (the animation paused there: no timing involved). */
function segmentAt(indicator: HTMLElement, fraction: number): DOMRect {
  const [animation] = indicator.getAnimations();
  animation!.pause();
  animation!.currentTime = Number(animation!.effect!.getComputedTiming().duration) * fraction;
  return indicator.getBoundingClientRect();
}

describe("the export element's indeterminate bar", function () {
  this.timeout(30_000);
  before(() => signIn());
  afterEach(() => emulate({}));

  it('slides left to right in a left-to-right page', async () => {
    const el = await running('ltr');
    const indicator = part(el, 'progress-indicator');
    const [early, late] = [segmentAt(indicator, 0.25), segmentAt(indicator, 0.75)];
    expect(late.left, 'moves right').to.be.greaterThan(early.left);
    el.cancel();
  });

  it('slides right to left in a right-to-left page', async () => {
    const el = await running('rtl');
    const indicator = part(el, 'progress-indicator');
    const [early, late] = [segmentAt(indicator, 0.25), segmentAt(indicator, 0.75)];
    expect(late.right, 'moves left').to.be.lessThan(early.right);
    expect(await audit(el)).to.deep.equal([]);
    el.cancel();
  });

  for (const dir of ['ltr', 'rtl'] as const) {
    it(`stands still under reduced motion and never looks like a full bar (${dir})`, async () => {
      await emulate({ 'prefers-reduced-motion': 'reduce' });
      const el = await running(dir);
      const track = part(el, 'progress').getBoundingClientRect();
      const indicator = part(el, 'progress-indicator');
      const segment = indicator.getBoundingClientRect();
      expect(indicator.getAnimations(), 'no animation').to.have.length(0);
      expect(segment.width / track.width, 'a segment, not the whole track').to.be.below(0.6);
      // Not anchored at the start either, where it would read as a partial amount done.
      const fromStart = dir === 'ltr' ? segment.left - track.left : track.right - segment.right;
      expect(fromStart, 'away from the start').to.be.greaterThan(track.width * 0.1);
      expect(part(el, 'progress').hasAttribute('aria-valuenow'), 'no value: indeterminate').to.equal(false);
      expect(await audit(el)).to.deep.equal([]);
      el.cancel();
    });
  }
});
