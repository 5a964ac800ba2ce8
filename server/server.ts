import { serve, type ServerType } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions, type ReferenceServer } from './app.js';
import type { ServerConfig } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { demoFixture } from './db/demo-data.js';
import { loadFixture } from './db/fixture.js';

export interface RunningServer extends ReferenceServer {
  db: Db;
  server: ServerType;
  url: string;
  /** Whether the database was created (and seeded) by this start. */
  seeded: boolean;
  close(): Promise<void>;
}

/** Opens the database (seeding a new one), builds the app and listens. */
export async function startServer(config: ServerConfig, options: Omit<AppOptions, 'db' | 'config'> = {}): Promise<RunningServer> {
  const { db, isNew } = openDatabase(config.db);
  try {
    if (isNew) {
      const fixture = config.fixture ? JSON.parse(await readFile(config.fixture, 'utf8')) : demoFixture();
      await loadFixture(db, fixture);
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
