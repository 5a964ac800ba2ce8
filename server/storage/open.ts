import { openPostgresStorage } from './postgres.js';
import { openSqliteStorage } from './sqlite.js';
import type { OpenedStorage, OpenOptions } from './storage.js';

/** A `postgres://` or `postgresql://` URL opens PostgreSQL; anything else is a SQLite file path (or `:memory:`). */
export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);

/** Opens the storage `location` names, bringing its schema up to date (and seeding a new one with `seed`). */
export function openStorage(location: string, options: OpenOptions = {}): Promise<OpenedStorage> {
  return isPostgresUrl(location) ? openPostgresStorage(location, options) : openSqliteStorage(location, options);
}
