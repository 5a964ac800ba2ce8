/**
 * Many exports on one page (issue 16, point 5). A browser keeps six
 * connections per origin, and over HTTP/1.1 each open stream holds one: with
 * six streams open nothing else reaches the API. So elements that follow the
 * same export share one stream, and over HTTP/1.1 at most four streams are
 * open to an origin (the others wait in `queued`, "Waiting to connect…").
 * Over HTTP/2: streams-over-http2.h2-test.ts.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { API, apiHealth, lessonId, signIn } from '../../support/api.js';
import { recordStates } from './helpers.js';
import { WAIT, exportsOn, freshKey, inState, part, pickerLoads, post, untilOpenStreams } from './stream-helpers.js';

describe('several exports on one page', function () {
  this.timeout(60_000);

  describe('over HTTP/1.1', () => {
    before(() => signIn());

    it('two elements on the same lesson and cache key share one stream', async () => {
      await untilOpenStreams(0);
      const lesson = await lessonId('Test lesson 3');
      const key = freshKey('shared');
      const wrapper = await fixture<HTMLDivElement>(html`
        <div>
          <pos-pptx-export-progress base-url=${API} lesson-id=${lesson} cache-key=${key} heartbeat-ms="300"></pos-pptx-export-progress>
          <pos-pptx-export-progress base-url=${API} lesson-id=${lesson} cache-key=${key} heartbeat-ms="300"></pos-pptx-export-progress>
        </div>
      `);
      const [a, b] = [...wrapper.querySelectorAll('pos-pptx-export-progress')];
      a!.start();
      b!.start();
      await waitUntil(() => a!.state === 'waiting' && b!.state === 'waiting', `states ${a!.state}, ${b!.state}`, WAIT);
      await untilOpenStreams(1);
      // Both see the stream's heartbeats.
      await waitUntil(
        () => part(a!, 'liveness')?.hasAttribute('data-alive') && part(b!, 'liveness')?.hasAttribute('data-alive'),
        'no beats',
        WAIT,
      );

      // One leaves: the other keeps the stream; the export then completes both.
      b!.cancel();
      expect(b!.state).to.equal('idle');
      await new Promise((r) => setTimeout(r, 700));
      expect((await apiHealth()).openStreams, 'the stream stays open for the element still following it').to.equal(1);
      b!.start();
      await waitUntil(() => b!.state === 'waiting', `state ${b!.state}`, WAIT);
      await post(API, '/exports/pptx', { lessonId: lesson, cacheKey: key });
      await waitUntil(() => a!.state === 'completed' && b!.state === 'completed', `states ${a!.state}, ${b!.state}`, WAIT);
      expect(a!.url).to.equal(b!.url);
      await untilOpenStreams(0);
    });

    it('7 exports and a picker: 4 streams open, 3 wait to connect, the picker loads, all 7 complete', async () => {
      await untilOpenStreams(0);
      const lesson = await lessonId('Test lesson 4');
      const { els, keys } = await exportsOn(API, lesson, 7);
      const states = els.map(recordStates);
      els.forEach((el) => el.start());

      await waitUntil(() => inState(els, 'waiting').length === 4, `states: ${els.map((e) => e.state)}`, WAIT);
      const queued = inState(els, 'queued');
      expect(queued, 'the others wait for a free connection').to.have.length(3);
      await Promise.all(queued.map((el) => el.updateComplete));
      for (const el of queued) {
        expect(part(el, 'label')!.textContent).to.equal('Waiting to connect…');
        expect(part(el, 'status')!.textContent!.trim()).to.equal('The PowerPoint export has started. Waiting to connect…');
        expect(el.shadowRoot!.textContent).not.to.match(/connection lost/i);
      }
      await untilOpenStreams(4);
      await pickerLoads(API);

      // The first exports finish: their slots go to the waiting ones, which then complete too.
      // At once: the server ends a stream without an outcome after POS_SSE_TIMEOUT_MS (3 s in the tests).
      await Promise.all(keys.map((key) => post(API, '/exports/pptx', { lessonId: lesson, cacheKey: key })));
      await waitUntil(() => inState(els, 'completed').length === 7, `states: ${els.map((e) => e.state)}`, WAIT);
      for (const [i, seen] of states.map((s) => s()).entries()) {
        expect(seen, `element ${i}: ${seen}`).not.to.include('reconnecting');
        expect(seen.at(-1)).to.equal('completed');
      }
      expect(
        states.filter((s) => s().includes('queued')),
        'three were queued, then connected',
      ).to.have.length(3);
      await untilOpenStreams(0);
    });

    it('stream-limit overrides the cap', async () => {
      await untilOpenStreams(0);
      const lesson = await lessonId('Test lesson 4');
      const { els } = await exportsOn(API, lesson, 3);
      els.forEach((el) => (el.streamLimit = 1));
      await Promise.all(els.map((el) => el.updateComplete));
      els.forEach((el) => el.start());
      await waitUntil(
        () => inState(els, 'waiting').length === 1 && inState(els, 'queued').length === 2,
        `${els.map((e) => e.state)}`,
        WAIT,
      );
      // Cancelling the open one lets the next connect.
      inState(els, 'waiting')[0]!.cancel();
      await waitUntil(
        () => inState(els, 'waiting').length === 1 && inState(els, 'queued').length === 1,
        `${els.map((e) => e.state)}`,
        WAIT,
      );
      els.forEach((el) => el.cancel());
      await untilOpenStreams(0);
    });
  });
});
