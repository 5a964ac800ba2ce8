import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from '../../server/config.js';
import { demoFixture } from '../../server/db/demo-data.js';
import { FixtureError, parseFixture } from '../../server/db/fixture.js';
import { SCHEMA_VERSION } from '../../server/db/schema.js';
import { loadFixtureInto } from '../../server/storage/fixture-loader.js';
import { openStorage } from '../../server/storage/open.js';
import { openSqliteStorage } from '../../server/storage/sqlite.js';
import { EMAIL, ID, serverFixture } from '../fixtures/server-fixture.js';
import { createTestApp, onlyOn, onTestEngine, sqlValue, testConfig } from './support.js';

describe('settings', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({}, []);
    assert.deepEqual(
      [
        config.port,
        config.host,
        config.db,
        config.fixture,
        config.corsOrigins,
        config.ssePollMs,
        config.sseHeartbeatMs,
        config.sseTimeoutMs,
      ],
      [8787, '127.0.0.1', 'data/partneros.sqlite', undefined, [], 1500, 15000, 300000],
    );
    assert.deepEqual(config, DEFAULT_CONFIG);
  });

  it('reads the environment, and CLI flags win over it', () => {
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '0.0.0.0',
        POS_DB: ':memory:',
        POS_FIXTURE: 'f.json',
        POS_CORS_ORIGINS: 'http://a.example, https://b.example:8443',
        POS_SSE_POLL_MS: '200',
        POS_SSE_HEARTBEAT_MS: '300',
        POS_SSE_TIMEOUT_MS: '4000',
        POS_EXPORT_CONCURRENCY: '3',
      },
      ['--port', '9000'],
    );
    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.db, ':memory:');
    assert.equal(config.fixture, 'f.json');
    assert.deepEqual(config.corsOrigins, ['http://a.example', 'https://b.example:8443']);
    assert.deepEqual([config.ssePollMs, config.sseHeartbeatMs, config.sseTimeoutMs, config.exportConcurrency], [200, 300, 4000, 3]);
  });

  it('refuses unusable values with a message naming the setting', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }, []),
      (e: Error) => e instanceof ConfigError && /PORT must be a whole number/.test(e.message),
    );
    assert.throws(() => loadConfig({ POS_SSE_POLL_MS: '0' }, []), /POS_SSE_POLL_MS must be a whole number ≥ 1/);
    assert.throws(() => loadConfig({ POS_CORS_ORIGINS: 'http://a.example/path' }, []), /POS_CORS_ORIGINS entries must be origins/);
    assert.throws(() => loadConfig({}, ['--nope']), /Unknown option/);
  });

  it('runs on PostgreSQL with POS_DATABASE_URL or --database-url, on SQLite without; any other URL is refused', () => {
    assert.equal(loadConfig({}, []).databaseUrl, undefined);
    const url = 'postgres://pos@127.0.0.1:5432/pos';
    assert.equal(loadConfig({ POS_DATABASE_URL: url }, []).databaseUrl, url);
    assert.equal(
      loadConfig({ POS_DATABASE_URL: 'postgres://x/y' }, ['--database-url', 'postgresql://a/b']).databaseUrl,
      'postgresql://a/b',
    );
    assert.throws(
      () => loadConfig({ POS_DATABASE_URL: 'mysql://root:secret@db/pos' }, []),
      (e: Error) =>
        e instanceof ConfigError &&
        /POS_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/.test(e.message) &&
        !e.message.includes('secret'),
    );
    assert.throws(() => loadConfig({}, ['--database-url', 'data/x.sqlite']), /--database-url must be a postgres/);
  });
});

const sqliteOnly = { skip: onlyOn('sqlite', 'a SQLite file and its pragmas (PostgreSQL: storage-contract.test.ts)') };

describe('database', () => {
  it('is created with the current schema version, WAL and foreign keys on', sqliteOnly, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-db-'));
    const { storage, isNew } = await openSqliteStorage(join(dir, 'x.sqlite'));
    assert.equal(isNew, true);
    assert.equal(storage.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(storage.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(storage.db.pragma('foreign_keys', { simple: true }), 1);
    await storage.close();
    const again = await openSqliteStorage(join(dir, 'x.sqlite'));
    assert.equal(again.isNew, false, 'an existing file is not re-seeded');
    await again.storage.close();
  });

  it('refuses a file from a newer release', sqliteOnly, async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pos-db-')), 'future.sqlite');
    const { storage } = await openSqliteStorage(path);
    storage.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    await storage.close();
    await assert.rejects(openSqliteStorage(path), /newer than this server's/);
  });
});

describe('fixture', () => {
  const broken = (mutate: (f: any) => void) => {
    const f = serverFixture();
    mutate(f);
    return f;
  };

  for (const [what, mutate, message] of [
    [
      'an id that is not a lowercase UUID',
      (f: any) => (f.trainings[1].id = 'ABC'),
      /^trainings\[1\] \(id ABC\)\.id: must be a lowercase UUID$/,
    ],
    ['a missing field', (f: any) => delete f.specializations[2].title, /^specializations\[2\] \(id 2[\d-]+4\)\.title: /],
    ['an unknown field', (f: any) => (f.lessons[0].colour = 'red'), /^lessons\[0\] \(id [\d-]+\): Unrecognized key/],
    [
      'an unknown organization',
      (f: any) => (f.trainings[0].organizationId = ID.lessonA),
      /^trainings\[0\] \(id 3[\d-]+\)\.organizationId: unknown organization/,
    ],
    [
      'a specialization of another organization',
      (f: any) => (f.trainings[0].specializationId = ID.specB),
      /trainings\[0\].*\.specializationId: belongs to another organization/,
    ],
    ['a duplicate id', (f: any) => (f.trainings[1].id = f.trainings[0].id), /^trainings\[1\] .*\.id: duplicate id/],
    ['a duplicate email', (f: any) => (f.users[1].email = f.users[0].email.toUpperCase()), /^users\[1\] .*\.email: duplicate email/],
    [
      'an active organization the user is not in',
      (f: any) => (f.users[0].activeOrganizationId = ID.orgB),
      /^users\[0\] .*\.activeOrganizationId: must be one of/,
    ],
    [
      'a failed export without its error',
      (f: any) => delete f.exports[0].error,
      /^exports\[0\] .*\.error: is required when status is "failed"$/,
    ],
    ['a bad timestamp', (f: any) => (f.lessons[0].updatedAt = 'yesterday'), /^lessons\[0\] .*\.updatedAt: must be an ISO 8601 date-time$/],
  ] as const) {
    it(`is refused for ${what}, naming the record and the field`, () => {
      assert.throws(
        () => parseFixture(broken(mutate as any)),
        (e: Error) => e instanceof FixtureError && (message as RegExp).test(e.message),
      );
    });
  }

  it('loads nothing at all when it is refused', async () => {
    const config = await onTestEngine(testConfig());
    const { storage } = await openStorage(config.databaseUrl ?? config.db);
    await assert.rejects(
      loadFixtureInto(
        storage,
        broken((f) => (f.exports[3].lessonId = ID.lessonB)),
      ),
      /exports\[3\].*lessonId: belongs to another organization/,
    );
    assert.equal(await sqlValue(storage, 'SELECT count(*) AS n FROM organizations'), 0);
    await storage.close();
  });

  it('the demo data is a valid fixture with two organizations, drafts and a user in both', () => {
    const f = parseFixture(demoFixture());
    assert.equal(f.organizations.length, 2);
    assert.ok(f.specializations.length >= 12 && f.trainings.length >= 30);
    assert.ok(f.trainings.some((t) => !t.isPublished) && f.specializations.some((s) => !s.isPublished));
    assert.ok(f.users.some((u) => u.organizationIds.length === 2));
    assert.ok(f.lessons.every((l) => l.sections.length > 0));
  });

  it('stops `npm run serve` with the message when the fixture is bad, and nothing is half-loaded', sqliteOnly, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-fixture-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(broken((f) => (f.trainings[0].durationMinutes = -5))));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: '0', POS_DB: join(dir, 'db.sqlite'), POS_FIXTURE: path },
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /cannot start: trainings\[0\] \(id 3[\d-]+\)\.durationMinutes: /);
    // The seed runs in the transaction that creates the schema: nothing at all is left, and the next start begins afresh.
    const { storage, isNew } = await openSqliteStorage(join(dir, 'db.sqlite'));
    await storage.close();
    assert.equal(isNew, true);
  });
});

describe('server errors', () => {
  it('answer 500 internal_error with a fixed sentence: no stack, no SQL', async () => {
    const t = await createTestApp();
    const cookie = await t.signIn(EMAIL.a);
    await t.sql('DROP TABLE trainings');
    const originalError = console.error;
    console.error = () => {};
    try {
      const response = await t.get('/api/workflow-pickers/trainings', cookie);
      assert.equal(response.status, 500);
      const body = await response.text();
      assert.deepEqual(JSON.parse(body), { error: 'Something went wrong on the server. Try again later.', code: 'internal_error' });
      assert.doesNotMatch(body, /trainings|SELECT|sqlite|at /i);
    } finally {
      console.error = originalError;
      t.close();
    }
  });

  it('GET /healthz needs no session', async () => {
    const t = await createTestApp();
    const response = await t.get('/healthz');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      ok: true,
      pid: process.pid,
      openStreams: 0,
      watchedExports: 0,
      pollChecks: 0,
      cachedAnswers: 0,
    });
    t.close();
  });
});

describe('request bodies', () => {
  it('over POS_MAX_BODY_BYTES are refused with 413 payload_too_large', async () => {
    const t = await createTestApp({ maxBodyBytes: 1024 });
    const response = await t.post('/api/auth/sign-in/email', { email: 'x'.repeat(2000), password: 'y' });
    assert.equal(response.status, 413);
    assert.deepEqual(await response.json(), { error: 'The request body is larger than 1024 bytes.', code: 'payload_too_large' });
    t.close();
  });
});
