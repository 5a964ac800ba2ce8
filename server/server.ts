import { getRequestListener } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions, type ReferenceServer } from './app.js';
import type { ServerConfig } from './config.js';
import { demoFixture } from './db/demo-data.js';
import type { FixtureInput } from './db/fixture.js';
import { prepareFixture } from './storage/fixture-loader.js';
import { openStorage } from './storage/open.js';
import { createNodeServer, type NodeListener } from './tls.js';

export interface RunningServer extends Omit<ReferenceServer, 'close'> {
  /** node:http, or node:http2's secure server (HTTP/2 and HTTP/1.1 over TLS) with POS_TLS_CERT/POS_TLS_KEY. */
  server: Server | Http2SecureServer;
  url: string;
  /** Whether the database was created (and seeded) by this start. */
  seeded: boolean;
  /** Exports a killed earlier run had accepted and this start generates again. */
  resumed: number;
  /**
   * Graceful shutdown: stop accepting connections, end open streams with an
   * `error` event coded `server_restarting` (clients reconnect), let running
   * exports finish for up to `graceMs` (what is left resumes at the next start),
   * then close every connection and the storage.
   */
  close(graceMs?: number): Promise<void>;
}

export interface StartOptions extends Omit<AppOptions, 'storage' | 'config'> {
  /** Seed a new database with this fixture instead of `config.fixture` or the demo data. */
  fixture?: FixtureInput;
  /** Called with every SQL statement run, on either engine (query counting in tests and benchmarks). */
  onStatement?: (sql: string) => void;
  /**
   * Generate again the exports a killed run left pending (default true). A
   * cluster's later workers start with false: the first one resumes them, once.
   */
  resume?: boolean;
  /** Told when an export joins this process's own queue and leaves it (ExportService#onQueued), from before the resume on. */
  onExportQueued?: (jobId: string, queued: boolean) => void;
}

/**
 * The last line of defence for `npm run serve`; nothing may depend on it (every
 * background task handles its own failures, and the tests run without it).
 *
 * - An unhandled rejection is logged and the server keeps serving: it is one
 *   async task that failed with nobody awaiting it, and whatever it left
 *   half-done is its own (as with any error a handler catches); the event loop
 *   and every other request are unaffected, and exiting would drop every open
 *   stream for one lost task.
 * - An uncaught exception is logged and the process exits with 1: it was
 *   thrown through code that did not expect it, which may have stopped halfway
 *   (a counter not decremented, a timer not cleared), and Node documents the
 *   process as being in an undefined state. The supervisor restarts it; SQLite
 *   (WAL, every write in a transaction) survives the exit, and unfinished
 *   exports resume at the next start.
 *
 * Installed by main.ts, not by startServer(): a library that embeds the server
 * (or a test that starts several) keeps its own process policy.
 */
export function guardProcess(): void {
  process.on('unhandledRejection', (reason) => {
    console.error('unhandled rejection (a bug: the server keeps serving):', reason);
  });
  process.on('uncaughtException', (error, origin) => {
    console.error(`uncaught exception (${origin}); exiting, as the process state is unknown:`, error);
    process.exit(1);
  });
}

/**
 * Opens the storage (PostgreSQL at `databaseUrl`, else SQLite at `db`), seeding
 * a new database with the fixture, or the demo data, in the transaction that
 * creates its schema: instances starting together never see it empty.
 */
export async function startServer(
  config: ServerConfig,
  { fixture, onStatement, resume = true, onExportQueued, ...options }: StartOptions = {},
): Promise<RunningServer> {
  const { storage, isNew } = await openStorage(config.databaseUrl ?? config.db, {
    onStatement,
    seed: async (tx) => {
      const data = fixture ?? (config.fixture ? JSON.parse(await readFile(config.fixture, 'utf8')) : demoFixture());
      await tx.importFixture(await prepareFixture(data));
    },
  });
  let reference: ReferenceServer;
  let resumed: number;
  try {
    reference = await createApp({ storage, config, ...options });
    await reference.exports.start();
    reference.exports.onQueued = onExportQueued;
    resumed = resume ? await reference.exports.resumeInterrupted() : 0;
  } catch (error) {
    await storage.close();
    throw error;
  }
  const node = await new Promise<ReturnType<typeof createNodeServer>>((resolve, reject) => {
    // What serve() does: every response goes through the app (over HTTP/2 too, with POS_TLS_CERT/POS_TLS_KEY).
    const n = createNodeServer(config, getRequestListener(reference.app.fetch) as NodeListener);
    n.server.listen(config.port, config.host, () => resolve(n));
    n.server.once('error', reject);
  });
  const { server } = node;
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    ...reference,
    server,
    url: `${node.protocol}//${host}:${port}`,
    seeded: isNew,
    resumed,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      node.closeIdleConnections();
      reference.watcher.shutDown({ status: 'restarting' });
      await reference.close(graceMs);
      node.closeAllConnections();
      await closed;
      await storage.close();
    },
  };
}
