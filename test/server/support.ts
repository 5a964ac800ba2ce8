import assert from 'node:assert/strict';
import { createApp, type AppOptions } from '../../server/app.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { loadFixture, type FixtureInput } from '../../server/db/fixture.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { PASSWORD, serverFixture } from '../fixtures/server-fixture.js';

export const testConfig = (overrides: Partial<ServerConfig> = {}): ServerConfig => ({
  ...DEFAULT_CONFIG,
  db: ':memory:',
  port: 0,
  ssePollMs: 50,
  sseHeartbeatMs: 100,
  sseTimeoutMs: 2000,
  ...overrides,
});

/** The app in-process (`app.request`, no network) over an in-memory database. */
export async function createTestApp(
  overrides: Partial<ServerConfig> = {},
  options: Omit<AppOptions, 'db' | 'config'> = {},
  fixture: FixtureInput = serverFixture(),
) {
  const config = testConfig(overrides);
  const { db } = openDatabase(':memory:');
  await loadFixture(db, fixture);
  const reference = await createApp({ db, config, ...options });
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

  return { ...reference, db, config, signIn, get, post, close: () => (reference.watcher.stop(), db.close()) };
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
): Promise<RunningServer & { signIn(email: string): Promise<string> }> {
  const running = await startServer(testConfig(overrides), { fixture: serverFixture(), ...options });
  return {
    ...running,
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

/** Polls `condition` until true (rejects after `ms`): for state that settles asynchronously. */
export async function eventually(condition: () => boolean | Promise<boolean>, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
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
