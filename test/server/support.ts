import assert from 'node:assert/strict';
import { createApp, type AppOptions } from '../../server/app.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config.js';
import type { FixtureInput } from '../../server/db/fixture.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { prepareFixture } from '../../server/storage/fixture-loader.js';
import { openStorage } from '../../server/storage/open.js';
import type { PostgresStorage } from '../../server/storage/postgres.js';
import type { SqliteStorage } from '../../server/storage/sqlite.js';
import type { PreparedFixture, Storage } from '../../server/storage/storage.js';
import { PASSWORD, serverFixture } from '../fixtures/server-fixture.js';
import { freshDatabase } from '../support/postgres.js';

export { eventually } from '../support/waiting.js';

/**
 * The engine the server tests run on: SQLite unless POS_TEST_ENGINE=postgres
 * (`npm run test:server:postgres`), then each test app or server gets a new
 * database on one throwaway PostgreSQL server (test/support/postgres.ts).
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.POS_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_ENGINE === 'postgres';
/** For `test(name, { skip: onlyOn('sqlite', why) }, …)`: a test about one engine's own behaviour. */
export const onlyOn = (engine: 'sqlite' | 'postgres', why: string) => (TEST_ENGINE === engine ? false : `${engine} only: ${why}`);

/** On PostgreSQL, the database standing for each SQLite file a test names: a server restarted on the same file finds its data. */
const databaseFor = new Map<string, Promise<string>>();

/**
 * The config's storage on the test engine: SQLite as given (`:memory:`, or a
 * test's file); on PostgreSQL a new database for `:memory:`, the same one
 * again for a file named before.
 */
export async function onTestEngine(config: ServerConfig): Promise<ServerConfig> {
  if (!onPostgres || config.databaseUrl) return config;
  let url = config.db === ':memory:' ? freshDatabase() : databaseFor.get(config.db);
  if (!url) databaseFor.set(config.db, (url = freshDatabase()));
  return { ...config, databaseUrl: await url };
}

/** Fixtures prepared once per test process (password hashing, decks): most test apps load the same one. */
const prepared = new Map<FixtureInput, Promise<PreparedFixture>>();
const defaultFixture = serverFixture();
const preparedFor = (fixture: FixtureInput) => {
  let p = prepared.get(fixture);
  if (!p) prepared.set(fixture, (p = prepareFixture(fixture)));
  return p;
};

/**
 * Raw SQL past the storage interface, on either engine: for setting up what no
 * method writes, and for reading what the API does not show. `?` placeholders
 * (made `$1`, `$2`… on PostgreSQL); returns the rows.
 */
export async function sql<R = Record<string, unknown>>(storage: Storage, text: string, ...params: unknown[]): Promise<R[]> {
  if (storage.engine === 'sqlite') {
    const statement = (storage as SqliteStorage).db.prepare(text);
    return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as R[];
  }
  let n = 0;
  return (
    await (storage as PostgresStorage).pool.query(
      text.replace(/\?/g, () => `$${++n}`),
      params,
    )
  ).rows as R[];
}

/** The first column of the first row of `sql` (undefined when there is none). */
export async function sqlValue<V = unknown>(storage: Storage, text: string, ...params: unknown[]): Promise<V> {
  const [row] = await sql(storage, text, ...params);
  return (row ? Object.values(row)[0] : undefined) as V;
}

/**
 * `sql` through a connection of its own to the database at `location` (a
 * server's `location`), opened and closed around it: another process's write.
 */
export async function sqlElsewhere<R = Record<string, unknown>>(location: string, text: string, ...params: unknown[]): Promise<R[]> {
  const { storage } = await openStorage(location);
  try {
    return await sql<R>(storage, text, ...params);
  } finally {
    await storage.close();
  }
}

/** The SQLite connection itself, for tests about SQLite only (pragmas, WAL). */
export const sqliteOf = (storage: Storage) => (storage as SqliteStorage).db;

export const testConfig = (overrides: Partial<ServerConfig> = {}): ServerConfig => ({
  ...DEFAULT_CONFIG,
  db: ':memory:',
  port: 0,
  ssePollMs: 50,
  sseHeartbeatMs: 100,
  sseTimeoutMs: 2000,
  ...overrides,
});

/** The app in-process (`app.request`, no network) over a new database: in memory, or a fresh one on PostgreSQL. */
export async function createTestApp(
  overrides: Partial<ServerConfig> = {},
  options: Omit<AppOptions, 'storage' | 'config'> = {},
  fixture: FixtureInput = defaultFixture,
) {
  const config = await onTestEngine(testConfig(overrides));
  const { storage } = await openStorage(config.databaseUrl ?? config.db, {
    seed: async (tx) => tx.importFixture(await preparedFor(fixture)),
  });
  const reference = await createApp({ storage, config, ...options });
  const { app } = reference;

  /** Signs in and returns the `Cookie` header value for later requests. */
  async function signIn(email: string, password = PASSWORD): Promise<string> {
    const response = await app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    return cookieFrom(response);
  }

  const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { ...(cookie ? { cookie } : {}), ...headers } });

  const post = (path: string, body: unknown, cookie?: string) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  return {
    ...reference,
    config,
    signIn,
    get,
    post,
    sql: (text: string, ...params: unknown[]) => sql(storage, text, ...params),
    sqlValue: <V = unknown>(text: string, ...params: unknown[]) => sqlValue<V>(storage, text, ...params),
    close: async () => {
      await reference.close();
      await storage.close();
    },
  };
}

export function cookieFrom(response: Response): string {
  const setCookie = response.headers.get('set-cookie') ?? '';
  const match = /session_token=([^;]*)/.exec(setCookie);
  if (!match) throw new Error(`no session cookie in ${setCookie}`);
  return `session_token=${match[1]}`;
}

/** The real server on 127.0.0.1 and a free port, for the stream. */
export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  options: Parameters<typeof startServer>[1] = {},
): Promise<
  RunningServer & {
    signIn(email: string): Promise<string>;
    sql(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
    sqlValue<V = unknown>(text: string, ...params: unknown[]): Promise<V>;
    /** Where its data is: the SQLite file or the PostgreSQL URL (for sqlElsewhere, or a second server). */
    location: string;
  }
> {
  const config = await onTestEngine(testConfig(overrides));
  const running = await startServer(config, { fixture: serverFixture(), ...options });
  return {
    ...running,
    location: config.databaseUrl ?? config.db,
    sql: (text, ...params) => sql(running.storage, text, ...params),
    sqlValue: (text, ...params) => sqlValue(running.storage, text, ...params),
    async signIn(email: string) {
      const response = await fetch(`${running.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
      return cookieFrom(response);
    },
  };
}

/** An SSE connection read as raw text, so tests assert the exact wire format. */
/** The job's deck downloads from the server at `url`: 200, and a ZIP (a PPTX) body. */
export async function assertDeckDownloads(url: string, jobId: string, cookie: string, message?: string): Promise<void> {
  const file = await fetch(`${url}/api/exports/pptx/files/${jobId}.pptx`, { headers: { cookie } });
  assert.equal(file.status, 200, message);
  assert.equal(
    Buffer.from(await file.arrayBuffer())
      .subarray(0, 2)
      .toString(),
    'PK',
    message,
  );
}

export interface StreamReader {
  response: Response;
  text: string;
  /** Resolves once the text received so far satisfies `test` (rejects after `ms`). */
  waitFor(test: string | RegExp | ((text: string) => boolean), ms?: number): Promise<string>;
  /** Resolves when the server ends the stream. */
  ended: Promise<string>;
  close(): void;
}

export async function openStream(url: string, cookie?: string): Promise<StreamReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: cookie ? { cookie } : {}, signal: controller.signal });
  const waiters = new Set<() => void>();
  const reader: StreamReader = {
    response,
    text: '',
    ended: Promise.resolve(''),
    waitFor(test, ms = 3000) {
      const matches = () =>
        typeof test === 'string' ? reader.text.includes(test) : test instanceof RegExp ? test.test(reader.text) : test(reader.text);
      return new Promise((resolve, reject) => {
        if (matches()) return resolve(reader.text);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stream did not show ${String(test)} within ${ms} ms; got:\n${reader.text}`));
        }, ms);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(reader.text);
        };
        waiters.add(check);
      });
    },
    close: () => controller.abort(),
  };
  reader.ended = (async () => {
    if (!response.body) return reader.text;
    const decoder = new TextDecoder();
    const body = response.body.getReader();
    try {
      for (let chunk = await body.read(); !chunk.done; chunk = await body.read()) {
        reader.text += decoder.decode(chunk.value, { stream: true });
        for (const waiter of [...waiters]) waiter();
      }
    } catch {
      // aborted by close()
    }
    return reader.text;
  })();
  return reader;
}

/** The payload of an HTTP/1.1 chunked body, which must end with the last-chunk marker. */
export function decodeChunked(wire: string): string {
  let payload = '';
  for (let at = 0; ;) {
    const lineEnd = wire.indexOf('\r\n', at);
    assert.ok(lineEnd >= 0, `the body ends without its last chunk after ${JSON.stringify(payload)}`);
    const size = parseInt(wire.slice(at, lineEnd), 16);
    assert.ok(Number.isInteger(size), `chunk size at ${at}: ${JSON.stringify(wire.slice(at, at + 20))}`);
    if (size === 0) {
      assert.equal(wire.slice(lineEnd), '\r\n\r\n', 'nothing after the last-chunk marker');
      return payload;
    }
    payload += wire.slice(lineEnd + 2, lineEnd + 2 + size);
    assert.equal(wire.slice(lineEnd + 2 + size, lineEnd + 4 + size), '\r\n');
    at = lineEnd + 4 + size;
  }
}
