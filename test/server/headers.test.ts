import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { startTestServer } from './support.js';

describe('Cross-Origin-Resource-Policy per route (the real server with the demo served)', () => {
  let t: Awaited<ReturnType<typeof startTestServer>>;
  before(async () => {
    assert.ok(existsSync('dist/pos-widgets.js'), 'dist/ is missing: run `npm run build` first');
    t = await startTestServer({}, { serveDemo: true });
  });
  after(() => t.close(0));

  it('the demo page keeps same-origin and its own CSP; the bundle, a deck file and API answers stay cross-origin', async () => {
    for (const path of ['/', '/index.html']) {
      const response = await fetch(`${t.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type')!, /text\/html/);
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'same-origin', path);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${path}: the other secure headers too`);
    }

    // Host pages on other origins load these: a fix that made everything same-origin would break embedding.
    const cookie = await t.signIn(EMAIL.a);
    const responses = {
      bundle: await fetch(`${t.url}/dist/pos-widgets.js`),
      deck: await fetch(`${t.url}/api/exports/pptx/files/${ID.jobDone}.pptx`, { headers: { cookie } }),
      'picker answer': await fetch(`${t.url}/api/workflow-pickers/trainings`, { headers: { cookie } }),
      'API error': await fetch(`${t.url}/api/workflow-pickers/trainings`),
    };
    for (const [what, response] of Object.entries(responses)) {
      await response.arrayBuffer();
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin', what);
      assert.equal(response.headers.get('content-security-policy'), null, `${what}: the demo page's CSP is its own`);
    }
    assert.equal(responses.bundle.status, 200);
    assert.match(responses.bundle.headers.get('content-type')!, /javascript/);
    assert.equal(responses.deck.status, 200);
    assert.equal(responses['picker answer'].status, 200);
    assert.equal(responses['API error'].status, 401);
  });
});
