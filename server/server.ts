import { serve, type ServerType } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions, type ReferenceServer } from './app.js';
import type { ServerConfig } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { demoFixture } from './db/demo-data.js';
import { loadFixture, type FixtureInput } from './db/fixture.js';

export interface RunningServer extends ReferenceServer {
  db: Db;
  server: ServerType;
  url: string;
  /** Whether the database was created (and seeded) by this start. */
  seeded: boolean;
  close(): Promise<void>;
}

export interface StartOptions extends Omit<AppOptions, 'db' | 'config'> {
  /** Seed a new database with this fixture instead of `config.fixture` or the demo data. */
  fixture?: FixtureInput;
  /** Called with every SQL statement run (query counting in tests and benchmarks). */
  onStatement?: (sql: string) => void;
}

/** Opens the database (seeding a new one), builds the app and listens. */
export async function startServer(config: ServerConfig, { fixture, onStatement, ...options }: StartOptions = {}): Promise<RunningServer> {
  const { db, isNew } = openDatabase(config.db, { onStatement });
  try {
    if (isNew) {
      const data = fixture ?? (config.fixture ? JSON.parse(await readFile(config.fixture, 'utf8')) : demoFixture());
      await loadFixture(db, data);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  const reference = createApp({ db, config, ...options });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: reference.app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    ...reference,
    db,
    server,
    url: `http://${host}:${port}`,
    seeded: isNew,
    async close() {
      reference.watcher.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open streams would hold close() forever: end every connection now.
        (server as import('node:http').Server).closeAllConnections?.();
      });
      await reference.exports.idle();
      db.close();
    },
  };
}
