import type { Db } from './database.js';

/**
 * A cheap token that changes whenever the database's data may have changed:
 * SQLite's `data_version` moves when another connection (another process)
 * commits, and `total_changes()` when this connection writes. One tiny query,
 * so in-memory caches can be checked on every request and are never stale.
 */
export function dataVersion(db: Db): () => string {
  const statement = db.prepare('SELECT (SELECT data_version FROM pragma_data_version()) AS d, total_changes() AS t').raw(true);
  return () => {
    const [d, t] = statement.get() as [number, number];
    return `${d}.${t}`;
  };
}
