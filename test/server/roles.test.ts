import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROLES, type Role } from '../../server/auth/roles.js';
import { openStorage } from '../../server/storage/open.js';
import { openSqliteStorage } from '../../server/storage/sqlite.js';
import type { Storage } from '../../server/storage/storage.js';
import { DEMO_PASSWORD, demoFixture, stableUuid } from '../../server/db/demo-data.js';
import { FixtureError, parseFixture, type FixtureInput } from '../../server/db/fixture.js';
import { MIGRATIONS } from '../../server/db/schema.js';
import { startServer } from '../../server/server.js';
import { EMAIL, ID, PASSWORD, serverFixture } from '../fixtures/server-fixture.js';
import { cookieFrom, onlyOn, onTestEngine, sql, sqlValue, startTestServer, testConfig } from './support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const FORBIDDEN = {
  error: 'Your role (partner) does not permit this: workflow pickers, lessons and exports are internal management endpoints.',
  code: 'forbidden',
};

/** One user of org A per role (the fixture's a@a.example is the member: no `roles`, the default). */
const ROLE_USER: Record<Role, string> = {
  owner: 'owner@a.example',
  admin: 'admin@a.example',
  member: EMAIL.a,
  viewer: 'viewer@a.example',
  partner: EMAIL.partner,
};

function rolesFixture(): FixtureInput {
  const f = serverFixture();
  for (const role of ['owner', 'admin', 'viewer'] as const) {
    f.users!.push({
      id: stableUuid(`test:user:${role}`),
      email: ROLE_USER[role],
      password: PASSWORD,
      name: role,
      organizationIds: [ID.orgA],
      roles: { [ID.orgA]: role },
      activeOrganizationId: ID.orgA,
    });
  }
  return f;
}

/** Every route group behind the organisation middleware, as the reference server mounts it. */
const DATA_ROUTES = [
  ...['specializations', 'trainings', 'training-tags', 'trigger-types', 'partner-stages'].map((r) => ({
    group: 'workflow pickers',
    method: 'GET',
    path: `/api/workflow-pickers/${r}`,
    ok: 200,
  })),
  { group: 'lessons', method: 'GET', path: '/api/enablement/lessons', ok: 200 },
  // A fresh completed job with this lesson and key exists: a cache hit (200), nothing is generated.
  { group: 'exports', method: 'POST', path: '/api/exports/pptx', body: { lessonId: ID.lessonDone, cacheKey: 'v1' }, ok: 200 },
  { group: 'exports', method: 'GET', path: `/api/exports/pptx/stream?lessonId=${ID.lessonDone}&cacheKey=v1`, ok: 200 },
  { group: 'exports', method: 'GET', path: `/api/exports/pptx/files/${ID.jobDone}.pptx`, ok: 200 },
  { group: 'demo controls', method: 'POST', path: '/api/demo/next-export', body: { behaviour: 'none' }, ok: 200 },
] as const;

// Over real HTTP to a file database, so a second connection can change a role
// as another process (an admin tool) would.
describe('roles', () => {
  let s: Server;
  let dir: string;
  let other: Storage;
  const send = (r: { method: string; path: string; body?: unknown }, cookie: string, headers: Record<string, string> = {}) =>
    fetch(`${s.url}${r.path}`, {
      method: r.method,
      headers: { cookie, ...(r.body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: r.body ? JSON.stringify(r.body) : undefined,
    });
  const get = (path: string, cookie: string, headers: Record<string, string> = {}) => send({ method: 'GET', path }, cookie, headers);
  const setActive = (organizationId: string, cookie: string) =>
    send({ method: 'POST', path: '/api/auth/organization/set-active', body: { organizationId } }, cookie);
  const session = async (cookie: string) =>
    (await (await get('/api/auth/session', cookie)).json()) as {
      role: Role | null;
      activeOrganizationId: string | null;
      organizations: { id: string; role: Role }[];
    };
  const cached = () => s.answers.stats.served;
  const setRole = (storage: Storage, email: string, organizationId: string, role: Role) =>
    sql(
      storage,
      'UPDATE memberships SET role = ? WHERE organization_id = ? AND user_id = (SELECT id FROM users WHERE email = ?)',
      role,
      organizationId,
      email,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-roles-'));
    s = await startTestServer({ db: join(dir, 'db.sqlite'), demoControls: true }, { fixture: rolesFixture() });
    other = (await openStorage(s.location)).storage;
  });
  after(async () => {
    await other.close();
    await s.close(0);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const role of ROLES.filter((r) => r !== 'partner')) {
    it(`${role}: reaches every route group (workflow pickers, lessons, exports, demo controls)`, async () => {
      const cookie = await s.signIn(ROLE_USER[role]);
      assert.equal((await session(cookie)).role, role);
      for (const r of DATA_ROUTES) {
        const response = await send(r, cookie);
        const body = await response.text();
        assert.equal(response.status, r.ok, `${role} ${r.method} ${r.path}: ${body}`);
      }
    });
  }

  it('partner: 403 forbidden on every workflow-picker, lesson, export and demo route, with the sentence', async () => {
    const cookie = await s.signIn(ROLE_USER.partner);
    for (const r of DATA_ROUTES) {
      const response = await send(r, cookie);
      assert.equal(response.status, 403, `${r.method} ${r.path}`);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await response.json(), FORBIDDEN, `${r.method} ${r.path}`);
    }
    // Not a route at all is refused just the same: the partner learns nothing of what exists.
    assert.equal((await get('/api/no-such-route', cookie)).status, 403);
    assert.equal((await get('/api/workflow-pickers/no-such-picker', cookie)).status, 403);
  });

  it('partner: the session routes stay open (session with its role, switching organisation, sign-out)', async () => {
    const cookie = await s.signIn(ROLE_USER.partner);
    const answer = await session(cookie);
    assert.equal(answer.role, 'partner');
    assert.deepEqual(
      answer.organizations.map((o) => [o.id, o.role]),
      [[ID.orgA, 'partner']],
    );
    assert.equal((await setActive(ID.orgA, cookie)).status, 200);
    assert.equal((await setActive(ID.orgB, cookie)).status, 403, 'not a member of B: the usual refusal');
    const out = await send({ method: 'POST', path: '/api/auth/sign-out' }, cookie);
    assert.equal(out.status, 200);
    assert.equal((await get('/api/auth/session', cookie)).status, 401);
  });

  it('the role is the active organisation’s: switching organisation changes what the same session may call', async () => {
    const cookie = await s.signIn(EMAIL.mixed);
    const inA = await session(cookie);
    assert.equal(inA.role, 'partner');
    assert.deepEqual(
      inA.organizations.map((o) => [o.id, o.role]),
      [
        [ID.orgA, 'partner'],
        [ID.orgB, 'admin'],
      ],
    );
    assert.equal((await get('/api/workflow-pickers/trainings', cookie)).status, 403);

    assert.equal((await setActive(ID.orgB, cookie)).status, 200);
    assert.equal((await session(cookie)).role, 'admin');
    const inB = await get('/api/workflow-pickers/trainings', cookie);
    assert.equal(inB.status, 200);
    assert.deepEqual(
      ((await inB.json()) as { trainings: { id: string }[] }).trainings.map((t) => t.id),
      [ID.trainingB],
      'B’s data only',
    );
    assert.equal((await get('/api/workflow-pickers/trainings', cookie)).status, 200);

    assert.equal((await setActive(ID.orgA, cookie)).status, 200);
    const back = await get('/api/workflow-pickers/trainings', cookie);
    assert.equal(back.status, 403);
    assert.deepEqual(await back.json(), FORBIDDEN);
    // Remembered for the next sign-in, like any switch: a new session starts in A, as partner.
    assert.equal((await session(await s.signIn(EMAIL.mixed))).role, 'partner');
  });

  for (const [writer, connection] of [
    ['another process', () => other],
    ['the server’s own connection', () => s.storage],
  ] as const) {
    it(`a role changed by ${writer} takes effect at the next request: the answer cache never answers the partner from the member’s answer`, async () => {
      const email = ROLE_USER.owner;
      const path = '/api/workflow-pickers/specializations';
      const cookie = await s.signIn(email);
      const first = await get(path, cookie);
      assert.equal(first.status, 200);
      const etag = first.headers.get('etag')!;
      const before = cached();
      assert.equal((await get(path, cookie)).status, 200);
      assert.equal((await get(path, cookie, { 'if-none-match': etag })).status, 304);
      assert.equal(cached(), before + 2, 'the member’s answers are being served from the cache for this cookie');

      await setRole(connection(), email, ID.orgA, 'partner');
      for (const headers of [{}, { 'if-none-match': etag }, {}] as Record<string, string>[]) {
        const response = await get(path, cookie, headers);
        assert.equal(response.status, 403, JSON.stringify(headers));
        assert.deepEqual(await response.json(), FORBIDDEN);
      }
      assert.equal(cached(), before + 2, 'no refusal cached, and no answer of the member served to the partner');
      assert.equal((await session(cookie)).role, 'partner');

      await setRole(connection(), email, ID.orgA, 'owner');
      const restored = await get(path, cookie, { 'if-none-match': etag });
      assert.equal(restored.status, 304, 'the same data: the same ETag as before');
      assert.equal((await session(cookie)).role, 'owner');
    });
  }

  it('a membership removed in the database leaves the session without an organisation (400), never with a stale role', async () => {
    const cookie = await s.signIn(ROLE_USER.viewer);
    assert.equal((await get('/api/enablement/lessons', cookie)).status, 200);
    const user = await sqlValue<string>(other, 'SELECT id FROM users WHERE email = ?', ROLE_USER.viewer);
    await sql(other, 'DELETE FROM memberships WHERE user_id = ?', user);
    const response = await get('/api/enablement/lessons', cookie);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { code: string }).code, 'no_active_organization');
    const left = await session(cookie);
    assert.deepEqual([left.activeOrganizationId, left.role, left.organizations], [null, null, []]);
    await sql(other, "INSERT INTO memberships (user_id, organization_id, role) VALUES (?, ?, 'viewer')", user, ID.orgA);
  });

  it('the database refuses a role that is not one of the five', async () => {
    await assert.rejects(
      setRole(other, ROLE_USER.admin, ID.orgA, 'superuser' as Role),
      /CHECK constraint failed|violates check constraint/,
    );
  });
});

describe('roles in the fixture', () => {
  const broken = (mutate: (f: FixtureInput) => void) => {
    const f = serverFixture();
    mutate(f);
    return () => parseFixture(f);
  };

  it('a user without `roles` is a member of each of its organisations; `roles` names others', () => {
    const f = parseFixture(serverFixture());
    assert.equal(f.users.find((u) => u.email === EMAIL.a)!.roles, undefined);
    assert.deepEqual(f.users.find((u) => u.email === EMAIL.mixed)!.roles, { [ID.orgA]: 'partner', [ID.orgB]: 'admin' });
  });

  it('refuses a role that is not one of the five, naming the user, the organisation and the roles', () => {
    assert.throws(
      broken((f) => (f.users![0]!.roles = { [ID.orgA]: 'superuser' as Role })),
      (e: Error) =>
        e instanceof FixtureError &&
        e.message === `users[0] (id ${ID.userA}).roles.${ID.orgA}: must be one of owner, admin, member, viewer, partner`,
    );
  });

  it('refuses a role for an organisation the user is not in', () => {
    assert.throws(
      broken((f) => (f.users![0]!.roles = { [ID.orgB]: 'admin' })),
      (e: Error) =>
        e instanceof FixtureError && e.message === `users[0] (id ${ID.userA}).roles.${ID.orgB}: must be one of the user’s organizationIds`,
    );
  });
});

describe('schema migration 3', () => {
  it(
    'gives the memberships of an existing version-2 file the member role, and adds partner_stages',
    { skip: onlyOn('sqlite', 'a SQLite file at schema version 2') },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pos-migrate-'));
      try {
        const path = join(dir, 'v2.sqlite');
        const v2 = new Database(path);
        v2.exec(MIGRATIONS[0]!);
        v2.exec(MIGRATIONS[1]!);
        v2.pragma('user_version = 2');
        v2.exec(`INSERT INTO organizations VALUES ('${ID.orgA}', 'Org A');
        INSERT INTO users (id, email, name, password_hash) VALUES ('${ID.userA}', 'a@a.example', 'A', 'x');
        INSERT INTO memberships VALUES ('${ID.userA}', '${ID.orgA}');`);
        v2.close();

        const { storage, isNew } = await openSqliteStorage(path);
        assert.equal(isNew, false);
        assert.deepEqual(await sql(storage, 'SELECT user_id, organization_id, role FROM memberships'), [
          { user_id: ID.userA, organization_id: ID.orgA, role: 'member' },
        ]);
        assert.equal(await sqlValue(storage, 'SELECT count(*) FROM partner_stages'), 0);
        await storage.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('the demo data’s roles', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  const signIn = async (email: string) => {
    const response = await fetch(`${s.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    assert.equal(response.status, 200, email);
    return cookieFrom(response);
  };
  const session = async (cookie: string) =>
    (await (await fetch(`${s.url}/api/auth/session`, { headers: { cookie } })).json()) as {
      role: Role;
      organizations: { name: string; role: Role }[];
    };

  before(async () => {
    s = await startServer(await onTestEngine(testConfig()), { fixture: demoFixture() });
  });
  after(() => s.close(0));

  it('ada owns Acme, grace owns Globex, sam is admin of Acme and member of Globex, pat is a partner of Acme', async () => {
    const roles = async (email: string) => (await session(await signIn(email))).organizations.map((o) => `${o.name}: ${o.role}`);
    assert.deepEqual(await roles('ada@acme.example'), ['Acme Cloud: owner']);
    assert.deepEqual(await roles('grace@globex.example'), ['Globex Systems: owner']);
    assert.deepEqual(await roles('sam@partners.example'), ['Acme Cloud: admin', 'Globex Systems: member']);
    assert.deepEqual(await roles('pat@partner.example'), ['Acme Cloud: partner']);
  });

  it('pat, the partner, signs in and is refused the pickers; sam is not', async () => {
    const pat = await signIn('pat@partner.example');
    const refused = await fetch(`${s.url}/api/workflow-pickers/trainings`, { headers: { cookie: pat } });
    assert.equal(refused.status, 403);
    assert.deepEqual(await refused.json(), FORBIDDEN);
    const sam = await signIn('sam@partners.example');
    assert.equal((await fetch(`${s.url}/api/workflow-pickers/trainings`, { headers: { cookie: sam } })).status, 200);
  });
});
