import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

export interface OpenedDatabase {
  db: Db;
  /** True when the file had no schema yet: the caller fills it with data. */
  isNew: boolean;
}

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to
 * date. WAL lets the stream's poll read while an export writes; foreign keys
 * are off by default in SQLite and must be switched on per connection.
 */
export function openDatabase(path: string, { onStatement }: { onStatement?: (sql: string) => void } = {}): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // `onStatement` sees every statement SQLite runs: tests and benchmarks count queries with it.
  const db = new Database(path, onStatement ? { verbose: (sql) => onStatement(String(sql)) } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');

  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${path} has schema version ${version}, newer than this server's ${SCHEMA_VERSION}: upgrade the server or use another POS_DB`,
    );
  }
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  })();
  return { db, isNew: version === 0 };
}
