import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from '../../server/config.js';
import { EMAIL, PASSWORD } from '../fixtures/server-fixture.js';
import { openStorage } from '../../server/storage/open.js';
import type { Storage } from '../../server/storage/storage.js';
import { cookieFrom, sqlValue, startTestServer } from './support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SESSION = '/api/auth/session';
const PICKER = '/api/workflow-pickers/specializations';

// Sessions expire after 7 days without use and 30 days after sign-in (the
// defaults), and a use is written at most once a minute. Two servers on one
// file database stand for two processes; a third, read-only connection sees
// what they wrote. The clock is the servers' own (`now`), moved forward by the
// tests: no waiting.
describe('sliding sessions', () => {
  let dir: string;
  let clock = Date.now();
  let a: Server;
  let b: Server;
  let reader: Storage;

  const status = async (server: Server, path: string, cookie: string) =>
    (await fetch(`${server.url}${path}`, { headers: { cookie } })).status;
  const cached = (server: Server) => server.answers.stats.served;
  /** The stored expiry of a cookie's session, as another process reads it. */
  const storedExpiry = async (cookie: string) => {
    const tokenHash = createHash('sha256').update(cookie.slice('session_token='.length)).digest('hex');
    const expiresAt = await sqlValue<string | Date | undefined>(reader, 'SELECT expires_at FROM sessions WHERE token_hash = ?', tokenHash);
    return expiresAt === undefined ? undefined : new Date(expiresAt).getTime();
  };
  /** Moves with every commit by either server (the reader writes nothing itself): a changed value means a write. */
  const commits = () => reader.changes.version();
  const signIn = async (server: Server) => {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL.a, password: PASSWORD }),
    });
    assert.equal(response.status, 200);
    const expires = /Expires=([^;]+)/i.exec(response.headers.get('set-cookie') ?? '')?.[1];
    return { cookie: cookieFrom(response), cookieExpiresMs: expires && Date.parse(expires) };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-sliding-'));
    const db = join(dir, 'db.sqlite');
    a = await startTestServer({ db }, { now: () => clock });
    b = await startTestServer({ db }, { now: () => clock });
    reader = (await openStorage(a.location)).storage;
  });
  after(async () => {
    await reader?.close();
    await b.close(0);
    await a.close(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lives past 7 days from sign-in while used within every 7 days, the session cache included', async () => {
    const t0 = clock;
    const { cookie } = await signIn(a);
    assert.equal(await status(a, SESSION, cookie), 200);
    assert.equal(await status(a, SESSION, cookie), 200, 'now from the session cache');
    assert.equal(await storedExpiry(cookie), t0 + 7 * DAY);

    clock = t0 + 5 * DAY;
    assert.equal(await status(a, SESSION, cookie), 200, 'a cached session still records its use');
    assert.equal(await storedExpiry(cookie), t0 + 12 * DAY);
    clock = t0 + 11 * DAY;
    assert.equal(await status(a, SESSION, cookie), 200, '11 days after sign-in, 6 after the last use');
    assert.equal(await status(b, SESSION, cookie), 200);
    assert.equal(await storedExpiry(cookie), t0 + 18 * DAY);

    clock = t0 + 18 * DAY;
    assert.equal(await status(a, SESSION, cookie), 401, '7 days after its last use');
  });

  it('is a 401 once unused for the idle period: from the session cache and from the answer cache', async () => {
    const t0 = clock;
    const { cookie } = await signIn(a);
    const before = cached(a);
    assert.equal(await status(a, PICKER, cookie), 200);
    assert.equal(await status(a, PICKER, cookie), 200);
    assert.equal(cached(a), before + 1, 'the picker answer is in the cache');
    assert.equal(await status(a, SESSION, cookie), 200);
    assert.equal(await status(b, SESSION, cookie), 200);

    clock = t0 + 7 * DAY;
    assert.equal(await status(a, PICKER, cookie), 401, 'not the cached 200');
    assert.equal(cached(a), before + 1);
    assert.equal(await status(a, SESSION, cookie), 401);
    assert.equal(await status(b, SESSION, cookie), 401);
  });

  it('lives on when used only through cached answers: the cache does not hold back the refresh', async () => {
    const t0 = clock;
    const { cookie } = await signIn(a);
    const before = cached(a);
    for (let day = 0; day <= 10; day++) {
      clock = t0 + day * DAY;
      // The day's first request records the use, which empties the cache; the second refills it.
      for (let i = 0; i < 3; i++) assert.equal(await status(a, PICKER, cookie), 200, `day ${day}, request ${i + 1}`);
    }
    assert.ok(cached(a) >= before + 11, 'every day’s third request was served from the cache');
    assert.equal(await storedExpiry(cookie), t0 + 17 * DAY, 'the use of day 10 was written');
  });

  it('ends at the absolute maximum, 30 days after sign-in, however often it is used; so does the cookie', async () => {
    const t0 = clock;
    const { cookie, cookieExpiresMs } = await signIn(a);
    assert.equal(cookieExpiresMs, Math.floor((t0 + 30 * DAY) / 1000) * 1000, 'the cookie lasts as long as the session can');
    for (let day = 1; day < 30; day++) {
      clock = t0 + day * DAY;
      assert.equal(await status(day % 2 ? a : b, SESSION, cookie), 200, `day ${day}`);
    }
    assert.equal(await storedExpiry(cookie), t0 + 30 * DAY, 'the last refresh stops at the maximum');

    clock = t0 + 30 * DAY - MINUTE;
    const before = cached(a);
    assert.equal(await status(a, PICKER, cookie), 200);
    assert.equal(await status(a, PICKER, cookie), 200);
    assert.equal(cached(a), before + 1);
    clock = t0 + 30 * DAY;
    assert.equal(await status(a, PICKER, cookie), 401, 'not the cached 200');
    assert.equal(await status(a, SESSION, cookie), 401);
    assert.equal(await status(b, SESSION, cookie), 401);
  });

  it('writes its use at most once a minute, however many requests', async () => {
    const t0 = clock;
    const { cookie } = await signIn(a);
    const expiries: number[] = [];
    let writes = 0;
    for (let second = 0; second <= 150; second += 10) {
      clock = t0 + second * 1000;
      const seen = await commits();
      for (let i = 0; i < 3; i++) {
        assert.equal(await status(a, SESSION, cookie), 200);
        assert.equal(await status(a, PICKER, cookie), 200);
      }
      if ((await commits()) !== seen) writes++;
      expiries.push((await storedExpiry(cookie))! - t0 - 7 * DAY);
    }
    assert.equal(writes, 2, '96 requests over 150 s');
    // Written at the first request a minute or more after the last written use.
    assert.deepEqual(
      expiries,
      [0, 0, 0, 0, 0, 0, 60, 60, 60, 60, 60, 60, 120, 120, 120, 120].map((s) => s * 1000),
    );
  });

  it('is kept alive by either process, each seeing the other’s refresh', async () => {
    const t0 = clock;
    const { cookie } = await signIn(a);
    assert.equal(await status(a, SESSION, cookie), 200);
    assert.equal(await status(b, SESSION, cookie), 200);
    for (const [day, server] of [
      [3, a],
      [9, b],
      [15, a],
      [21, b],
    ] as const) {
      clock = t0 + day * DAY;
      assert.equal(await status(server, SESSION, cookie), 200, `day ${day}`);
      assert.equal(await status(server, PICKER, cookie), 200, `day ${day}`);
    }
    clock = t0 + 28 * DAY;
    assert.equal(await status(a, SESSION, cookie), 401, '7 days after the last use, made on the other server');
  });

  it('ends at sign-out at once, right after a refresh, on both servers and in the answer cache', async () => {
    const t0 = clock;
    const { cookie } = await signIn(a);
    assert.equal(await status(b, SESSION, cookie), 200);
    clock = t0 + 5 * DAY;
    const before = cached(a);
    for (let i = 0; i < 3; i++) assert.equal(await status(a, PICKER, cookie), 200);
    assert.equal(cached(a), before + 1, 'the refresh emptied the cache; it refilled after one request');
    assert.equal(await storedExpiry(cookie), t0 + 12 * DAY);
    assert.equal(await status(b, SESSION, cookie), 200);
    assert.equal(await status(b, SESSION, cookie), 200);

    const signOut = await fetch(`${a.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie } });
    assert.equal(signOut.status, 200);
    assert.equal(await status(a, PICKER, cookie), 401);
    assert.equal(cached(a), before + 1);
    assert.equal(await status(b, SESSION, cookie), 401);
    assert.equal(await storedExpiry(cookie), undefined);
  });
});

describe('session lifetimes in the settings', () => {
  it('default to 7 days idle and 30 days in all; POS_SESSION_IDLE_MS and POS_SESSION_MAX_MS set them', () => {
    assert.equal(DEFAULT_CONFIG.sessionIdleMs, 7 * DAY);
    assert.equal(DEFAULT_CONFIG.sessionMaxMs, 30 * DAY);
    const config = loadConfig({ POS_SESSION_IDLE_MS: '3600000', POS_SESSION_MAX_MS: '86400000' }, []);
    assert.equal(config.sessionIdleMs, 3_600_000);
    assert.equal(config.sessionMaxMs, 86_400_000);
    assert.throws(() => loadConfig({ POS_SESSION_IDLE_MS: '0' }, []), ConfigError);
    assert.throws(() => loadConfig({ POS_SESSION_MAX_MS: '7d' }, []), ConfigError);
  });
});
