import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EMAIL, ID, PASSWORD } from '../fixtures/server-fixture.js';
import { cookieFrom, createTestApp } from './support.js';

describe('authentication and scoping', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => {
    t = await createTestApp({ corsOrigins: ['http://builder.example'] });
  });
  after(() => t.close());

  describe('POST /api/auth/sign-in/email', () => {
    it('answers the user and active organization and sets an HttpOnly, SameSite=Lax session cookie', async () => {
      const response = await t.post('/api/auth/sign-in/email', { email: EMAIL.a, password: PASSWORD });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { user: { id: ID.userA, email: EMAIL.a, name: 'A' }, activeOrganizationId: ID.orgA });
      const cookie = response.headers.get('set-cookie')!;
      assert.match(cookie, /^session_token=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/, 'plain http: no Secure flag');
    });

    it('marks the cookie Secure on https', async () => {
      const response = await t.app.request('https://partneros.example/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: EMAIL.a, password: PASSWORD }),
      });
      assert.match(response.headers.get('set-cookie')!, /Secure/);
    });

    it('matches the email case-insensitively', async () => {
      assert.equal((await t.post('/api/auth/sign-in/email', { email: EMAIL.a.toUpperCase(), password: PASSWORD })).status, 200);
    });

    it('issues a new token on every sign-in', async () => {
      assert.notEqual(await t.signIn(EMAIL.a), await t.signIn(EMAIL.a));
    });

    for (const [what, body] of [
      ['a wrong password', { email: EMAIL.a, password: 'wrong password' }],
      ['an unknown email', { email: 'nobody@nowhere.example', password: PASSWORD }],
    ] as const) {
      it(`answers 401 invalid_credentials for ${what}`, async () => {
        const response = await t.post('/api/auth/sign-in/email', body);
        assert.equal(response.status, 401);
        assert.deepEqual(await response.json(), { error: 'The email or password is not correct.', code: 'invalid_credentials' });
      });
    }

    it('answers 400 invalid_request for a body of the wrong shape, and for malformed JSON', async () => {
      const wrong = await t.post('/api/auth/sign-in/email', { email: 42 });
      assert.equal(wrong.status, 400);
      assert.equal(((await wrong.json()) as { code: string }).code, 'invalid_request');
      const malformed = await t.post('/api/auth/sign-in/email', '{"email":');
      assert.equal(malformed.status, 400);
      assert.equal(((await malformed.json()) as { code: string }).code, 'invalid_request');
    });

    it('stores only scrypt hashes of passwords, each with its own salt', async () => {
      const hashes = (await t.sql('SELECT password_hash AS h FROM users')) as { h: string }[];
      for (const { h } of hashes) assert.match(h, /^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      assert.equal(new Set(hashes.map((x) => x.h.split('$')[4])).size, hashes.length);
      assert.ok(!hashes.some(({ h }) => h.includes(PASSWORD)));
    });
  });

  describe('GET /api/auth/session', () => {
    it('answers the user, the active organization, its role and the user’s organizations with their roles', async () => {
      const cookie = await t.signIn(EMAIL.both);
      const response = await t.get('/api/auth/session', cookie);
      assert.deepEqual(await response.json(), {
        user: { id: ID.userBoth, email: EMAIL.both, name: 'Both' },
        activeOrganizationId: ID.orgA,
        role: 'member',
        organizations: [
          { id: ID.orgA, name: 'Org A', role: 'member' },
          { id: ID.orgB, name: 'Org B', role: 'member' },
        ],
      });
    });
  });

  describe('POST /api/auth/organization/set-active', () => {
    it('switches the data to the chosen organization', async () => {
      const cookie = await t.signIn(EMAIL.both);
      const switched = await t.post('/api/auth/organization/set-active', { organizationId: ID.orgB }, cookie);
      assert.equal(switched.status, 200);
      const { specializations } = (await (await t.get('/api/workflow-pickers/specializations', cookie)).json()) as {
        specializations: { id: string }[];
      };
      assert.deepEqual(
        specializations.map((s) => s.id),
        [ID.specB],
      );
      await t.post('/api/auth/organization/set-active', { organizationId: ID.orgA }, cookie);
    });

    it('answers 403 forbidden for an organization the user is not a member of', async () => {
      const cookie = await t.signIn(EMAIL.a);
      const response = await t.post('/api/auth/organization/set-active', { organizationId: ID.orgB }, cookie);
      assert.equal(response.status, 403);
      assert.equal(((await response.json()) as { code: string }).code, 'forbidden');
    });
  });

  describe('POST /api/auth/sign-out', () => {
    it('ends the session on the server: the old cookie no longer works', async () => {
      const cookie = await t.signIn(EMAIL.a);
      const out = await t.post('/api/auth/sign-out', {}, cookie);
      assert.equal(out.status, 200);
      // PartnerOS's API overview shows a bare success as { "success": true }.
      assert.deepEqual(await out.json(), { success: true });
      assert.match(out.headers.get('set-cookie')!, /session_token=;/);
      assert.equal((await t.get('/api/workflow-pickers/trainings', cookie)).status, 401);
    });
  });

  describe('every other /api route', () => {
    const routes = [
      '/api/workflow-pickers/specializations',
      '/api/workflow-pickers/trainings',
      '/api/workflow-pickers/training-tags',
      '/api/workflow-pickers/trigger-types',
      '/api/enablement/lessons',
      `/api/exports/pptx/stream?lessonId=${ID.lessonA}`,
      `/api/exports/pptx/files/${ID.jobDone}.pptx`,
      '/api/auth/session',
    ];
    for (const route of routes) {
      it(`${route.split('?')[0]}: 401 unauthorized without a session, with an unknown one and with an expired one`, async () => {
        const expired = await t.signIn(EMAIL.a);
        await t.sql("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'");
        for (const cookie of [undefined, 'session_token=not-a-real-token', expired]) {
          const response = await t.get(route, cookie);
          assert.equal(response.status, 401);
          assert.equal(response.headers.get('content-type'), 'application/json');
          assert.deepEqual(await response.json(), {
            error: 'Sign in to use the PartnerOS API: the session is missing or has expired.',
            code: 'unauthorized',
          });
        }
      });
    }

    for (const route of routes.slice(0, -1)) {
      it(`${route.split('?')[0]}: 400 no_active_organization for a session without one`, async () => {
        const cookie = await t.signIn(EMAIL.noOrg);
        const response = await t.get(route, cookie);
        assert.equal(response.status, 400);
        assert.deepEqual(await response.json(), {
          error: 'Choose an organization first: this session has no active organization.',
          code: 'no_active_organization',
        });
      });
    }

    it('answers unknown /api routes with a JSON 404', async () => {
      const response = await t.get('/api/nope', await t.signIn(EMAIL.a));
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), { error: 'No route GET /api/nope.', code: 'not_found' });
    });
  });

  describe('CORS', () => {
    it('allows a listed origin with credentials, echoing it exactly', async () => {
      const response = await t.get('/api/workflow-pickers/trainings', undefined, { origin: 'http://builder.example' });
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://builder.example');
      assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
      const preflight = await t.app.request('/api/workflow-pickers/trainings', {
        method: 'OPTIONS',
        headers: { origin: 'http://builder.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://builder.example');
    });

    it('gives any other origin no Access-Control headers at all', async () => {
      const response = await t.get('/api/workflow-pickers/trainings', undefined, { origin: 'http://evil.example' });
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
    });
  });

  describe('secure headers', () => {
    it('are on every response, errors included', async () => {
      for (const response of [await t.get('/healthz'), await t.get('/api/workflow-pickers/trainings')]) {
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN');
      }
    });

    it("are Hono secureHeaders' own set, the same on the fast picker answers (200 and 304) as on any other", async () => {
      const { Hono } = await import('hono');
      const { secureHeaders } = await import('hono/secure-headers');
      const reference = await new Hono()
        .use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin', crossOriginOpenerPolicy: 'same-origin' }))
        .get('/', (c) => c.body(null, 204))
        .request('/');
      const expected = Object.fromEntries(reference.headers);
      assert.ok(Object.keys(expected).length >= 10, 'secureHeaders sets its dozen headers');
      const only = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name in expected));

      const cookie = await t.signIn(EMAIL.a);
      const ok = await t.get('/api/workflow-pickers/training-tags', cookie);
      const notModified = await t.get('/api/workflow-pickers/training-tags', cookie, { 'if-none-match': ok.headers.get('etag')! });
      assert.equal(notModified.status, 304);
      for (const response of [ok, notModified, await t.get('/api/workflow-pickers/trainings'), await t.get('/healthz')]) {
        assert.deepEqual(only(response), expected, `${response.status} ${response.url}`);
      }
    });
  });

  it('cookieFrom reads the session token (test helper sanity)', () => {
    const response = new Response(null, { headers: { 'set-cookie': 'session_token=abc; Path=/' } });
    assert.equal(cookieFrom(response), 'session_token=abc');
  });
});

describe('session lookups (cached per data version)', () => {
  it('never serve a session past its expiry, or a signed-out one', async () => {
    const t = await createTestApp();
    const { token, expiresAt } = await t.sessions.create(ID.userA, ID.orgA);
    assert.equal((await t.sessions.get(token))?.user.id, ID.userA, 'found, and now cached');
    assert.equal(await t.sessions.get(token, new Date(expiresAt.getTime() + 1)), undefined, 'expired, with no write in between');
    assert.equal((await t.sessions.get(token))?.user.id, ID.userA);
    await t.sessions.end((await t.sessions.get(token))!);
    assert.equal(await t.sessions.get(token), undefined, 'signed out');
    await t.close();
  });

  it('see a change made by another connection to the same database', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { sqlElsewhere, startTestServer } = await import('./support.js');
    const s = await startTestServer({ db: join(mkdtempSync(join(tmpdir(), 'pos-sessions-')), 'db.sqlite') });
    try {
      const cookie = await s.signIn(EMAIL.a);
      const get = () => fetch(`${s.url}/api/auth/session`, { headers: { cookie } }).then((r) => r.status);
      assert.equal(await get(), 200);
      assert.equal(await get(), 200, 'served from the cache');
      await sqlElsewhere(s.location, 'DELETE FROM sessions');
      assert.equal(await get(), 401, 'the other process ended it');
    } finally {
      await s.close();
    }
  });
});
