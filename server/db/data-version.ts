import type { Db } from './database.js';

/**
 * A cheap token that changes whenever the database's data may have changed:
 * SQLite's `data_version` moves when another connection (another process)
 * commits, and `total_changes()` when this connection writes. Read on every
 * API request, so in-memory caches are checked against it and never stale.
 *
 * Two statements rather than one SELECT of both: `PRAGMA data_version` is
 * 1.7 µs against 2.5 µs for the pragma_data_version() table function, and
 * `total_changes()` alone takes no read lock (0.07 µs) — a third off the
 * read that every cached answer pays (file database in WAL mode).
 */
export function dataVersion(db: Db): () => string {
  const version = db.prepare('PRAGMA data_version').pluck();
  const changes = db.prepare('SELECT total_changes()').pluck();
  return () => `${version.get() as number}.${changes.get() as number}`;
}
