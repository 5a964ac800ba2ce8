import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FixtureError, parseFixture } from '../../server/db/fixture.js';
import { EMAIL, ID, serverFixture } from '../fixtures/server-fixture.js';
import { openStorage } from '../../server/storage/open.js';
import type { Storage } from '../../server/storage/storage.js';
import { sql, startTestServer } from './support.js';

const PATH = '/api/workflow-pickers/partner-stages';
type Stages = { partnerStages: { id: string; name: string }[] };

// The reference server's own route (not one of PartnerOS's documented pickers):
// the active organisation's partner lifecycle stages. Real HTTP, a file
// database, and a second connection writing as another process would.
describe('GET /api/workflow-pickers/partner-stages', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  let dir: string;
  let other: Storage;
  let a: string;
  let b: string;
  const get = (cookie: string | undefined, headers: Record<string, string> = {}) =>
    fetch(`${s.url}${PATH}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const stages = async (cookie: string) => {
    const response = await get(cookie);
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as Stages).partnerStages;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-stages-'));
    s = await startTestServer({ db: join(dir, 'db.sqlite') });
    other = (await openStorage(s.location)).storage;
    a = await s.signIn(EMAIL.a);
    b = await s.signIn(EMAIL.b);
  });
  after(async () => {
    await other?.close();
    await s.close(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers { partnerStages: [{ id, name }] } as JSON', async () => {
    const response = await get(a);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^application\/json/);
    const body = (await response.json()) as Stages;
    assert.deepEqual(Object.keys(body), ['partnerStages']);
    for (const stage of body.partnerStages) assert.deepEqual(Object.keys(stage), ['id', 'name']);
    assert.deepEqual(body.partnerStages[0], { id: ID.stageProspect, name: 'Prospect' });
  });

  it('orders by position, then by name ignoring case, then by id', async () => {
    assert.deepEqual(
      (await stages(a)).map((x) => [x.name, x.id]),
      [
        ['Prospect', ID.stageProspect],
        ['Active', ID.stageActive],
        ['active', ID.stageActiveLower],
        ['At risk', ID.stageAtRisk],
        ['Churned', ID.stageChurned],
      ],
    );
  });

  it('answers the active organisation’s stages only, and follows a switch', async () => {
    assert.deepEqual(await stages(b), [{ id: ID.stageB, name: 'B stage' }]);
    assert.ok(!(await stages(a)).some((x) => x.id === ID.stageB));
    const both = await s.signIn(EMAIL.both);
    assert.equal((await stages(both)).length, 5);
    const switched = await fetch(`${s.url}/api/auth/organization/set-active`, {
      method: 'POST',
      headers: { cookie: both, 'content-type': 'application/json' },
      body: JSON.stringify({ organizationId: ID.orgB }),
    });
    assert.equal(switched.status, 200);
    assert.deepEqual(await stages(both), [{ id: ID.stageB, name: 'B stage' }]);
  });

  it('401 unauthorized signed out or with an unknown cookie; 400 without an active organisation', async () => {
    for (const cookie of [undefined, 'session_token=forged']) {
      const response = await get(cookie);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { code: string }).code, 'unauthorized');
    }
    const none = await get(await s.signIn(EMAIL.noOrg));
    assert.equal(none.status, 400);
    assert.equal(((await none.json()) as { code: string }).code, 'no_active_organization');
  });

  it('403 forbidden for the partner role', async () => {
    const response = await get(await s.signIn(EMAIL.partner));
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), {
      error: 'Your role (partner) does not permit this: workflow pickers, lessons and exports are internal management endpoints.',
      code: 'forbidden',
    });
  });

  it('carries an ETag and Cache-Control private, no-cache; If-None-Match gets 304, also when cached', async () => {
    const cookie = await s.signIn(EMAIL.a);
    const first = await get(cookie);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[^"]+"$/);
    assert.equal(first.headers.get('cache-control'), 'private, no-cache');
    const body = await first.text();
    const before = s.answers.stats.served;
    const again = await get(cookie);
    assert.equal(await again.text(), body);
    const notModified = await get(cookie, { 'if-none-match': etag });
    assert.equal(notModified.status, 304);
    assert.equal(await notModified.text(), '');
    assert.equal(notModified.headers.get('etag'), etag);
    assert.equal((await get(cookie, { 'if-none-match': `"nope", W/${etag}` })).status, 304);
    assert.equal((await get(cookie, { 'if-none-match': '"nope"' })).status, 200);
    assert.equal(s.answers.stats.served, before + 4, 'the answer cache covers the route like the other pickers');
    assert.notEqual((await get(b)).headers.get('etag'), etag, 'another organisation, another ETag');
  });

  it('changes at the next request when another process adds, renames, reorders or removes a stage', async () => {
    const first = await get(b);
    const etag = first.headers.get('etag')!;
    assert.equal((await get(b, { 'if-none-match': etag })).status, 304);

    const added = '60000000-0000-4000-8000-0000000000b2';
    await sql(other, 'INSERT INTO partner_stages (id, organization_id, name, position) VALUES (?, ?, ?, ?)', added, ID.orgB, 'Before B', 0);
    const changed = await get(b, { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.deepEqual(
      ((await changed.json()) as Stages).partnerStages.map((x) => x.name),
      ['Before B', 'B stage'],
    );

    await sql(other, 'UPDATE partner_stages SET position = 9, name = ? WHERE id = ?', 'After B', added);
    assert.deepEqual(
      (await stages(b)).map((x) => x.name),
      ['B stage', 'After B'],
    );
    await sql(other, 'DELETE FROM partner_stages WHERE organization_id = ?', ID.orgB);
    assert.deepEqual(await stages(b), [], 'no stages: an empty list');
    assert.equal((await stages(a)).length, 5, 'A untouched');
  });

  it('keeps names unique per organisation in the database', async () => {
    await assert.rejects(
      sql(
        other,
        'INSERT INTO partner_stages (id, organization_id, name, position) VALUES (?, ?, ?, ?)',
        '60000000-0000-4000-8000-0000000000a9',
        ID.orgA,
        'Prospect',
        99,
      ),
      /UNIQUE constraint failed: partner_stages.organization_id, partner_stages.name|duplicate key value violates unique constraint/,
    );
  });
});

describe('partnerStages in the fixture', () => {
  const refused = (mutate: (stages: NonNullable<ReturnType<typeof serverFixture>['partnerStages']>) => void) => {
    const f = serverFixture();
    mutate(f.partnerStages!);
    return () => parseFixture(f);
  };
  const withMessage = (message: string) => (e: Error) => e instanceof FixtureError && e.message === message;

  it('is optional', () => {
    const f = serverFixture();
    delete f.partnerStages;
    assert.deepEqual(parseFixture(f).partnerStages, []);
  });

  it('refuses an unknown organisation, a duplicate name within one, an empty name and a fractional position', () => {
    assert.throws(
      refused((x) => (x[0]!.organizationId = ID.lessonA)),
      withMessage(`partnerStages[0] (id ${ID.stageChurned}).organizationId: unknown organization ${ID.lessonA}`),
    );
    assert.throws(
      refused((x) => (x[1]!.name = 'Churned')),
      withMessage(`partnerStages[1] (id ${ID.stageAtRisk}).name: duplicate name "Churned" in its organization`),
    );
    assert.throws(
      refused((x) => (x[1]!.name = '')),
      withMessage(`partnerStages[1] (id ${ID.stageAtRisk}).name: must not be empty`),
    );
    assert.throws(
      refused((x) => (x[1]!.position = 1.5)),
      withMessage(`partnerStages[1] (id ${ID.stageAtRisk}).position: must be a whole number`),
    );
    assert.throws(
      refused((x) => (x[1]!.id = ID.lessonA)),
      withMessage(`partnerStages[1] (id ${ID.lessonA}).id: duplicate id ${ID.lessonA}`),
    );
    // The same name in two organisations is fine.
    assert.doesNotThrow(refused((x) => (x[5]!.name = 'Churned')));
  });
});
