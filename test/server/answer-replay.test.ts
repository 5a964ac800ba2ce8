import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AnswerReplay } from '../../server/answer-replay.js';
import { openDatabase } from '../../server/db/database.js';
import { dataVersion } from '../../server/db/data-version.js';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { startTestServer } from './support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const PICKERS = ['specializations', 'trainings', 'training-tags', 'trigger-types'].map((r) => `/api/workflow-pickers/${r}`);
const ALLOWED_ORIGIN = 'http://builder.example';

/** Status, body and every header but Date: what must be identical whoever answered. */
async function snapshot(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
  return { status: response.status, headers, body: await response.text() };
}

// The replay (server/answer-replay.ts) answers picker requests in front of
// Hono once the app has answered them. These tests go over real HTTP to a file
// database, so a second connection can write as another process would; each
// counts `replay.stats.replayed` to know who answered.
describe('picker answers replayed in front of the app', () => {
  let s: Server;
  let dir: string;
  let other: Database.Database;
  const get = (path: string, cookie: string, headers: Record<string, string> = {}) =>
    fetch(`${s.url}${path}`, { headers: { cookie, ...headers } });
  const replayed = () => s.replay!.stats.replayed;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-replay-'));
    s = await startTestServer({ db: join(dir, 'db.sqlite'), corsOrigins: [ALLOWED_ORIGIN] });
    other = new Database(join(dir, 'db.sqlite'));
  });
  after(async () => {
    other.close();
    await s.close(0);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const path of PICKERS) {
    it(`${path}: the replayed 200 and 304 are byte for byte the app's`, async () => {
      const cookie = await s.signIn(EMAIL.a);
      const before = replayed();
      const fromApp = await snapshot(await get(path, cookie));
      assert.equal(replayed(), before, 'the first request is the app’s');
      const fromReplay = await snapshot(await get(path, cookie));
      assert.equal(replayed(), before + 1, 'the second is replayed');
      assert.equal(
        ((await (await fetch(`${s.url}/healthz`)).json()) as { replayedAnswers: number }).replayedAnswers,
        replayed(),
        '/healthz reports it',
      );
      assert.deepEqual(fromReplay, fromApp);
      assert.equal(fromApp.status, 200);

      const etag = fromApp.headers.etag!;
      const notModified = await snapshot(await get(path, cookie, { 'if-none-match': etag }));
      assert.equal(replayed(), before + 2);
      assert.deepEqual(notModified, { status: 304, headers: { ...withoutBodyHeaders(fromApp.headers) }, body: '' });
      // Weak and listed tags match as the app matches them (RFC 9110 weak comparison).
      assert.equal((await get(path, cookie, { 'if-none-match': `"nope", W/${etag}` })).status, 304);
      assert.equal((await get(path, cookie, { 'if-none-match': '"nope"' })).status, 200);
    });
  }

  it('never answers one session with another session’s answer', async () => {
    const a = await s.signIn(EMAIL.a);
    const b = await s.signIn(EMAIL.b);
    await get(PICKERS[1]!, a);
    await get(PICKERS[1]!, a);
    const before = replayed();
    const forB = await (await get(PICKERS[1]!, b)).json();
    assert.equal(replayed(), before, 'a new cookie is the app’s');
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
    other.prepare('UPDATE trainings SET title = ? WHERE id = ?').run('Apple, renamed elsewhere', ID.trainingApple);
    const before = replayed();
    const next = await get(PICKERS[1]!, cookie, { 'if-none-match': etag });
    assert.equal(replayed(), before, 'the data version moved: the app answers');
    assert.equal(next.status, 200);
    assert.notEqual(next.headers.get('etag'), etag);
    assert.ok((await next.text()).includes('Apple, renamed elsewhere'));
  });

  it('replays nothing after sign-out: the same cookie gets 401', async () => {
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

  it('leaves to the app what depends on more than the cookie (Origin: CORS), other spellings of the URL, HEAD', async () => {
    const cookie = await s.signIn(EMAIL.a);
    const encoded = PICKERS[2]!.replace('-', '%2D');
    for (const path of [PICKERS[2]!, `${PICKERS[2]!}?x=1`, encoded]) assert.equal((await get(path, cookie)).status, 200);
    const before = replayed();

    const cors = await get(PICKERS[2]!, cookie, { origin: ALLOWED_ORIGIN });
    assert.equal(cors.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.equal(cors.headers.get('access-control-allow-credentials'), 'true');
    assert.equal((await get(`${PICKERS[2]!}?x=1`, cookie)).status, 200);
    assert.equal((await get(encoded, cookie)).status, 200, 'Hono routes it after decoding');
    const head = await fetch(`${s.url}${PICKERS[2]!}`, { method: 'HEAD', headers: { cookie } });
    assert.equal(head.status, 200);
    assert.equal(replayed(), before, 'none of them was replayed');
  });

  it('remembers no refusal: a bad cookie is the app’s 401 every time', async () => {
    const before = replayed();
    for (let i = 0; i < 3; i++) assert.equal((await get(PICKERS[0]!, 'session_token=forged')).status, 401);
    assert.equal(replayed(), before);
  });
});

describe('replayed answers and session expiry', () => {
  it('stop the moment the session expires', async () => {
    // The absolute maximum is the one expiry use cannot push back: the replay must stop at it exactly.
    let clock = Date.now();
    const s = await startTestServer({ sessionMaxMs: 600_000 }, { now: () => clock });
    try {
      const signedInAt = clock;
      const cookie = await s.signIn(EMAIL.a);
      const get = () => fetch(`${s.url}${PICKERS[0]!}`, { headers: { cookie } });
      clock = signedInAt + 600_000 - 30_000;
      assert.equal((await get()).status, 200);
      assert.equal((await get()).status, 200);
      clock = signedInAt + 600_000 - 1;
      assert.equal((await get()).status, 200);
      assert.equal(s.replay!.stats.replayed, 2, 'replayed while the session lives');
      clock = signedInAt + 600_000;
      const expired = await get();
      assert.equal(expired.status, 401);
      assert.equal(s.replay!.stats.replayed, 2);
    } finally {
      await s.close(0);
    }
  });

  it('are off while requests are logged, so every request reaches the log', async () => {
    const s = await startTestServer({ logRequests: true });
    try {
      assert.equal(s.replay, undefined);
    } finally {
      await s.close(0);
    }
  });
});

// What a real server cannot show on demand: two requests read in the same
// poll phase with another process's commit between them. Real Node request
// and response objects (no socket: the response keeps its output), a real
// file database and its data version; only the order is staged.
describe('replayed answers read the data version after the requests they answer', () => {
  let dir: string;
  let db: Database.Database;
  let other: Database.Database;
  let reads: number;
  let replay: AnswerReplay;
  const COOKIE = 'session_token=t';

  const request = (url = '/api/workflow-pickers/training-tags') => {
    const r = new IncomingMessage(new Socket());
    Object.assign(r, { method: 'GET', url, headers: { cookie: COOKIE } });
    return r;
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pos-replay-unit-'));
    db = openDatabase(join(dir, 'db.sqlite')).db;
    other = new Database(join(dir, 'db.sqlite'));
    const version = dataVersion(db);
    reads = 0;
    replay = new AnswerReplay(() => (reads++, version()));
  });
  after(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rememberNow = () => {
    const r = request();
    replay.remember(r, r.url!, {
      version: dataVersion(db)(),
      expiresAtMs: Date.now() + 60_000,
      etag: '"e"',
      body: Buffer.from('{"tags":[]}'),
      headers: { 'Content-Type': 'application/json', ETag: '"e"' },
      notModifiedHeaders: { ETag: '"e"' },
    });
  };
  const serve = () => {
    const toApp: IncomingMessage[] = [];
    const listener = replay.listener((req) => void toApp.push(req));
    const send = () => {
      const req = request();
      const res = new ServerResponse(req);
      listener(req, res);
      return res;
    };
    return { toApp, send };
  };

  it('answers a poll phase’s requests after one read', async () => {
    rememberNow();
    const { toApp, send } = serve();
    const before = reads;
    const responses = [send(), send(), send()];
    assert.equal(reads, before, 'nothing read while requests come in');
    await turn();
    assert.equal(reads, before + 1);
    assert.deepEqual(
      responses.map((r) => [r.statusCode, r.writableEnded]),
      [
        [200, true],
        [200, true],
        [200, true],
      ],
    );
    assert.equal(toApp.length, 0);
  });

  it('sends every request of the phase to the app when another process committed before the read', async () => {
    rememberNow();
    const { toApp, send } = serve();
    const first = send();
    other.exec('CREATE TABLE IF NOT EXISTS touched (x); INSERT INTO touched VALUES (1)');
    const second = send();
    await turn();
    assert.equal(toApp.length, 2, 'neither is answered from the version before the commit');
    assert.equal(first.writableEnded || second.writableEnded, false);
  });
});

/** A 304 carries the 200's header lines but those describing the body. */
function withoutBodyHeaders(headers: Record<string, string>) {
  const { 'content-type': _type, 'content-length': _length, ...rest } = headers;
  return rest;
}
