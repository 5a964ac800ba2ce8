import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { createTestApp } from './support.js';

// Property-based: whatever arrives, the answer is never a 5xx, never leaks a
// stack trace or SQL, and every error has the `{ error, code }` shape.
const LEAKS = /\bat [\w.<>]+ \(|node_modules|SqliteError|SQLITE_|\bSELECT\b|\bINSERT\b|\bFROM\b|stack/;

async function expectSafe(response: Response, what: string) {
  const body = await response.text();
  assert.ok(response.status < 500, `${what}: ${response.status} ${body}`);
  assert.doesNotMatch(body, LEAKS, `${what}: leaks internals: ${body}`);
  if (response.status >= 400) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    assert.equal(typeof parsed.error, 'string', `${what}: ${body}`);
    assert.equal(typeof parsed.code, 'string', `${what}: ${body}`);
    assert.deepEqual(Object.keys(parsed).sort(), ['code', 'error']);
  }
}

/** Strings an attacker would try, mixed with arbitrary ones. */
const nasty = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE trainings; --',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '../../etc/passwd',
    '%2e%2e%2f',
    '\u0000',
    '{"$gt":""}',
    'NaN',
    '-1',
    '1e309',
    ID.lessonB,
    ID.orgB,
    'null',
    'true',
    '[]',
  ),
  fc.string({ minLength: 1000, maxLength: 5000 }),
);
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.object({ maxDepth: 3 }),
  fc.record({ lessonId: nasty, cacheKey: nasty }),
  fc.record({ email: nasty, password: nasty }),
  fc.record({ organizationId: nasty }),
);
const deepJson = fc.integer({ min: 50, max: 2000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

describe('hostile and malformed input (fast-check)', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let cookie: string;
  before(async () => {
    t = await createTestApp({ maxBodyBytes: 16 * 1024, signInMaxFailures: 1_000_000 });
    cookie = await t.signIn(EMAIL.a);
  });
  after(() => t.close());

  const GETS = [
    '/api/workflow-pickers/specializations',
    '/api/workflow-pickers/trainings',
    '/api/workflow-pickers/training-tags',
    '/api/workflow-pickers/trigger-types',
    '/api/workflow-pickers/partner-stages',
    '/api/enablement/lessons',
    '/api/auth/session',
    '/healthz',
    '/api/exports/pptx/files/',
  ];
  const POSTS = ['/api/exports/pptx', '/api/auth/sign-in/email', '/api/auth/organization/set-active', '/api/auth/sign-out'];

  it('GET routes with random query strings, path tails, cookies and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GETS),
        fc.dictionary(fc.string({ maxLength: 20 }), nasty, { maxKeys: 4 }),
        nasty,
        fc.boolean(),
        nasty,
        nasty,
        async (path, query, tail, signedIn, cookieJunk, header) => {
          const qs = new URLSearchParams(query).toString();
          const url = `${path}${path.endsWith('/') ? encodeURIComponent(tail) : ''}${qs ? `?${qs}` : ''}`;
          const headers: Record<string, string> = {
            cookie: signedIn ? `${cookie}; junk=${encodeURIComponent(cookieJunk)}` : `session_token=${encodeURIComponent(cookieJunk)}`,
          };
          if (/^[\x20-\x7e]*$/.test(header)) headers['if-none-match'] = header;
          await expectSafe(await t.app.request(url, { headers }), `GET ${url}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the stream with random lessonId and cacheKey: JSON errors before any stream', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, fc.option(nasty), async (lessonId, cacheKey) => {
        const qs = new URLSearchParams({ lessonId, ...(cacheKey === null ? {} : { cacheKey }) }).toString();
        const response = await t.app.request(`/api/exports/pptx/stream?${qs}`, { headers: { cookie } });
        // A random string is never one of org A's lessons, so this is always an error answer.
        assert.notEqual(response.headers.get('content-type'), 'text/event-stream');
        await expectSafe(response, `stream ${qs}`);
      }),
      { numRuns: 300 },
    );
  });

  it('POST routes with random JSON, deep JSON, non-JSON and wrong content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POSTS),
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          deepJson,
          nasty,
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', ''),
        fc.boolean(),
        async (path, body, contentType, signedIn) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (signedIn) headers.cookie = cookie;
          await expectSafe(await t.app.request(path, { method: 'POST', headers, body }), `POST ${path} ${body.slice(0, 80)}`);
        },
      ),
      { numRuns: 400 },
    );
    await t.exports.idle();
  });

  it('the partner role: whatever the path tail, query, body or header, every data route is a 403 forbidden and never data', async () => {
    const partner = await t.signIn(EMAIL.partner);
    const jobs = async () => ((await t.sql('SELECT count(*) AS n FROM export_jobs'))[0] as { n: number }).n;
    const jobsBefore = await jobs();
    const data = (path: string) => path.startsWith('/api/') && !path.startsWith('/api/auth/');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GETS.filter(data), '/api/exports/pptx/stream', '/api/x/'),
        fc.dictionary(fc.string({ maxLength: 20 }), nasty, { maxKeys: 4 }),
        nasty,
        nasty,
        async (path, query, tail, header) => {
          const qs = new URLSearchParams(query).toString();
          const url = `${path}${path.endsWith('/') ? encodeURIComponent(tail) : ''}${qs ? `?${qs}` : ''}`;
          const headers: Record<string, string> = { cookie: partner };
          if (/^[\x20-\x7e]*$/.test(header)) headers['if-none-match'] = header;
          const response = await t.app.request(url, { headers });
          assert.equal(response.status, 403, `GET ${url}`);
          await expectSafe(response, `GET ${url}`);
        },
      ),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/exports/pptx', '/api/demo/next-export'),
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          nasty,
        ),
        async (path, body) => {
          const response = await t.app.request(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: partner },
            body,
          });
          assert.equal(response.status, 403, `POST ${path} ${body.slice(0, 80)}`);
          await expectSafe(response, `POST ${path}`);
        },
      ),
      { numRuns: 200 },
    );
    assert.equal(await jobs(), jobsBefore, 'the partner dispatched nothing');
  });

  it('bodies over the limit get 413, whatever the route', async () => {
    for (const path of POSTS) {
      const response = await t.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ x: 'y'.repeat(20_000) }),
      });
      assert.equal(response.status, 413, path);
      await expectSafe(response, path);
    }
  });

  it('unknown routes and methods are JSON 404s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), async (path, method) => {
        const response = await t.app.request(`/api/x${path}`, { method, headers: { cookie } });
        await expectSafe(response, `${method} /api/x${path}`);
      }),
      { numRuns: 200 },
    );
  });

  it('SQL- and HTML-looking strings are stored and returned as plain data', async () => {
    let created = 0;
    const cookie = await t.signIn(EMAIL.a); // the POST property signs the shared session out now and then
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // U+0000 is refused (below): PostgreSQL's text cannot hold it.
          nasty.filter((s) => s.length > 0 && s.length <= 200 && !s.includes('\u0000')),
          fc.constantFrom("'; DELETE FROM export_jobs; --", '<b onmouseover=alert(1)>x</b>'),
        ),
        async (cacheKey) => {
          const response = await t.app.request('/api/exports/pptx', {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ lessonId: ID.lessonA, cacheKey }),
          });
          assert.ok(response.status === 202 || response.status === 200, String(response.status));
          // 200: a key drawn twice whose first job had completed (a cache hit creates none).
          if (response.status === 202) created++;
          const { job } = (await response.json()) as { job: { cacheKey: string } };
          assert.equal(job.cacheKey, cacheKey);
        },
      ),
      { numRuns: 60 },
    );
    for (const body of [
      { lessonId: ID.lessonA, cacheKey: 'a\u0000b' },
      { email: `${EMAIL.a}\u0000`, password: 'x' },
    ]) {
      const path = 'cacheKey' in body ? '/api/exports/pptx' : '/api/auth/sign-in/email';
      const refused = await t.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      });
      assert.equal(refused.status, 400, `${path}: U+0000 is refused on either engine, not stored`);
      assert.match(((await refused.json()) as { error: string }).error, /must not contain the character U\+0000/);
    }
    await t.exports.idle();
    // The injection attempts did nothing: the tables are all there and hold what they held.
    assert.ok(created > 0);
    assert.ok(((await t.sql('SELECT count(*) AS n FROM export_jobs'))[0] as { n: number }).n >= created);
    assert.equal(((await t.sql('SELECT count(*) AS n FROM trainings'))[0] as { n: number }).n, 5);
  });
});
