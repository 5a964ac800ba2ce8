import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { createTestApp } from './support.js';

// Organisation A's user asks for B's records by every id it could guess, on
// every route; nothing of B may ever appear, and B's files are 404 for A.
describe('organisation isolation matrix', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let a: string;
  let none: string;
  let partner: string;
  let bJob: string;
  let bSecrets: string[];

  before(async () => {
    t = await createTestApp();
    const b = await t.signIn(EMAIL.b);
    const dispatched = await t.post('/api/exports/pptx', { lessonId: ID.lessonB, cacheKey: 'b-secret-key' }, b);
    bJob = ((await dispatched.json()) as { job: { id: string } }).job.id;
    await t.exports.idle();
    assert.equal((await t.get(`/api/exports/pptx/files/${bJob}.pptx`, b)).status, 200, 'B itself can download it');
    a = await t.signIn(EMAIL.a);
    none = await t.signIn(EMAIL.noOrg);
    partner = await t.signIn(EMAIL.partner);
    // Everything that identifies B's data.
    bSecrets = [
      ID.orgB,
      ID.specB,
      ID.trainingB,
      ID.lessonB,
      ID.stageB,
      bJob,
      'B only',
      'B training',
      'b-tag',
      'Lesson B',
      'B stage',
      'b-secret-key',
      'Org B',
    ];
  });
  after(() => t.close());

  const bIds = () => [ID.orgB, ID.specB, ID.trainingB, ID.lessonB, ID.stageB, bJob];
  const requests = () => [
    ...['specializations', 'trainings', 'training-tags', 'trigger-types', 'partner-stages'].map((r) => ({
      method: 'GET',
      path: `/api/workflow-pickers/${r}`,
    })),
    { method: 'GET', path: '/api/enablement/lessons' },
    { method: 'GET', path: '/api/auth/session' },
    ...bIds().flatMap((id) => [
      { method: 'POST', path: '/api/exports/pptx', body: { lessonId: id } },
      { method: 'POST', path: '/api/exports/pptx', body: { lessonId: id, cacheKey: 'b-secret-key' } },
      { method: 'GET', path: `/api/exports/pptx/stream?lessonId=${id}` },
      { method: 'GET', path: `/api/exports/pptx/stream?lessonId=${id}&cacheKey=b-secret-key` },
      { method: 'GET', path: `/api/exports/pptx/files/${id}.pptx` },
      { method: 'GET', path: `/api/workflow-pickers/trainings?organizationId=${id}` },
      { method: 'POST', path: '/api/auth/organization/set-active', body: { organizationId: id } },
    ]),
  ];

  const send = (r: { method: string; path: string; body?: unknown }, cookie: string) =>
    r.method === 'GET' ? t.get(r.path, cookie) : t.post(r.path, r.body, cookie);

  it('a user of A never sees anything of B, on any route, by any id', async () => {
    let checked = 0;
    for (const r of requests()) {
      const response = await send(r, a);
      const body = await response.text();
      for (const secret of bSecrets)
        assert.ok(!body.includes(secret), `${r.method} ${r.path} leaked "${secret}": ${response.status} ${body}`);
      if (r.path.includes('/files/') || (r.path.includes('/stream') && bIds().some((id) => r.path.includes(id)))) {
        assert.equal(response.status, 404, `${r.method} ${r.path}`);
      }
      checked++;
    }
    await t.exports.idle();
    assert.ok(checked > 40);
  });

  it('B’s organisation cannot be made active by A (403), and A’s session stays on A', async () => {
    const response = await t.post('/api/auth/organization/set-active', { organizationId: ID.orgB }, a);
    assert.equal(response.status, 403);
    const session = (await (await t.get('/api/auth/session', a)).json()) as { activeOrganizationId: string };
    assert.equal(session.activeOrganizationId, ID.orgA);
  });

  it('a user with no active organisation gets 400 on every data route and sees nothing', async () => {
    for (const r of requests()) {
      if (r.path.startsWith('/api/auth/')) continue;
      const response = await send(r, none);
      const body = await response.text();
      assert.equal(response.status, 400, `${r.method} ${r.path}: ${body}`);
      assert.equal((JSON.parse(body) as { code: string }).code, 'no_active_organization');
    }
  });

  it('a partner of A gets 403 forbidden on every data route, by any id, and sees nothing of B on any route', async () => {
    let refused = 0;
    for (const r of requests()) {
      const response = await send(r, partner);
      const body = await response.text();
      for (const secret of bSecrets)
        assert.ok(!body.includes(secret), `${r.method} ${r.path} leaked "${secret}": ${response.status} ${body}`);
      if (r.path.startsWith('/api/auth/')) continue;
      assert.equal(response.status, 403, `${r.method} ${r.path}: ${body}`);
      assert.equal((JSON.parse(body) as { code: string }).code, 'forbidden');
      refused++;
    }
    assert.ok(refused > 30);
    for (const trick of [`${bJob}.pptx`, `..%2F${bJob}.pptx`, `%2e%2e/${bJob}.pptx`]) {
      assert.equal((await t.get(`/api/exports/pptx/files/${trick}`, partner)).status, 403, trick);
    }
  });

  it('a user who is partner in A and admin in B sees B’s records only while B is active, and nothing at all in A', async () => {
    const mixed = await t.signIn(EMAIL.mixed);
    assert.equal((await t.get('/api/workflow-pickers/trainings', mixed)).status, 403);
    assert.equal((await t.post('/api/auth/organization/set-active', { organizationId: ID.orgB }, mixed)).status, 200);
    const inB = (await (await t.get('/api/workflow-pickers/trainings', mixed)).json()) as { trainings: { id: string }[] };
    assert.deepEqual(
      inB.trainings.map((x) => x.id),
      [ID.trainingB],
    );
    // A's lesson from B, as admin there: 404 like any other organisation's record.
    assert.equal((await t.post('/api/exports/pptx', { lessonId: ID.lessonA }, mixed)).status, 404);
    assert.equal((await t.get(`/api/exports/pptx/files/${ID.jobDone}.pptx`, mixed)).status, 404);
  });

  it('file path tricks are 404', async () => {
    for (const trick of [
      `..%2F${bJob}.pptx`,
      `%2e%2e/${bJob}.pptx`,
      `${bJob}%00.pptx`,
      `${bJob}.pptx%2F..`,
      `${bJob}.PPTX`,
      `${bJob}.pptx?x=1`,
      `./${bJob}.pptx`,
    ]) {
      const response = await t.get(`/api/exports/pptx/files/${trick}`, a);
      assert.equal(response.status, 404, trick);
    }
  });
});
