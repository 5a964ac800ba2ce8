import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { demoFixture } from '../../server/db/demo-data.js';
import { FixtureError } from '../../server/db/fixture.js';
import { loadFixtureInto, prepareFixture } from '../../server/storage/fixture-loader.js';
import { openPostgresStorage, PostgresStorage } from '../../server/storage/postgres.js';
import { POSTGRES_SCHEMA_VERSION } from '../../server/storage/postgres-schema.js';
import { openSqliteStorage, SqliteStorage } from '../../server/storage/sqlite.js';
import type { OpenOptions, PreparedFixture, Storage } from '../../server/storage/storage.js';
import { ID, serverFixture } from '../fixtures/server-fixture.js';
import { eventually } from '../support/waiting.js';
import { startPostgres, type ThrowawayPostgres } from '../support/postgres.js';

/**
 * The same cases on both engines: every method of server/storage/storage.ts,
 * organisations kept apart, transactions, migrations, change notifications.
 * A final case reads everything from both engines loaded with the same data
 * and requires identical answers, so the two dialects cannot drift apart.
 */

let server: ThrowawayPostgres;
let databases = 0;
const folder = mkdtempSync(join(tmpdir(), 'pos-storage-contract-'));
let prepared: PreparedFixture;
let preparedDemo: PreparedFixture;
const opened: Storage[] = [];

before(async () => {
  [server, prepared, preparedDemo] = await Promise.all([startPostgres(), prepareFixture(serverFixture()), prepareFixture(demoFixture())]);
});
after(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

interface Engine {
  name: 'sqlite' | 'postgres';
  /** A new, empty place for a database (a file, a PostgreSQL database). */
  place(): Promise<string>;
  open(place: string, options?: OpenOptions): Promise<{ storage: Storage; isNew: boolean }>;
  /** Raw SQL past the interface, for setting up what no method writes. */
  exec(storage: Storage, sql: string, params: unknown[]): Promise<void>;
  /** `?` placeholders for SQLite, `$n` for PostgreSQL. */
  param(n: number): string;
}

const ENGINES: Engine[] = [
  {
    name: 'sqlite',
    place: async () => join(folder, `${++databases}.sqlite`),
    open: openSqliteStorage,
    exec: async (storage, sql, params) => void (storage as SqliteStorage).db.prepare(sql).run(...params),
    param: () => '?',
  },
  {
    name: 'postgres',
    place: () => server.createDatabase(`contract_${++databases}`),
    open: openPostgresStorage,
    exec: async (storage, sql, params) => void (await (storage as PostgresStorage).pool.query(sql, params)),
    param: (n) => `$${n}`,
  },
];

const later = (ms: number) => new Date(Date.now() + ms).toISOString();
const NOW = '2026-06-01T12:00:00.000Z';

for (const engine of ENGINES) {
  describe(`storage contract on ${engine.name}`, () => {
    /** A new database holding the server fixture. */
    async function fresh(data = prepared): Promise<Storage> {
      const { storage, isNew } = await engine.open(await engine.place(), { seed: (tx) => tx.importFixture(data) });
      assert.equal(isNew, true);
      opened.push(storage);
      return storage;
    }

    test('migrations: a new database is created and seeded once; reopening changes nothing; a newer schema is refused', async () => {
      const place = await engine.place();
      let seeded = 0;
      const seed = async (tx: Storage) => {
        seeded++;
        await tx.importFixture(prepared);
      };
      const first = await engine.open(place, { seed });
      assert.equal(first.isNew, true);
      await first.storage.close();
      const second = await engine.open(place, { seed });
      assert.equal(second.isNew, false);
      assert.equal(seeded, 1);
      assert.equal((await second.storage.pickers.specializations(ID.orgA)).length, 4, 'the data survived, loaded once');
      const bump =
        engine.name === 'sqlite'
          ? `PRAGMA user_version = ${POSTGRES_SCHEMA_VERSION + 1}`
          : `INSERT INTO pos_schema_migrations (version) VALUES (${POSTGRES_SCHEMA_VERSION + 1})`;
      await engine.exec(second.storage, bump, []);
      await second.storage.close();
      await assert.rejects(engine.open(place), /newer than this server/);
    });

    test('migrations: a seed that fails leaves no schema behind, and the next open starts afresh', async () => {
      const place = await engine.place();
      await assert.rejects(
        engine.open(place, {
          seed: async (tx) => {
            await tx.importFixture(prepared);
            throw new Error('seed broke');
          },
        }),
        /seed broke/,
      );
      const again = await engine.open(place, { seed: (tx) => tx.importFixture(prepared) });
      assert.equal(again.isNew, true);
      assert.equal((await again.storage.lessons.list(ID.orgA)).length, 4);
      await again.storage.close();
    });

    test('users: by email ignoring ASCII case, membership, organisations with roles', async () => {
      const s = await fresh();
      const user = await s.users.byEmail('MIXED@x.example');
      assert.equal(user?.id, ID.userMixed);
      assert.equal(user.activeOrganizationId, ID.orgA);
      assert.match(user.passwordHash, /^scrypt\$/);
      assert.equal(await s.users.byEmail('nobody@x.example'), undefined);
      assert.equal(await s.users.isMember(ID.userA, ID.orgA), true);
      assert.equal(await s.users.isMember(ID.userA, ID.orgB), false);
      assert.deepEqual(await s.users.organizations(ID.userMixed), [
        { id: ID.orgA, name: 'Org A', role: 'partner' },
        { id: ID.orgB, name: 'Org B', role: 'admin' },
      ]);
    });

    test('sessions: create, find within its lifetime, touch never backwards, switch organisation, remove, purge', async () => {
      const s = await fresh();
      const created = '2026-06-01T00:00:00.000Z';
      await s.sessions.create(
        { tokenHash: 'h1', userId: ID.userMixed, activeOrganizationId: ID.orgA, createdAt: created, expiresAt: '2026-06-02T00:00:00.000Z' },
        { now: created, createdBefore: '2026-05-01T00:00:00.000Z' },
      );
      const found = await s.sessions.find('h1', NOW, '2026-05-01T00:00:00.000Z');
      assert.deepEqual(found, {
        tokenHash: 'h1',
        user: { id: ID.userMixed, email: 'mixed@x.example', name: 'Mixed' },
        activeOrganizationId: ID.orgA,
        role: 'partner',
        createdAt: created,
        expiresAt: '2026-06-02T00:00:00.000Z',
      });
      assert.equal(await s.sessions.find('h1', '2026-06-02T00:00:00.000Z', '2026-05-01T00:00:00.000Z'), undefined, 'expired at its expiry');
      assert.equal(await s.sessions.find('h1', NOW, created), undefined, 'past its absolute end');
      assert.equal(await s.sessions.find('nope', NOW, '2026-05-01T00:00:00.000Z'), undefined);

      assert.equal(await s.sessions.touch('h1', '2026-06-03T00:00:00.000Z'), true);
      assert.equal(await s.sessions.touch('h1', '2026-06-02T12:00:00.000Z'), false, 'never moved back');
      assert.equal((await s.sessions.find('h1', NOW, '2026-05-01T00:00:00.000Z'))?.expiresAt, '2026-06-03T00:00:00.000Z');

      assert.equal(await s.sessions.switchOrganization('h1', ID.userA, ID.orgB), false, 'not a member: nothing written');
      assert.equal((await s.sessions.find('h1', NOW, '2026-05-01T00:00:00.000Z'))?.activeOrganizationId, ID.orgA);
      assert.equal(await s.sessions.switchOrganization('h1', ID.userMixed, ID.orgB), true);
      const switched = await s.sessions.find('h1', NOW, '2026-05-01T00:00:00.000Z');
      assert.equal(switched?.activeOrganizationId, ID.orgB);
      assert.equal(switched.role, 'admin', 'the role follows the active organisation');
      assert.equal((await s.users.byEmail('mixed@x.example'))?.activeOrganizationId, ID.orgB, 'remembered for the next sign-in');

      // A new session purges the ones that have ended.
      await s.sessions.create(
        { tokenHash: 'h2', userId: ID.userA, activeOrganizationId: null, createdAt: NOW, expiresAt: '2026-06-04T00:00:00.000Z' },
        { now: '2026-06-03T00:00:00.000Z', createdBefore: '2026-01-01T00:00:00.000Z' },
      );
      assert.equal(await s.sessions.find('h1', '2026-05-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'), undefined, 'purged');
      const none = await s.sessions.find('h2', NOW, '2026-01-01T00:00:00.000Z');
      assert.equal(none?.activeOrganizationId, null);
      assert.equal(none.role, null);
      await s.sessions.remove('h2');
      assert.equal(await s.sessions.find('h2', NOW, '2026-01-01T00:00:00.000Z'), undefined);
    });

    test('sessions: the active organisation counts only while the user is a member of it', async () => {
      const s = await fresh();
      await s.sessions.create(
        { tokenHash: 'h', userId: ID.userA, activeOrganizationId: ID.orgB, createdAt: NOW, expiresAt: later(86_400_000) },
        { now: NOW, createdBefore: '2000-01-01T00:00:00.000Z' },
      );
      const found = await s.sessions.find('h', NOW, '2000-01-01T00:00:00.000Z');
      assert.equal(found?.activeOrganizationId, null);
      assert.equal(found.role, null);
    });

    test('pickers: published records of one organisation, by title ignoring case then id; tags trimmed, each once', async () => {
      const s = await fresh();
      const specs = await s.pickers.specializations(ID.orgA);
      assert.deepEqual(
        specs.map((r) => r.id),
        [ID.specApple, ID.specBananaTwin, ID.specBanana, ID.specCherry],
      );
      assert.deepEqual(specs[0], {
        id: ID.specApple,
        title: 'apple',
        description: 'About apple',
        isPublished: true,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      const trainings = await s.pickers.trainings(ID.orgA);
      assert.deepEqual(
        trainings.map((t) => t.title),
        ['apple', 'Banana', 'cherry'],
      );
      assert.deepEqual(trainings[2]!.tags, ['  Sales ', 'onboarding', ''], 'tags as written');
      assert.equal(trainings[0]!.specializationId, null);
      assert.equal(trainings[0]!.durationMinutes, 30);
      assert.deepEqual(await s.pickers.trainingTags(ID.orgA), ['advanced', 'onboarding', 'Sales', 'Technical']);
      assert.deepEqual(
        (await s.pickers.partnerStages(ID.orgA)).map((r) => r.name),
        ['Prospect', 'Active', 'active', 'At risk', 'Churned'],
      );
    });

    test('isolation: no method answers one organisation with another organisation’s records', async () => {
      const s = await fresh();
      assert.deepEqual(
        (await s.pickers.specializations(ID.orgB)).map((r) => r.id),
        [ID.specB],
      );
      assert.deepEqual(
        (await s.pickers.trainings(ID.orgB)).map((r) => r.id),
        [ID.trainingB],
      );
      assert.deepEqual(await s.pickers.trainingTags(ID.orgB), ['b-tag']);
      assert.deepEqual(
        (await s.pickers.partnerStages(ID.orgB)).map((r) => r.id),
        [ID.stageB],
      );
      assert.deepEqual(
        (await s.lessons.list(ID.orgB)).map((r) => r.id),
        [ID.lessonB],
      );
      assert.equal(await s.lessons.forExport(ID.orgB, ID.lessonA), undefined);
      assert.equal(await s.exports.file(ID.orgB, ID.jobDone), undefined);
      assert.equal(await s.exports.spentCents(ID.orgB, '2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z'), 0);
    });

    test('lessons: the list by title; one lesson with what its deck needs', async () => {
      const s = await fresh();
      assert.deepEqual(
        (await s.lessons.list(ID.orgA)).map((l) => l.title),
        ['Another lesson', 'Done lesson', 'Failed lesson', 'Lesson A'],
      );
      assert.deepEqual(await s.lessons.forExport(ID.orgA, ID.lessonA), {
        id: ID.lessonA,
        title: 'Lesson A',
        sections: [
          { heading: 'One', body: 'First' },
          { heading: 'Two', body: 'Second' },
        ],
        updatedAt: '2026-01-01T00:00:00.000Z',
        organizationName: 'Org A',
      });
    });

    test('exports: the cache hit follows which-export.ts (fresh jobs only, the cache key when given)', async () => {
      const s = await fresh();
      assert.equal((await s.exports.completedFor(ID.lessonDone, 'v1'))?.id, ID.jobDone);
      assert.equal((await s.exports.completedFor(ID.lessonDone, null))?.id, ID.jobDone, 'any fresh job without a key');
      assert.equal(await s.exports.completedFor(ID.lessonDone, 'old'), undefined, 'older than the lesson: not fresh');
      assert.equal(await s.exports.completedFor(ID.lessonFailed, null), undefined, 'failed: not a hit');
      // Two jobs in the same millisecond: the one inserted last is the export.
      const at = '2026-07-01T00:00:00.000Z';
      const first = randomUUID();
      const second = randomUUID();
      for (const id of [first, second]) {
        await s.exports.create({ id, organizationId: ID.orgA, lessonId: ID.lessonA, cacheKey: 'same', createdAt: at, runsHere: true });
        await s.exports.complete(id, { costCents: 1, model: 'm', completedAt: at, fileName: 'f.pptx', bytes: Buffer.from('x') });
      }
      assert.equal((await s.exports.completedFor(ID.lessonA, 'same'))?.id, second);
    });

    test('exports: create, complete with its file once, fail, spending, interrupted jobs', async () => {
      const s = await fresh();
      const id = randomUUID();
      const createdAt = '2026-06-01T10:00:00.000Z';
      const job = await s.exports.create({ id, organizationId: ID.orgA, lessonId: ID.lessonA, cacheKey: 'k', createdAt, runsHere: true });
      assert.deepEqual(job, {
        id,
        lessonId: ID.lessonA,
        cacheKey: 'k',
        status: 'pending',
        createdAt,
        completedAt: null,
        costCents: null,
        model: null,
        error: null,
      });
      assert.deepEqual(await s.exports.get(id), job);
      assert.equal(await s.exports.completedFor(ID.lessonA, 'k'), undefined, 'pending: not a hit');
      assert.deepEqual(await s.exports.interrupted(), [
        {
          id,
          lessonId: ID.lessonA,
          organizationId: ID.orgA,
          organizationName: 'Org A',
          title: 'Lesson A',
          sections: [
            { heading: 'One', body: 'First' },
            { heading: 'Two', body: 'Second' },
          ],
        },
      ]);
      assert.deepEqual(await s.exports.pendingWork(id), (await s.exports.interrupted())[0], 'a pending job with its lesson');
      const bytes = Buffer.from([0, 1, 2, 255, 254]);
      const completedAt = '2026-06-01T10:00:05.000Z';
      assert.equal(await s.exports.complete(id, { costCents: 7, model: 'model-x', completedAt, fileName: 'Lesson A.pptx', bytes }), true);
      assert.equal(
        await s.exports.complete(id, { costCents: 9, model: 'again', completedAt, fileName: 'x.pptx', bytes }),
        false,
        'only a pending job completes',
      );
      assert.equal(await s.exports.fail(id, 'late failure', completedAt), false, 'a completed job does not fail');
      assert.deepEqual(await s.exports.file(ID.orgA, id), { fileName: 'Lesson A.pptx', bytes });
      assert.equal((await s.exports.completedFor(ID.lessonA, 'k'))?.costCents, 7);
      assert.deepEqual(await s.exports.interrupted(), []);
      assert.equal(await s.exports.spentCents(ID.orgA, '2026-06-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'), 7);
      assert.equal(await s.exports.spentCents(ID.orgA, '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'), 42, 'the fixture’s job');
      assert.equal(await s.exports.spentCents(ID.orgA, '2026-07-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z'), 0);

      const other = randomUUID();
      await s.exports.create({ id: other, organizationId: ID.orgA, lessonId: ID.lessonA2, cacheKey: null, createdAt, runsHere: false });
      assert.deepEqual(await s.exports.interrupted(), [], 'another process’s work is not resumed here');
      assert.equal((await s.exports.pendingWork(other))?.lessonId, ID.lessonA2, 'whoever generates it');
      assert.equal(await s.exports.pendingWork(id), undefined, 'an ended job has no work left');
      assert.equal(await s.exports.pendingWork(randomUUID()), undefined);
      assert.equal(await s.exports.fail(other, 'The export failed: boom', completedAt), true);
      const failed = await s.exports.get(other);
      assert.equal(failed?.status, 'failed');
      assert.equal(failed.error, 'The export failed: boom');
      assert.equal(failed.completedAt, completedAt);
      assert.equal(await s.exports.file(ID.orgA, other), undefined);
    });

    test('exports: overdue jobs fail as timed_out; the oldest pending job’s age', async () => {
      const s = await fresh();
      const fixturePending = Date.parse('2026-03-01T00:00:00Z');
      assert.equal(await s.exports.oldestPendingMs(), fixturePending);
      const recent = randomUUID();
      await s.exports.create({ id: recent, organizationId: ID.orgA, lessonId: ID.lessonA, cacheKey: null, createdAt: NOW, runsHere: true });
      assert.equal(await s.exports.failOverdue('timed out', NOW, '2026-05-01T00:00:00.000Z'), 1);
      assert.equal(await s.exports.oldestPendingMs(), Date.parse(NOW));
      const outcome = await s.exports.outcomes([{ lessonId: ID.lessonA2, cacheKey: 'elsewhere' }], []);
      assert.deepEqual(outcome, [
        {
          lessonId: ID.lessonA2,
          cacheKey: 'elsewhere',
          id: ID.jobPendingElsewhere,
          status: 'failed',
          costCents: null,
          model: null,
          error: 'timed out',
          errorCode: 'timed_out',
        },
      ]);
      assert.equal(await s.exports.failOverdue('timed out', NOW, NOW), 1, 'created at the cutoff counts');
      assert.equal(await s.exports.oldestPendingMs(), null);
    });

    test('exports: one outcomes query answers every watched key, and names unrecorded failures', async () => {
      const s = await fresh();
      const pending = randomUUID();
      await s.exports.create({
        id: pending,
        organizationId: ID.orgA,
        lessonId: ID.lessonA,
        cacheKey: null,
        createdAt: NOW,
        runsHere: true,
      });
      const keys = [
        { lessonId: ID.lessonDone, cacheKey: 'v1' },
        { lessonId: ID.lessonFailed, cacheKey: null },
        { lessonId: ID.lessonA, cacheKey: null },
        { lessonId: ID.lessonDone, cacheKey: 'old' },
        { lessonId: ID.lessonB, cacheKey: 'nothing' },
      ];
      const byLesson = (rows: { lessonId: string }[]) => [...rows].sort((a, b) => a.lessonId.localeCompare(b.lessonId));
      assert.deepEqual(byLesson(await s.exports.outcomes(keys, [])), [
        {
          lessonId: ID.lessonFailed,
          cacheKey: null,
          id: ID.jobFailed,
          status: 'failed',
          costCents: null,
          model: null,
          error: 'The renderer ran out of memory.',
          errorCode: null,
        },
        {
          lessonId: ID.lessonDone,
          cacheKey: 'v1',
          id: ID.jobDone,
          status: 'completed',
          costCents: 42,
          model: 'fixture-model',
          error: null,
          errorCode: null,
        },
      ]);
      const unrecorded = await s.exports.outcomes([{ lessonId: ID.lessonA, cacheKey: null }], [pending]);
      assert.equal(unrecorded.length, 1);
      assert.equal(unrecorded[0]!.status, 'pending');
      assert.deepEqual(await s.exports.outcomes([], []), []);
    });

    test('transactions: commit together, roll back together on error, unseen by others until the commit, nest', async () => {
      const s = await fresh();
      const session = (tokenHash: string) => ({
        tokenHash,
        userId: ID.userA,
        activeOrganizationId: ID.orgA,
        createdAt: NOW,
        expiresAt: '2026-06-02T00:00:00.000Z',
      });
      const purge = { now: '2000-01-01T00:00:00.000Z', createdBefore: '2000-01-01T00:00:00.000Z' };
      const find = (h: string) => s.sessions.find(h, NOW, '2000-01-01T00:00:00.000Z');

      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.sessions.create(session('rolled-back'), purge);
          await tx.exports.create({
            id: randomUUID(),
            organizationId: ID.orgA,
            lessonId: ID.lessonA,
            cacheKey: 'tx',
            createdAt: NOW,
            runsHere: true,
          });
          assert.ok(await tx.sessions.find('rolled-back', NOW, '2000-01-01T00:00:00.000Z'), 'the transaction sees its own write');
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await find('rolled-back'), undefined);
      assert.deepEqual(await s.exports.interrupted(), []);

      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inside!: () => void;
      const entered = new Promise<void>((r) => (inside = r));
      const committing = s.transaction(async (tx) => {
        await tx.sessions.create(session('committed'), purge);
        inside();
        await held;
        // A nested transaction that fails takes only its own writes with it.
        await assert.rejects(
          tx.transaction(async (inner) => {
            await inner.sessions.create(session('nested'), purge);
            throw new Error('inner');
          }),
        );
        return 'done';
      });
      await entered;
      // Another caller meanwhile: PostgreSQL answers from the last committed state; SQLite's one connection makes it wait for the commit.
      if (engine.name === 'postgres') {
        assert.equal(await find('committed'), undefined, 'read committed: not yet visible');
        release();
      } else {
        let answered = false;
        const outside = find('committed').finally(() => (answered = true));
        await new Promise((r) => setTimeout(r, 50));
        const waited = !answered;
        release();
        assert.ok(waited, 'waits at the gate while the transaction is open');
        assert.ok(await outside, 'and then sees the committed write');
      }
      assert.equal(await committing, 'done');
      assert.ok(await find('committed'));
      assert.equal(await find('nested'), undefined);
    });

    test('changes: the version moves with each committed write, not with reads or rolled-back writes', async () => {
      const s = await fresh();
      const v1 = await s.changes.version();
      await s.pickers.specializations(ID.orgA);
      assert.equal(await s.changes.version(), v1, 'a read changes nothing');
      await engine.exec(s, `UPDATE trainings SET title = ${engine.param(1)} WHERE id = ${engine.param(2)}`, [
        'apple (renamed)',
        ID.trainingApple,
      ]);
      const v2 = await s.changes.version();
      assert.notEqual(v2, v1, 'a write past the interface moves it too');
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.sessions.remove('whatever');
          await tx.exports.create({
            id: randomUUID(),
            organizationId: ID.orgA,
            lessonId: ID.lessonA,
            cacheKey: null,
            createdAt: NOW,
            runsHere: true,
          });
          throw new Error('no');
        }),
      );
      if (engine.name === 'postgres') assert.equal(await s.changes.version(), v2, 'a rolled-back write leaves it');
      await s.exports.create({
        id: randomUUID(),
        organizationId: ID.orgA,
        lessonId: ID.lessonA,
        cacheKey: null,
        createdAt: NOW,
        runsHere: true,
      });
      assert.notEqual(await s.changes.version(), v2);
    });

    test('changes: listeners hear export ends and data changes of this storage', async () => {
      const s = await fresh();
      const ended: (string | undefined)[] = [];
      let changed = 0;
      const offEnded = s.changes.onExportEnded((id) => ended.push(id));
      const offChanged = s.changes.onDataChanged(() => changed++);
      const id = randomUUID();
      await s.exports.create({ id, organizationId: ID.orgA, lessonId: ID.lessonA, cacheKey: null, createdAt: NOW, runsHere: true });
      await s.exports.complete(id, { costCents: 1, model: 'm', completedAt: NOW, fileName: 'f.pptx', bytes: Buffer.from('x') });
      await eventually(() => ended.includes(id), 5000, 'the completion heard');
      await s.exports.failOverdue('late', NOW, NOW);
      await eventually(() => ended.includes(ID.jobPendingElsewhere), 5000, 'the timed-out job heard');
      await eventually(() => changed > 0, 5000, 'a data change heard');
      offEnded();
      offChanged();
    });

    test('rate limiter: counts are in the database, shared by every storage on it', async () => {
      const place = await engine.place();
      const a = await engine.open(place);
      const b = await engine.open(place);
      opened.push(a.storage, b.storage);
      const options = { keyPrefix: 'signin_test', points: 2, duration: 60 };
      const [onA, onB] = [await a.storage.rateLimiter(options), await b.storage.rateLimiter(options)];
      await onA.consume('ada@example.com');
      await onA.consume('ada@example.com');
      assert.equal((await onB.get('ada@example.com'))?.consumedPoints, 2);
      await assert.rejects(onB.consume('ada@example.com'), 'over the limit on the other instance');
      await onB.delete('ada@example.com');
      assert.equal(await onA.get('ada@example.com'), null);
    });

    test('fixture loader: a fixture that breaks a rule is refused by name and the database stays empty; the demo data loads', async () => {
      const place = await engine.place();
      const { storage } = await engine.open(place);
      opened.push(storage);
      const broken = serverFixture();
      broken.trainings![0]!.specializationId = ID.specB;
      await assert.rejects(loadFixtureInto(storage, broken), (error: unknown) => {
        assert.ok(error instanceof FixtureError);
        assert.match(
          error.message,
          /trainings\[0\] \(id 30000000-0000-4000-8000-000000000003\)\.specializationId: belongs to another organization/,
        );
        return true;
      });
      assert.deepEqual(await storage.lessons.list(ID.orgA), []);
      // PostgreSQL cannot store U+0000: refused on both engines, by name, before anything is written.
      const nul = serverFixture();
      nul.trainings![1]!.tags[1] = 'bad\u0000tag';
      await assert.rejects(loadFixtureInto(storage, nul), (error: unknown) => {
        assert.ok(error instanceof FixtureError);
        assert.equal(error.message, 'trainings[1].tags[1]: must not contain the character U+0000');
        return true;
      });
      await loadFixtureInto(storage, demoFixture());
      const acme = (await storage.users.byEmail('ada@acme.example'))!.activeOrganizationId!;
      assert.equal((await storage.pickers.specializations(acme)).length, 10);
    });

    if (engine.name === 'postgres') {
      test('postgres: another instance hears a completion at once (NOTIFY), and listens again after its connection is cut', async () => {
        const place = await engine.place();
        const a = (await openPostgresStorage(place, { seed: (tx) => tx.importFixture(prepared) })).storage;
        const b = (await openPostgresStorage(place)).storage;
        opened.push(a, b);
        const heard: (string | undefined)[] = [];
        let changed = 0;
        b.changes.onExportEnded((id) => heard.push(id));
        b.changes.onDataChanged(() => changed++);
        const complete = async () => {
          const id = randomUUID();
          await a.exports.create({ id, organizationId: ID.orgA, lessonId: ID.lessonA, cacheKey: null, createdAt: NOW, runsHere: true });
          await a.exports.complete(id, { costCents: 1, model: 'm', completedAt: NOW, fileName: 'f.pptx', bytes: Buffer.from('x') });
          return id;
        };
        const first = await complete();
        await eventually(() => heard.includes(first), 5000, 'B hearing A’s completion');
        assert.ok(changed > 0, 'nor its data change');

        // Both instances' LISTEN connections are cut; B's comes back and says it may have missed something.
        assert.ok((await server.terminateBackends('pos-listen')) >= 2);
        await eventually(() => b.listenReconnects === 1 && heard.includes(undefined), 5000, 'B listening again');
        const second = await complete();
        await eventually(() => heard.includes(second), 5000, 'B hearing a completion after reconnecting');
      });

      test('postgres: instances opening a new database at once take turns: one migrates and seeds, the others find it ready', async () => {
        const place = await engine.place();
        let seeded = 0;
        const seed = async (tx: Storage) => {
          seeded++;
          await tx.importFixture(prepared);
        };
        const all = await Promise.all([1, 2, 3].map(() => openPostgresStorage(place, { seed })));
        opened.push(...all.map((o) => o.storage));
        assert.deepEqual(all.map((o) => o.isNew).sort(), [false, false, true]);
        assert.equal(seeded, 1);
        for (const { storage } of all) assert.equal((await storage.lessons.list(ID.orgA)).length, 4);
      });

      test('postgres: instances making the sign-in limiter at once take turns creating its tables (two at once failed one with 42P07)', async () => {
        const place = await engine.place();
        const all = await Promise.all([1, 2, 3, 4, 5, 6].map(() => openPostgresStorage(place)));
        opened.push(...all.map((o) => o.storage));
        for (let round = 0; round < 20; round++) {
          const keyPrefix = `race_${round}`;
          const limiters = await Promise.all(all.map(({ storage }) => storage.rateLimiter({ keyPrefix, points: 2, duration: 60 })));
          await Promise.all(limiters.map((limiter) => limiter.consume('someone').catch(() => {})));
          await assert.rejects(limiters[0]!.consume('someone'), 'the instances count in one table: 6 of 2 points spent');
        }
      });

      test('postgres: the data version is one row a trigger bumps once per transaction, whatever the number of rows', async () => {
        const s = await fresh();
        const v1 = Number(await s.changes.version());
        await (s as PostgresStorage).pool.query('UPDATE trainings SET description = description');
        assert.equal(Number(await s.changes.version()), v1 + 1, 'five rows, one transaction: one step');
      });
    }
  });
}

test('both engines give identical answers for the same data (the server fixture and the demo data)', async () => {
  const answers = async (engine: Engine, data: PreparedFixture) => {
    const { storage } = await engine.open(await engine.place(), { seed: (tx) => tx.importFixture(data) });
    opened.push(storage);
    const out: Record<string, unknown> = {};
    for (const org of data.fixture.organizations) {
      out[`specializations ${org.id}`] = await storage.pickers.specializations(org.id);
      out[`trainings ${org.id}`] = await storage.pickers.trainings(org.id);
      out[`tags ${org.id}`] = await storage.pickers.trainingTags(org.id);
      out[`stages ${org.id}`] = await storage.pickers.partnerStages(org.id);
      out[`lessons ${org.id}`] = await storage.lessons.list(org.id);
      for (const lesson of data.fixture.lessons) out[`lesson ${org.id} ${lesson.id}`] = await storage.lessons.forExport(org.id, lesson.id);
    }
    for (const user of data.fixture.users) {
      const found = await storage.users.byEmail(user.email.toUpperCase());
      out[`user ${user.email}`] = found && {
        ...found,
        passwordHash: found.passwordHash === data.passwordHashes[data.fixture.users.indexOf(user)],
      };
      out[`organizations ${user.email}`] = await storage.users.organizations(user.id);
    }
    for (const job of data.fixture.exports) {
      out[`job ${job.id}`] = await storage.exports.get(job.id);
      out[`hit ${job.id}`] = await storage.exports.completedFor(job.lessonId, job.cacheKey);
      out[`file ${job.id}`] = await storage.exports.file(job.organizationId, job.id);
    }
    out.interrupted = await storage.exports.interrupted();
    out.oldest = await storage.exports.oldestPendingMs();
    return out;
  };
  for (const data of [prepared, preparedDemo]) {
    const [sqlite, postgres] = [await answers(ENGINES[0]!, data), await answers(ENGINES[1]!, data)];
    assert.deepEqual(postgres, sqlite);
  }
});
