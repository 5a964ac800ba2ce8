import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { openStorage } from '../../server/storage/open.js';
import type { Storage } from '../../server/storage/storage.js';
import { eventually, onlyOn, sql, sqliteOf, startTestServer } from './support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const PICKERS = ['specializations', 'trainings', 'training-tags', 'trigger-types'].map((r) => `/api/workflow-pickers/${r}`);
const ALLOWED_ORIGIN = 'http://builder.example';

/** Status, body and every header but Date: what must be identical whoever answered. */
async function snapshot(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
  return { status: response.status, headers, body: await response.text() };
}

// The answer cache (server/answer-cache.ts) answers picker requests at the
// front of the middleware chain once the routes have answered them. These
// tests go over real HTTP to a file database, so a second connection can write
// as another process would; each counts `answers.stats.served` to know who answered.
describe('picker answers cached at the front of the chain', () => {
  let s: Server;
  let dir: string;
  let other: Storage;
  const get = (path: string, cookie: string, headers: Record<string, string> = {}) =>
    fetch(`${s.url}${path}`, { headers: { cookie, ...headers } });
  const cached = () => s.answers.stats.served;
  const signInAgain = () => s.signIn(EMAIL.a);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-answers-'));
    s = await startTestServer({ db: join(dir, 'db.sqlite'), corsOrigins: [ALLOWED_ORIGIN] });
    other = (await openStorage(s.location)).storage;
  });
  after(async () => {
    await other?.close();
    await s.close(0);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const path of PICKERS) {
    it(`${path}: the cached 200 and 304 are byte for byte the app's, for every Origin and coding`, async () => {
      const cookie = await s.signIn(EMAIL.a);
      const before = cached();
      const fromApp = await snapshot(await get(path, cookie));
      assert.equal(cached(), before, 'the first request is the app’s');
      const fromCache = await snapshot(await get(path, cookie));
      assert.equal(cached(), before + 1, 'the second is served from the cache');
      assert.equal(
        ((await (await fetch(`${s.url}/healthz`)).json()) as { cachedAnswers: number }).cachedAnswers,
        cached(),
        '/healthz reports it',
      );
      assert.deepEqual(fromCache, fromApp);
      assert.equal(fromApp.status, 200);

      const etag = fromApp.headers.etag!;
      const notModified = await snapshot(await get(path, cookie, { 'if-none-match': etag }));
      assert.equal(cached(), before + 2);
      assert.deepEqual(notModified, { status: 304, headers: { ...withoutBodyHeaders(fromApp.headers) }, body: '' });
      // Weak and listed tags match as the app matches them (RFC 9110 weak comparison).
      assert.equal((await get(path, cookie, { 'if-none-match': `"nope", W/${etag}` })).status, 304);
      assert.equal((await get(path, cookie, { 'if-none-match': '"nope"' })).status, 200);

      // The same answer's headers for another Origin or coding: worked out per request, the same either way.
      const variants: Record<string, string>[] = [
        { origin: ALLOWED_ORIGIN },
        { origin: 'http://elsewhere.example' },
        { 'accept-encoding': 'br' },
      ];
      for (const headers of variants) {
        const other = await signInAgain();
        const first = await snapshot(await get(path, other, headers));
        const served = cached();
        assert.deepEqual(await snapshot(await get(path, other, headers)), first, JSON.stringify(headers));
        assert.equal(cached(), served + 1);
      }
    });
  }

  it('never answers one session with another session’s answer', async () => {
    const a = await s.signIn(EMAIL.a);
    const b = await s.signIn(EMAIL.b);
    await get(PICKERS[1]!, a);
    await get(PICKERS[1]!, a);
    const before = cached();
    const forB = await (await get(PICKERS[1]!, b)).json();
    assert.equal(cached(), before, 'a new cookie is the app’s');
    assert.deepEqual(
      forB.trainings.map((t: { id: string }) => t.id),
      [ID.trainingB],
    );
  });

  it('serves another process’s write on the next request, whatever ETag it sends', async () => {
    const cookie = await s.signIn(EMAIL.a);
    const first = await get(PICKERS[1]!, cookie);
    const etag = first.headers.get('etag')!;
    assert.equal((await get(PICKERS[1]!, cookie, { 'if-none-match': etag })).status, 304);
    await sql(other, 'UPDATE trainings SET title = ? WHERE id = ?', 'Apple, renamed elsewhere', ID.trainingApple);
    const before = cached();
    const next = await get(PICKERS[1]!, cookie, { 'if-none-match': etag });
    assert.equal(cached(), before, 'the data version moved: the app answers');
    assert.equal(next.status, 200);
    assert.notEqual(next.headers.get('etag'), etag);
    assert.ok((await next.text()).includes('Apple, renamed elsewhere'));
  });

  it('serves nothing after sign-out: the same cookie gets 401', async () => {
    const cookie = await s.signIn(EMAIL.a);
    await get(PICKERS[0]!, cookie);
    await get(PICKERS[0]!, cookie);
    const signOut = await fetch(`${s.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie } });
    assert.equal(signOut.status, 200);
    const after = await get(PICKERS[0]!, cookie);
    assert.equal(after.status, 401);
    assert.equal((await after.json()).code, 'unauthorized');
  });

  it('answers for the new organisation after a switch', async () => {
    const cookie = await s.signIn(EMAIL.both);
    const inA = await (await get(PICKERS[1]!, cookie)).text();
    assert.equal(await (await get(PICKERS[1]!, cookie)).text(), inA);
    const switched = await fetch(`${s.url}/api/auth/organization/set-active`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ organizationId: ID.orgB }),
    });
    assert.equal(switched.status, 200);
    const inB = await (await get(PICKERS[1]!, cookie)).json();
    assert.deepEqual(
      inB.trainings.map((t: { id: string }) => t.id),
      [ID.trainingB],
    );
  });

  it('serves CORS requests too: a listed Origin gets its Access-Control-* headers, an unlisted one none, whichever came first', async () => {
    const cors = (r: Response) => Object.fromEntries([...r.headers].filter(([name]) => name.startsWith('access-control-')));
    const listed = {
      'access-control-allow-origin': ALLOWED_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ETag',
    };
    for (const order of [
      [undefined, ALLOWED_ORIGIN, 'http://elsewhere.example'],
      [ALLOWED_ORIGIN, undefined, 'http://elsewhere.example'],
      ['http://elsewhere.example', ALLOWED_ORIGIN, undefined],
    ]) {
      const cookie = await s.signIn(EMAIL.a);
      const served = cached();
      for (const [i, origin] of order.entries()) {
        const response = await get(PICKERS[2]!, cookie, origin ? { origin } : {});
        assert.equal(response.status, 200);
        assert.equal(cached(), served + 2 * i, i ? 'cached' : 'the first is the app’s');
        assert.deepEqual(cors(response), origin === ALLOWED_ORIGIN ? listed : {}, `${order}: ${origin}`);
        assert.match(response.headers.get('vary') ?? '', /^Origin\b/, 'the answer says it varies by Origin');
        const etag = response.headers.get('etag')!;
        const notModified = await get(PICKERS[2]!, cookie, { 'if-none-match': etag, ...(origin ? { origin } : {}) });
        assert.equal(notModified.status, 304);
        assert.deepEqual(cors(notModified), origin === ALLOWED_ORIGIN ? listed : {}, `304 for ${origin}`);
      }
    }
  });

  it(
    'is emptied by another instance’s write as it commits (NOTIFY), before any request asks',
    { skip: onlyOn('postgres', 'SQLite pushes only its own process’s writes; another’s is seen by the next version read (above)') },
    async () => {
      const cookie = await signInAgain();
      assert.equal((await get(PICKERS[0]!, cookie)).status, 200);
      assert.ok(s.answers.size > 0, 'an answer is held');
      await sql(other, 'UPDATE trainings SET description = ? WHERE id = ?', 'Changed by another instance', ID.trainingApple);
      await eventually(() => s.answers.size === 0, 3000, 'the answer cache emptied by the notification');
    },
  );

  it('serves another process’s write on the next request with a listed Origin too', async () => {
    const cookie = await s.signIn(EMAIL.a);
    const headers = { origin: ALLOWED_ORIGIN };
    const etag = (await get(PICKERS[1]!, cookie, headers)).headers.get('etag')!;
    assert.equal((await get(PICKERS[1]!, cookie, { ...headers, 'if-none-match': etag })).status, 304);
    await sql(other, 'UPDATE trainings SET title = ? WHERE id = ?', 'Apple, renamed with an Origin', ID.trainingApple);
    const next = await get(PICKERS[1]!, cookie, { ...headers, 'if-none-match': etag });
    assert.equal(next.status, 200);
    assert.equal(next.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.ok((await next.text()).includes('Apple, renamed with an Origin'));
  });

  it('leaves to the app a query string and HEAD; keeps another spelling of the path apart', async () => {
    const cookie = await s.signIn(EMAIL.a);
    const encoded = PICKERS[2]!.replace('-', '%2D');
    for (const path of [PICKERS[2]!, `${PICKERS[2]!}?x=1`]) assert.equal((await get(path, cookie)).status, 200);
    const before = cached();
    assert.equal((await get(`${PICKERS[2]!}?x=1`, cookie)).status, 200);
    const spelled = await get(encoded, cookie);
    assert.equal(spelled.status, 200, 'Hono routes it after decoding');
    assert.equal(cached(), before, 'the other spelling is the app’s the first time');
    assert.equal(await (await get(encoded, cookie)).text(), await spelled.text());
    assert.equal(cached(), before + 1, 'and cached under its own URL');
    const head = await fetch(`${s.url}${PICKERS[2]!}`, { method: 'HEAD', headers: { cookie } });
    assert.equal(head.status, 200);
    assert.equal(cached(), before + 1, 'neither the query string nor HEAD was served from the cache');
  });

  it('remembers no refusal: a bad cookie is the app’s 401 every time', async () => {
    const before = cached();
    for (let i = 0; i < 3; i++) assert.equal((await get(PICKERS[0]!, 'session_token=forged')).status, 401);
    assert.equal(cached(), before);
  });
});

describe('cached answers and session expiry', () => {
  for (const origin of [undefined, ALLOWED_ORIGIN]) {
    it(`stop the moment the session expires${origin ? ', for a listed Origin too' : ''}`, async () => {
      // The absolute maximum is the one expiry use cannot push back: the cache must stop at it exactly.
      let clock = Date.now();
      const s = await startTestServer({ sessionMaxMs: 600_000, corsOrigins: [ALLOWED_ORIGIN] }, { now: () => clock });
      try {
        const signedInAt = clock;
        const cookie = await s.signIn(EMAIL.a);
        const get = () => fetch(`${s.url}${PICKERS[0]!}`, { headers: { cookie, ...(origin ? { origin } : {}) } });
        clock = signedInAt + 600_000 - 30_000;
        assert.equal((await get()).status, 200);
        assert.equal((await get()).status, 200);
        clock = signedInAt + 600_000 - 1;
        assert.equal((await get()).status, 200);
        assert.equal(s.answers.stats.served, 2, 'served from the cache while the session lives');
        clock = signedInAt + 600_000;
        const expired = await get();
        assert.equal(expired.status, 401);
        assert.equal(expired.headers.get('access-control-allow-origin'), origin ?? null, 'the refusal readable by the page');
        assert.equal(s.answers.stats.served, 2);
      } finally {
        await s.close(0);
      }
    });
  }

  it('are on while requests are logged, and every request reaches the log', async () => {
    const lines: string[] = [];
    const log = console.log;
    // Hono's logger takes console.log when the app is built.
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    const s = await startTestServer({ logRequests: true });
    try {
      const cookie = await s.signIn(EMAIL.a);
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${s.url}${PICKERS[0]!}`, { headers: { cookie } })).status, 200);
      assert.equal(s.answers.stats.served, 2);
      assert.equal(lines.filter((l) => l.startsWith(`--> GET ${PICKERS[0]!} `) && l.includes('200')).length, 3, lines.join('\n'));
    } finally {
      console.log = log;
      await s.close(0);
    }
  });
});

// What a real server cannot show on demand: two requests that arrive in the
// same poll phase with another process's commit between them. The real app
// on a file database, called in-process (`app.request` runs the middleware
// up to its wait at once), so the order can be staged.
describe('cached answers read the data version after the requests they answer', () => {
  let dir: string;
  let s: Server;
  let other: Storage;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-answers-staged-'));
    s = await startTestServer({ db: join(dir, 'db.sqlite') });
    other = (await openStorage(s.location)).storage;
  });
  after(async () => {
    await other?.close();
    await s.close(0);
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (cookie: string) => s.app.request(PICKERS[2]!, { headers: { cookie } });

  it('answers a poll phase’s requests from the cache when nothing was committed', async () => {
    const cookie = await s.signIn(EMAIL.a);
    assert.equal((await send(cookie)).status, 200);
    const before = s.answers.stats.served;
    const answers = await Promise.all([send(cookie), send(cookie), send(cookie)]);
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200],
    );
    assert.equal(s.answers.stats.served, before + 3);
  });

  it(
    'sends every request of the phase to the app when another process committed before the read',
    { skip: onlyOn('sqlite', 'staging a commit between two requests of one poll phase takes a synchronous write (better-sqlite3)') },
    async () => {
      const cookie = await s.signIn(EMAIL.a);
      assert.equal((await send(cookie)).status, 200);
      const before = s.answers.stats.served;
      const first = send(cookie);
      sqliteOf(other).exec('CREATE TABLE IF NOT EXISTS touched (x); INSERT INTO touched VALUES (1)');
      const second = send(cookie);
      assert.deepEqual([(await first).status, (await second).status], [200, 200]);
      assert.equal(s.answers.stats.served, before, 'neither is answered from the version before the commit');
    },
  );
});

/** A 304 carries the 200's header lines but those describing the body. */
function withoutBodyHeaders(headers: Record<string, string>) {
  const { 'content-type': _type, 'content-length': _length, 'content-encoding': _encoding, ...rest } = headers;
  return rest;
}
