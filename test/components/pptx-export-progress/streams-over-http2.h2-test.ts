/**
 * Many exports on one page over HTTP/2 (web-test-runner.h2.config.mjs: the
 * reference server with POS_TLS_CERT/POS_TLS_KEY): the streams share one
 * connection, so the HTTP/1.1 cap lifts and all of them open at once, and a
 * picker still loads. The HTTP/1.1 side: stream-sharing.test.ts.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { API, lessonId, signIn } from '../../support/api.js';
import { recordStates } from './helpers.js';
import { WAIT, exportsOn, inState, pickerLoads, post, untilOpenStreams } from './stream-helpers.js';

describe('several exports on one page over HTTP/2', function () {
  this.timeout(60_000);

  before(async () => {
    await signIn();
    const [entry] = performance.getEntriesByType('resource').filter((e) => e.name.startsWith(`${API}/auth/sign-in`));
    expect((entry as PerformanceResourceTiming).nextHopProtocol, 'the API answers over HTTP/2').to.equal('h2');
  });

  it('7 exports open at once, the picker loads, all 7 complete', async () => {
    await untilOpenStreams(0);
    const lesson = await lessonId('Test lesson 4');
    const { els, keys } = await exportsOn(API, lesson, 7);
    const states = els.map(recordStates);
    els.forEach((el) => el.start());
    await waitUntil(() => inState(els, 'waiting').length === 7, `states: ${els.map((e) => e.state)}`, WAIT);
    await untilOpenStreams(7);
    await pickerLoads(API);
    // At once: the server ends a stream without an outcome after POS_SSE_TIMEOUT_MS (3 s in the tests).
    await Promise.all(keys.map((key) => post(API, '/exports/pptx', { lessonId: lesson, cacheKey: key })));
    await waitUntil(() => inState(els, 'completed').length === 7, 'not all 7 completed', WAIT);
    expect(states.map((s) => s().includes('queued'))).to.deep.equal(Array(7).fill(false));
    await untilOpenStreams(0);
  });
});
